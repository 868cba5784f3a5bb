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
import dev.carbonlens.model.Workload;
import org.junit.jupiter.api.Test;

class TorchtuneExtractorTest {
  private static final TorchtuneExtractor TORCHTUNE = new TorchtuneExtractor();
  private static final String LORA = fixture("torchtune/lora-merge.yaml");

  private static Run run(String text) {
    return runWith(TORCHTUNE, "recipe.yaml", text);
  }

  @Test
  void readsEveryFactWithItsRange() {
    Run run = run(LORA);
    assertThat(run.format()).isEqualTo("torchtune");
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING);
    SourceRange anchor = SourceRange.of(0, 0, 0, 10);
    assertThat(run.range()).isEqualTo(anchor);
    assertThat(slice(LORA, run.range())).isEqualTo("output_dir");

    // lora_ builder: LoRA with the model's lora_rank
    assertThat(run.fineTuning()).isEqualTo(new FineTuning("lora", 16, SourceRange.of(5, 2, 5, 58)));
    assertThat(slice(LORA, run.fineTuning().range()))
        .isEqualTo("_component_: torchtune.models.llama3_1.lora_llama3_1_70b");

    // checkpoint_dir: ${base_dir} resolves to the hub model the catalogue knows
    assertThat(run.model().id()).isEqualTo("Meta-Llama-3.1-70B-Instruct");
    assertThat(run.model().billionParameters()).isEqualTo(70.55);
    assertThat(run.model().range()).isEqualTo(SourceRange.of(14, 18, 14, 29));
    assertThat(slice(LORA, run.model().range())).isEqualTo("${base_dir}");

    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, true, SourceRange.of(30, 0, 30, 11)));
    assertThat(slice(LORA, run.precision().range())).isEqualTo("dtype: fp32");

    // a quoted key; max_steps_per_epoch: '100' (a string) caps each of the 2 epochs
    assertThat(run.schedule()).isEqualTo(new Schedule(2.0, true, SourceRange.of(24, 0, 24, 11), 200L,
        SourceRange.of(25, 0, 25, 26), false));
    assertThat(run.evaluation()).isEqualTo(new Evaluation("steps", 20L, SourceRange.of(23, 0, 23, 25)));
    // torchtune saves at the end of each epoch and keeps them all
    assertThat(run.checkpointing()).isEqualTo(new Checkpointing("epoch", null, null, anchor));
    // tokenizer.max_seq_len: "2048" as a string
    assertThat(run.workload()).isEqualTo(new Workload(null, null, 2048, 4, 2));
    assertThat(run.logging()).isEqualTo(new Logging(5L, SourceRange.of(31, 0, 31, 20)));
    assertThat(run.devices()).isEqualTo(new DeviceCount(8, "4 (data_parallel_shard_dim) x 2 (tensor_parallel_dim)",
        SourceRange.of(28, 0, 28, 26)));
    assertThat(run.accelerator()).isNull();
  }

  private static final String QLORA_405B = """
      # This config needs 8 GPUs to run
      #   tune run --nproc_per_node 8 lora_finetune_distributed --config llama3_1/405B_qlora
      output_dir: /tmp/out
      model:
        _component_: torchtune.models.llama3_1.qlora_llama3_1_405b
        lora_rank: 16
      tokenizer:
        _component_: torchtune.models.llama3.llama3_tokenizer
        path: /tmp/tokenizer.model
      checkpointer:
        _component_: torchtune.training.FullModelHFCheckpointer
        checkpoint_dir: /data/ckpt/epoch_0
      epochs: 1
      batch_size: 1
      """;

  @Test
  void builderNamesModelAndMethodAndTheLaunchCommentIsNotRead() {
    Run run = run(QLORA_405B);
    assertThat(run.fineTuning()).isEqualTo(new FineTuning("qlora", 16, SourceRange.of(4, 2, 4, 60)));
    // the checkpoint folder names no model: the builder does (llama3_1_405b = llama3.1-405b)
    assertThat(run.model().id()).isEqualTo("torchtune.models.llama3_1.qlora_llama3_1_405b");
    assertThat(run.model().billionParameters()).isEqualTo(405.85);
    assertThat(run.model().sizeSource()).contains("llama3_1_405b").contains("meta-llama/Meta-Llama-3.1-405B");
    assertThat(run.model().range()).isEqualTo(SourceRange.of(4, 15, 4, 60));
    // `--nproc_per_node 8` sits in a comment: no device count
    assertThat(run.devices()).isNull();
    // no dtype: torchtune's get_dtype gives fp32
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, false, SourceRange.of(2, 0, 2, 10)));
    assertThat(run.evaluation()).isNull();
  }

  @Test
  void fullBuilderSizedFromItsName() {
    String text = "model:\n  _component_: torchtune.models.gemma2.gemma2_27b\n"
        + "tokenizer:\n  _component_: torchtune.models.gemma2.gemma2_tokenizer\ndtype: bf16\nepochs: 3\n"
        + "run_val_every_n_steps: null\n";
    Run run = run(text);
    assertThat(run.fineTuning().method()).isEqualTo("full");
    assertThat(run.model().billionParameters()).isEqualTo(27.0);
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(4, 0, 4, 11)));
    // validation written as null: off
    assertThat(run.evaluation()).isEqualTo(new Evaluation("no", null, SourceRange.of(6, 0, 6, 27)));
  }

  @Test
  void ppoCountsNumStepsInSamples() {
    String text = "policy_model:\n  _component_: torchtune.models.mistral.mistral_7b\n"
        + "checkpointer:\n  _component_: torchtune.training.FullModelHFCheckpointer\n"
        + "  checkpoint_dir: /tmp/Mistral-7B-Instruct-v0.2/\n"
        + "batch_size: 128\nppo_batch_size: 128\nnum_steps: 10000\ndtype: bf16\n";
    Run run = run(text);
    assertThat(run.schedule().maxSteps()).isEqualTo(78L);
    assertThat(run.schedule().maxStepsRange()).isEqualTo(SourceRange.of(7, 0, 7, 16));
    assertThat(run.schedule().epochsStated()).isFalse();
    assertThat(run.model().id()).isEqualTo("Mistral-7B-Instruct-v0.2");
    assertThat(run.model().billionParameters()).isEqualTo(7.24);
    assertThat(run.fineTuning().method()).isEqualTo("full");
  }

  @Test
  void catalogueSpellingOfBuilders() {
    assertThat(TorchtuneExtractor.catalogueSpelling("llama3_1_405b")).isEqualTo("llama3.1-405b");
    assertThat(TorchtuneExtractor.catalogueSpelling("qwen2_5_7b_instruct")).isEqualTo("qwen2.5-7b-instruct");
    assertThat(TorchtuneExtractor.catalogueSpelling("mistral_7b")).isEqualTo("mistral-7b");
  }

  @Test
  void hydraAndOtherComponentsAreNotTorchtune() {
    for (String text : new String[] {
        "model:\n  _target_: torchtune.models.llama3.llama3_8b\ntrainer:\n  _target_: x.Trainer\n",
        "model:\n  _component_: mylib.Model\noptimizer:\n  _component_: torch.optim.AdamW\n",
        "model:\n  _component_: torchtune.models.llama3.llama3_8b\nepochs: 1\n"}) {
      var root = DocumentParser.parse("x.yaml", text).rootMapping().orElseThrow();
      assertThat(TORCHTUNE.recognises("x.yaml", root)).as(text).isFalse();
    }
  }

  // ------------------------------------------------------------------------------------- fixes

  @Test
  void bf16FixSetsDtype() {
    ExtractedRun e = extractedWith(TORCHTUNE, "recipe.yaml", LORA);
    Fix fix = e.fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(30, 7, 30, 11), "bf16"));
    String fixed = apply(LORA, fix.edits());
    assertThat(fixed).contains("\ndtype: bf16\n");
    assertThat(run(fixed).precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(30, 0, 30, 11)));
  }

  @Test
  void bf16FixAddsDtypeWhereUnset() {
    Fix fix = extractedWith(TORCHTUNE, "recipe.yaml", QLORA_405B).fixes()
        .fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(13, 13, 13, 13), "\ndtype: bf16"));
    assertThat(run(apply(QLORA_405B, fix.edits())).precision().precision()).isEqualTo(Precision.BF16);
  }

  @Test
  void evalFixSetsRunValEveryNSteps() {
    ExtractedRun e = extractedWith(TORCHTUNE, "recipe.yaml", LORA);
    Fix fix = e.fixes().fixFor(new ProposedChange.EvaluateEvery(100)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(23, 23, 23, 25), "100"));
    assertThat(run(apply(LORA, fix.edits())).evaluation().everySteps()).isEqualTo(100L);
  }

  @Test
  void noFixWhereTorchtuneHasNoSetting() {
    ExtractedRun e = extractedWith(TORCHTUNE, "recipe.yaml", LORA);
    // torchtune's training recipes refuse fp16 and cannot limit kept checkpoints
    assertThat(e.fixes().fixFor(new ProposedChange.UsePrecision(Precision.FP16))).isEmpty();
    assertThat(e.fixes().fixFor(new ProposedChange.KeepCheckpoints(2))).isEmpty();
    // without a validation set there is nothing to evaluate more rarely
    assertThat(extractedWith(TORCHTUNE, "recipe.yaml", QLORA_405B).fixes()
        .fixFor(new ProposedChange.EvaluateEvery(100))).isEmpty();
  }
}
