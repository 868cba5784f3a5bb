package dev.carbonlens.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.engine.Finding;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.engine.RuleInfo;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.model.Category;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Severity;
import dev.carbonlens.model.SourceRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each kind of policy on real runs read from the samples: where it fires, what it says, what it proposes. */
class PolicyEvaluationTest {
  static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());

  /** ViT pretraining on 8 A100s in fp32 (`--precision 32`), as a SkyPilot task. */
  static final String VIT_A100_FP32 = """
      # ViT-B/16 pretraining on one node of 8 A100s.
      name: vit-pretrain

      resources:
        infra: gcp/us-central1
        accelerators: A100:8

      run: |
        python train.py --model vit_b_16 --epochs 300 --precision 32
      """;

  static Policies policies(String items) {
    var root = DocumentParser.parse(".carbonlens.yaml", "policies:\n" + items).rootMapping().orElseThrow();
    Policies p = Policies.parse(root.get("policies").orElseThrow(), ANALYZER.reference(),
        ANALYZER.rules().rules().stream().map(RuleInfo::id).collect(Collectors.toSet()));
    assertEquals(List.of(), p.problems());
    return p;
  }

  static List<Run> sample(String path) throws IOException {
    return runs(path, Files.readString(Path.of("../samples", path)));
  }

  static List<Run> runs(String file, String text) {
    return ANALYZER.analyze(file, text).runs().stream().map(RunEstimate::run).toList();
  }

  static List<Finding> evaluate(Policies policies, List<Run> runs) {
    return policies.evaluate(runs, ANALYZER.reference(), ANALYZER.estimator()::estimate);
  }

  static Finding only(List<Finding> findings) {
    assertEquals(1, findings.size(), () -> findings.toString());
    return findings.get(0);
  }

  /** The change is priced by the one estimator and saves something. */
  static void savesCarbon(Finding f) {
    double kg = ANALYZER.estimator().savings(f.run(), f.change()).orElseThrow().kgCO2e();
    assertTrue(kg > 0, "saves " + kg);
  }

  static void assertFinding(Finding f, String id, Severity severity, SourceRange range, String message) {
    assertEquals(id, f.ruleId());
    assertEquals(Category.POLICY, f.category());
    assertEquals(severity, f.severity());
    assertEquals(range, f.range());
    assertEquals(message, f.message());
    assertNull(f.savings(), "the caller prices the change");
  }

  @Test
  void maxGridIntensityMovesTheMumbaiJobToTheCleanestAwsRegion() throws IOException {
    Policies p = policies("""
          - id: ACME-GRID-001
            maxGridIntensity: 200
            severity: error
        """);
    Finding f = only(evaluate(p, sample("sagemaker/bert-training-job-p3-mumbai.json")));
    assertFinding(f, "ACME-GRID-001", Severity.ERROR, SourceRange.of(3, 4, 3, 150),
        "Region ap-south-1 averages 713 gCO2e/kWh; team policy ACME-GRID-001 allows at most 200."
            + " ca-central-1 (Canada (Central)) averages 1.5 gCO2e/kWh.");
    assertEquals(new ProposedChange.MoveToRegion(ANALYZER.reference().region("aws", "ca-central-1").orElseThrow()),
        f.change());
    savesCarbon(f);
  }

  @Test
  void maxGridIntensityPrefersACleanRegionOnTheSameContinent() throws IOException {
    Policies p = policies("""
          - id: ACME-GRID-001
            maxGridIntensity: 200
        """);
    Finding f = only(evaluate(p, sample("azure-ml/resnet-command-job-nc24s-v3.yaml")));
    assertFinding(f, "ACME-GRID-001", Severity.WARNING, SourceRange.of(36, 0, 36, 17),
        "Region eastus averages 308 gCO2e/kWh; team policy ACME-GRID-001 allows at most 200."
            + " canadaeast (Canada East) averages 1.5 gCO2e/kWh.");
    assertEquals("azure:canadaeast", ((ProposedChange.MoveToRegion) f.change()).region().key());
    savesCarbon(f);
  }

  @Test
  void maxGridIntensityUsesTheTeamsMessageAndStages() throws IOException {
    Policies p = policies("""
          - id: ACME-GRID-001
            maxGridIntensity: 200
            message: "Train in a region under 200 gCO2e/kWh (green-AI policy §3)."
            appliesTo: [training, fine-tuning]
        """);
    Finding f = only(evaluate(p, sample("skypilot/resnet-k80.yaml")));
    assertEquals("Train in a region under 200 gCO2e/kWh (green-AI policy §3).", f.message());
    assertEquals(SourceRange.of(4, 9, 4, 23), f.range());
    // A serving run is outside appliesTo even in a dirty region...
    assertEquals(List.of(), evaluate(policies("""
          - id: ACME-GRID-001
            maxGridIntensity: 200
            appliesTo: [inference]
        """), sample("skypilot/resnet-k80.yaml")));
    // ...and a run in a clean region, or one whose region is unknown, is compliant.
    assertEquals(List.of(), evaluate(p, sample("skypilot/serve-llama-l4.yaml")));
    assertEquals(List.of(), evaluate(p, sample("huggingface/zephyr-7b-sft-bf16.yaml")));
  }

  @Test
  void allowedRegionsMovesToTheCleanestAllowedRegionOfTheProvider() throws IOException {
    Policies p = policies("""
          - id: ACME-REG-001
            allowedRegions: [gcp:europe-west4, gcp:us-central1, aws/eu-west-1]
        """);
    Finding f = only(evaluate(p, sample("kubernetes/pytorchjob-a100-asia-south1.yaml")));
    assertFinding(f, "ACME-REG-001", Severity.WARNING, SourceRange.of(15, 12, 15, 54),
        "Region asia-south1 is not one team policy ACME-REG-001 allows (gcp:europe-west4, gcp:us-central1,"
            + " aws/eu-west-1). europe-west4 (Eemshaven) averages 209 gCO2e/kWh.");
    assertEquals("gcp:europe-west4", ((ProposedChange.MoveToRegion) f.change()).region().key());
    savesCarbon(f);

    assertEquals(List.of(), evaluate(p, sample("vertex-ai/t5-custom-job-v100.yaml")));
    // No allowed region at this provider: the breach stands, with no change to propose.
    Finding azure = only(evaluate(p, sample("azure-ml/resnet-command-job-nc24s-v3.yaml")));
    assertEquals("Region eastus is not one team policy ACME-REG-001 allows (gcp:europe-west4, gcp:us-central1,"
        + " aws/eu-west-1).", azure.message());
    assertNull(azure.change());
  }

  @Test
  void deniedRegionsMovesToTheCleanestPermittedRegionOnTheContinent() throws IOException {
    Policies p = policies("""
          - id: ACME-REG-002
            deniedRegions: [aws/ap-south-1]
        """);
    Finding f = only(evaluate(p, sample("skypilot/resnet-k80.yaml")));
    assertFinding(f, "ACME-REG-002", Severity.WARNING, SourceRange.of(4, 9, 4, 23),
        "Region ap-south-1 is denied by team policy ACME-REG-002. ap-northeast-2 (Asia Pacific (Seoul))"
            + " averages 431 gCO2e/kWh.");
    assertEquals("aws:ap-northeast-2", ((ProposedChange.MoveToRegion) f.change()).region().key());
    savesCarbon(f);
    assertEquals(List.of(), evaluate(p, sample("skypilot/llama-finetune-v100.yaml")));
  }

  @Test
  void deniedAcceleratorsProposesAPermittedSuccessor() throws IOException {
    Policies p = policies("""
          - id: ACME-HW-001
            deniedAccelerators: [K80, P100]
        """);
    Finding f = only(evaluate(p, sample("skypilot/resnet-k80.yaml")));
    assertFinding(f, "ACME-HW-001", Severity.WARNING, SourceRange.of(5, 16, 5, 21),
        "K80 is denied by team policy ACME-HW-001 (K80, P100). L4 (ada, 2023) is a permitted successor.");
    assertEquals(new ProposedChange.UseAccelerator(ANALYZER.reference().accelerator("L4").orElseThrow()), f.change());
    savesCarbon(f);
    assertEquals(List.of(), evaluate(p, sample("skypilot/llama-finetune-v100.yaml")));
  }

  @Test
  void deniedAcceleratorsNeverProposesADeniedOne() throws IOException {
    Policies p = policies("""
          - id: ACME-HW-002
            deniedAccelerators: [V100, L4]
        """);
    Finding f = only(evaluate(p, sample("skypilot/llama-finetune-v100.yaml")));
    assertEquals(SourceRange.of(6, 16, 6, 22), f.range());
    assertEquals("V100-SXM2-16GB is denied by team policy ACME-HW-002 (V100, L4). A100-PCIE-40GB (ampere, 2020)"
        + " is a permitted successor.", f.message());
    assertEquals("A100-PCIE-40GB", ((ProposedChange.UseAccelerator) f.change()).accelerator().id());
    savesCarbon(f);
  }

  @Test
  void requirePrecisionOnTheListedHardware() {
    Policies p = policies("""
          - id: ACME-PREC-001
            requirePrecision: bf16
            onAccelerators: [A100, H100]
        """);
    Finding f = only(evaluate(p, runs("sky.yaml", VIT_A100_FP32)));
    assertFinding(f, "ACME-PREC-001", Severity.WARNING, SourceRange.of(8, 48, 8, 62),
        "Training in fp32 on A100-SXM4-40GB; team policy ACME-PREC-001 requires bf16 on A100, H100.");
    assertEquals(new ProposedChange.UsePrecision(Precision.BF16), f.change());
    savesCarbon(f);

    Policies byArchitecture = policies("""
          - id: ACME-PREC-002
            requirePrecision: bf16
            onArchitectures: [ampere, hopper]
        """);
    assertEquals("Training in fp32 on A100-SXM4-40GB; team policy ACME-PREC-002 requires bf16 on ampere, hopper.",
        only(evaluate(byArchitecture, runs("sky.yaml", VIT_A100_FP32))).message());

    // bf16 as required, fp8 (narrower) and hardware the policy does not name are all compliant.
    assertEquals(List.of(), evaluate(p, runs("sky.yaml", VIT_A100_FP32.replace("--precision 32", "--precision bf16-mixed"))));
    assertEquals(List.of(), evaluate(p, runs("sky.yaml", VIT_A100_FP32.replace("A100:8", "L4:8"))));
    // The K8s job says nothing about precision: no evidence, no finding.
    assertEquals(List.of(), evaluate(p, runs("job.yaml", readSample("kubernetes/pytorchjob-a100-asia-south1.yaml"))));
  }

  @Test
  void requireEarlyStopping() throws IOException {
    Policies p = policies("""
          - id: ACME-ES-001
            requireEarlyStopping: true
        """);
    Finding f = only(evaluate(p, sample("skypilot/llama-finetune-v100.yaml")));
    assertFinding(f, "ACME-ES-001", Severity.WARNING, SourceRange.of(20, 33, 20, 44),
        "30 epochs with no early stopping; team policy ACME-ES-001 requires early stopping.");
    assertEquals(new ProposedChange.AddEarlyStopping(), f.change());
    savesCarbon(f);

    assertEquals("1 epoch with no early stopping; team policy ACME-ES-001 requires early stopping.",
        only(evaluate(p, sample("huggingface/zephyr-7b-sft-bf16.yaml"))).message());
    // Bounded by steps: the step limit is named.
    Finding steps = only(evaluate(p, sample("hydra/nemo-gpt-pretrain.yaml")));
    assertEquals("200000 steps with no early stopping; team policy ACME-ES-001 requires early stopping.",
        steps.message());
    assertEquals(SourceRange.of(9, 2, 9, 16), steps.range());
    // Stops early already; and serving runs are outside the default stages.
    assertEquals(List.of(), evaluate(p, sample("code/hf-mistral-7b-lora-bf16.py")));
    assertEquals(List.of(), evaluate(p, sample("skypilot/serve-llama-l4.yaml")));
  }

  @Test
  void maxSweepSizeProposesARandomSearchWithinTheBudget() throws IOException {
    Policies p = policies("""
          - id: ACME-SWEEP-001
            maxSweepSize: 50
        """);
    Finding f = only(evaluate(p, sample("wandb-sweep/bert-glue-grid.yaml")));
    assertFinding(f, "ACME-SWEEP-001", Severity.WARNING, SourceRange.of(2, 0, 2, 12),
        "The sweep runs a grid of 360 combinations; team policy ACME-SWEEP-001 allows at most 50 trials.");
    assertEquals(new ProposedChange.SearchRandomly(50), f.change());
    savesCarbon(f);

    assertEquals(List.of(), evaluate(policies("""
          - id: ACME-SWEEP-001
            maxSweepSize: 360
        """), sample("wandb-sweep/bert-glue-grid.yaml")));
  }

  @Test
  void maxDevicesProposesTheLimit() throws IOException {
    Policies p = policies("""
          - id: ACME-DEV-001
            maxDevices: 16
        """);
    Finding f = only(evaluate(p, sample("kubernetes/pytorchjob-a100-asia-south1.yaml")));
    assertFinding(f, "ACME-DEV-001", Severity.WARNING, SourceRange.of(38, 18, 38, 35),
        "32 accelerators in one run (8 per Master pod (nvidia.com/gpu) x 1 (Master replicas) + 8 per Worker pod"
            + " (nvidia.com/gpu) x 3 (Worker replicas)); team policy ACME-DEV-001 allows at most 16 without sign-off.");
    assertEquals(new ProposedChange.UseDevices(16), f.change());
    // The estimator prices the same work on half the devices for twice the hours: the change is priced,
    // at no carbon saved (the policy caps the reservation, not the emissions).
    assertEquals(0.0, ANALYZER.estimator().savings(f.run(), f.change()).orElseThrow().kgCO2e(), 1e-9);

    assertEquals(List.of(), evaluate(p, sample("kubernetes/cronjob-retrain-every-2h.yaml")));
  }

  @Test
  void maxKgPerRunOnlyWhenTheHoursComeFromTheConfig() throws IOException {
    Policies p = policies("""
          - id: ACME-KG-001
            maxKgCO2ePerRun: 100
            severity: error
        """);
    // Stated hours: 72 h x 8 V100 in Mumbai.
    Finding f = only(evaluate(p, sample("sagemaker/bert-training-job-p3-mumbai.json")));
    assertFinding(f, "ACME-KG-001", Severity.ERROR, SourceRange.of(34, 2, 34, 18),
        "Estimated 261 kgCO2e for this run; team policy ACME-KG-001 allows at most 100 per run.");
    assertNull(f.change(), "no single change is implied");
    // Computed from model size and tokens.
    assertEquals("Estimated 1,277 kgCO2e for this run; team policy ACME-KG-001 allows at most 100 per run.",
        only(evaluate(p, sample("hydra/nemo-gpt-pretrain.yaml"))).message());
    // 256 kg on the estimator's default 24 h is a placeholder, not evidence; 1.7 kg is under the budget.
    assertEquals(List.of(), evaluate(p, sample("kubernetes/pytorchjob-a100-asia-south1.yaml")));
    assertEquals(List.of(), evaluate(p, sample("huggingface/pythia-imdb-fp32.json")));
  }

  @Test
  void findingsComeInSourceOrder() throws IOException {
    Policies p = policies("""
          - id: ACME-ES-001
            requireEarlyStopping: true
          - id: ACME-HW-001
            deniedAccelerators: [K80]
          - id: ACME-GRID-001
            maxGridIntensity: 200
        """);
    List<Finding> findings = evaluate(p, sample("skypilot/resnet-k80.yaml"));
    assertEquals(List.of("4:9-4:23 ACME-GRID-001", "5:16-5:21 ACME-HW-001", "8:52-8:63 ACME-ES-001"),
        findings.stream().map(f -> f.range() + " " + f.ruleId()).toList());
    assertEquals(List.of(), Policies.NONE.evaluate(sample("skypilot/resnet-k80.yaml"), ANALYZER.reference(),
        ANALYZER.estimator()::estimate));
  }

  private static String readSample(String path) {
    try {
      return Files.readString(Path.of("../samples", path));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
