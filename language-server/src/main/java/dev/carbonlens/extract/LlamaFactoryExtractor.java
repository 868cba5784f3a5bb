package dev.carbonlens.extract;

import dev.carbonlens.document.MappingNode;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.FineTuning;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Workload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * LLaMA-Factory training YAML (`llamafactory-cli train x.yaml`): model, method, dataset and
 * TrainingArguments in one flat file. The transformers keys are read by {@link TrainingArguments}
 * with transformers' defaults (fp32, 3 epochs, a checkpoint every 500 steps); LLaMA-Factory's own
 * keys add the stage (`pt` is pretraining, `sft`/`rm`/`ppo`/`dpo`/`kto` fine-tune), the method
 * (`finetuning_type`, default lora with rank 8), `cutoff_len`, `max_samples` and `pure_bf16`.
 */
public final class LlamaFactoryExtractor implements ConfigExtractor {
  /** Keys only LLaMA-Factory writes. */
  static final Set<String> LLAMA_FACTORY_KEYS = Set.of(
      "stage", "finetuning_type", "template", "cutoff_len", "lora_target", "lora_rank", "quantization_bit",
      "pure_bf16", "plot_loss", "val_size", "dataset_dir", "use_galore", "galore_target", "use_badam",
      "pref_beta", "pref_loss", "overwrite_cache", "freeze_trainable_layers", "mix_strategy", "use_unsloth",
      "adapter_name_or_path", "export_dir", "infer_backend", "use_kt", "kt_config", "packing_cutoff_len");
  static final Set<String> STAGES = Set.of("pt", "sft", "rm", "ppo", "dpo", "kto", "grpo");
  static final int DEFAULT_LORA_RANK = 8;

  @Override
  public String format() {
    return "llama-factory";
  }

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    boolean model = Keys.scalar(root, "model_name_or_path").isPresent();
    if (!model) {
      return false;
    }
    Optional<String> stage = Keys.text(root, "stage").map(t -> t.trim().toLowerCase(Locale.ROOT));
    if (stage.isPresent() && !STAGES.contains(stage.get())) {
      return false;
    }
    return Keys.countKnown(root, LLAMA_FACTORY_KEYS) >= 2;
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    SourceRange anchor = AxolotlExtractor.anchorOf(root);
    Settings s = Settings.of(root);
    String stage = s.first("stage").map(Setting::lower).orElse("sft");
    Run.Builder run = Run.builder(context.file(), documentIndex, format(),
        stage.equals("pt") ? Stage.TRAINING : Stage.FINE_TUNING, anchor);
    TrainingArguments.read(s, anchor, true, context.reference(), run);
    // fp8 (torchao / Transformer Engine) runs the matmuls in fp8 beside bf16.
    s.first("fp8").filter(Setting::isTrue)
        .ifPresent(f -> run.precision(new PrecisionChoice(Precision.FP8, true, f.range())));
    run.fineTuning(fineTuning(s, anchor));
    run.workload(workload(s, run.workload()));
    s.first("model_name_or_path").map(m -> FineTuneModelNames.choice(context.reference(), m)).ifPresent(run::model);
    return List.of(new ExtractedRun(run.build(), fixes(context.editor(), root)));
  }

  /** `finetuning_type` (default lora), `lora_rank` (default 8 for lora), 4-bit `quantization_bit` makes QLoRA. */
  static FineTuning fineTuning(Settings s, SourceRange anchor) {
    FineTuning written = TrainingArguments.fineTuning(s);
    if (written != null && s.first("finetuning_type").isPresent()) {
      Integer rank = !written.method().contains("lora") ? null
          : written.loraRank() == null ? Integer.valueOf(DEFAULT_LORA_RANK) : written.loraRank();
      return new FineTuning(written.method(), rank, written.range());
    }
    boolean fourBit = s.first("quantization_bit").map(q -> "4".equals(q.text().trim())).orElse(false);
    Integer rank = Optional.ofNullable(s.intValue("lora_rank")).orElse(DEFAULT_LORA_RANK);
    SourceRange where = s.first("lora_rank").map(Setting::range).orElse(anchor);
    return new FineTuning(fourBit ? "qlora" : "lora", rank, where);
  }

  /** `max_samples` caps each dataset of `dataset: a,b`: at most max_samples x datasets in all. */
  static Workload workload(Settings s, Workload read) {
    Long perDataset = s.longValue("max_samples");
    if (perDataset == null) {
      return read;
    }
    long datasets = s.first("dataset").map(d -> Arrays.stream(d.text().split(","))
        .filter(x -> !x.isBlank()).count()).filter(n -> n > 0).orElse(1L);
    return new Workload(perDataset * datasets, read.evalSamples(), read.sequenceLength(), read.perDeviceBatch(),
        read.gradientAccumulation(), read.trainTokens(), read.globalBatch());
  }

  /**
   * transformers' EarlyStoppingCallback needs evaluation and `load_best_model_at_end`, which in turn
   * needs saves that fall on evaluations: both per epoch, or by steps with `save_steps` a multiple of
   * `eval_steps`.
   */
  static boolean canStopEarly(Settings s) {
    String eval = s.first("eval_strategy", "evaluation_strategy").map(Setting::lower).orElse("no");
    String save = s.first("save_strategy").map(Setting::lower).orElse("steps");
    if (eval.equals("epoch")) {
      return save.equals("epoch");
    }
    Long saveSteps = s.longValue("save_steps");
    Long evalSteps = s.longValue("eval_steps");
    return eval.equals("steps") && save.equals("steps") && saveSteps != null && evalSteps != null && saveSteps > 0
        && evalSteps > 0 && saveSteps % evalSteps == 0;
  }

  private static FixWriter fixes(ConfigEditor editor, MappingNode root) {
    return change -> {
      List<TextEdit> edits = new ArrayList<>();
      if (change instanceof ProposedChange.UsePrecision p && p.precision() == Precision.BF16) {
        edits.add(editor.set(root, "bf16", true));
        if (Keys.isTrue(root, "fp16") || Keys.text(root, "fp16").map(t -> t.trim().equalsIgnoreCase("true")).orElse(false)) {
          edits.add(editor.set(root, "fp16", false));
        }
      } else if (change instanceof ProposedChange.UsePrecision p && p.precision() == Precision.FP16) {
        edits.add(editor.set(root, "fp16", true));
        if (root.containsKey("bf16")) {
          edits.add(editor.set(root, "bf16", false));
        }
      } else if (change instanceof ProposedChange.EvaluateEvery e) {
        edits.add(editor.set(root, "eval_steps", e.steps()));
      } else if (change instanceof ProposedChange.KeepCheckpoints k) {
        edits.add(editor.set(root, "save_total_limit", k.keepLast()));
      } else if (change instanceof ProposedChange.SetOption o) {
        TrainingArguments.setOption(editor, root, o).ifPresent(edits::add);
      } else if (change instanceof ProposedChange.UseLora l) {
        edits.add(editor.set(root, "finetuning_type", "lora"));
        edits.add(editor.set(root, "lora_rank", l.rank()));
        if (!root.containsKey("lora_target")) {
          edits.add(editor.set(root, "lora_target", "all"));
        }
      } else if (change instanceof ProposedChange.UseLoraRank r) {
        edits.addAll(TrainingArguments.loraRank(editor, root, r.rank()));
      } else if (change instanceof ProposedChange.AddEarlyStopping && canStopEarly(Settings.of(root))) {
        // LLaMA-Factory adds transformers' EarlyStoppingCallback, which needs the best model tracked.
        edits.add(editor.set(root, "early_stopping_steps", AxolotlExtractor.EARLY_STOPPING_PATIENCE));
        if (!Keys.isTrue(root, "load_best_model_at_end")) {
          edits.add(editor.set(root, "load_best_model_at_end", true));
        }
      }
      return edits.isEmpty() ? Optional.empty() : Optional.of(new Fix(change.title(), List.copyOf(edits)));
    };
  }
}
