package dev.carbonlens.extract;

import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Checkpointing;
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
 * Hugging Face TrainingArguments / SFTConfig as JSON or YAML: the flat files that HfArgumentParser
 * reads (model, data and training arguments side by side), as in the transformers examples and the
 * alignment-handbook recipes. Defaults are transformers' own: 3 epochs, fp32, save every 500 steps.
 */
public final class HuggingFaceExtractor implements ConfigExtractor {
  static final Set<String> TRAINING_ARGUMENTS = Set.of(
      "output_dir", "num_train_epochs", "max_steps", "per_device_train_batch_size",
      "per_device_eval_batch_size", "gradient_accumulation_steps", "learning_rate", "weight_decay",
      "warmup_ratio", "warmup_steps", "lr_scheduler_type", "eval_strategy", "evaluation_strategy",
      "eval_steps", "save_strategy", "save_steps", "save_total_limit", "logging_steps",
      "logging_strategy", "bf16", "fp16", "tf32", "gradient_checkpointing", "do_train", "do_eval",
      "report_to", "push_to_hub", "hub_model_id", "optim", "adam_beta1", "adam_beta2",
      "load_best_model_at_end", "metric_for_best_model", "overwrite_output_dir", "seed");
  private static final double DEFAULT_EPOCHS = 3.0;
  private static final long DEFAULT_SAVE_STEPS = 500;
  private static final long DEFAULT_EVAL_STEPS = 500;

  @Override
  public String format() {
    return "huggingface";
  }

  /** Keys that mark a DeepSpeed config, whose fp16/bf16/gradient_accumulation_steps look alike. */
  private static final Set<String> DEEPSPEED_KEYS = Set.of(
      "zero_optimization", "train_micro_batch_size_per_gpu", "train_batch_size", "zero_allow_untested_optimizer");

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    MappingNode args = arguments(root);
    if (Keys.countKnown(root, DEEPSPEED_KEYS) > 0) {
      return false;
    }
    long known = args.entries().stream()
        .filter(e -> TRAINING_ARGUMENTS.contains(e.name()) && !(e.value() instanceof MappingNode))
        .count();
    return known >= 3;
  }

  /** Most files are flat; some nest the arguments under `training_args`. */
  private static MappingNode arguments(MappingNode root) {
    for (String key : List.of("training_args", "training_arguments", "trainer_args")) {
      Optional<MappingNode> nested = root.mapping(key);
      if (nested.isPresent()) {
        return nested.get();
      }
    }
    return root;
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    MappingNode args = arguments(root);
    SourceRange anchor = anchorOf(args);
    Optional<ScalarNode> model = Keys.scalar(root, "model_name_or_path", "model_name", "model_id");
    Stage stage = model.isPresent() ? Stage.FINE_TUNING : Stage.TRAINING;

    Run.Builder run = Run.builder(context.file(), documentIndex, format(), stage, anchor)
        .precision(precision(args, root, anchor))
        .schedule(schedule(args, anchor))
        .evaluation(evaluation(args))
        .checkpointing(checkpointing(args, anchor))
        .workload(new Workload(
            Keys.longValue(root, "max_train_samples"),
            Keys.longValue(root, "max_eval_samples"),
            Keys.intValue(root, "max_seq_length", "max_length", "block_size", "model_max_length", "cutoff_len"),
            Keys.intValue(args, "per_device_train_batch_size") != null
                ? Keys.intValue(args, "per_device_train_batch_size") : Integer.valueOf(8),
            Keys.intValue(args, "gradient_accumulation_steps")));
    model.ifPresent(m -> run.model(Models.choice(context.reference(), m)));
    Run built = run.build();
    return List.of(new ExtractedRun(built, fixes(context.editor(), args)));
  }

  private static SourceRange anchorOf(MappingNode args) {
    return args.entries().isEmpty() ? args.range() : args.entries().get(0).key().range();
  }

  private static PrecisionChoice precision(MappingNode args, MappingNode root, SourceRange anchor) {
    Optional<Entry> bf16 = Keys.scalarEntry(args, "bf16");
    Optional<Entry> fp16 = Keys.scalarEntry(args, "fp16");
    // `auto` (Axolotl) means bf16 where the GPU has it; `pure_bf16` is LLaMA-Factory's bf16 without AMP.
    if (bf16.isPresent() && (Keys.isTrue(args, "bf16") || isAuto(bf16.get()))) {
      return new PrecisionChoice(Precision.BF16, true, bf16.get().range());
    }
    Optional<Entry> pureBf16 = Keys.scalarEntry(args, "pure_bf16");
    if (pureBf16.isPresent() && Keys.isTrue(args, "pure_bf16")) {
      return new PrecisionChoice(Precision.BF16, true, pureBf16.get().range());
    }
    if (fp16.isPresent() && Keys.isTrue(args, "fp16")) {
      return new PrecisionChoice(Precision.FP16, true, fp16.get().range());
    }
    // Weights loaded in 16 bits without AMP still train in that precision.
    Optional<Entry> dtype = Keys.scalarEntry(root, "torch_dtype", "dtype");
    if (dtype.isPresent()) {
      String value = ((ScalarNode) dtype.get().value()).text().toLowerCase(Locale.ROOT);
      if (value.contains("bfloat16") || value.equals("bf16")) {
        return new PrecisionChoice(Precision.BF16, true, dtype.get().range());
      }
      if (value.contains("float16") || value.equals("fp16") || value.equals("half")) {
        return new PrecisionChoice(Precision.FP16, true, dtype.get().range());
      }
    }
    SourceRange where = bf16.map(Entry::range).or(() -> fp16.map(Entry::range)).orElse(anchor);
    boolean stated = bf16.isPresent() || fp16.isPresent();
    return new PrecisionChoice(Precision.FP32, stated, where);
  }

  private static boolean isAuto(Entry entry) {
    return "auto".equalsIgnoreCase(((ScalarNode) entry.value()).text().trim());
  }

  private static Schedule schedule(MappingNode args, SourceRange anchor) {
    Optional<Entry> epochs = Keys.scalarEntry(args, "num_train_epochs");
    Optional<Entry> steps = Keys.scalarEntry(args, "max_steps");
    Double epochCount = Keys.doubleValue(args, "num_train_epochs");
    Long maxSteps = Keys.longValue(args, "max_steps");
    boolean earlyStopping = args.containsKey("early_stopping_patience")
        || Keys.isTrue(args, "early_stopping");
    return new Schedule(
        epochCount == null ? DEFAULT_EPOCHS : epochCount,
        epochCount != null,
        epochs.map(Entry::range).orElse(anchor),
        maxSteps,
        steps.map(Entry::range).orElse(null),
        earlyStopping);
  }

  private static Evaluation evaluation(MappingNode args) {
    Optional<Entry> strategy = Keys.scalarEntry(args, "eval_strategy", "evaluation_strategy");
    if (strategy.isEmpty()) {
      return Keys.isTrue(args, "do_eval") ? new Evaluation("epoch", null, args.entry("do_eval").get().range()) : null;
    }
    String value = ((ScalarNode) strategy.get().value()).text().toLowerCase(Locale.ROOT);
    if (!value.equals("steps")) {
      return new Evaluation(value, null, strategy.get().range());
    }
    Optional<Entry> every = Keys.scalarEntry(args, "eval_steps");
    Long steps = Keys.longValue(args, "eval_steps", "logging_steps");
    return new Evaluation("steps", steps == null ? DEFAULT_EVAL_STEPS : steps,
        every.map(Entry::range).orElse(strategy.get().range()));
  }

  private static Checkpointing checkpointing(MappingNode args, SourceRange anchor) {
    Optional<Entry> strategy = Keys.scalarEntry(args, "save_strategy");
    String value = strategy.map(e -> ((ScalarNode) e.value()).text().toLowerCase(Locale.ROOT)).orElse("steps");
    Optional<Entry> every = Keys.scalarEntry(args, "save_steps");
    Long steps = value.equals("steps") ? Keys.longValue(args, "save_steps") : null;
    if (value.equals("steps") && steps == null) {
      steps = DEFAULT_SAVE_STEPS;
    }
    SourceRange where = every.map(Entry::range).or(() -> strategy.map(Entry::range)).orElse(anchor);
    return new Checkpointing(value, steps, Keys.intValue(args, "save_total_limit"), where);
  }

  private static FixWriter fixes(ConfigEditor editor, MappingNode args) {
    return change -> {
      List<TextEdit> edits = new ArrayList<>();
      if (change instanceof ProposedChange.UsePrecision p && p.precision() == Precision.BF16) {
        edits.add(editor.set(args, "bf16", true));
        if (Keys.isTrue(args, "fp16")) {
          edits.add(editor.set(args, "fp16", false));
        }
      } else if (change instanceof ProposedChange.UsePrecision p && p.precision() == Precision.FP16) {
        edits.add(editor.set(args, "fp16", true));
      } else if (change instanceof ProposedChange.EvaluateEvery e) {
        edits.add(editor.set(args, "eval_steps", e.steps()));
      } else if (change instanceof ProposedChange.KeepCheckpoints k) {
        edits.add(editor.set(args, "save_total_limit", k.keepLast()));
      }
      return edits.isEmpty() ? Optional.empty() : Optional.of(new Fix(change.title(), List.copyOf(edits)));
    };
  }
}
