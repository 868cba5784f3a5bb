package dev.carbonlens.extract;

import dev.carbonlens.model.Checkpointing;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.FineTuning;
import dev.carbonlens.model.Logging;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Workload;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Hugging Face TrainingArguments (and the model/data arguments beside them) read from any
 * {@link Settings}: a YAML/JSON file, or the flags of a launch command (`--num_train_epochs 30
 * --fp16`). Formats built on transformers (Axolotl, LLaMA-Factory, TRL recipes) reuse it.
 * With `defaults` the transformers defaults fill what is not written (3 epochs, fp32, save every
 * 500 steps); without, only what is written is read.
 */
public final class TrainingArguments {
  static final Set<String> KEYS = Set.of(
      "output_dir", "num_train_epochs", "max_steps", "per_device_train_batch_size",
      "per_device_eval_batch_size", "gradient_accumulation_steps", "learning_rate", "weight_decay",
      "warmup_ratio", "warmup_steps", "lr_scheduler_type", "eval_strategy", "evaluation_strategy",
      "eval_steps", "save_strategy", "save_steps", "save_total_limit", "logging_steps",
      "logging_strategy", "bf16", "fp16", "tf32", "gradient_checkpointing", "do_train", "do_eval",
      "report_to", "push_to_hub", "hub_model_id", "optim", "adam_beta1", "adam_beta2",
      "load_best_model_at_end", "metric_for_best_model", "overwrite_output_dir", "seed");
  static final double DEFAULT_EPOCHS = 3.0;
  static final long DEFAULT_SAVE_STEPS = 500;
  static final long DEFAULT_EVAL_STEPS = 500;

  private TrainingArguments() {}

  /** Reads every fact these settings state into the run; `anchor` is where unwritten settings would go. */
  public static void read(Settings s, SourceRange anchor, boolean defaults, ReferenceData reference, Run.Builder run) {
    PrecisionChoice precision = precision(s, anchor, defaults);
    if (precision != null) {
      run.precision(precision);
    }
    Schedule schedule = schedule(s, anchor, defaults);
    if (schedule != null) {
      run.schedule(schedule);
    }
    Evaluation evaluation = evaluation(s);
    if (evaluation != null) {
      run.evaluation(evaluation);
    }
    Checkpointing checkpointing = checkpointing(s, anchor, defaults);
    if (checkpointing != null) {
      run.checkpointing(checkpointing);
    }
    Workload workload = workload(s, defaults);
    if (workload != null) {
      run.workload(workload);
    }
    s.first("logging_steps").map(l -> new Logging(l.longOrNull(), l.range())).ifPresent(run::logging);
    FineTuning fineTuning = fineTuning(s);
    if (fineTuning != null) {
      run.fineTuning(fineTuning);
    }
    model(s, reference).ifPresent(run::model);
    options(s, run);
  }

  /** GLUE and other widely used text-classification datasets (Hub ids and the names written in task_name). */
  static final Set<String> CLASSIFICATION_DATASETS = Set.of(
      "sst2", "sst-2", "imdb", "cola", "mrpc", "qqp", "mnli", "qnli", "rte", "wnli", "ag_news", "yelp_review_full",
      "yelp_polarity", "emotion", "tweet_eval", "amazon_polarity", "dair-ai/emotion", "stanfordnlp/imdb",
      "stanfordnlp/sst2", "fancyzhx/ag_news", "fancyzhx/amazon_polarity", "yelp/yelp_review_full",
      "cardiffnlp/tweet_eval", "sh0416/ag_news");

  /**
   * The named options ({@link Options}) these settings state: gradient checkpointing, data-loader workers,
   * TF32, Hub pushing and its strategy, best-model tracking, and evidence of a classification task.
   * Only written values are read (transformers' defaults are left to the rules that know them).
   */
  static void options(Settings s, Run.Builder run) {
    s.first("gradient_checkpointing", "enable_activation_checkpointing")
        .filter(g -> g.asBoolean().isPresent())
        .ifPresent(g -> run.option(Options.GRADIENT_CHECKPOINTING, String.valueOf(g.isTrue()), g.range()));
    s.first("dataloader_num_workers").filter(w -> w.longOrNull() != null)
        .ifPresent(w -> run.option(Options.DATALOADER_WORKERS, String.valueOf(w.longOrNull()), w.range()));
    s.first("tf32").filter(t -> t.asBoolean().isPresent())
        .ifPresent(t -> run.option(Options.TF32, String.valueOf(t.isTrue()), t.range()));
    s.first("push_to_hub").filter(p -> p.asBoolean().isPresent())
        .ifPresent(p -> run.option(Options.PUSH_TO_HUB, String.valueOf(p.isTrue()), p.range()));
    s.first("hub_strategy")
        .ifPresent(h -> run.option(Options.HUB_STRATEGY, h.lower(), h.range()));
    s.first("load_best_model_at_end").filter(b -> b.asBoolean().isPresent())
        .ifPresent(b -> run.option(Options.TRACKS_BEST_MODEL, String.valueOf(b.isTrue()), b.range()));
    classification(s).ifPresent(c -> run.option(Options.CLASSIFICATION, c.text().trim(), c.range()));
  }

  /** `num_labels` (a count of 2 or more), or a task / dataset name that is a text-classification set. */
  static Optional<Setting> classification(Settings s) {
    Optional<Setting> labels = s.first("num_labels").filter(n -> n.longOrNull() != null && n.longOrNull() >= 2);
    if (labels.isPresent()) {
      return labels;
    }
    for (String key : new String[] {"task_name", "dataset_name", "dataset"}) {
      Optional<Setting> named = s.first(key).filter(d -> CLASSIFICATION_DATASETS.contains(d.lower()));
      if (named.isPresent()) {
        return named;
      }
    }
    return Optional.empty();
  }

  static Optional<dev.carbonlens.model.ModelChoice> model(Settings s, ReferenceData reference) {
    return s.first("model_name_or_path", "model_name", "model_id", "base_model", "pretrained_model_name_or_path")
        .map(m -> Models.choice(reference, m));
  }

  static PrecisionChoice precision(Settings s, SourceRange anchor, boolean defaults) {
    Optional<Setting> bf16 = s.get("bf16").filter(v -> !v.isNull());
    Optional<Setting> fp16 = s.get("fp16").filter(v -> !v.isNull());
    // `auto` (Axolotl) means bf16 where the GPU has it; `pure_bf16` is LLaMA-Factory's bf16 without AMP.
    if (bf16.isPresent() && (bf16.get().isTrue() || bf16.get().lower().equals("auto"))) {
      return new PrecisionChoice(Precision.BF16, true, bf16.get().range());
    }
    Optional<Setting> pure = s.get("pure_bf16");
    if (pure.isPresent() && pure.get().isTrue()) {
      return new PrecisionChoice(Precision.BF16, true, pure.get().range());
    }
    if (fp16.isPresent() && (fp16.get().isTrue() || fp16.get().lower().equals("auto"))) {
      return new PrecisionChoice(Precision.FP16, true, fp16.get().range());
    }
    Optional<Setting> mixed = s.first("mixed_precision");
    if (mixed.isPresent()) {
      String m = mixed.get().lower();
      if (m.equals("bf16")) {
        return new PrecisionChoice(Precision.BF16, true, mixed.get().range());
      }
      if (m.equals("fp16")) {
        return new PrecisionChoice(Precision.FP16, true, mixed.get().range());
      }
      if (m.equals("fp8")) {
        return new PrecisionChoice(Precision.FP8, true, mixed.get().range());
      }
      if (m.equals("no")) {
        return new PrecisionChoice(Precision.FP32, true, mixed.get().range());
      }
    }
    // Weights loaded in 16 bits without AMP still train in that precision.
    Optional<Setting> dtype = s.first("torch_dtype", "dtype");
    if (dtype.isPresent()) {
      String value = dtype.get().lower();
      if (value.contains("bfloat16") || value.equals("bf16")) {
        return new PrecisionChoice(Precision.BF16, true, dtype.get().range());
      }
      if (value.contains("float16") || value.equals("fp16") || value.equals("half")) {
        return new PrecisionChoice(Precision.FP16, true, dtype.get().range());
      }
      if (value.contains("float32") || value.equals("fp32")) {
        return new PrecisionChoice(Precision.FP32, true, dtype.get().range());
      }
    }
    if (!defaults) {
      return null;
    }
    SourceRange where = bf16.map(Setting::range).or(() -> fp16.map(Setting::range)).orElse(anchor);
    return new PrecisionChoice(Precision.FP32, bf16.isPresent() || fp16.isPresent(), where);
  }

  static Schedule schedule(Settings s, SourceRange anchor, boolean defaults) {
    Optional<Setting> epochs = s.first("num_train_epochs", "num_epochs", "epochs");
    Optional<Setting> steps = s.first("max_steps");
    Double epochCount = epochs.map(Setting::doubleOrNull).orElse(null);
    Long maxSteps = steps.map(Setting::longOrNull).orElse(null);
    if (!defaults && epochCount == null && maxSteps == null) {
      return null;
    }
    // `early_stopping_steps` is LLaMA-Factory's patience (it adds transformers' EarlyStoppingCallback).
    boolean earlyStopping = s.has("early_stopping_patience") || s.isTrue("early_stopping")
        || s.has("early_stopping_threshold") || s.first("early_stopping_steps").isPresent();
    return new Schedule(
        epochCount == null ? (defaults ? DEFAULT_EPOCHS : 0.0) : epochCount,
        epochCount != null,
        epochs.map(Setting::range).orElse(anchor),
        maxSteps,
        steps.map(Setting::range).orElse(null),
        earlyStopping);
  }

  static Evaluation evaluation(Settings s) {
    Optional<Setting> strategy = s.first("eval_strategy", "evaluation_strategy");
    if (strategy.isEmpty()) {
      Optional<Setting> every = s.first("eval_steps");
      if (every.isPresent() && every.get().longOrNull() != null && !s.has("do_eval")) {
        return new Evaluation("steps", every.get().longOrNull(), every.get().range());
      }
      return s.get("do_eval").filter(Setting::isTrue).map(d -> new Evaluation("epoch", null, d.range())).orElse(null);
    }
    String value = strategy.get().lower();
    if (!value.equals("steps")) {
      return new Evaluation(value, null, strategy.get().range());
    }
    Optional<Setting> every = s.first("eval_steps");
    if (isFraction(every)) {
      // `eval_steps: 0.1` is a share of the total steps: how many depends on the data.
      return new Evaluation("steps", null, every.get().range());
    }
    Long steps = s.longValue("eval_steps", "logging_steps");
    return new Evaluation("steps", steps == null ? DEFAULT_EVAL_STEPS : steps,
        every.map(Setting::range).orElse(strategy.get().range()));
  }

  static Checkpointing checkpointing(Settings s, SourceRange anchor, boolean defaults) {
    Optional<Setting> strategy = s.first("save_strategy");
    Optional<Setting> every = s.first("save_steps");
    if (!defaults && strategy.isEmpty() && every.isEmpty()) {
      return null;
    }
    String value = strategy.map(Setting::lower).orElse("steps");
    Long steps = value.equals("steps") ? every.map(Setting::longOrNull).orElse(null) : null;
    // `save_steps: 0.05` is a share of the total steps (a save every 5 %): by steps, count unknown.
    if (value.equals("steps") && steps == null && !isFraction(every)) {
      steps = DEFAULT_SAVE_STEPS;
    }
    SourceRange where = every.map(Setting::range).or(() -> strategy.map(Setting::range)).orElse(anchor);
    return new Checkpointing(value, steps, s.intValue("save_total_limit"), where);
  }

  /** A value between 0 and 1: transformers reads `eval_steps` / `save_steps` / `logging_steps` below 1 as a ratio. */
  static boolean isFraction(Optional<Setting> setting) {
    Double v = setting.map(Setting::doubleOrNull).orElse(null);
    return v != null && v > 0 && v < 1;
  }

  static Workload workload(Settings s, boolean defaults) {
    Integer perDevice = s.intValue("per_device_train_batch_size", "micro_batch_size", "batch_size");
    Integer accumulation = s.intValue("gradient_accumulation_steps");
    Integer sequence = s.intValue("max_seq_length", "max_length", "block_size", "model_max_length", "cutoff_len",
        "sequence_len", "max_seq_len");
    Long trainSamples = s.longValue("max_train_samples", "max_samples");
    Long evalSamples = s.longValue("max_eval_samples");
    if (!defaults && perDevice == null && accumulation == null && sequence == null && trainSamples == null) {
      return null;
    }
    return new Workload(trainSamples, evalSamples, sequence, perDevice == null && defaults ? Integer.valueOf(8) : perDevice,
        accumulation);
  }

  /**
   * Full fine-tuning or a parameter-efficient method: PEFT/TRL (`use_peft`, `lora_r`, `load_in_4bit`),
   * LLaMA-Factory (`finetuning_type`, `quantization_bit`), Axolotl (`adapter: lora|qlora`).
   */
  static FineTuning fineTuning(Settings s) {
    Integer rank = s.intValue("lora_r", "lora_rank", "r");
    Optional<Setting> type = s.first("finetuning_type", "adapter", "peft_type");
    boolean fourBit = s.isTrue("load_in_4bit") || s.first("quantization_bit").map(q -> "4".equals(q.text().trim())).orElse(false);
    if (type.isPresent()) {
      String t = type.get().lower();
      String method = switch (t) {
        case "lora" -> fourBit ? "qlora" : "lora";
        case "qlora" -> "qlora";
        case "full" -> "full";
        case "freeze" -> "freeze";
        default -> t.contains("lora") ? "lora" : "adapter";
      };
      return new FineTuning(method, rank, type.get().range());
    }
    Optional<Setting> peft = s.first("use_peft", "peft");
    if (peft.isPresent() && peft.get().isTrue()) {
      return new FineTuning(fourBit ? "qlora" : "lora", rank, peft.get().range());
    }
    if (peft.isPresent() && peft.get().asBoolean().equals(Optional.of(false))) {
      // TRL's `use_peft: false`: every weight is trained, whatever LoRA settings sit beside it.
      return new FineTuning("full", null, peft.get().range());
    }
    if (rank != null) {
      Setting r = s.first("lora_r", "lora_rank", "r").get();
      return new FineTuning(fourBit ? "qlora" : "lora", rank, r.range());
    }
    return null;
  }

  /** The transformers key each settable option is written as. */
  static final java.util.Map<String, String> OPTION_KEYS = java.util.Map.of(
      Options.TF32, "tf32",
      Options.GRADIENT_CHECKPOINTING, "gradient_checkpointing",
      Options.HUB_STRATEGY, "hub_strategy",
      Options.DATALOADER_WORKERS, "dataloader_num_workers",
      "logging_steps", "logging_steps");

  /**
   * The edit that writes a {@link dev.carbonlens.engine.ProposedChange.SetOption} as its transformers key
   * (`tf32: true`, `hub_strategy: end`), or empty when the option has no key in these arguments.
   */
  static Optional<TextEdit> setOption(ConfigEditor editor, dev.carbonlens.document.MappingNode args,
      dev.carbonlens.engine.ProposedChange.SetOption change) {
    String key = OPTION_KEYS.get(change.name());
    if (key == null) {
      return Optional.empty();
    }
    return Optional.of(editor.set(args, key, typed(change.value())));
  }

  /** `true` / `false` as booleans, whole numbers as numbers, anything else as text. */
  static Object typed(String value) {
    String v = value.trim();
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.valueOf(v);
    }
    if (v.matches("-?\\d+")) {
      return Long.valueOf(v);
    }
    return v;
  }

  /**
   * Writes a smaller LoRA rank into the key that holds it (`lora_r`, `lora_rank` or `r`; `lora_rank` when none is
   * written, as LLaMA-Factory and torchtune name it) and scales a written `lora_alpha` with it, so that the
   * adapters' scaling alpha / r stays what the author tuned.
   */
  static List<TextEdit> loraRank(ConfigEditor editor, dev.carbonlens.document.MappingNode mapping, int rank) {
    Settings s = Settings.of(mapping);
    Optional<Setting> written = s.first("lora_r", "lora_rank", "r");
    String key = written.map(Setting::name).orElse("lora_rank");
    List<TextEdit> edits = new ArrayList<>();
    edits.add(editor.set(mapping, key, rank));
    Integer old = written.map(Setting::intOrNull).orElse(null);
    Double alpha = s.doubleValue("lora_alpha");
    if (old != null && old > 0 && alpha != null && alpha > 0) {
      double scaled = alpha * rank / old;
      edits.add(editor.set(mapping, "lora_alpha", scaled == Math.rint(scaled) ? (Object) Long.valueOf((long) scaled)
          : (Object) Double.valueOf(scaled)));
    }
    return edits;
  }
}
