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

/**
 * PyTorch Lightning: LightningCLI files (`trainer:` with `max_epochs`, `precision`, `devices`,
 * `callbacks` as `class_path` entries), the nested `lightning: trainer:` of latent-diffusion style
 * configs, and litgpt's flat configs (`precision`, `devices`, `train:`, `eval:`). Lightning's own
 * defaults apply where a key is missing: precision 32-true, and 1000 epochs when neither
 * max_epochs nor max_steps is set.
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
    return List.of(new ExtractedRun(run.build(), fixes(context.editor(), trainer, litgpt)));
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

  private static FixWriter fixes(ConfigEditor editor, MappingNode trainer, boolean litgpt) {
    return change -> {
      if (change instanceof ProposedChange.UsePrecision p) {
        String value = p.precision() == Precision.BF16 ? "bf16-mixed" : "16-mixed";
        return Optional.of(new Fix(change.title(), List.of(editor.set(trainer, "precision", value))));
      }
      return Optional.empty();
    };
  }
}
