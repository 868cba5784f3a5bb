package dev.carbonlens.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.model.Options;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The utilization rules' thresholds, changes, prices and fixes beyond the fixtures. */
class UtilizationRulesTest {
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());

  private static List<ReportedFinding> findings(String name, String text, String ruleId) {
    FileAnalysis analysis = ANALYZER.analyze(name, text);
    assertThat(analysis.problems()).isEmpty();
    assertThat(analysis.runs()).isNotEmpty();
    return analysis.findings().stream().filter(f -> f.finding().ruleId().equals(ruleId)).toList();
  }

  private static String skypilot(String accelerators, String flags) {
    return "name: sft\nresources:\n  accelerators: " + accelerators + "\nrun: |\n  python sft.py " + flags + "\n";
  }

  // ---------------------------------------------------------------------------------- CL-UTIL-001

  @Test
  void workersRuleProposesFourWorkersAndItsFixWritesThem() {
    RuleFixturesTest.Fixture f = RuleFixturesTest.fixture("CL-UTIL-001/fires-loop.py");
    ReportedFinding r = RuleFixturesTest.single(f.analyse(), "CL-UTIL-001");
    assertThat(r.finding().change())
        .isEqualTo(new ProposedChange.SetOption(Options.DATALOADER_WORKERS, "4", "Load data in 4 worker processes"));
    assertThat(r.finding().savings()).isNull();
    assertThat(r.finding().message()).contains("PyTorch's default of 0 worker processes");
    String fixed = RuleFixturesTest.apply(f.text(), r.fix().edits());
    assertThat(fixed).contains("train_loader = DataLoader(train_set, batch_size=128, shuffle=True, num_workers=4)\n");
    // The test loader (two workers already) is left alone.
    assertThat(fixed).contains("test_loader = DataLoader(test_set, batch_size=256, num_workers=2)\n");
  }

  @Test
  void workersRuleIgnoresTpuRuns() {
    String tpu = skypilot("tpu-v5-lite-podslice:8", "--model_name_or_path gpt2 --dataloader_num_workers 0");
    String gpu = skypilot("A100:8", "--model_name_or_path gpt2 --dataloader_num_workers 0");
    assertThat(findings("tpu.yaml", tpu, "CL-UTIL-001")).isEmpty();
    assertThat(findings("gpu.yaml", gpu, "CL-UTIL-001")).hasSize(1);
  }

  // ---------------------------------------------------------------------------------- CL-UTIL-002

  @Test
  void batchOfOneNeedsAFortyGigabyteGpuAndRoomForTheModelsStates() {
    String flags = "--model_name_or_path Qwen/Qwen2.5-0.5B --per_device_train_batch_size 1 --bf16";
    assertThat(findings("a.yaml", skypilot("A100-80GB:1", flags), "CL-UTIL-002")).hasSize(1);
    assertThat(findings("b.yaml", skypilot("A100:1", flags), "CL-UTIL-002")).as("A100 40GB, 8 GB of states")
        .hasSize(1);
    assertThat(findings("c.yaml", skypilot("L4:1", flags), "CL-UTIL-002")).as("24 GB").isEmpty();
    // SmolLM2-1.7B in full: 27.2 GB of states, more than half of 40 GB but not of 80 GB.
    String tiny = "--model_name_or_path HuggingFaceTB/SmolLM2-1.7B --per_device_train_batch_size 1";
    assertThat(findings("d.yaml", skypilot("A100:1", tiny), "CL-UTIL-002")).isEmpty();
    assertThat(findings("e.yaml", skypilot("A100-80GB:1", tiny), "CL-UTIL-002")).hasSize(1);
    // With LoRA the frozen 16-bit weights count: a 7B model takes 14 GB.
    String lora = "--model_name_or_path mistralai/Mistral-7B-v0.1 --use_peft --lora_r 16 --per_device_train_batch_size 1";
    ReportedFinding r = findings("f.yaml", skypilot("H100:1", lora), "CL-UTIL-002").get(0);
    assertThat(r.finding().change().title()).contains("per_device_train_batch_size");
    assertThat(r.finding().savings()).isNull();
  }

  // ---------------------------------------------------------------------------------- CL-UTIL-003

  @Test
  void checkpointingOffIsPricedAsAQuarterOfTheTrainingCompute() {
    ReportedFinding r = RuleFixturesTest.single(
        RuleFixturesTest.fixture("CL-UTIL-003/fires-skypilot.yaml").analyse(), "CL-UTIL-003");
    assertThat(r.finding().change())
        .isEqualTo(new ProposedChange.SetOption(Options.GRADIENT_CHECKPOINTING, "false", "Turn off gradient checkpointing"));
    // 8/6 of the compute with recomputation, 6/6 without: a quarter less.
    assertThat(r.finding().savings().fraction()).isCloseTo(0.25, within(1e-9));
    assertThat(r.finding().message()).contains("0.49B").contains("H100");
  }

  @Test
  void checkpointingThresholdsForFullTrainingAndLora() {
    String full = "--model_name_or_path Qwen/Qwen2.5-0.5B --gradient_checkpointing true";
    // Full training, 0.49B x 16 bytes = 7.8 GB: at most a quarter of 40 GB, more than a quarter of 24 GB.
    assertThat(findings("a.yaml", skypilot("A100:1", full), "CL-UTIL-003")).hasSize(1);
    assertThat(findings("b.yaml", skypilot("L4:1", full), "CL-UTIL-003")).isEmpty();
    String lora = "--model_name_or_path mistralai/Mistral-7B-v0.1 --use_peft --gradient_checkpointing true";
    // LoRA, 7.2B x 2 bytes = 14.5 GB: a quarter of 80 GB is 20.
    assertThat(findings("c.yaml", skypilot("H100:1", lora), "CL-UTIL-003")).hasSize(1);
    assertThat(findings("d.yaml", skypilot("A100:1", lora), "CL-UTIL-003")).isEmpty();
  }

  @Test
  void checkpointingFixOnPythonDeletesTheCall() {
    RuleFixturesTest.Fixture f = RuleFixturesTest.fixture("CL-UTIL-003/fires-enable.py");
    ReportedFinding r = RuleFixturesTest.single(f.analyse(), "CL-UTIL-003");
    assertThat(r.finding().message()).contains("even a 16 GB GPU");
    String fixed = RuleFixturesTest.apply(f.text(), r.fix().edits());
    assertThat(fixed).doesNotContain("gradient_checkpointing_enable")
        .contains(".to(device)\nmodel.config.use_cache = False\n");
  }

  // ---------------------------------------------------------------------------------- CL-UTIL-004

  @Test
  void profilerFixOnLightningYamlWritesNull() {
    RuleFixturesTest.Fixture f = RuleFixturesTest.fixture("CL-UTIL-004/fires-pytorch-profiler.yaml");
    ReportedFinding r = RuleFixturesTest.single(f.analyse(), "CL-UTIL-004");
    assertThat(r.finding().change()).isEqualTo(new ProposedChange.SetOption(Options.PROFILER, "none", "Turn off the profiler"));
    assertThat(r.finding().message()).contains("(pytorch)");
    String fixed = RuleFixturesTest.apply(f.text(), r.fix().edits());
    assertThat(fixed).contains("  max_steps: 200000\n  profiler: null\nmodel:\n");
    // torch.profiler blocks have no fix: removing a `with` means re-indenting the loop.
    assertThat(RuleFixturesTest.single(RuleFixturesTest.fixture("CL-UTIL-004/fires-torch.py").analyse(), "CL-UTIL-004")
        .fix()).isNull();
  }

  // ---------------------------------------------------------------------------------- CL-UTIL-005

  @Test
  void offloadCountsTheStatesSpreadOverEveryDevice() {
    String script = """
        import lightning as L
        from transformers import AutoModelForCausalLM
        model = AutoModelForCausalLM.from_pretrained("%s")
        trainer = L.Trainer(devices=%d, strategy="deepspeed_stage_3_offload")
        """;
    // gpt2-large: 0.77B x 16 = 12.4 GB; half of the 16 GB stand-in is 8 GB.
    assertThat(findings("a.py", script.formatted("gpt2-large", 1), "CL-UTIL-005")).isEmpty();
    ReportedFinding r = findings("b.py", script.formatted("gpt2-large", 2), "CL-UTIL-005").get(0);
    assertThat(r.finding().message()).contains("spread over 2 devices").contains("CPU memory");
    String fixed = RuleFixturesTest.apply(script.formatted("gpt2-large", 2), r.fix().edits());
    assertThat(fixed).contains("strategy=\"deepspeed_stage_3\"");
    assertThat(findings("c.py", fixed, "CL-UTIL-005")).isEmpty();
  }

  // ---------------------------------------------------------------------------------- CL-UTIL-006

  @Test
  void smallModelOnManyDevicesButNotPretrainingAtScale() {
    ReportedFinding r = RuleFixturesTest.single(
        RuleFixturesTest.fixture("CL-UTIL-006/fires-skypilot.yaml").analyse(), "CL-UTIL-006");
    assertThat(r.finding().message()).startsWith("A 0.11B model trained on 16 accelerators");
    assertThat(r.finding().savings()).isNull();
    assertThat(r.fix()).isNull();
    assertThat(RuleFixturesTest.fixture("CL-UTIL-006/clean-pretraining.yaml").analyse().findings())
        .noneMatch(f -> f.finding().ruleId().equals("CL-UTIL-006"));
  }
}
