package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Checkpointing;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.Option;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PyTorch Lightning: LightningCLI files (`trainer:` with `max_epochs`, `precision`, `devices`,
 * `callbacks` as `class_path` entries), the nested `lightning: trainer:` of latent-diffusion style
 * configs, and litgpt's flat configs (`precision`, `devices`, `train:`, `eval:`). Lightning's own
 * defaults apply where a key is missing: precision 32-true, and 1000 epochs when neither
 * max_epochs nor max_steps is set. Named options: `trainer.profiler` ({@link Options#PROFILER}),
 * an offloading `trainer.strategy` ({@link Options#OPTIMIZER_OFFLOAD}), activation checkpointing in
 * the strategy or `model.init_args.gradient_checkpointing`, and the data module's `num_workers`.
 */
public final class LightningExtractor implements ConfigExtractor {
  private static final Set<String> TRAINER_KEYS = Set.of(
      "max_epochs", "min_epochs", "max_steps", "accelerator", "devices", "num_nodes", "precision",
      "strategy", "callbacks", "logger", "val_check_interval", "check_val_every_n_epoch",
      "log_every_n_steps", "accumulate_grad_batches", "gradient_clip_val", "limit_val_batches",
      "limit_train_batches", "num_sanity_val_steps", "benchmark", "deterministic", "enable_checkpointing");
  private static final Set<String> LITGPT_TRAIN_KEYS = Set.of(
      "global_batch_size", "micro_batch_size", "save_interval", "log_interval", "lr_warmup_steps",
      "max_tokens", "max_steps", "epochs", "max_seq_length");
  private static final double LIGHTNING_DEFAULT_EPOCHS = 1000;
  /** Lightning's registered DeepSpeed strategies that offload: `deepspeed_stage_2_offload`, `..._3_offload_nvme`. */
  public static final Pattern OFFLOAD_STRATEGY = Pattern.compile("(deepspeed_stage_\\d)_offload(_nvme)?");

  @Override
  public String format() {
    return "lightning";
  }

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    return trainer(root).map(t -> Keys.countKnown(t, TRAINER_KEYS) >= 1).orElse(false) || isLitGpt(root);
  }

  private static Optional<MappingNode> trainer(MappingNode root) {
    return root.mapping("trainer").or(() -> root.mapping("lightning").flatMap(l -> l.mapping("trainer")));
  }

  /** litgpt's flat configs: where the model and outputs live, plus its train section or top-level devices/precision. */
  private static boolean isLitGpt(MappingNode root) {
    boolean litgptShape = root.mapping("train").map(t -> Keys.countKnown(t, LITGPT_TRAIN_KEYS) >= 1).orElse(false)
        || root.containsKey("devices") || root.containsKey("precision");
    return litgptShape
        && (root.containsKey("checkpoint_dir") || root.containsKey("model_name") || root.containsKey("out_dir"));
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    boolean litgpt = trainer(root).isEmpty();
    MappingNode trainer = trainer(root).orElse(root);
    SourceRange anchor = litgpt
        ? (root.entries().isEmpty() ? root.range() : root.entries().get(0).key().range())
        : keyRangeOf(root, trainer);
    Optional<ScalarNode> model = Keys.scalar(root, "checkpoint_dir", "model_name");
    Stage stage = litgpt && root.mapping("train").isPresent() && model.isPresent()
        && Keys.text(root, "checkpoint_dir").isPresent() ? Stage.FINE_TUNING : Stage.TRAINING;

    Run.Builder run = Run.builder(context.file(), documentIndex, format(), stage, anchor)
        .precision(precision(trainer, litgpt, anchor));
    devices(trainer).ifPresent(run::devices);
    model.ifPresent(m -> run.model(Models.choice(context.reference(), m)));
    if (litgpt) {
      readLitGpt(root, anchor, run);
    } else {
      readTrainer(root, trainer, anchor, run);
    }
    options(root, trainer, run);
    return List.of(new ExtractedRun(run.build(), fixes(context.editor(), root, trainer)));
  }

  // ------------------------------------------------------------------ named options

  /** The options a Lightning config states: profiler, offload, activation checkpointing, loader workers. */
  static void options(MappingNode root, MappingNode trainer, Run.Builder run) {
    profiler(trainer).ifPresent(run::option);
    offload(trainer).ifPresent(run::option);
    checkpointing(root, trainer).ifPresent(run::option);
    boolean cpu = Keys.text(trainer, "accelerator").map(a -> a.trim().equalsIgnoreCase("cpu")).orElse(false);
    if (!cpu) {
      workers(root).ifPresent(run::option);
    }
  }

  /**
   * A profiler kind from what Lightning accepts: `simple`, `advanced`, `pytorch`, `xla`, or a profiler
   * class (`SimpleProfiler`, `lightning.pytorch.profilers.PyTorchProfiler`); null for anything else
   * (`PassThroughProfiler` records nothing).
   */
  public static String profilerKind(String written) {
    String value = written == null ? "" : written.trim();
    String lower = value.toLowerCase(Locale.ROOT);
    if (Set.of("simple", "advanced", "pytorch", "xla").contains(lower)) {
      return lower;
    }
    return switch (value.substring(value.lastIndexOf('.') + 1)) {
      case "SimpleProfiler" -> "simple";
      case "AdvancedProfiler" -> "advanced";
      case "PyTorchProfiler" -> "pytorch";
      case "XLAProfiler" -> "xla";
      default -> null;
    };
  }

  /** `profiler: simple`, or `profiler: {class_path: ...PyTorchProfiler, init_args: ...}`; `null` is no profiler. */
  private static Optional<Option> profiler(MappingNode trainer) {
    Optional<Entry> entry = trainer.entry("profiler");
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    String kind = null;
    if (entry.get().value() instanceof ScalarNode s && !s.isNull()) {
      kind = profilerKind(s.text());
    } else if (entry.get().value() instanceof MappingNode m) {
      kind = Keys.text(m, "class_path").map(LightningExtractor::profilerKind).orElse(null);
    }
    return kind == null ? Optional.empty() : Optional.of(new Option(Options.PROFILER, kind, entry.get().range()));
  }

  /** The strategy's settings: `init_args` of a `class_path` strategy. */
  private static Optional<MappingNode> strategyArgs(MappingNode trainer, String className) {
    return trainer.mapping("strategy")
        .filter(m -> Keys.text(m, "class_path").map(c -> c.trim().endsWith(className)).orElse(false))
        .flatMap(m -> m.mapping("init_args"));
  }

  /**
   * `strategy: deepspeed_stage_3_offload` (cpu; `_offload_nvme`: nvme), a `DeepSpeedStrategy` with
   * `offload_optimizer: true` / `offload_parameters: true` (device `cpu` unless written), or an
   * `FSDPStrategy` with `cpu_offload: true`.
   */
  private static Optional<Option> offload(MappingNode trainer) {
    Optional<Entry> strategy = Keys.scalarEntry(trainer, "strategy");
    if (strategy.isPresent()) {
      Matcher m = OFFLOAD_STRATEGY.matcher(((ScalarNode) strategy.get().value()).text().trim());
      return m.matches()
          ? Optional.of(new Option(Options.OPTIMIZER_OFFLOAD, m.group(2) != null ? "nvme" : "cpu", strategy.get().range()))
          : Optional.empty();
    }
    Optional<MappingNode> deepspeed = strategyArgs(trainer, "DeepSpeedStrategy");
    if (deepspeed.isPresent()) {
      for (String[] keys : new String[][] {{"offload_optimizer", "offload_optimizer_device"},
          {"offload_parameters", "offload_params_device"}}) {
        Optional<Entry> on = Keys.scalarEntry(deepspeed.get(), keys[0]);
        if (on.isPresent() && Keys.isTrue(deepspeed.get(), keys[0])) {
          String device = Keys.text(deepspeed.get(), keys[1]).map(d -> d.trim().toLowerCase(Locale.ROOT)).orElse("cpu");
          return Optional.of(new Option(Options.OPTIMIZER_OFFLOAD, device, on.get().range()));
        }
      }
    }
    Optional<MappingNode> fsdp = strategyArgs(trainer, "FSDPStrategy");
    if (fsdp.isPresent() && Keys.isTrue(fsdp.get(), "cpu_offload")) {
      return Optional.of(new Option(Options.OPTIMIZER_OFFLOAD, "cpu", fsdp.get().entry("cpu_offload").get().range()));
    }
    return Optional.empty();
  }

  /**
   * `model.init_args.gradient_checkpointing: true|false` (LightningCLI modules that wrap a transformers
   * model take it as an init argument), or an FSDP strategy's `activation_checkpointing_policy`.
   */
  private static Optional<Option> checkpointing(MappingNode root, MappingNode trainer) {
    Optional<Entry> model = modelArgs(root).flatMap(m -> Keys.scalarEntry(m, "gradient_checkpointing"))
        .filter(e -> ((ScalarNode) e.value()).asBoolean().isPresent());
    if (model.isPresent()) {
      return Optional.of(new Option(Options.GRADIENT_CHECKPOINTING,
          String.valueOf(((ScalarNode) model.get().value()).asBoolean().get()), model.get().range()));
    }
    Optional<MappingNode> fsdp = strategyArgs(trainer, "FSDPStrategy");
    for (String key : List.of("activation_checkpointing_policy", "activation_checkpointing")) {
      Optional<Entry> policy = fsdp.flatMap(f -> f.entry(key))
          .filter(e -> !(e.value() instanceof ScalarNode s && s.isNull()));
      if (policy.isPresent()) {
        return Optional.of(new Option(Options.GRADIENT_CHECKPOINTING, "true", policy.get().range()));
      }
    }
    return Optional.empty();
  }

  private static Optional<MappingNode> modelArgs(MappingNode root) {
    return root.mapping("model").map(m -> m.mapping("init_args").orElse(m));
  }

  /** The data module's settings: `data.init_args` (LightningCLI, litgpt), else `data` itself. */
  private static Optional<MappingNode> dataArgs(MappingNode root) {
    return root.mapping("data").map(d -> d.mapping("init_args").orElse(d));
  }

  /** `data.init_args.num_workers: N`: the worker processes of the training loader. */
  private static Optional<Option> workers(MappingNode root) {
    return dataArgs(root).flatMap(d -> Keys.scalarEntry(d, "num_workers"))
        .filter(e -> ((ScalarNode) e.value()).asLong().isPresent() && ((ScalarNode) e.value()).asLong().getAsLong() >= 0)
        .map(e -> new Option(Options.DATALOADER_WORKERS, String.valueOf(((ScalarNode) e.value()).asLong().getAsLong()),
            e.range()));
  }

  /** Where the `trainer:` key itself is written: the anchor for settings the file leaves out. */
  private static SourceRange keyRangeOf(MappingNode root, MappingNode trainer) {
    Optional<Entry> direct = root.entry("trainer");
    if (direct.isPresent()) {
      return direct.get().key().range();
    }
    return root.mapping("lightning").flatMap(l -> l.entry("trainer")).map(e -> e.key().range()).orElse(trainer.range());
  }

  private static PrecisionChoice precision(MappingNode trainer, boolean litgpt, SourceRange anchor) {
    Optional<Entry> entry = Keys.scalarEntry(trainer, "precision");
    if (entry.isEmpty()) {
      // litgpt picks bf16-mixed itself on GPUs that support it; Lightning defaults to 32-true.
      return litgpt ? new PrecisionChoice(Precision.BF16, false, anchor)
          : new PrecisionChoice(Precision.FP32, false, anchor);
    }
    Precision precision = precisionOf(((ScalarNode) entry.get().value()).text());
    return new PrecisionChoice(precision == null ? Precision.FP32 : precision, true, entry.get().range());
  }

  /**
   * Lightning's precision values (`32`, `32-true`, `16-mixed`, `bf16-true`, `transformer-engine`,
   * `64`), in a YAML file or a Python `Trainer(precision=...)`; null for anything else.
   */
  public static Precision precisionOf(String written) {
    String value = written == null ? "" : written.trim().toLowerCase(Locale.ROOT);
    if (value.startsWith("bf16")) {
      return Precision.BF16;
    }
    if (value.startsWith("16") || value.equals("half")) {
      return Precision.FP16;
    }
    if (value.contains("transformer-engine") || value.startsWith("8")) {
      return Precision.FP8;
    }
    if (value.startsWith("32") || value.startsWith("64")) {
      return Precision.FP32;
    }
    return null;
  }

  /** devices (int, list, "0,1", "0,") x num_nodes; "auto" and -1 are left unknown. */
  private static Optional<DeviceCount> devices(MappingNode trainer) {
    Optional<Entry> entry = trainer.entry("devices");
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    Integer perNode = null;
    DocNode value = entry.get().value();
    if (value instanceof SequenceNode seq) {
      perNode = seq.items().size();
    } else if (value instanceof ScalarNode s && !s.isNull()) {
      String text = s.text().trim();
      if (text.contains(",")) {
        perNode = (int) java.util.Arrays.stream(text.split(",")).filter(p -> !p.isBlank()).count();
      } else if (s.asLong().isPresent() && s.asLong().getAsLong() > 0 && s.asLong().getAsLong() <= Integer.MAX_VALUE) {
        perNode = (int) s.asLong().getAsLong();
      }
    }
    if (perNode == null || perNode < 1) {
      return Optional.empty();
    }
    long nodes = Optional.ofNullable(Keys.longValue(trainer, "num_nodes")).orElse(1L);
    String how = perNode + " per node (devices)" + (nodes > 1 ? " x " + nodes + " nodes (num_nodes)" : "");
    return DeviceCount.of(perNode, nodes, how, entry.get().range());
  }

  private static void readTrainer(MappingNode root, MappingNode trainer, SourceRange anchor, Run.Builder run) {
    Optional<Entry> epochs = Keys.scalarEntry(trainer, "max_epochs");
    Optional<Entry> steps = Keys.scalarEntry(trainer, "max_steps");
    Double epochCount = Keys.doubleValue(trainer, "max_epochs");
    Long maxSteps = Keys.longValue(trainer, "max_steps");
    boolean unlimited = epochCount != null && epochCount < 0;
    boolean stated = epochCount != null;
    if (!unlimited) {
      double planned = stated ? epochCount : (maxSteps != null && maxSteps > 0 ? 0 : LIGHTNING_DEFAULT_EPOCHS);
      run.schedule(new Schedule(planned, stated, epochs.map(Entry::range).orElse(anchor),
          maxSteps, steps.map(Entry::range).orElse(null), mentionsEarlyStopping(root)));
    }
    Optional<Entry> valInterval = Keys.scalarEntry(trainer, "val_check_interval");
    if (valInterval.isPresent() && ((ScalarNode) valInterval.get().value()).asLong().isPresent()
        && !((ScalarNode) valInterval.get().value()).text().contains(".")) {
      run.evaluation(new Evaluation("steps", ((ScalarNode) valInterval.get().value()).asLong().getAsLong(),
          valInterval.get().range()));
    }
    checkpointCallback(root).ifPresent(run::checkpointing);
  }

  private static void readLitGpt(MappingNode root, SourceRange anchor, Run.Builder run) {
    MappingNode train = root.mapping("train").orElse(new MappingNode(List.of(), root.range()));
    Optional<Entry> epochs = Keys.scalarEntry(train, "epochs");
    Optional<Entry> steps = Keys.scalarEntry(train, "max_steps");
    Double epochCount = Keys.doubleValue(train, "epochs");
    Long maxSteps = Keys.longValue(train, "max_steps");
    if (epochCount != null || maxSteps != null) {
      run.schedule(new Schedule(epochCount == null ? 0.0 : epochCount, epochCount != null,
          epochs.map(Entry::range).orElse(anchor), maxSteps, steps.map(Entry::range).orElse(null),
          mentionsEarlyStopping(root)));
    }
    // litgpt's global_batch_size already spans every device; max_tokens is a budget in tokens.
    run.workload(new Workload(null, null, Keys.intValue(train, "max_seq_length"), Keys.intValue(train, "micro_batch_size"),
        null, Keys.longValue(train, "max_tokens"), Keys.intValue(train, "global_batch_size")));
    root.mapping("eval").flatMap(e -> Keys.scalarEntry(e, "interval")).ifPresent(e ->
        run.evaluation(new Evaluation("steps", ((ScalarNode) e.value()).asLong().orElse(0), e.range())));
    Keys.scalarEntry(train, "save_interval").ifPresent(e ->
        run.checkpointing(new Checkpointing("steps", ((ScalarNode) e.value()).asLong().orElse(0), null, e.range())));
  }

  /** An EarlyStopping callback anywhere in the file (class_path, target or key name). */
  private static boolean mentionsEarlyStopping(MappingNode root) {
    return containsText(root, "earlystopping") || containsText(root, "early_stopping");
  }

  private static boolean containsText(DocNode node, String needle) {
    if (node instanceof ScalarNode s) {
      return s.text().toLowerCase(Locale.ROOT).replace(".", "").contains(needle);
    }
    if (node instanceof MappingNode m) {
      for (Entry e : m.entries()) {
        if (e.name().toLowerCase(Locale.ROOT).contains(needle) || containsText(e.value(), needle)) {
          return true;
        }
      }
    }
    if (node instanceof SequenceNode seq) {
      return seq.items().stream().anyMatch(i -> containsText(i, needle));
    }
    return false;
  }

  /** ModelCheckpoint(every_n_train_steps=..., save_top_k=...) as a callback or a `modelcheckpoint` block. */
  private static Optional<Checkpointing> checkpointCallback(MappingNode root) {
    List<MappingNode> candidates = new ArrayList<>();
    collectCheckpointArgs(root, candidates);
    for (MappingNode args : candidates) {
      Optional<Entry> every = Keys.scalarEntry(args, "every_n_train_steps");
      if (every.isPresent()) {
        Integer topK = Keys.intValue(args, "save_top_k");
        Integer keep = topK == null ? Integer.valueOf(1) : topK < 0 ? null : topK;
        return Optional.of(new Checkpointing("steps",
            ((ScalarNode) every.get().value()).asLong().orElse(0), keep, every.get().range()));
      }
    }
    return Optional.empty();
  }

  private static void collectCheckpointArgs(DocNode node, List<MappingNode> out) {
    if (node instanceof MappingNode m) {
      if (m.containsKey("every_n_train_steps")) {
        out.add(m);
      }
      m.entries().forEach(e -> collectCheckpointArgs(e.value(), out));
    } else if (node instanceof SequenceNode seq) {
      seq.items().forEach(i -> collectCheckpointArgs(i, out));
    }
  }

  private static FixWriter fixes(ConfigEditor editor, MappingNode root, MappingNode trainer) {
    return change -> {
      if (change instanceof ProposedChange.UsePrecision p) {
        String value = p.precision() == Precision.BF16 ? "bf16-mixed" : "16-mixed";
        return Optional.of(new Fix(change.title(), List.of(editor.set(trainer, "precision", value))));
      }
      if (change instanceof ProposedChange.SetOption o) {
        List<TextEdit> edits = optionEdits(editor, root, trainer, o);
        return edits.isEmpty() ? Optional.empty() : Optional.of(new Fix(change.title(), edits));
      }
      return Optional.empty();
    };
  }

  private static List<TextEdit> optionEdits(ConfigEditor editor, MappingNode root, MappingNode trainer,
      ProposedChange.SetOption o) {
    String value = o.value().trim().toLowerCase(Locale.ROOT);
    switch (o.name()) {
      case Options.PROFILER -> {
        if (value.equals("none") || value.equals("null") || value.equals("false")) {
          return trainer.entry("profiler").map(e -> List.of(toNull(e))).orElse(List.of());
        }
      }
      case Options.OPTIMIZER_OFFLOAD -> {
        if (!value.equals("none")) {
          return List.of();
        }
        Optional<Entry> strategy = Keys.scalarEntry(trainer, "strategy");
        if (strategy.isPresent()) {
          ScalarNode s = (ScalarNode) strategy.get().value();
          Matcher m = OFFLOAD_STRATEGY.matcher(s.text().trim());
          return m.matches() ? List.of(editor.replace(s, m.group(1))) : List.of();
        }
        List<TextEdit> edits = new ArrayList<>();
        strategyArgs(trainer, "DeepSpeedStrategy").ifPresent(d -> {
          for (String key : List.of("offload_optimizer", "offload_parameters")) {
            if (Keys.isTrue(d, key)) {
              edits.add(editor.set(d, key, false));
            }
          }
        });
        strategyArgs(trainer, "FSDPStrategy").filter(f -> Keys.isTrue(f, "cpu_offload"))
            .ifPresent(f -> edits.add(editor.set(f, "cpu_offload", false)));
        return edits;
      }
      case Options.GRADIENT_CHECKPOINTING -> {
        Optional<MappingNode> model = modelArgs(root).filter(m -> Keys.scalarEntry(m, "gradient_checkpointing").isPresent());
        if ((value.equals("false") || value.equals("true")) && model.isPresent()) {
          return List.of(editor.set(model.get(), "gradient_checkpointing", Boolean.valueOf(value)));
        }
      }
      case Options.DATALOADER_WORKERS -> {
        Optional<MappingNode> data = dataArgs(root);
        if (value.matches("\\d+") && data.isPresent()) {
          return List.of(editor.set(data.get(), "num_workers", Long.valueOf(value)));
        }
      }
      default -> {
        return List.of();
      }
    }
    return List.of();
  }

  /** `key: value` (a scalar or a whole block) becomes `key: null`. */
  private static TextEdit toNull(Entry entry) {
    if (entry.value() instanceof ScalarNode s) {
      return new TextEdit(s.range(), "null");
    }
    SourceRange key = entry.key().range();
    SourceRange value = entry.value().range();
    boolean endsAtLineStart = value.endColumn() == 0 && value.endLine() > key.endLine();
    SourceRange from = new SourceRange(key.endLine(), key.endColumn(), value.endLine(), value.endColumn());
    return new TextEdit(from, ": null" + (endsAtLineStart ? "\n" : ""));
  }
}
