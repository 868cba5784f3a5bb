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
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.FineTuning;
import dev.carbonlens.model.Logging;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.StatedDuration;
import dev.carbonlens.model.Workload;
import org.junit.jupiter.api.Test;

class AxolotlExtractorTest {
  private static final AxolotlExtractor AXOLOTL = new AxolotlExtractor();
  private static final String QLORA = fixture("axolotl/qlora-merge.yaml");

  private static Run run(String text) {
    return runWith(AXOLOTL, "axolotl.yaml", text);
  }

  @Test
  void readsEveryFactWithItsRange() {
    Run run = run(QLORA);
    assertThat(run.format()).isEqualTo("axolotl");
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING);
    // the anchor is the first key written in the file
    assertThat(run.range()).isEqualTo(SourceRange.of(0, 0, 0, 8));
    assertThat(slice(QLORA, run.range())).isEqualTo("defaults");

    // a quoted key; the catalogue finds NousResearch's copy of Llama-2-13b-hf by its name
    assertThat(run.model().id()).isEqualTo("NousResearch/Llama-2-13b-hf");
    assertThat(run.model().billionParameters()).isEqualTo(13.02);
    assertThat(run.model().range()).isEqualTo(SourceRange.of(4, 14, 4, 41));

    // bf16: 'False' (a string) does not win; fp16: "true" (a string) does
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP16, true, SourceRange.of(16, 0, 16, 12)));
    assertThat(slice(QLORA, run.precision().range())).isEqualTo("fp16: \"true\"");

    // adapter: lora with load_in_4bit: 'true' is QLoRA
    assertThat(run.fineTuning()).isEqualTo(new FineTuning("qlora", 32, SourceRange.of(6, 0, 6, 13)));
    assertThat(slice(QLORA, run.fineTuning().range())).isEqualTo("adapter: lora");

    assertThat(run.schedule()).isEqualTo(new Schedule(3.0, true, SourceRange.of(13, 0, 13, 13), null, null, true));
    assertThat(slice(QLORA, run.schedule().epochsRange())).isEqualTo("num_epochs: 3");

    // a validation split exists; 4 evaluations per epoch: by steps, how many depends on the data
    assertThat(run.evaluation()).isEqualTo(new Evaluation("steps", null, SourceRange.of(17, 0, 17, 18)));
    assertThat(slice(QLORA, run.evaluation().range())).isEqualTo("evals_per_epoch: 4");

    // save_total_limit unset: Axolotl keeps 4
    assertThat(run.checkpointing()).isEqualTo(new Checkpointing("steps", 50L, 4, SourceRange.of(18, 0, 18, 14)));
    assertThat(slice(QLORA, run.checkpointing().range())).isEqualTo("save_steps: 50");

    // sequence_len and micro_batch_size come in through the merge key
    assertThat(run.workload()).isEqualTo(new Workload(null, null, 4096, 2, 4));
    assertThat(run.logging()).isEqualTo(new Logging(10L, SourceRange.of(19, 0, 19, 17)));
    assertThat(run.accelerator()).isNull();
    assertThat(run.devices()).isNull();
    assertThat(run.duration()).isNull();
  }

  @Test
  void axolotlDefaultsAtTheAnchor() {
    String text = "base_model: meta-llama/Llama-2-70b-hf\nsequence_len: 2048\nmicro_batch_size: 1\n"
        + "datasets:\n  - path: x\n    type: alpaca\n";
    Run run = run(text);
    SourceRange anchor = SourceRange.of(0, 0, 0, 10);
    // bf16: auto is Axolotl's default
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, false, anchor));
    assertThat(run.schedule()).isEqualTo(new Schedule(1.0, false, anchor, null, null, false));
    // no adapter: every weight is trained
    assertThat(run.fineTuning()).isEqualTo(new FineTuning("full", null, anchor));
    // no validation split: no evaluation; a checkpoint per epoch, 4 kept
    assertThat(run.evaluation()).isEqualTo(new Evaluation("no", null, anchor));
    assertThat(run.checkpointing()).isEqualTo(new Checkpointing("epoch", null, 4, anchor));
    assertThat(run.model().billionParameters()).isEqualTo(68.98);
  }

  @Test
  void bf16AutoAndExplicitFalse() {
    String auto = "base_model: x/y-7b\nsequence_len: 1024\nsample_packing: true\nbf16: auto\ntf32: true\n";
    assertThat(run(auto).precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(3, 0, 3, 10)));
    String off = "base_model: x/y-7b\nsequence_len: 1024\nsample_packing: true\nbf16: false\nfp16: false\n";
    assertThat(run(off).precision()).isEqualTo(new PrecisionChoice(Precision.FP32, true, SourceRange.of(3, 0, 3, 11)));
  }

  @Test
  void pretrainingDatasetIsTrainingWithoutAFineTuningMethod() {
    String text = "base_model: TinyLlama/TinyLlama_v1.1\npretraining_dataset:\n  - path: allenai/c4\n"
        + "sequence_len: 2048\nmax_steps: 200\nnum_epochs: 4\n";
    Run run = run(text);
    assertThat(run.stage()).isEqualTo(Stage.TRAINING);
    assertThat(run.fineTuning()).isNull();
    assertThat(run.schedule().maxSteps()).isEqualTo(200L);
    assertThat(run.schedule().maxStepsRange()).isEqualTo(SourceRange.of(4, 0, 4, 14));
  }

  @Test
  void unfrozenParametersTrainSomeLayers() {
    String text = "base_model: mistral-community/Mixtral-8x22B-v0.1\nsequence_len: 2048\nunfrozen_parameters:\n"
        + "  - ^lm_head.weight$\n";
    Run run = run(text);
    assertThat(run.fineTuning()).isEqualTo(new FineTuning("freeze", null, SourceRange.of(2, 0, 2, 19)));
    // a mixture of experts: 39.1B of 140.6B work per token
    assertThat(run.model().billionParameters()).isEqualTo(39.1);
  }

  @Test
  void parallelSizesGiveTheDeviceCount() {
    String text = "base_model: axolotl-ai-co/gpt-oss-120b-dequantized\nsequence_len: 4096\n"
        + "dp_shard_size: 8\ntensor_parallel_size: 2\n";
    Run run = run(text);
    assertThat(run.devices()).isEqualTo(new DeviceCount(16, "8 (dp_shard_size) x 2 (tensor_parallel_size)",
        SourceRange.of(2, 0, 2, 16)));
    // the dequantized copy has the catalogue's counts of gpt-oss-120b: 5.1B active of 117B
    assertThat(run.model().billionParameters()).isEqualTo(5.1);
    assertThat(run.model().totalBillionParameters()).isEqualTo(117.0);
    assertThat(run.model().sizeSource()).contains("openai/gpt-oss-120b").contains("-dequantized");
  }

  @Test
  void cloudLauncherConfig() {
    String text = "gpu: h100\ngpu_count: 2\nmemory: 128\ntimeout: 86400\ntimeout_preprocess: 14400\n";
    Run run = run(text);
    assertThat(run.format()).isEqualTo("axolotl");
    assertThat(run.accelerator().spec().id()).isEqualTo("H100-SXM");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(0, 0, 0, 9));
    assertThat(run.devices()).isEqualTo(new DeviceCount(2, "2 (gpu_count)", SourceRange.of(1, 0, 1, 12)));
    assertThat(run.duration()).isEqualTo(new StatedDuration(24.0, SourceRange.of(3, 0, 3, 14)));
  }

  @Test
  void othersAreNotAxolotl() {
    // TrainingArguments with a base_model only, a Modal-less `gpu` key, a TRL recipe
    for (String text : new String[] {
        "base_model: TinyLlama/TinyLlama-1.1B\nlearning_rate: 0.0002\noutput_dir: out\nbf16: auto\n",
        "gpu: a100\nname: x\n",
        "model_name_or_path: x/y\nsequence_len: 1\nmicro_batch_size: 2\nnum_epochs: 1\n"}) {
      var root = DocumentParser.parse("x.yaml", text).rootMapping().orElseThrow();
      assertThat(AXOLOTL.recognises("x.yaml", root)).as(text).isFalse();
    }
  }

  // ------------------------------------------------------------------------------------- fixes

  @Test
  void bf16FixReplacesTheStringsAndTurnsFp16Off() {
    ExtractedRun e = extractedWith(AXOLOTL, "axolotl.yaml", QLORA);
    Fix fix = e.fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.title()).isEqualTo("Use bf16 mixed precision");
    assertThat(fix.edits()).containsExactly(
        new TextEdit(SourceRange.of(15, 6, 15, 13), "true"),
        new TextEdit(SourceRange.of(16, 6, 16, 12), "false"));
    String fixed = apply(QLORA, fix.edits());
    assertThat(fixed).contains("\nbf16: true\nfp16: false\n");
    assertThat(run(fixed).precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(15, 0, 15, 10)));
  }

  @Test
  void bf16FixWritesAutoWhereNothingIsWritten() {
    String text = "base_model: x/y-7b\nsequence_len: 1024\nfp16: true\nsample_packing: true\n";
    Fix fix = extractedWith(AXOLOTL, "a.yaml", text).fixes()
        .fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.edits()).containsExactly(
        new TextEdit(SourceRange.of(3, 20, 3, 20), "\nbf16: auto"),
        new TextEdit(SourceRange.of(2, 6, 2, 10), "false"));
    String fixed = apply(text, fix.edits());
    assertThat(fixed).isEqualTo("base_model: x/y-7b\nsequence_len: 1024\nfp16: false\nsample_packing: true\nbf16: auto\n");
    assertThat(run(fixed).precision().precision()).isEqualTo(Precision.BF16);
  }

  @Test
  void evalFixReplacesEvalsPerEpochWithEvalSteps() {
    Fix fix = extractedWith(AXOLOTL, "axolotl.yaml", QLORA).fixes()
        .fixFor(new ProposedChange.EvaluateEvery(200)).orElseThrow();
    // Axolotl refuses eval_steps beside evals_per_epoch: the one replaces the other
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(17, 0, 17, 18), "eval_steps: 200"));
    String fixed = apply(QLORA, fix.edits());
    assertThat(run(fixed).evaluation()).isEqualTo(new Evaluation("steps", 200L, SourceRange.of(17, 0, 17, 15)));
  }

  @Test
  void keepCheckpointsAddsSaveTotalLimit() {
    Fix fix = extractedWith(AXOLOTL, "axolotl.yaml", QLORA).fixes()
        .fixFor(new ProposedChange.KeepCheckpoints(2)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(20, 26, 20, 26), "\nsave_total_limit: 2"));
    assertThat(run(apply(QLORA, fix.edits())).checkpointing().keepLast()).isEqualTo(2);
  }

  @Test
  void noFixForWhatTheFormatCannotSay() {
    ExtractedRun e = extractedWith(AXOLOTL, "axolotl.yaml", QLORA);
    assertThat(e.fixes().fixFor(new ProposedChange.AddEarlyStopping())).isEmpty();
    assertThat(e.fixes().fixFor(new ProposedChange.UseAccelerator(ExtractTesting.REF.accelerator("L4").orElseThrow())))
        .isEmpty();
  }
}
