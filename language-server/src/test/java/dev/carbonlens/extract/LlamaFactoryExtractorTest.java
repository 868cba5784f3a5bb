package dev.carbonlens.extract;

import static dev.carbonlens.extract.ExtractTesting.apply;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static dev.carbonlens.extract.FineTuneTesting.extractedWith;
import static dev.carbonlens.extract.FineTuneTesting.fixture;
import static dev.carbonlens.extract.FineTuneTesting.runWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Checkpointing;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.FineTuning;
import dev.carbonlens.model.Logging;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Workload;
import org.junit.jupiter.api.Test;

class LlamaFactoryExtractorTest {
  private static final LlamaFactoryExtractor LLAMA_FACTORY = new LlamaFactoryExtractor();
  private static final String LORA = fixture("llama-factory/lora-fp32.yaml");

  private static Run run(String text) {
    return runWith(LLAMA_FACTORY, "llama_factory.yaml", text);
  }

  @Test
  void readsEveryFactWithItsRange() {
    Run run = run(LORA);
    assertThat(run.format()).isEqualTo("llama-factory");
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING);
    // the first key (line 0 is a comment)
    assertThat(run.range()).isEqualTo(SourceRange.of(1, 0, 1, 18));
    assertThat(slice(LORA, run.range())).isEqualTo("model_name_or_path");

    assertThat(run.model().id()).isEqualTo("meta-llama/Meta-Llama-3-8B-Instruct");
    assertThat(run.model().billionParameters()).isEqualTo(8.03);
    assertThat(run.model().range()).isEqualTo(SourceRange.of(1, 20, 1, 55));

    // bf16: "no" (a string) says fp32, and says it here
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, true, SourceRange.of(17, 0, 17, 10)));
    assertThat(slice(LORA, run.precision().range())).isEqualTo("bf16: \"no\"");

    // lora with quantization_bit: '4' is QLoRA
    assertThat(run.fineTuning()).isEqualTo(new FineTuning("qlora", 16, SourceRange.of(3, 0, 3, 21)));

    // num_train_epochs: "2.0" as a string
    assertThat(run.schedule()).isEqualTo(new Schedule(2.0, true, SourceRange.of(16, 0, 16, 23), null, null, false));
    assertThat(run.evaluation()).isEqualTo(new Evaluation("steps", 25L, SourceRange.of(19, 0, 19, 14)));
    assertThat(run.checkpointing()).isEqualTo(new Checkpointing("steps", 20L, null, SourceRange.of(13, 0, 13, 14)));
    assertThat(slice(LORA, run.checkpointing().range())).isEqualTo("save_steps: 20");
    // max_samples caps each of the two datasets (`dataset: &data identity,alpaca_en_demo`)
    assertThat(run.workload()).isEqualTo(new Workload(1000L, null, 2048, 2, 8));
    assertThat(run.logging()).isEqualTo(new Logging(10L, SourceRange.of(12, 0, 12, 17)));
    assertThat(run.accelerator()).isNull();
    assertThat(run.devices()).isNull();
  }

  @Test
  void defaultsAreTransformersAndLlamaFactorys() {
    String text = "model_name_or_path: Qwen/Qwen3-8B\nstage: sft\ntemplate: qwen3\ndataset: alpaca_en_demo\n"
        + "output_dir: out\n";
    Run run = run(text);
    SourceRange anchor = SourceRange.of(0, 0, 0, 18);
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, false, anchor));
    assertThat(run.schedule()).isEqualTo(new Schedule(3.0, false, anchor, null, null, false));
    assertThat(run.checkpointing()).isEqualTo(new Checkpointing("steps", 500L, null, anchor));
    // finetuning_type defaults to lora, lora_rank to 8
    assertThat(run.fineTuning()).isEqualTo(new FineTuning("lora", 8, anchor));
    assertThat(run.model().billionParameters()).isEqualTo(8.2);
  }

  @Test
  void pretrainingStagePureBf16AndFullTuning() {
    String text = "model_name_or_path: meta-llama/Meta-Llama-3-8B\nstage: pt\nfinetuning_type: full\n"
        + "lora_rank: 8\npure_bf16: true\ncutoff_len: 1024\n";
    Run run = run(text);
    assertThat(run.stage()).isEqualTo(Stage.TRAINING);
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(4, 0, 4, 15)));
    assertThat(run.fineTuning()).isEqualTo(new FineTuning("full", null, SourceRange.of(2, 0, 2, 21)));
  }

  @Test
  void fp8AndAConvertedCheckpoint() {
    String text = "model_name_or_path: deepseek-ai/DeepSeek-V3-0324-BF16\nstage: sft\nfinetuning_type: lora\n"
        + "bf16: true\nfp8: true\n";
    Run run = run(text);
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP8, true, SourceRange.of(4, 0, 4, 9)));
    // the -BF16 copy has the catalogue's DeepSeek-V3 counts
    assertThat(run.model().billionParameters()).isEqualTo(37.0);
    assertThat(run.model().totalBillionParameters()).isEqualTo(671.0);
  }

  @Test
  void trainingArgumentsAndOtherFormatsAreNotLlamaFactory() {
    for (String text : new String[] {
        // HF TrainingArguments with one LLaMA-Factory key only
        "model_name_or_path: meta-llama/Meta-Llama-3-8B\noutput_dir: out\nlearning_rate: 1e-5\npure_bf16: true\n",
        // an unknown stage
        "model_name_or_path: x/y\nstage: deploy\ntemplate: t\ncutoff_len: 1\n",
        // no model
        "stage: sft\nfinetuning_type: lora\ntemplate: llama3\n"}) {
      var root = DocumentParser.parse("x.yaml", text).rootMapping().orElseThrow();
      assertThat(LLAMA_FACTORY.recognises("x.yaml", root)).as(text).isFalse();
    }
  }

  // ------------------------------------------------------------------------------------- fixes

  @Test
  void bf16FixReplacesTheValue() {
    ExtractedRun e = extractedWith(LLAMA_FACTORY, "lf.yaml", LORA);
    Fix fix = e.fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(17, 6, 17, 10), "true"));
    String fixed = apply(LORA, fix.edits());
    assertThat(fixed).contains("\nbf16: true\n");
    assertThat(run(fixed).precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(17, 0, 17, 10)));
  }

  @Test
  void bf16FixAddsTheKeyAndTurnsFp16Off() {
    String text = "model_name_or_path: Qwen/Qwen3-4B\nstage: sft\ntemplate: qwen3\nfp16: true\n";
    Fix fix = extractedWith(LLAMA_FACTORY, "lf.yaml", text).fixes()
        .fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    String fixed = apply(text, fix.edits());
    assertThat(fixed).isEqualTo("model_name_or_path: Qwen/Qwen3-4B\nstage: sft\ntemplate: qwen3\nfp16: false\nbf16: true\n");
  }

  @Test
  void evalAndCheckpointFixes() {
    ExtractedRun e = extractedWith(LLAMA_FACTORY, "lf.yaml", LORA);
    Fix eval = e.fixes().fixFor(new ProposedChange.EvaluateEvery(100)).orElseThrow();
    assertThat(eval.edits()).containsExactly(new TextEdit(SourceRange.of(19, 12, 19, 14), "100"));
    assertThat(run(apply(LORA, eval.edits())).evaluation().everySteps()).isEqualTo(100L);

    Fix keep = e.fixes().fixFor(new ProposedChange.KeepCheckpoints(3)).orElseThrow();
    assertThat(keep.edits()).containsExactly(new TextEdit(SourceRange.of(19, 14, 19, 14), "\nsave_total_limit: 3"));
    assertThat(run(apply(LORA, keep.edits())).checkpointing().keepLast()).isEqualTo(3);
    assertThat(e.fixes().fixFor(new ProposedChange.AddEarlyStopping())).isEmpty();
  }
}
