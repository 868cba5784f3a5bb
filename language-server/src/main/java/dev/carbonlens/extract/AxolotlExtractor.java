package dev.carbonlens.extract;

import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.AcceleratorChoice;
import dev.carbonlens.model.Checkpointing;
import dev.carbonlens.model.CloudChoice;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.FineTuning;
import dev.carbonlens.model.Logging;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.StatedDuration;
import dev.carbonlens.model.Workload;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Axolotl training configs (`base_model`, `adapter: lora|qlora`, `micro_batch_size`, `sequence_len`,
 * `num_epochs`, `evals_per_epoch`, ...) and Axolotl's cloud launcher configs (`gpu: h100`,
 * `gpu_count`, `timeout`). The transformers keys they share with TrainingArguments are read as such;
 * Axolotl's own defaults fill the rest: `bf16: auto`, 1 epoch, micro-batch 1, a checkpoint every
 * epoch with the last 4 kept, and no evaluation without a validation split.
 */
public final class AxolotlExtractor implements ConfigExtractor {
  /** Keys only Axolotl writes (transformers, TRL and LLaMA-Factory have other names for them). */
  static final Set<String> AXOLOTL_KEYS = Set.of(
      "sequence_len", "micro_batch_size", "sample_packing", "num_epochs", "val_set_size", "dataset_prepared_path",
      "pretraining_dataset", "evals_per_epoch", "saves_per_epoch", "pad_to_sequence_len", "tokenizer_type",
      "special_tokens", "lora_target_linear", "adapter", "lora_model_dir", "eval_sample_packing", "flash_attention",
      "unfrozen_parameters", "train_on_inputs", "wandb_project", "wandb_entity", "wandb_watch", "wandb_log_model",
      "lr_scheduler", "base_model_config", "chat_template", "dp_shard_size", "fsdp_version", "plugins");
  /** Keys of `axolotl cloud` launcher configs (Modal). */
  static final Set<String> CLOUD_KEYS = Set.of(
      "gpu_count", "timeout", "memory", "timeout_preprocess", "memory_preprocess", "dockerfile_commands",
      "branch", "docker_tag", "volumes", "secrets", "project_name", "env", "spot");
  /** Axolotl's defaults (its config schema and trainer builder). */
  static final double DEFAULT_EPOCHS = 1.0;
  static final int DEFAULT_SAVE_TOTAL_LIMIT = 4;
  static final int DEFAULT_MICRO_BATCH = 1;

  @Override
  public String format() {
    return "axolotl";
  }

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    return isTrainingConfig(root) || isCloudConfig(root);
  }

  private static boolean isTrainingConfig(MappingNode root) {
    boolean model = Keys.scalar(root, "base_model").isPresent() || root.containsKey("base_model_config");
    return model && Keys.countKnown(root, AXOLOTL_KEYS) >= 2;
  }

  /** `gpu` with Axolotl's launcher keys: the preprocess settings, or a count plus one more of its keys. */
  private static boolean isCloudConfig(MappingNode root) {
    if (Keys.scalar(root, "gpu").isEmpty() || root.containsKey("resources") || root.containsKey("run")) {
      return false;
    }
    boolean modal = Keys.text(root, "provider").map(p -> p.trim().equalsIgnoreCase("modal")).orElse(false);
    boolean preprocess = root.containsKey("timeout_preprocess") || root.containsKey("memory_preprocess")
        || root.containsKey("dockerfile_commands");
    return modal || preprocess || (root.containsKey("gpu_count") && Keys.countKnown(root, CLOUD_KEYS) >= 3);
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    SourceRange anchor = anchorOf(root);
    if (!isTrainingConfig(root) && isCloudConfig(root)) {
      return List.of(cloudRun(context, root, documentIndex, anchor));
    }
    ReferenceData reference = context.reference();
    Settings s = Settings.of(root);
    boolean pretraining = root.containsKey("pretraining_dataset");
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), pretraining ? Stage.TRAINING : Stage.FINE_TUNING,
        anchor);
    run.precision(precision(s, anchor));
    run.schedule(schedule(s, anchor));
    Evaluation evaluation = evaluation(root, s, anchor);
    if (evaluation != null) {
      run.evaluation(evaluation);
    }
    run.checkpointing(checkpointing(s, anchor));
    run.workload(new Workload(null, null, s.intValue("sequence_len"),
        Optional.ofNullable(s.intValue("micro_batch_size")).orElse(DEFAULT_MICRO_BATCH),
        s.intValue("gradient_accumulation_steps")));
    s.first("logging_steps").filter(l -> l.longOrNull() != null)
        .ifPresent(l -> run.logging(new Logging(l.longOrNull(), l.range())));
    FineTuning fineTuning = fineTuning(root, s, anchor, pretraining);
    if (fineTuning != null) {
      run.fineTuning(fineTuning);
    }
    s.first("base_model").map(m -> FineTuneModelNames.choice(reference, m)).ifPresent(run::model);
    devices(s).ifPresent(run::devices);
    // gradient_checkpointing, tf32, push_to_hub/hub_strategy, load_best_model_at_end... are transformers keys.
    TrainingArguments.options(s, run);
    // Axolotl pushes to the Hub whenever `hub_model_id` is set (its trainer builder sets push_to_hub).
    if (run.option(Options.PUSH_TO_HUB) == null) {
      s.first("hub_model_id").ifPresent(h -> run.option(Options.PUSH_TO_HUB, "true", h.range()));
    }
    return List.of(new ExtractedRun(run.build(), fixes(context.editor(), root)));
  }

  /** The first key written in the file itself (not one merged in through `<<`). */
  static SourceRange anchorOf(MappingNode root) {
    return root.entries().stream().filter(e -> !e.inherited()).findFirst()
        .or(() -> root.entries().stream().findFirst())
        .map(e -> e.key().range()).orElse(root.range());
  }

  /** bf16 (true, auto, full), fp16, the non-AMP bfloat16/float16, fp8; nothing written means `bf16: auto`. */
  static PrecisionChoice precision(Settings s, SourceRange anchor) {
    Optional<Setting> fp8 = s.first("fp8");
    if (fp8.isPresent() && fp8.get().isTrue()) {
      return new PrecisionChoice(Precision.FP8, true, fp8.get().range());
    }
    Optional<Setting> bf16 = s.first("bf16");
    if (bf16.isPresent() && (bf16.get().isTrue() || bf16.get().lower().equals("auto") || bf16.get().lower().equals("full"))) {
      return new PrecisionChoice(Precision.BF16, true, bf16.get().range());
    }
    Optional<Setting> bfloat16 = s.first("bfloat16");
    if (bfloat16.isPresent() && bfloat16.get().isTrue()) {
      return new PrecisionChoice(Precision.BF16, true, bfloat16.get().range());
    }
    for (String key : List.of("fp16", "float16")) {
      Optional<Setting> half = s.first(key);
      if (half.isPresent() && half.get().isTrue()) {
        return new PrecisionChoice(Precision.FP16, true, half.get().range());
      }
    }
    if (bf16.isPresent()) {
      // `bf16: false` (and no fp16): full fp32, with tf32 matmuls at most.
      return new PrecisionChoice(Precision.FP32, true, bf16.get().range());
    }
    Optional<Setting> fp32 = s.first("float32");
    if (fp32.isPresent() && fp32.get().isTrue()) {
      return new PrecisionChoice(Precision.FP32, true, fp32.get().range());
    }
    return new PrecisionChoice(Precision.BF16, false, anchor);
  }

  static Schedule schedule(Settings s, SourceRange anchor) {
    Optional<Setting> epochs = s.first("num_epochs");
    Optional<Setting> steps = s.first("max_steps");
    Double epochCount = epochs.map(Setting::doubleOrNull).orElse(null);
    Long maxSteps = steps.map(Setting::longOrNull).filter(v -> v > 0).orElse(null);
    boolean earlyStopping = s.first("early_stopping_patience").isPresent();
    return new Schedule(epochCount == null ? DEFAULT_EPOCHS : epochCount, epochCount != null,
        epochCount == null ? anchor : epochs.get().range(), maxSteps,
        maxSteps == null ? null : steps.get().range(), earlyStopping);
  }

  /**
   * Axolotl evaluates only with a validation split (`val_set_size` > 0) or `test_datasets`; then every
   * `eval_steps` (a count, or a fraction of an epoch) or `evals_per_epoch` times an epoch.
   */
  static Evaluation evaluation(MappingNode root, Settings s, SourceRange anchor) {
    Optional<Setting> strategy = s.first("eval_strategy", "evaluation_strategy");
    Optional<Setting> valSize = s.first("val_set_size");
    boolean hasSplit = valSize.map(v -> v.doubleOrNull() != null && v.doubleOrNull() > 0).orElse(false)
        || root.containsKey("test_datasets");
    if (!hasSplit) {
      return new Evaluation("no", null, valSize.map(Setting::range).orElse(anchor));
    }
    Optional<Setting> steps = s.first("eval_steps");
    if (steps.isPresent() && steps.get().doubleOrNull() != null && steps.get().doubleOrNull() > 0) {
      Long every = steps.get().longOrNull();
      // A fraction (0.25) is a share of an epoch: steps, but how many depends on the data.
      return new Evaluation("steps", every != null && every >= 1 ? every : null, steps.get().range());
    }
    Optional<Setting> perEpoch = s.first("evals_per_epoch");
    if (perEpoch.isPresent() && perEpoch.get().longOrNull() != null && perEpoch.get().longOrNull() > 0) {
      return new Evaluation(perEpoch.get().longOrNull() == 1 ? "epoch" : "steps", null, perEpoch.get().range());
    }
    if (strategy.isPresent()) {
      return new Evaluation(strategy.get().lower(), null, strategy.get().range());
    }
    return null;
  }

  /** `save_steps`, `save_strategy` or `saves_per_epoch`; by default a checkpoint each epoch, the last 4 kept. */
  static Checkpointing checkpointing(Settings s, SourceRange anchor) {
    Integer limit = s.intValue("save_total_limit");
    Integer keep = limit == null || limit <= 0 ? Integer.valueOf(DEFAULT_SAVE_TOTAL_LIMIT) : limit;
    Optional<Setting> steps = s.first("save_steps");
    if (steps.isPresent() && steps.get().doubleOrNull() != null && steps.get().doubleOrNull() > 0) {
      Long every = steps.get().longOrNull();
      return new Checkpointing("steps", every != null && every >= 1 ? every : null, keep, steps.get().range());
    }
    Optional<Setting> strategy = s.first("save_strategy");
    if (strategy.isPresent()) {
      return new Checkpointing(strategy.get().lower(), null, keep, strategy.get().range());
    }
    Optional<Setting> perEpoch = s.first("saves_per_epoch");
    if (perEpoch.isPresent() && perEpoch.get().longOrNull() != null && perEpoch.get().longOrNull() > 0) {
      return new Checkpointing(perEpoch.get().longOrNull() == 1 ? "epoch" : "steps", null, keep,
          perEpoch.get().range());
    }
    return new Checkpointing("epoch", null, keep, anchor);
  }

  /**
   * `adapter: lora|qlora` (qlora also as lora + `load_in_4bit`); `unfrozen_parameters` trains some layers only;
   * no adapter is a full fine-tune. Continued pretraining without an adapter is not a fine-tuning method.
   */
  static FineTuning fineTuning(MappingNode root, Settings s, SourceRange anchor, boolean pretraining) {
    Optional<Setting> adapter = s.first("adapter");
    if (adapter.isPresent()) {
      return TrainingArguments.fineTuning(s);
    }
    if (pretraining) {
      return null;
    }
    Optional<Entry> unfrozen = root.entry("unfrozen_parameters");
    if (unfrozen.isPresent() && unfrozen.get().value() instanceof SequenceNode seq && seq.size() > 0) {
      return new FineTuning("freeze", null, unfrozen.get().key().range());
    }
    return new FineTuning("full", null, anchor);
  }

  /** dp_shard_size x dp_replicate_size x tensor_parallel_size x context_parallel_size, when stated. */
  static Optional<DeviceCount> devices(Settings s) {
    List<String> names = List.of("dp_shard_size", "dp_replicate_size", "tensor_parallel_size", "context_parallel_size");
    long product = 1;
    List<String> how = new ArrayList<>();
    SourceRange where = null;
    for (String name : names) {
      Optional<Setting> v = s.first(name);
      if (v.isEmpty()) {
        continue;
      }
      Long n = v.get().longOrNull();
      if (n == null || n < 1) {
        return Optional.empty(); // -1 / auto: the world size decides
      }
      product *= n;
      how.add(n + " (" + name + ")");
      where = where == null ? v.get().range() : where;
    }
    if (where == null) {
      return Optional.empty();
    }
    return DeviceCount.of(product, 1, String.join(" x ", how), where);
  }

  /** `axolotl cloud` config: the GPU type and count it rents, and its timeout as a stated duration. */
  private ExtractedRun cloudRun(ExtractionContext context, MappingNode root, int documentIndex, SourceRange anchor) {
    Settings s = Settings.of(root);
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.FINE_TUNING, anchor);
    Setting gpu = s.first("gpu").orElseThrow();
    String written = gpu.text().trim();
    int colon = written.indexOf(':');
    String type = colon > 0 ? written.substring(0, colon) : written;
    Integer inlineCount = colon > 0 ? gpuCount(written.substring(colon + 1)) : null;
    Optional<Setting> count = s.first("gpu_count");
    context.reference().accelerator(type).ifPresent(spec -> {
      run.accelerator(new AcceleratorChoice(spec, written, gpu.range()));
      long perNode = count.map(Setting::longOrNull).orElse(inlineCount == null ? 1L : inlineCount);
      String how = count.isPresent() ? perNode + " (gpu_count)" : perNode + " (gpu" + (inlineCount == null ? ", gpu_count unset: 1)" : ")");
      DeviceCount.of(perNode, 1, how, count.map(Setting::range).orElse(gpu.range())).ifPresent(run::devices);
    });
    s.first("timeout").filter(t -> t.doubleOrNull() != null && t.doubleOrNull() > 0)
        .ifPresent(t -> run.duration(new StatedDuration(t.doubleOrNull() / 3600.0, t.range())));
    s.first("provider").ifPresent(p -> run.cloud(new CloudChoice(p.lower(), p.range())));
    return new ExtractedRun(run.build(), FixWriter.NONE);
  }

  /** The count of `h100:2`. */
  private static Integer gpuCount(String text) {
    try {
      int n = Integer.parseInt(text.trim());
      return n > 0 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Evaluations without improvement before training stops (transformers' EarlyStoppingCallback patience). */
  static final int EARLY_STOPPING_PATIENCE = 3;

  /**
   * Axolotl accepts `early_stopping_patience` only with a validation split and whole `save_steps` and
   * `eval_steps`, the one a multiple of the other (its config validation); then it loads the best model.
   */
  static boolean canStopEarly(MappingNode root) {
    Settings s = Settings.of(root);
    boolean split = s.first("val_set_size").map(v -> v.doubleOrNull() != null && v.doubleOrNull() > 0).orElse(false)
        || root.containsKey("test_datasets");
    Long save = s.longValue("save_steps");
    Long eval = s.longValue("eval_steps");
    return split && save != null && eval != null && save > 0 && eval > 0 && save % eval == 0;
  }

  private static FixWriter fixes(ConfigEditor editor, MappingNode root) {
    return change -> {
      List<TextEdit> edits = new ArrayList<>();
      if (change instanceof ProposedChange.UsePrecision p && p.precision() == Precision.BF16) {
        // `auto` where nothing is written (bf16 where the GPU has it); `true` over an explicit false.
        edits.add(editor.set(root, "bf16", root.containsKey("bf16") ? (Object) Boolean.TRUE : "auto"));
        for (String half : List.of("fp16", "float16")) {
          if (Keys.isTrue(root, half) || Keys.text(root, half).map(t -> t.trim().equalsIgnoreCase("true")).orElse(false)) {
            edits.add(editor.set(root, half, false));
          }
        }
      } else if (change instanceof ProposedChange.UsePrecision p && p.precision() == Precision.FP16) {
        edits.add(editor.set(root, "fp16", true));
        if (root.containsKey("bf16")) {
          edits.add(editor.set(root, "bf16", false));
        }
      } else if (change instanceof ProposedChange.EvaluateEvery e) {
        // eval_steps and evals_per_epoch are mutually exclusive in Axolotl: replace the one with the other.
        Optional<Entry> perEpoch = root.entry("evals_per_epoch").filter(x -> !x.inherited())
            .filter(x -> x.value() instanceof ScalarNode v && !v.isNull());
        if (perEpoch.isPresent() && !root.containsKey("eval_steps")) {
          edits.add(new TextEdit(perEpoch.get().range(), "eval_steps: " + e.steps()));
        } else {
          edits.add(editor.set(root, "eval_steps", e.steps()));
        }
      } else if (change instanceof ProposedChange.KeepCheckpoints k) {
        edits.add(editor.set(root, "save_total_limit", k.keepLast()));
      } else if (change instanceof ProposedChange.SetOption o) {
        TrainingArguments.setOption(editor, root, o).ifPresent(edits::add);
      } else if (change instanceof ProposedChange.UseLora l && !root.containsKey("adapter")) {
        edits.add(editor.set(root, "adapter", "lora"));
        edits.add(editor.set(root, "lora_r", l.rank()));
        if (!root.containsKey("lora_alpha")) {
          edits.add(editor.set(root, "lora_alpha", 2 * l.rank()));
        }
        if (!root.containsKey("lora_target_modules") && !root.containsKey("lora_target_linear")) {
          edits.add(editor.set(root, "lora_target_linear", true));
        }
      } else if (change instanceof ProposedChange.UseLoraRank r) {
        edits.addAll(TrainingArguments.loraRank(editor, root, r.rank()));
      } else if (change instanceof ProposedChange.AddEarlyStopping && canStopEarly(root)) {
        edits.add(editor.set(root, "early_stopping_patience", EARLY_STOPPING_PATIENCE));
      }
      return edits.isEmpty() ? Optional.empty() : Optional.of(new Fix(change.title(), List.copyOf(edits)));
    };
  }
}
