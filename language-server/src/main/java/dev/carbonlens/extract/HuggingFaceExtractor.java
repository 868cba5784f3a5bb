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
  static final Set<String> TRAINING_ARGUMENTS = TrainingArguments.KEYS;

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
    Settings settings = Settings.layered(Settings.of(args), Settings.of(root));
    Stage stage = TrainingArguments.model(settings, context.reference()).isPresent() ? Stage.FINE_TUNING : Stage.TRAINING;
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), stage, anchor);
    TrainingArguments.read(settings, anchor, true, context.reference(), run);
    return List.of(new ExtractedRun(run.build(), fixes(context.editor(), args)));
  }

  private static SourceRange anchorOf(MappingNode args) {
    return args.entries().isEmpty() ? args.range() : args.entries().get(0).key().range();
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
      } else if (change instanceof ProposedChange.SetOption o) {
        TrainingArguments.setOption(editor, args, o).ifPresent(edits::add);
      } else if (change instanceof ProposedChange.UseLora l && args.containsKey("use_peft")) {
        // TRL's ModelConfig: `use_peft: true` wraps the model in LoRA adapters of rank `lora_r`.
        edits.add(editor.set(args, "use_peft", true));
        edits.add(editor.set(args, "lora_r", l.rank()));
      } else if (change instanceof ProposedChange.UseLoraRank r) {
        edits.addAll(TrainingArguments.loraRank(editor, args, r.rank()));
      }
      return edits.isEmpty() ? Optional.empty() : Optional.of(new Fix(change.title(), List.copyOf(edits)));
    };
  }
}
