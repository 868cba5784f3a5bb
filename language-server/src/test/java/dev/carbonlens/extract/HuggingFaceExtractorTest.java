package dev.carbonlens.extract;

import static dev.carbonlens.extract.ExtractTesting.apply;
import static dev.carbonlens.extract.ExtractTesting.extracted;
import static dev.carbonlens.extract.ExtractTesting.run;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

class HuggingFaceExtractorTest {

  private static final String FULL = """
      model_name_or_path: meta-llama/Llama-2-7b-hf
      torch_dtype: bfloat16
      max_seq_length: 2048
      bf16: true
      num_train_epochs: 2
      per_device_train_batch_size: 4
      gradient_accumulation_steps: 8
      eval_strategy: steps
      eval_steps: 200
      save_steps: 1000
      save_total_limit: 2
      max_train_samples: 10000
      output_dir: out
      """;

  @Test
  void readsEveryFactWithItsRange() {
    Run run = run("sft.yaml", FULL);
    assertThat(run.format()).isEqualTo("huggingface");
    assertThat(run.file()).isEqualTo("sft.yaml");
    assertThat(run.index()).isZero();
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING);
    // the anchor is the first key of the arguments
    assertThat(run.range()).isEqualTo(SourceRange.of(0, 0, 0, 18));
    assertThat(slice(FULL, run.range())).isEqualTo("model_name_or_path");

    // bf16: true wins over torch_dtype
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(3, 0, 3, 10)));
    assertThat(slice(FULL, run.precision().range())).isEqualTo("bf16: true");

    assertThat(run.model().id()).isEqualTo("meta-llama/Llama-2-7b-hf");
    // the catalogue's 6.74B (EcoLogits), not the 7 the name suggests
    assertThat(run.model().billionParameters()).isEqualTo(6.74);
    assertThat(run.model().sizeSource()).contains("model catalogue");
    assertThat(run.model().range()).isEqualTo(SourceRange.of(0, 20, 0, 44));
    assertThat(slice(FULL, run.model().range())).isEqualTo("meta-llama/Llama-2-7b-hf");

    Schedule s = run.schedule();
    assertThat(s.epochs()).isEqualTo(2.0);
    assertThat(s.epochsStated()).isTrue();
    assertThat(s.epochsRange()).isEqualTo(SourceRange.of(4, 0, 4, 19));
    assertThat(slice(FULL, s.epochsRange())).isEqualTo("num_train_epochs: 2");
    assertThat(s.maxSteps()).isNull();
    assertThat(s.maxStepsRange()).isNull();
    assertThat(s.earlyStopping()).isFalse();

    assertThat(run.evaluation()).isEqualTo(new Evaluation("steps", 200L, SourceRange.of(8, 0, 8, 15)));
    assertThat(slice(FULL, run.evaluation().range())).isEqualTo("eval_steps: 200");

    assertThat(run.checkpointing()).isEqualTo(new Checkpointing("steps", 1000L, 2, SourceRange.of(9, 0, 9, 16)));
    assertThat(slice(FULL, run.checkpointing().range())).isEqualTo("save_steps: 1000");

    assertThat(run.workload()).isEqualTo(new Workload(10_000L, null, 2048, 4, 8));
    // HF configs say nothing about hardware or placement
    assertThat(run.accelerator()).isNull();
    assertThat(run.devices()).isNull();
    assertThat(run.region()).isNull();
    assertThat(run.cloud()).isNull();
    assertThat(run.duration()).isNull();
  }

  @Test
  void fp16True() {
    String text = "output_dir: out\nlearning_rate: 2e-5\nfp16: true\nnum_train_epochs: 1\n";
    Run run = run("a.yaml", text);
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP16, true, SourceRange.of(2, 0, 2, 10)));
    assertThat(run.stage()).isEqualTo(Stage.TRAINING); // no model named
  }

  @Test
  void torchDtypeBfloat16AloneMeansBf16() {
    String text = "model_name_or_path: gpt2\ntorch_dtype: bfloat16\noutput_dir: o\nlearning_rate: 1e-4\nnum_train_epochs: 1\n";
    Run run = run("a.yaml", text);
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(1, 0, 1, 21)));
    assertThat(slice(text, run.precision().range())).isEqualTo("torch_dtype: bfloat16");
    // "gpt2" names no size, but the model catalogue knows it: 124M (GPT-2 model card)
    assertThat(run.model().billionParameters()).isEqualTo(0.124);
  }

  @Test
  void torchDtypeFloat16MeansFp16() {
    String text = "output_dir: o\nlearning_rate: 1e-4\ntorch_dtype: float16\nnum_train_epochs: 1\n";
    Run run = run("a.yaml", text);
    assertThat(run.precision().precision()).isEqualTo(Precision.FP16);
    assertThat(run.precision().range()).isEqualTo(SourceRange.of(2, 0, 2, 20));
  }

  @Test
  void noPrecisionIsFp32NotStatedAtTheFirstKey() {
    String text = "output_dir: out\nlearning_rate: 2e-5\nnum_train_epochs: 3\n";
    Run run = run("a.yaml", text);
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, false, SourceRange.of(0, 0, 0, 10)));
    assertThat(slice(text, run.precision().range())).isEqualTo("output_dir");
  }

  @Test
  void bf16FalseIsFp32Stated() {
    String text = "output_dir: out\nbf16: false\nnum_train_epochs: 3\n";
    Run run = run("a.yaml", text);
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, true, SourceRange.of(1, 0, 1, 11)));
  }

  @Test
  void transformersDefaults() {
    // No epochs, no save/eval settings: 3 epochs (not stated), save every 500 steps, all kept.
    String text = "output_dir: out\nlearning_rate: 2e-5\nper_device_train_batch_size: 4\n";
    Run run = run("a.yaml", text);
    SourceRange anchor = SourceRange.of(0, 0, 0, 10);
    assertThat(run.schedule().epochs()).isEqualTo(3.0);
    assertThat(run.schedule().epochsStated()).isFalse();
    assertThat(run.schedule().epochsRange()).isEqualTo(anchor);
    assertThat(run.schedule().maxSteps()).isNull();
    assertThat(run.checkpointing()).isEqualTo(new Checkpointing("steps", 500L, null, anchor));
    assertThat(run.evaluation()).isNull();
    assertThat(run.workload().perDeviceBatch()).isEqualTo(4);
  }

  @Test
  void perDeviceBatchDefaultsToEight() {
    Run run = run("a.yaml", "output_dir: out\nlearning_rate: 2e-5\nnum_train_epochs: 3\n");
    assertThat(run.workload().perDeviceBatch()).isEqualTo(8);
  }

  @Test
  void maxSteps() {
    String text = "output_dir: out\nlearning_rate: 2e-5\nmax_steps: 1000\n";
    Run run = run("a.yaml", text);
    assertThat(run.schedule().maxSteps()).isEqualTo(1000L);
    assertThat(run.schedule().hasStepLimit()).isTrue();
    assertThat(run.schedule().maxStepsRange()).isEqualTo(SourceRange.of(2, 0, 2, 15));
    assertThat(run.schedule().epochsStated()).isFalse();
  }

  @Test
  void evalStepsDefaultTo500WithoutLoggingSteps() {
    String text = "output_dir: out\nlearning_rate: 2e-5\neval_strategy: steps\n";
    Run run = run("a.yaml", text);
    // no eval_steps: the range is the strategy setting
    assertThat(run.evaluation()).isEqualTo(new Evaluation("steps", 500L, SourceRange.of(2, 0, 2, 20)));
  }

  @Test
  void evalStepsFallBackToLoggingSteps() {
    // transformers: eval_steps defaults to logging_steps
    String text = "output_dir: out\nlogging_steps: 10\nevaluation_strategy: steps\n";
    Run run = run("a.yaml", text);
    assertThat(run.evaluation()).isEqualTo(new Evaluation("steps", 10L, SourceRange.of(2, 0, 2, 26)));
  }

  @Test
  void epochEvaluationAndDoEval() {
    Run epoch = run("a.yaml", "output_dir: out\nlearning_rate: 2e-5\neval_strategy: epoch\n");
    assertThat(epoch.evaluation()).isEqualTo(new Evaluation("epoch", null, SourceRange.of(2, 0, 2, 20)));
    Run doEval = run("a.yaml", "output_dir: out\nlearning_rate: 2e-5\ndo_eval: true\n");
    assertThat(doEval.evaluation()).isEqualTo(new Evaluation("epoch", null, SourceRange.of(2, 0, 2, 13)));
  }

  @Test
  void saveStrategyAndLimit() {
    String text = "output_dir: out\nsave_strategy: steps\nsave_total_limit: 3\nlearning_rate: 1e-5\n";
    Run run = run("a.yaml", text);
    // save_steps not written: default 500, range at the strategy
    assertThat(run.checkpointing()).isEqualTo(new Checkpointing("steps", 500L, 3, SourceRange.of(1, 0, 1, 20)));
    Run byEpoch = run("a.yaml", "output_dir: out\nsave_strategy: epoch\nlearning_rate: 1e-5\n");
    assertThat(byEpoch.checkpointing()).isEqualTo(new Checkpointing("epoch", null, null, SourceRange.of(1, 0, 1, 20)));
  }

  @Test
  void earlyStoppingPatience() {
    Run run = run("a.yaml", "output_dir: out\nlearning_rate: 2e-5\nnum_train_epochs: 3\nearly_stopping_patience: 3\n");
    assertThat(run.schedule().earlyStopping()).isTrue();
  }

  @Test
  void jsonFileWithExactRanges() {
    String text = """
        {
          "model_name_or_path": "EleutherAI/pythia-410m",
          "output_dir": "out",
          "fp16": true,
          "num_train_epochs": 20,
          "save_steps": 50,
          "learning_rate": 2e-5
        }
        """;
    Run run = run("args.json", text);
    assertThat(run.format()).isEqualTo("huggingface");
    assertThat(run.range()).isEqualTo(SourceRange.of(1, 2, 1, 22));
    assertThat(slice(text, run.range())).isEqualTo("\"model_name_or_path\"");
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP16, true, SourceRange.of(3, 2, 3, 14)));
    assertThat(slice(text, run.precision().range())).isEqualTo("\"fp16\": true");
    assertThat(run.model().range()).isEqualTo(SourceRange.of(1, 24, 1, 48));
    assertThat(run.model().billionParameters()).isEqualTo(0.405); // pythia-410m: 405M in the catalogue
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(4, 2, 4, 24));
    assertThat(run.checkpointing().range()).isEqualTo(SourceRange.of(5, 2, 5, 18));
  }

  @Test
  void nestedTrainingArgs() {
    String text = "model_name_or_path: x/y-13b\ntraining_args:\n  output_dir: o\n  bf16: true\n  num_train_epochs: 1\n";
    Run run = run("a.yaml", text);
    assertThat(run.format()).isEqualTo("huggingface");
    assertThat(run.range()).isEqualTo(SourceRange.of(2, 2, 2, 12));
    assertThat(run.precision().range()).isEqualTo(SourceRange.of(3, 2, 3, 12));
    assertThat(run.model().billionParameters()).isEqualTo(13.0);
  }

  // ------------------------------------------------------------------------------------- fixes

  @Test
  void jsonInsertAddsAComma() {
    String text = "{\n  \"output_dir\": \"out\",\n  \"num_train_epochs\": 3,\n  \"learning_rate\": 2e-5\n}\n";
    ExtractedRun e = extracted("args.json", text);
    Fix fix = e.fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.title()).isEqualTo("Use bf16 mixed precision");
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(3, 23, 3, 23), ",\n  \"bf16\": true"));
    String fixed = apply(text, fix.edits());
    assertThat(fixed).isEqualTo(
        "{\n  \"output_dir\": \"out\",\n  \"num_train_epochs\": 3,\n  \"learning_rate\": 2e-5,\n  \"bf16\": true\n}\n");
    assertThat(run("args.json", fixed).precision().precision()).isEqualTo(Precision.BF16);
  }

  @Test
  void jsonInsertGivesValidJsonWithTheSetting() {
    String text = "{\n  \"output_dir\": \"out\",\n  \"num_train_epochs\": 3,\n  \"learning_rate\": 2e-5\n}\n";
    Fix fix = extracted("args.json", text).fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.edits()).hasSize(1);
    assertThat(fix.edits().get(0).newText()).startsWith(",").contains("\"bf16\": true");
    String fixed = apply(text, fix.edits());
    Run run = run("args.json", fixed); // parses without problems
    assertThat(run.precision().precision()).isEqualTo(Precision.BF16);
    assertThat(run.precision().stated()).isTrue();
  }

  @Test
  void yamlInsertGoesAfterTheTrailingCommentsLine() {
    String text = "output_dir: out\nlearning_rate: 2e-5\nnum_train_epochs: 3  # three passes\n";
    ExtractedRun e = extracted("a.yaml", text);
    Fix fix = e.fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(2, 35, 2, 35), "\nbf16: true"));
    String fixed = apply(text, fix.edits());
    assertThat(fixed).isEqualTo("output_dir: out\nlearning_rate: 2e-5\nnum_train_epochs: 3  # three passes\nbf16: true\n");
    assertThat(run("a.yaml", fixed).precision()).isEqualTo(
        new PrecisionChoice(Precision.BF16, true, SourceRange.of(3, 0, 3, 10)));
  }

  @Test
  void yamlInsertKeepsTheIndentationOfNestedArguments() {
    String text = "training_args:\n    output_dir: o\n    learning_rate: 1e-4\n    num_train_epochs: 1\nother: x\n";
    ExtractedRun e = extracted("a.yaml", text);
    Fix fix = e.fixes().fixFor(new ProposedChange.EvaluateEvery(250)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(3, 23, 3, 23), "\n    eval_steps: 250"));
    assertThat(apply(text, fix.edits())).isEqualTo(
        "training_args:\n    output_dir: o\n    learning_rate: 1e-4\n    num_train_epochs: 1\n    eval_steps: 250\nother: x\n");
  }

  @Test
  void fp16ToBf16ReplacesTheExistingValue() {
    String text = "output_dir: out\nfp16: true\nbf16: false\nnum_train_epochs: 3\n";
    ExtractedRun e = extracted("a.yaml", text);
    Fix fix = e.fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.edits()).containsExactly(
        new TextEdit(SourceRange.of(2, 6, 2, 11), "true"),
        new TextEdit(SourceRange.of(1, 6, 1, 10), "false"));
    String fixed = apply(text, fix.edits());
    assertThat(fixed).isEqualTo("output_dir: out\nfp16: false\nbf16: true\nnum_train_epochs: 3\n");
    assertThat(run("a.yaml", fixed).precision().precision()).isEqualTo(Precision.BF16);
  }

  @Test
  void keepCheckpointsReplacesSaveTotalLimit() {
    String text = "output_dir: out\nsave_total_limit: 10\nlearning_rate: 1e-5\n";
    Fix fix = extracted("a.yaml", text).fixes().fixFor(new ProposedChange.KeepCheckpoints(2)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(1, 18, 1, 20), "2"));
  }

  @Test
  void noFixForChangesTheFormatCannotWrite() {
    ExtractedRun e = extracted("a.yaml", FULL);
    assertThat(e.fixes().fixFor(new ProposedChange.AddEarlyStopping())).isEmpty();
    assertThat(e.fixes().fixFor(new ProposedChange.UseAccelerator(ExtractTesting.REF.accelerator("L4").orElseThrow())))
        .isEmpty();
  }

  @Test
  void bf16AutoAndPureBf16AreBf16() {
    String axolotl = "base_model: TinyLlama/TinyLlama-1.1B\nlearning_rate: 0.0002\noutput_dir: out\nbf16: auto\n";
    assertThat(run("axolotl.yml", axolotl).precision())
        .isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(3, 0, 3, 10)));
    String llamaFactory = "model_name_or_path: meta-llama/Meta-Llama-3-8B\noutput_dir: out\nlearning_rate: 1e-5\nnum_train_epochs: 3\npure_bf16: true\n";
    assertThat(run("lf.yaml", llamaFactory).precision().precision()).isEqualTo(Precision.BF16);
  }

  @Test
  void deepSpeedConfigsAreNotTrainingArguments() {
    String deepspeed = """
        {
          "train_micro_batch_size_per_gpu": "auto",
          "gradient_accumulation_steps": "auto",
          "fp16": {"enabled": "auto"},
          "bf16": {"enabled": "auto"},
          "zero_optimization": {"stage": 3}
        }
        """;
    // read as DeepSpeed, not as TrainingArguments
    assertThat(ExtractTesting.extractAll("ds_config.json", deepspeed)).extracting(e -> e.run().format())
        .containsExactly("deepspeed");
    assertThat(new HuggingFaceExtractor().recognises("ds_config.json",
        (dev.carbonlens.document.MappingNode) dev.carbonlens.document.DocumentParser.parse("ds_config.json", deepspeed)
            .roots().get(0))).isFalse();
  }
}
