package dev.carbonlens.extract;

import dev.carbonlens.model.Checkpointing;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.FineTuning;
import dev.carbonlens.model.Logging;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Workload;
import dev.carbonlens.reference.ReferenceData;
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
    boolean earlyStopping = s.has("early_stopping_patience") || s.isTrue("early_stopping")
        || s.has("early_stopping_threshold");
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
    if (value.equals("steps") && steps == null) {
      steps = DEFAULT_SAVE_STEPS;
    }
    SourceRange where = every.map(Setting::range).or(() -> strategy.map(Setting::range)).orElse(anchor);
    return new Checkpointing(value, steps, s.intValue("save_total_limit"), where);
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
    if (rank != null) {
      Setting r = s.first("lora_r", "lora_rank", "r").get();
      return new FineTuning(fourBit ? "qlora" : "lora", rank, r.range());
    }
    return null;
  }
}
