package dev.carbonlens.rules;

import static dev.carbonlens.rules.RuleFixturesTest.apply;
import static dev.carbonlens.rules.RuleFixturesTest.fixture;
import static dev.carbonlens.rules.RuleFixturesTest.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.estimate.ChinchillaAllocation;
import dev.carbonlens.extract.Fix;
import dev.carbonlens.model.Options;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The training-config rules CL-FT-001/002, CL-MS-001/002, CL-PREC-003, CL-ES-003/004 and
 * CL-CKPT-003/004: their proposed changes, their quick fixes as applied to the fixtures, and the
 * figures behind the priced ones.
 */
class TrainingConfigRulesTest {

  private static ReportedFinding finding(String path) {
    RuleFixturesTest.Fixture f = fixture(path);
    return single(f.analyse(), f.ruleId());
  }

  private static String fixed(String path) {
    ReportedFinding r = finding(path);
    Fix fix = r.fix();
    assertThat(fix).as("%s offers a fix", path).isNotNull();
    assertThat(fix.title()).isEqualTo(r.finding().change().title());
    return apply(fixture(path).text(), fix.edits());
  }

  // ------------------------------------------------------------------------------------ fine-tuning

  @Test
  void fullFineTuningProposesRank16LoraAndSavesAboutAThird() {
    for (String path : List.of("CL-FT-001/fires-llama-factory.yaml", "CL-FT-001/fires-axolotl.yaml",
        "CL-FT-001/fires-torchtune.yaml", "CL-FT-001/fires-trl.yaml")) {
      ReportedFinding r = finding(path);
      assertThat(r.finding().change()).as(path).isEqualTo(new ProposedChange.UseLora(16));
      // frozen weights: 4 of 6 FLOPs per parameter and token, plus the adapters' own share
      assertThat(r.finding().savings().fraction()).as(path).isCloseTo(1.0 / 3, within(0.01));
    }
    assertThat(finding("CL-FT-001/fires-llama-factory.yaml").finding().message())
        .startsWith("Full fine-tuning of meta-llama/Meta-Llama-3-8B-Instruct (8.03B parameters)");
  }

  @Test
  void fullFineTuningFixesSwitchToLora() {
    assertThat(fixed("CL-FT-001/fires-llama-factory.yaml"))
        .contains("\nfinetuning_type: lora\n").contains("\nlora_rank: 16").contains("\nlora_target: all")
        .doesNotContain("finetuning_type: full");
    assertThat(fixed("CL-FT-001/fires-axolotl.yaml"))
        .contains("\nadapter: lora").contains("\nlora_r: 16").contains("\nlora_alpha: 32")
        .contains("\nlora_target_linear: true");
    assertThat(fixed("CL-FT-001/fires-trl.yaml")).contains("\nuse_peft: true\n").contains("\nlora_r: 16");
    // torchtune: the recipe (`tune run lora_finetune_distributed`) changes too, outside this file
    assertThat(finding("CL-FT-001/fires-torchtune.yaml").fix()).isNull();
  }

  @Test
  void highLoraRankFixesWriteRank16AndKeepAlphaOverRank() {
    ReportedFinding trl = finding("CL-FT-002/fires-trl.yaml");
    assertThat(trl.finding().change()).isEqualTo(new ProposedChange.UseLoraRank(16));
    assertThat(trl.finding().savings().fraction()).isBetween(0.01, 0.05);
    assertThat(fixed("CL-FT-002/fires-trl.yaml")).contains("\nlora_r: 16\nlora_alpha: 16\n");
    assertThat(fixed("CL-FT-002/fires-llama-factory.yaml")).contains("\nlora_rank: 16\nlora_alpha: 32\n");
    assertThat(fixed("CL-FT-002/fires-axolotl.yaml")).contains("\nlora_r: 16\nlora_alpha: 8\n");
    assertThat(fixed("CL-FT-002/fires-torchtune.yaml")).contains("\n  lora_rank: 16\n  lora_alpha: 32\n");
  }

  // ------------------------------------------------------------------------------------- model size

  @Test
  void classificationWithA70BModelProposesRobertaLarge() {
    ReportedFinding r = finding("CL-MS-001/fires.jsonc");
    assertThat(r.finding().change()).isEqualTo(new ProposedChange.UseModel("FacebookAI/roberta-large", 0.355));
    assertThat(r.finding().message()).contains("the classification task stanfordnlp/imdb");
    // 0.355B instead of 70.6B parameters for the same tokens
    assertThat(r.finding().savings().fraction()).isCloseTo(1 - 0.355 / 70.6, within(0.001));
    assertThat(r.fix()).as("swapping the model is a decision, not an edit").isNull();
    assertThat(finding("CL-MS-001/fires-num-labels.yaml").finding().message()).contains("3 labels (num_labels)");
  }

  /**
   * NeMo: 32 layers x (attention 4 x 4096^2 + MLP 2 x 4096 x 16384) = 6.44B parameters on
   * 20,000 x 256 x 2,048 = 10.49B tokens: 1.6 tokens per parameter.
   */
  @Test
  void undertrainedPretrainingProposesTheChinchillaAllocation() {
    ReportedFinding nemo = finding("CL-MS-002/fires-nemo.yaml");
    double n = 32 * (4.0 * 4096 * 4096 + 2.0 * 4096 * 16384) / 1e9;
    double d = 20_000.0 * 256 * 2048;
    ChinchillaAllocation.Allocation optimal = ChinchillaAllocation.sameLoss(n, d);
    ProposedChange.TrainComputeOptimal change = (ProposedChange.TrainComputeOptimal) nemo.finding().change();
    assertThat(change.billionParameters()).isCloseTo(optimal.billionParameters(), within(0.01));
    assertThat(change.tokens()).isCloseTo(optimal.tokens(), within(optimal.tokens() * 0.005));
    assertThat(change.billionParameters()).isLessThan(n);
    assertThat(change.tokens()).isGreaterThan(d);
    assertThat(nemo.finding().message()).contains("10.5B tokens").contains("1.63 tokens per parameter");
    double computeRatio = optimal.trainingFlops() / (6 * n * 1e9 * d);
    assertThat(nemo.finding().savings().fraction()).isCloseTo(1 - computeRatio, within(0.01));

    ReportedFinding litgpt = finding("CL-MS-002/fires-litgpt.yaml");
    assertThat(litgpt.finding().message())
        .startsWith("Pre-training a 6.86B-parameter model on 20B tokens, 2.92 tokens per parameter");
  }

  // -------------------------------------------------------------------------------------- precision

  @Test
  void tf32OffProposesTf32On() {
    ReportedFinding hf = finding("CL-PREC-003/fires.yaml");
    assertThat(hf.finding().change())
        .isEqualTo(new ProposedChange.SetOption(Options.TF32, "true", "Enable TF32 tensor-core maths"));
    assertThat(hf.finding().savings().fraction()).isPositive();
    assertThat(fixed("CL-PREC-003/fires.yaml")).contains("\ntf32: true\n").doesNotContain("tf32: false");
    assertThat(fixed("CL-PREC-003/fires-axolotl.yaml")).contains("\ntf32: true\n");
    assertThat(finding("CL-PREC-003/fires-skypilot.yaml").finding().message())
        .contains("A100-SXM4-40GB runs TF32 on its tensor cores at 156 TFLOPS against 19.5 TFLOPS fp32");
  }

  // --------------------------------------------------------------------------------- early stopping

  @Test
  void earlyStoppingFindingsAndTheAxolotlFix() {
    for (String path : List.of("CL-ES-003/fires.yaml", "CL-ES-003/fires-axolotl.yaml", "CL-ES-004/fires.yaml",
        "CL-ES-004/fires-llama-factory.yaml")) {
      assertThat(finding(path).finding().change()).as(path).isEqualTo(new ProposedChange.AddEarlyStopping());
    }
    // the callback is code in a plain transformers script
    assertThat(finding("CL-ES-003/fires.yaml").fix()).isNull();
    assertThat(fixed("CL-ES-003/fires-axolotl.yaml")).endsWith("\nearly_stopping_patience: 3\n");
    assertThat(fixed("CL-ES-004/fires-llama-factory.yaml"))
        .contains("\nearly_stopping_steps: 3").contains("\nload_best_model_at_end: true");
    assertThat(finding("CL-ES-004/fires.yaml").finding().message()).startsWith("100,000 optimizer steps");
  }

  // ---------------------------------------------------------------------------------- checkpointing

  @Test
  void loggingEveryStepOnManyDevicesProposesEvery50() {
    ReportedFinding r = finding("CL-CKPT-003/fires-axolotl.yaml");
    assertThat(r.finding().change()).isEqualTo(new ProposedChange.SetOption("logging_steps", "50", "Log every 50 steps"));
    assertThat(r.finding().savings()).isNull();
    assertThat(r.finding().message()).startsWith("Logging every step on 16 devices");
    assertThat(fixed("CL-CKPT-003/fires-axolotl.yaml")).contains("\nlogging_steps: 50\n");
  }

  @Test
  void pushingEverySaveProposesPushingAtTheEnd() {
    ProposedChange end = new ProposedChange.SetOption(Options.HUB_STRATEGY, "end", "Push to the Hub once, at the end");
    ReportedFinding written = finding("CL-CKPT-004/fires.yaml");
    assertThat(written.finding().change()).isEqualTo(end);
    assertThat(written.finding().savings()).isNull();
    assertThat(written.finding().message()).contains("every 100 steps").doesNotContain("(the default)");
    assertThat(fixed("CL-CKPT-004/fires.yaml")).contains("\nhub_strategy: end\n").doesNotContain("every_save");

    ReportedFinding byDefault = finding("CL-CKPT-004/fires-default.jsonc");
    assertThat(byDefault.finding().message()).contains("(the default)").contains("every 500 steps");
    assertThat(fixed("CL-CKPT-004/fires-default.jsonc")).contains(",\n  \"hub_strategy\": \"end\"\n}");

    ReportedFinding axolotl = finding("CL-CKPT-004/fires-axolotl.yaml");
    assertThat(axolotl.finding().message()).contains("(the adapters)");
    assertThat(fixed("CL-CKPT-004/fires-axolotl.yaml")).endsWith("\nhub_strategy: end\n");
  }
}
