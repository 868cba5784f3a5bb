package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.model.Checkpointing;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.FineTuning;
import dev.carbonlens.model.Logging;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.ModelChoice;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Sweep;
import dev.carbonlens.model.Workload;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hydra / OmegaConf configs: NeMo training configs (`trainer:` + `exp_manager:` + `model:`), the NeMo
 * recipes that cloud samples ship (Vertex AI NeMo pretraining), the Lightning-Hydra template's
 * config groups (a `_target_: ...Trainer` file, a `hydra.sweeper` overlay) and any file with a
 * Hydra `defaults:` list or `hydra:` section.
 *
 * <p><b>What one file can say.</b> A `defaults:` list composes the config from other files (config
 * groups: `trainer: default`, `override /hydra/sweeper: optuna`), which this extractor cannot read.
 * So when a file has a defaults list (beyond `_self_`) only what it writes itself is read: no
 * framework default (fp32 precision, Lightning's 1000 epochs) is assumed, because a group file may
 * set it. The groups are available from {@link #configGroups}.
 *
 * <p><b>Interpolation.</b> `${path.to.key}` (absolute), `${.key}` / `${..key}` (relative) are
 * resolved within the same file, recursively; `${oc.select:key,default}` takes the key or its
 * default; `${oc.env:VAR,default}` (and the older `${env:VAR,default}`) takes the default written in
 * the file: <b>the environment is not read</b> (the machine that runs the job is not the one
 * reading the file), and a device count derived that way says so in its derivation. Other
 * resolvers (`${now:...}`, `${multiply:...}`, custom ones) and `???` (a value that must be given on
 * the command line) leave the value unknown. A resolved value keeps the range of the `${...}`
 * scalar where it is used, not that of the key it refers to.
 *
 * <p>Facts read (NeMo / PyTorch Lightning names): `trainer.devices` × `trainer.num_nodes`,
 * `trainer.precision` (16, bf16, bf16-mixed, 32...; `model.fp8: true` means fp8 through
 * Transformer Engine), `trainer.max_epochs` / `max_steps`, `val_check_interval` /
 * `check_val_every_n_epoch` / `limit_val_batches`, `log_every_n_steps`,
 * `exp_manager.create_checkpoint_callback` and `checkpoint_callback_params`
 * (`every_n_train_steps`, `save_top_k`), `exp_manager.create_early_stopping_callback`,
 * `model.micro_batch_size` / `global_batch_size` / `encoder_seq_length` / `data.seq_length`,
 * the model from `restore_from_path` / `model.restore_from_path` / `model.tokenizer` when it names
 * a hub model (else the non-embedding parameter count from a GPT-style architecture written in
 * `model:`), `model.peft.peft_scheme`, and a `hydra.sweeper` search (Optuna, basic sweeper), with
 * {@link Options#SEARCHES_EPOCHS} when its `params` sweep the epoch count (`trainer.max_epochs`).
 */
public final class HydraExtractor implements ConfigExtractor {
  private static final Pattern DOTTED_TARGET = Pattern.compile("[A-Za-z_]\\w*(\\.[A-Za-z_]\\w*)+");
  private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][\\w.-]*/[\\w.-]+");
  /** NeMo's ExpManager default for `checkpoint_callback_params.save_top_k`. */
  static final int NEMO_DEFAULT_SAVE_TOP_K = 3;
  /** Lightning's default when neither max_epochs nor max_steps is set. */
  static final double LIGHTNING_DEFAULT_EPOCHS = 1000;

  @Override
  public String format() {
    return "hydra";
  }

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    if (root.sequence("defaults").map(HydraExtractor::isDefaultsList).orElse(false)) {
      return true;
    }
    if (root.mapping("hydra").isPresent()) {
      return true;
    }
    if (root.mapping("exp_manager").isPresent()
        && (root.mapping("trainer").isPresent() || root.mapping("model").isPresent())) {
      return true;
    }
    return Keys.text(root, "_target_").map(t -> DOTTED_TARGET.matcher(t.trim()).matches()).orElse(false);
  }

  /** Hydra's defaults list: non-empty, every item a group name (`_self_`) or a one-key `group: option`. */
  private static boolean isDefaultsList(SequenceNode seq) {
    return !seq.items().isEmpty() && seq.items().stream().allMatch(i ->
        (i instanceof ScalarNode s && !s.isNull() && !s.text().isBlank())
            || (i instanceof MappingNode m && m.size() == 1));
  }

  /** The config groups a defaults list composes, as written (`trainer: default`, `override /hydra/sweeper: optuna`). */
  public static List<String> configGroups(MappingNode root) {
    List<String> groups = new ArrayList<>();
    root.sequence("defaults").ifPresent(seq -> seq.items().forEach(i -> {
      if (i instanceof ScalarNode s && !s.isNull()) {
        groups.add(s.text());
      } else if (i instanceof MappingNode m && m.size() == 1) {
        Entry e = m.entries().get(0);
        groups.add(e.name() + ": " + (e.value() instanceof ScalarNode v ? v.text() : "..."));
      }
    }));
    return groups;
  }

  /** Whether other files compose into this one (a defaults list with more than `_self_`). */
  static boolean composed(MappingNode root) {
    return configGroups(root).stream().anyMatch(g -> !g.equals("_self_"));
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    Resolver r = new Resolver(root);
    SourceRange anchor = root.entries().isEmpty() ? root.range() : root.entries().get(0).key().range();
    boolean defaults = !composed(root);
    boolean rootIsTrainer = Keys.text(root, "_target_").map(t -> t.trim().endsWith("Trainer")).orElse(false);
    String trainer = rootIsTrainer ? "" : root.mapping("trainer").isPresent() ? "trainer." : null;

    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.TRAINING, anchor);
    PrecisionChoice precision = precision(r, trainer, anchor, defaults);
    if (precision != null) {
      run.precision(precision);
    }
    if (trainer != null) {
      devices(r, trainer).ifPresent(run::devices);
      Schedule schedule = schedule(r, root, trainer, anchor, defaults);
      if (schedule != null) {
        run.schedule(schedule);
      }
      Evaluation evaluation = evaluation(r, trainer);
      if (evaluation != null) {
        run.evaluation(evaluation);
      }
      r.setting(trainer + "log_every_n_steps").filter(s -> s.longOrNull() != null)
          .ifPresent(s -> run.logging(new Logging(s.longOrNull(), s.range())));
    }
    Checkpointing checkpointing = checkpointing(r, root, trainer);
    if (checkpointing != null) {
      run.checkpointing(checkpointing);
    }
    Workload workload = workload(r, trainer);
    if (workload != null) {
      run.workload(workload);
    }
    model(r, root, context.reference()).ifPresent(run::model);
    FineTuning fineTuning = fineTuning(r);
    if (fineTuning != null) {
      run.fineTuning(fineTuning);
    }
    boolean restores = r.setting("restore_from_path").or(() -> r.setting("model.restore_from_path"))
        .filter(s -> !s.isNull()).isPresent();
    if (fineTuning != null || restores) {
      run.stage(Stage.FINE_TUNING);
    }
    Optional<Sweep> sweep = sweep(r, root);
    if (sweep.isPresent()) {
      run.sweep(sweep.get());
      run.stage(Stage.SWEEP);
      root.mapping("hydra").flatMap(h -> h.mapping("sweeper")).flatMap(sw -> sw.mapping("params"))
          .flatMap(HydraExtractor::searchedEpochs)
          .ifPresent(e -> run.option(Options.SEARCHES_EPOCHS, e.name().trim(), e.key().range()));
    }
    return List.of(new ExtractedRun(run.build(), fixes(context.editor(), root, rootIsTrainer)));
  }

  // ------------------------------------------------------------------------------------ facts

  static PrecisionChoice precision(Resolver r, String trainer, SourceRange anchor, boolean defaults) {
    Optional<Setting> fp8 = r.setting("model.fp8");
    if (fp8.isPresent() && fp8.get().isTrue()) {
      return new PrecisionChoice(Precision.FP8, true, fp8.get().range());
    }
    if (trainer == null) {
      return null;
    }
    Optional<Setting> written = r.setting(trainer + "precision");
    if (written.isEmpty() || written.get().isNull()) {
      return defaults ? new PrecisionChoice(Precision.FP32, false, written.map(Setting::range).orElse(anchor)) : null;
    }
    String v = written.get().lower();
    Precision p;
    if (v.startsWith("bf16") || v.equals("bfloat16")) {
      p = Precision.BF16;
    } else if (v.startsWith("16") || v.equals("half") || v.equals("fp16") || v.equals("float16")) {
      p = Precision.FP16;
    } else if (v.startsWith("32") || v.startsWith("64") || v.equals("fp32") || v.equals("float32") || v.equals("double")) {
      p = Precision.FP32;
    } else if (v.startsWith("transformer-engine") || v.equals("fp8") || v.startsWith("8")) {
      p = Precision.FP8;
    } else {
      return null; // unresolved interpolation or an unknown spelling
    }
    return new PrecisionChoice(p, true, written.get().range());
  }

  /** devices (int, list, "0,1") × num_nodes; "auto", -1 (all GPUs) and CPU runs are left unknown. */
  static Optional<DeviceCount> devices(Resolver r, String trainer) {
    if (r.setting(trainer + "accelerator").map(a -> a.lower().equals("cpu")).orElse(false)) {
      return Optional.empty();
    }
    Optional<Entry> entry = r.entry(trainer + "devices");
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    Integer perNode = null;
    SourceRange range = entry.get().range();
    if (entry.get().value() instanceof SequenceNode seq) {
      perNode = seq.items().isEmpty() ? null : seq.items().size();
    } else {
      Optional<Setting> s = r.setting(trainer + "devices");
      if (s.isPresent() && !s.get().isNull()) {
        String text = s.get().text().trim();
        range = s.get().range();
        if (text.contains(",")) {
          perNode = (int) java.util.Arrays.stream(text.split(",")).filter(p -> p.trim().matches("\\d+")).count();
        } else if (s.get().longOrNull() != null && s.get().longOrNull() > 0 && s.get().longOrNull() <= Integer.MAX_VALUE) {
          perNode = s.get().intOrNull();
        }
      }
    }
    if (perNode == null || perNode < 1) {
      return Optional.empty();
    }
    Optional<Setting> nodesSetting = r.setting(trainer + "num_nodes");
    long nodes = nodesSetting.map(Setting::longOrNull).filter(n -> n > 0).orElse(1L);
    StringBuilder how = new StringBuilder(perNode + " per node (" + trainer + "devices)");
    if (nodes > 1) {
      how.append(" x ").append(nodes).append(" nodes (").append(trainer).append("num_nodes)");
    }
    for (String note : java.util.Arrays.asList(r.note(trainer + "devices"), r.note(trainer + "num_nodes"))) {
      if (note != null) {
        how.append("; ").append(note);
      }
    }
    return DeviceCount.of(perNode, nodes, how.toString(), range);
  }

  static Schedule schedule(Resolver r, MappingNode root, String trainer, SourceRange anchor, boolean defaults) {
    Optional<Setting> epochs = r.setting(trainer + "max_epochs").filter(s -> s.doubleOrNull() != null);
    Optional<Setting> steps = r.setting(trainer + "max_steps").filter(s -> s.longOrNull() != null);
    Double epochCount = epochs.map(Setting::doubleOrNull).orElse(null);
    Long maxSteps = steps.map(Setting::longOrNull).filter(s -> s > 0).orElse(null);
    SourceRange stepsRange = maxSteps == null ? null : steps.get().range();
    boolean early = earlyStopping(r, root);
    if (epochCount != null && epochCount > 0) {
      return new Schedule(epochCount, true, epochs.get().range(), maxSteps, stepsRange, early);
    }
    if (maxSteps != null) {
      return new Schedule(0.0, false, epochs.map(Setting::range).orElse(anchor), maxSteps, stepsRange, early);
    }
    if (epochCount == null && defaults) {
      return new Schedule(LIGHTNING_DEFAULT_EPOCHS, false, anchor, null, null, early);
    }
    return null; // max_epochs -1 and no step limit: unbounded; or left to a composed group
  }

  private static boolean earlyStopping(Resolver r, MappingNode root) {
    if (r.setting("exp_manager.create_early_stopping_callback").map(Setting::isTrue).orElse(false)) {
      return true;
    }
    Optional<MappingNode> callbacks = root.mapping("callbacks");
    return callbacks.isPresent() && callbacks.get().entries().stream().anyMatch(e ->
        e.name().toLowerCase(Locale.ROOT).contains("early_stopping")
            || (e.value() instanceof MappingNode m && Keys.text(m, "_target_").map(t -> t.contains("EarlyStopping")).orElse(false)));
  }

  static Evaluation evaluation(Resolver r, String trainer) {
    Optional<Setting> limit = r.setting(trainer + "limit_val_batches");
    if (limit.isPresent() && limit.get().doubleOrNull() != null && limit.get().doubleOrNull() == 0.0) {
      return new Evaluation("no", null, limit.get().range());
    }
    Optional<Setting> interval = r.setting(trainer + "val_check_interval").filter(s -> !s.isNull());
    if (interval.isPresent() && interval.get().doubleOrNull() != null) {
      boolean integer = !interval.get().text().contains(".") && interval.get().longOrNull() != null;
      if (integer && interval.get().longOrNull() > 1) {
        return new Evaluation("steps", interval.get().longOrNull(), interval.get().range());
      }
      if (interval.get().doubleOrNull() == 1.0) {
        return new Evaluation("epoch", null, interval.get().range());
      }
    }
    Optional<Setting> everyEpochs = r.setting(trainer + "check_val_every_n_epoch").filter(s -> s.longOrNull() != null);
    if (everyEpochs.isPresent() && everyEpochs.get().longOrNull() > 0) {
      return new Evaluation("epoch", null, everyEpochs.get().range());
    }
    return null;
  }

  /**
   * NeMo's exp_manager: `create_checkpoint_callback: false` → no checkpoints; otherwise its
   * ModelCheckpoint saves every `every_n_train_steps`, or at each validation (every
   * `val_check_interval` steps, or each epoch), keeping `save_top_k` (3 unless written, -1 = all).
   * Without exp_manager, `trainer.enable_checkpointing: false` → no checkpoints.
   */
  static Checkpointing checkpointing(Resolver r, MappingNode root, String trainer) {
    Optional<MappingNode> manager = root.mapping("exp_manager");
    if (manager.isEmpty()) {
      if (trainer == null) {
        return null;
      }
      return r.setting(trainer + "enable_checkpointing").filter(s -> s.asBoolean().orElse(true) == Boolean.FALSE)
          .map(s -> new Checkpointing("no", null, null, s.range())).orElse(null);
    }
    Optional<Setting> create = r.setting("exp_manager.create_checkpoint_callback");
    if (create.isPresent() && create.get().asBoolean().orElse(true) == Boolean.FALSE) {
      return new Checkpointing("no", null, null, create.get().range());
    }
    Optional<Setting> every = r.setting("exp_manager.checkpoint_callback_params.every_n_train_steps")
        .filter(s -> s.longOrNull() != null && s.longOrNull() > 0);
    Optional<Setting> topK = r.setting("exp_manager.checkpoint_callback_params.save_top_k")
        .filter(s -> s.longOrNull() != null);
    Integer keep = topK.map(Setting::intOrNull).orElse(NEMO_DEFAULT_SAVE_TOP_K);
    if (keep != null && keep < 0) {
      keep = null;
    }
    SourceRange where = every.map(Setting::range)
        .or(() -> create.map(Setting::range))
        .or(() -> manager.get().entries().isEmpty() ? Optional.empty() : root.entry("exp_manager").map(e -> e.key().range()))
        .orElse(root.range());
    if (every.isPresent()) {
      return new Checkpointing("steps", every.get().longOrNull(), keep, where);
    }
    Evaluation validation = trainer == null ? null : evaluation(r, trainer);
    if (validation != null && validation.bySteps()) {
      return new Checkpointing("steps", validation.everySteps(), keep, where);
    }
    return new Checkpointing("epoch", null, keep, where);
  }

  static Workload workload(Resolver r, String trainer) {
    Integer micro = r.first("model.micro_batch_size", "model.train_ds.batch_size", "model.data.train_ds.micro_batch_size",
        "model.data.micro_batch_size", "data.batch_size").map(Setting::intOrNull).orElse(null);
    Integer global = r.first("model.global_batch_size", "model.data.train_ds.global_batch_size")
        .map(Setting::intOrNull).orElse(null);
    Integer sequence = r.first("model.encoder_seq_length", "model.data.seq_length", "model.seq_length",
        "model.max_seq_length", "model.data.train_ds.max_seq_length").map(Setting::intOrNull).orElse(null);
    Integer accumulation = trainer == null ? null
        : r.setting(trainer + "accumulate_grad_batches").map(Setting::intOrNull).orElse(null);
    if (micro == null && global == null && sequence == null && accumulation == null) {
      return null;
    }
    return new Workload(null, null, sequence, micro, accumulation, null, global);
  }

  /** A hub model named by restore_from_path / a Hugging Face tokenizer, else the size of a GPT-style architecture. */
  static Optional<ModelChoice> model(Resolver r, MappingNode root, ReferenceData reference) {
    List<String> candidates = new ArrayList<>(List.of("restore_from_path", "model.restore_from_path",
        "model.pretrained_model_name", "model.hf_model_id", "model.model_name_or_path", "model.language_model_path"));
    boolean hfTokenizer = r.setting("model.tokenizer.library").map(l -> l.lower().equals("huggingface")).orElse(false);
    candidates.add("model.tokenizer.type");
    if (hfTokenizer) {
      candidates.add("model.tokenizer.model");
    }
    for (String path : candidates) {
      Optional<Setting> s = r.setting(path).filter(v -> !v.isNull());
      if (s.isEmpty()) {
        continue;
      }
      String text = s.get().text().trim();
      boolean hub = HUB_ID.matcher(text).matches() && !text.endsWith(".nemo");
      if (reference.model(text).isPresent() || hub) {
        return Optional.of(Models.choice(reference, s.get()));
      }
    }
    return architecture(r, root);
  }

  /**
   * Parameters of the transformer layers a Megatron/NeMo GPT config describes (`num_layers`,
   * `hidden_size`, `ffn_hidden_size`, `num_attention_heads`, `num_query_groups`, `kv_channels`,
   * a gated `*glu` activation): attention q/k/v/o plus the MLP, per layer, times layers.
   * Embeddings are left out (the vocabulary comes from the tokenizer, not this file); they do
   * not enter the 6·N·D compute count either.
   */
  static Optional<ModelChoice> architecture(Resolver r, MappingNode root) {
    Optional<Setting> layersS = r.setting("model.num_layers");
    Long layers = layersS.map(Setting::longOrNull).orElse(null);
    Long hidden = r.setting("model.hidden_size").map(Setting::longOrNull).orElse(null);
    Long heads = r.setting("model.num_attention_heads").map(Setting::longOrNull).orElse(null);
    if (layers == null || hidden == null || heads == null || layers <= 0 || hidden <= 0 || heads <= 0) {
      return Optional.empty();
    }
    long ffn = r.setting("model.ffn_hidden_size").map(Setting::longOrNull).filter(v -> v > 0).orElse(4 * hidden);
    long groups = r.setting("model.num_query_groups").map(Setting::longOrNull).filter(v -> v > 0).orElse(heads);
    long headDim = r.setting("model.kv_channels").map(Setting::longOrNull).filter(v -> v > 0).orElse(hidden / heads);
    boolean gated = r.setting("model.activation").map(a -> a.lower().contains("glu")).orElse(false);
    double attention = (double) hidden * heads * headDim * 2 + (double) hidden * groups * headDim * 2;
    double mlp = (gated ? 3.0 : 2.0) * hidden * ffn;
    double billions = layers * (attention + mlp) / 1e9;
    String id = Keys.text(root, "name").orElse("model in " + "model:");
    String how = "non-embedding parameters from the architecture in the file: " + layers + " layers x (attention "
        + Figures.format(attention / 1e6) + "M + " + (gated ? "gated " : "") + "MLP " + Figures.format(mlp / 1e6)
        + "M) = " + Figures.format(billions) + "B (hidden " + hidden + ", ffn " + ffn + ", " + heads + " heads, "
        + groups + " query groups; embeddings not counted)";
    return Optional.of(new ModelChoice(id, billions, billions, how, layersS.get().range()));
  }

  /** NeMo PEFT: `model.peft.peft_scheme` lora (rank = lora_tuning.adapter_dim), adapter, ptuning, ia3... */
  static FineTuning fineTuning(Resolver r) {
    Optional<Setting> scheme = r.setting("model.peft.peft_scheme").filter(s -> !s.isNull());
    if (scheme.isEmpty()) {
      return null;
    }
    String s = scheme.get().lower();
    if (s.isEmpty() || s.equals("none")) {
      return null;
    }
    if (s.contains("lora")) {
      Integer rank = r.setting("model.peft.lora_tuning.adapter_dim").map(Setting::intOrNull).orElse(null);
      return new FineTuning(s.contains("qlora") ? "qlora" : "lora", rank, scheme.get().range());
    }
    if (s.equals("full") || s.equals("sft")) {
      return new FineTuning("full", null, scheme.get().range());
    }
    return new FineTuning("adapter", null, scheme.get().range()); // adapter, ptuning, ia3, selective
  }

  /**
   * `hydra.sweeper`: Optuna (`n_trials`, sampler TPE → bayes, Random, Grid), Nevergrad
   * (`optim.budget`), Ax (`ax_config.max_trials`) or the basic sweeper (a grid over
   * comma-separated values). Combinations: the product of `choice(...)`, `range(...)` and
   * `a,b,c` counts; an `interval(...)` makes a grid impossible.
   */
  static Optional<Sweep> sweep(Resolver r, MappingNode root) {
    Optional<MappingNode> sweeper = root.mapping("hydra").flatMap(h -> h.mapping("sweeper"));
    boolean multirun = r.setting("hydra.mode").map(m -> m.lower().equals("multirun")).orElse(false);
    if (sweeper.isEmpty() && !multirun) {
      return Optional.empty();
    }
    MappingNode sw = sweeper.orElse(new MappingNode(List.of(), root.range()));
    String target = Keys.text(sw, "_target_").orElse("");
    Optional<Entry> samplerTarget = sw.mapping("sampler").flatMap(s -> Keys.scalarEntry(s, "_target_"));
    String method;
    if (samplerTarget.isPresent()) {
      String t = ((ScalarNode) samplerTarget.get().value()).text();
      method = t.contains("Grid") ? "grid" : t.contains("Random") ? "random"
          : t.contains("TPE") || t.contains("GP") ? "bayes" : t.substring(t.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    } else if (target.toLowerCase(Locale.ROOT).contains("optuna")) {
      method = "bayes"; // Optuna's default sampler is TPE
    } else if (target.isEmpty() || target.contains("BasicSweeper")) {
      method = "grid"; // Hydra's basic sweeper runs every combination
    } else {
      method = target.substring(target.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }
    Long trials = Keys.longValue(sw, "n_trials");
    if (trials == null) {
      trials = sw.mapping("optim").map(o -> Keys.longValue(o, "budget"))
          .or(() -> sw.mapping("ax_config").map(a -> Keys.longValue(a, "max_trials"))).orElse(null);
    }
    Long combinations = sw.mapping("params").map(HydraExtractor::combinations).orElse(null);
    boolean pruner = sw.mapping("pruner").isPresent();
    SourceRange where = samplerTarget.map(Entry::range)
        .or(() -> Keys.scalarEntry(sw, "_target_").map(Entry::range))
        .or(() -> root.mapping("hydra").flatMap(h -> h.entry("sweeper")).map(e -> e.key().range()))
        .or(() -> root.mapping("hydra").flatMap(h -> h.entry("mode")).map(Entry::range))
        .orElse(root.range());
    return Optional.of(new Sweep(method, combinations, trials != null && trials > 0 ? trials : null, pruner, where));
  }

  private static final Pattern CHOICE = Pattern.compile("(?:tag\\([^)]*,\\s*)?choice\\((.*)\\)\\)?");
  private static final Pattern RANGE = Pattern.compile("range\\(\\s*(-?\\d+)\\s*,\\s*(-?\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)");

  static Long combinations(MappingNode params) {
    long product = 1;
    try {
      for (Entry e : params.entries()) {
        Long n = choices(e.value());
        if (n == null || n < 1) {
          return null;
        }
        product = Math.multiplyExact(product, n);
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
    return product;
  }

  /** What a swept value can take: a list, `choice(...)`, `range(...)` or `a,b,c`; null for `interval(...)` or unknown. */
  private static Long choices(DocNode value) {
    if (value instanceof SequenceNode seq) {
      return (long) seq.items().size();
    }
    if (!(value instanceof ScalarNode s) || s.isNull()) {
      return null;
    }
    String t = s.text().trim();
    Matcher choice = CHOICE.matcher(t);
    Matcher range = RANGE.matcher(t);
    if (t.contains("interval(")) {
      return null;
    } else if (choice.matches()) {
      return (long) choice.group(1).split(",").length;
    } else if (range.matches()) {
      long from = Long.parseLong(range.group(1));
      long to = Long.parseLong(range.group(2));
      long step = range.group(3) == null ? 1 : Math.max(1, Long.parseLong(range.group(3)));
      return Math.max(0, (to - from + step - 1) / step);
    } else if (!t.contains("(")) {
      return (long) t.split(",").length;
    }
    return null;
  }

  /**
   * The swept parameter that is the epoch count (`trainer.max_epochs: choice(10, 20, 50)`,
   * `+trainer.max_epochs: 5,10`, an `interval(...)`): its key, when it takes more than one value.
   */
  static Optional<Entry> searchedEpochs(MappingNode params) {
    for (Entry e : params.entries()) {
      String name = e.name().trim().toLowerCase(Locale.ROOT);
      String last = name.substring(name.lastIndexOf('.') + 1);
      if (!WandbSweepExtractor.EPOCH_PARAMETERS.contains(last)) {
        continue;
      }
      boolean continuous = e.value() instanceof ScalarNode s && s.text().contains("interval(");
      Long n;
      try {
        n = choices(e.value());
      } catch (NumberFormatException bad) {
        n = null;
      }
      if (continuous || (n != null && n > 1)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private static FixWriter fixes(ConfigEditor editor, MappingNode root, boolean rootIsTrainer) {
    Optional<MappingNode> trainer = rootIsTrainer ? Optional.of(root) : root.mapping("trainer");
    return change -> {
      if (trainer.isPresent() && change instanceof ProposedChange.UsePrecision p && p.precision() != Precision.FP32
          && p.precision() != Precision.FP8) {
        String value = p.precision() == Precision.BF16 ? "bf16-mixed" : "16-mixed";
        Optional<Entry> existing = trainer.get().entry("precision");
        if (existing.isPresent() && existing.get().value() instanceof ScalarNode s && s.text().contains("${")) {
          return Optional.empty(); // the value comes from elsewhere: editing the reference is the user's call
        }
        return Optional.of(new Fix(change.title(), List.of(editor.set(trainer.get(), "precision", value))));
      }
      return Optional.empty();
    };
  }

  // ----------------------------------------------------------------------------- interpolation

  /**
   * Reads dotted paths of one Hydra/OmegaConf file with `${...}` interpolations resolved (see the
   * class comment for what is and is not resolved). A resolved {@link Setting} has the key and
   * the `${...}` scalar of the place it is read from; a value that cannot be resolved keeps its
   * written text, so it reads as neither a number nor a known word and yields no fact.
   */
  static final class Resolver {
    private static final Pattern INNERMOST = Pattern.compile("\\$\\{([^${}]*)\\}");
    private static final Pattern RESOLVER_CALL = Pattern.compile("([A-Za-z_][\\w.]*):(.*)", Pattern.DOTALL);
    private static final int MAX_DEPTH = 20;

    private final MappingNode root;
    private final Map<String, String> notes = new LinkedHashMap<>();

    Resolver(MappingNode root) {
      this.root = root;
    }

    Optional<Entry> entry(String path) {
      List<String> parts = List.of(path.split("\\."));
      return entryAt(parts);
    }

    private Optional<Entry> entryAt(List<String> parts) {
      if (parts.isEmpty()) {
        return Optional.empty();
      }
      MappingNode current = root;
      for (int i = 0; i < parts.size() - 1; i++) {
        Optional<MappingNode> next = current.mapping(parts.get(i));
        if (next.isEmpty()) {
          return Optional.empty();
        }
        current = next.get();
      }
      return current.entry(parts.get(parts.size() - 1));
    }

    /** The first of these paths written with a non-null value. */
    Optional<Setting> first(String... paths) {
      for (String p : paths) {
        Optional<Setting> s = setting(p).filter(v -> !v.isNull());
        if (s.isPresent()) {
          return s;
        }
      }
      return Optional.empty();
    }

    /** The scalar at a dotted path, resolved; empty when the path is not written as a scalar. */
    Optional<Setting> setting(String path) {
      List<String> parts = List.of(path.split("\\."));
      Optional<Entry> e = entryAt(parts);
      if (e.isEmpty() || !(e.get().value() instanceof ScalarNode s)) {
        return Optional.empty();
      }
      List<String> used = new ArrayList<>();
      String text = s.value();
      boolean quoted = s.quoted();
      if (text != null && text.contains("${")) {
        String resolved = resolve(text, parts.subList(0, parts.size() - 1), 0, new HashSet<>(), used);
        if (resolved != null) {
          text = resolved;
          quoted = false;
        }
      }
      if (!used.isEmpty()) {
        notes.put(path, String.join("; ", used));
      }
      return Optional.of(new Setting(e.get().name(), text, quoted, e.get().key().range(), s.range()));
    }

    /** What reading `path` assumed (an environment variable's default), or null. */
    String note(String path) {
      return notes.get(path);
    }

    /** The text with every interpolation replaced, or null when one of them cannot be resolved. */
    private String resolve(String text, List<String> base, int depth, Set<String> visiting, List<String> used) {
      if (depth > MAX_DEPTH) {
        return null;
      }
      String out = text;
      for (int i = 0; i < 64 && out.contains("${"); i++) {
        Matcher m = INNERMOST.matcher(out);
        if (!m.find()) {
          return null;
        }
        String value = evaluate(m.group(1).trim(), base, depth, visiting, used);
        if (value == null) {
          return null;
        }
        out = out.substring(0, m.start()) + value + out.substring(m.end());
      }
      return out.contains("${") ? null : out;
    }

    private String evaluate(String expr, List<String> base, int depth, Set<String> visiting, List<String> used) {
      Matcher call = RESOLVER_CALL.matcher(expr);
      if (call.matches()) {
        String name = call.group(1);
        String args = call.group(2);
        int comma = args.indexOf(',');
        String first = (comma < 0 ? args : args.substring(0, comma)).trim();
        String fallback = comma < 0 ? null : unquote(args.substring(comma + 1).trim());
        if (name.equals("oc.env") || name.equals("env")) {
          if (fallback == null) {
            return null;
          }
          used.add("${" + name + ":" + first + "} taken as its default '" + fallback + "' written in the file "
              + "(the environment is not read)");
          return fallback;
        }
        if (name.equals("oc.select")) {
          String selected = path(first, base, depth, visiting, used);
          return selected != null ? selected : fallback;
        }
        return null; // now, oc.decode, multiply, custom resolvers: unknown
      }
      return path(expr, base, depth, visiting, used);
    }

    /** A path reference (absolute, or relative with leading dots) to a scalar, resolved in turn. */
    private String path(String expr, List<String> base, int depth, Set<String> visiting, List<String> used) {
      if (expr.isEmpty() || expr.contains("[") || expr.contains(" ")) {
        return null;
      }
      List<String> parts = new ArrayList<>();
      int dots = 0;
      while (dots < expr.length() && expr.charAt(dots) == '.') {
        dots++;
      }
      if (dots > 0) {
        int keep = base.size() - (dots - 1);
        if (keep < 0) {
          return null;
        }
        parts.addAll(base.subList(0, keep));
      }
      String rest = expr.substring(dots);
      if (rest.isEmpty()) {
        return null;
      }
      parts.addAll(List.of(rest.split("\\.")));
      String key = String.join(".", parts);
      if (!visiting.add(key)) {
        return null; // a cycle
      }
      try {
        Optional<Entry> e = entryAt(parts);
        if (e.isEmpty() || !(e.get().value() instanceof ScalarNode s) || s.isNull()) {
          return null;
        }
        String text = s.value();
        if (text.equals("???")) {
          return null;
        }
        return text.contains("${") ? resolve(text, parts.subList(0, parts.size() - 1), depth + 1, visiting, used) : text;
      } finally {
        visiting.remove(key);
      }
    }

    private static String unquote(String s) {
      if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
        return s.substring(1, s.length() - 1);
      }
      return s;
    }
  }
}
