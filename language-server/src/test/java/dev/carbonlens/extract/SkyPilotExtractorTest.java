package dev.carbonlens.extract;

import static dev.carbonlens.extract.ExtractTesting.REF;
import static dev.carbonlens.extract.ExtractTesting.apply;
import static dev.carbonlens.extract.ExtractTesting.extracted;
import static dev.carbonlens.extract.ExtractTesting.run;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.CloudChoice;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import org.junit.jupiter.api.Test;

class SkyPilotExtractorTest {

  private static final String TRAIN = """
      name: train
      resources:
        accelerators: V100:8
        cloud: aws
        region: us-east-1
      num_nodes: 2
      envs:
        MODEL_NAME: meta-llama/Llama-2-7b-hf
      run: |
        python train.py --epochs 30 --bf16
      """;

  @Test
  void acceleratorCountNodesPlacementAndScript() {
    Run run = run("task.yaml", TRAIN);
    assertThat(run.format()).isEqualTo("skypilot");
    assertThat(run.stage()).isEqualTo(Stage.TRAINING);
    // the anchor is the resources key
    assertThat(run.range()).isEqualTo(SourceRange.of(1, 0, 1, 9));

    assertThat(run.accelerator().spec().id()).isEqualTo("V100-SXM2-16GB");
    assertThat(run.accelerator().written()).isEqualTo("V100:8");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(2, 16, 2, 22));
    assertThat(slice(TRAIN, run.accelerator().range())).isEqualTo("V100:8");

    // 8 per node x num_nodes 2
    assertThat(run.devices().count()).isEqualTo(16);
    assertThat(run.deviceCount()).isEqualTo(16);
    assertThat(run.devices().derivation()).isEqualTo("8 per node (V100:8) x 2 nodes (num_nodes)");
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(2, 16, 2, 22));

    assertThat(run.cloud()).isEqualTo(new CloudChoice("aws", SourceRange.of(3, 9, 3, 12)));
    assertThat(run.region().spec().key()).isEqualTo("aws:us-east-1");
    assertThat(run.region().written()).isEqualTo("us-east-1");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(4, 10, 4, 19));
    assertThat(run.provider()).isEqualTo("aws");

    assertThat(run.model().id()).isEqualTo("meta-llama/Llama-2-7b-hf");
    assertThat(run.model().billionParameters()).isEqualTo(6.74); // catalogue (EcoLogits)
    assertThat(run.model().range()).isEqualTo(SourceRange.of(7, 14, 7, 38));

    // read from the run script; both point at the `run` key
    // the flag itself inside the run script: `--bf16` on line 10
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(9, 30, 9, 36)));
    assertThat(run.schedule().epochs()).isEqualTo(30.0);
    assertThat(run.schedule().epochsStated()).isTrue();
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(9, 18, 9, 29)); // `--epochs 30`
    assertThat(run.schedule().earlyStopping()).isFalse();
  }

  @Test
  void flowMappingAcceleratorsAndInfra() {
    String text = """
        resources:
          accelerators: {A100-80GB: 8}
          infra: aws/eu-west-1
        setup: pip install -r requirements.txt
        run: python train.py
        """;
    Run run = run("sky.yaml", text);
    assertThat(run.format()).isEqualTo("skypilot");
    assertThat(run.accelerator().spec().id()).isEqualTo("A100-SXM4-80GB");
    assertThat(run.accelerator().written()).isEqualTo("A100-80GB:8");
    // the range is the flow entry `A100-80GB: 8`
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(1, 17, 1, 29));
    assertThat(slice(text, run.accelerator().range())).isEqualTo("A100-80GB: 8");
    assertThat(run.deviceCount()).isEqualTo(8);
    assertThat(run.devices().derivation()).isEqualTo("8 per node (A100-80GB:8)");
    assertThat(run.cloud()).isEqualTo(new CloudChoice("aws", SourceRange.of(2, 9, 2, 22)));
    assertThat(run.region().spec().key()).isEqualTo("aws:eu-west-1");
    assertThat(run.region().written()).isEqualTo("eu-west-1");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(2, 9, 2, 22));
    assertThat(slice(text, run.region().range())).isEqualTo("aws/eu-west-1");
    // no flags in the script
    assertThat(run.precision()).isNull();
    assertThat(run.schedule()).isNull();
  }

  @Test
  void infraWithZone() {
    String text = "resources:\n  accelerators: H100:8\n  infra: aws/us-east-1/us-east-1a\nrun: python x.py\nsetup: echo\n";
    Run run = run("sky.yaml", text);
    assertThat(run.region().spec().key()).isEqualTo("aws:us-east-1");
    assertThat(run.region().written()).isEqualTo("us-east-1a");
  }

  @Test
  void candidatesTakeTheFirstResolvableAccelerator() {
    String text = """
        resources:
          candidates:
            - accelerators: FOO9000:8
            - accelerators: A10G:4
            - accelerators: L4:1
        num_nodes: 3
        run: python x.py
        """;
    Run run = run("sky.yaml", text);
    assertThat(run.format()).isEqualTo("skypilot");
    assertThat(run.accelerator().spec().id()).isEqualTo("A10G");
    assertThat(run.accelerator().written()).isEqualTo("A10G:4");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(3, 20, 3, 26));
    // 4 per node x 3 nodes
    assertThat(run.deviceCount()).isEqualTo(12);
    assertThat(run.devices().derivation()).isEqualTo("4 per node (A10G:4) x 3 nodes (num_nodes)");
  }

  @Test
  void acceleratorWithoutCountIsOne() {
    String text = "resources:\n  accelerators: T4\nrun: python x.py\nsetup: echo\n";
    Run run = run("sky.yaml", text);
    assertThat(run.accelerator().spec().id()).isEqualTo("T4");
    assertThat(run.deviceCount()).isEqualTo(1);
  }

  @Test
  void zoneAloneResolvesTheGcpRegion() {
    String text = "resources:\n  accelerators: T4:1\n  zone: us-central1-a\nrun: python x.py\n";
    Run run = run("sky.yaml", text);
    assertThat(run.cloud()).isNull();
    assertThat(run.region().spec().key()).isEqualTo("gcp:us-central1");
    assertThat(run.region().written()).isEqualTo("us-central1-a");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(2, 8, 2, 21));
    assertThat(run.provider()).isEqualTo("gcp");
  }

  @Test
  void serviceMeansInference() {
    String text = "service:\n  readiness_probe: /\nresources:\n  accelerators: L4:1\nrun: python app.py\n";
    assertThat(run("sky.yaml", text).stage()).isEqualTo(Stage.INFERENCE);
  }

  @Test
  void vllmServeMeansInference() {
    String text = """
        resources:
          accelerators: L4:1
          cloud: gcp
          region: europe-north1
        envs:
          MODEL_NAME: meta-llama/Meta-Llama-3.1-8B-Instruct
        run: |
          vllm serve $MODEL_NAME --max-model-len 8192
        """;
    Run run = run("serve.yaml", text);
    assertThat(run.stage()).isEqualTo(Stage.INFERENCE);
    assertThat(run.model().billionParameters()).isEqualTo(8.03); // catalogue (EcoLogits)
    assertThat(run.region().spec().key()).isEqualTo("gcp:europe-north1");
  }

  @Test
  void scriptFp16AndEarlyStopping() {
    String text = "resources:\n  accelerators: V100:1\nrun: python t.py --fp16 --num_train_epochs=3 --early-stopping\n";
    Run run = run("sky.yaml", text);
    assertThat(run.precision().precision()).isEqualTo(Precision.FP16);
    assertThat(run.schedule().epochs()).isEqualTo(3.0);
    assertThat(run.schedule().earlyStopping()).isTrue();
  }

  @Test
  void unknownAcceleratorLeavesHardwareUnknown() {
    String text = "resources:\n  accelerators: FOO9000:8\nrun: python x.py\nsetup: echo\n";
    Run run = run("sky.yaml", text);
    assertThat(run.accelerator()).isNull();
    assertThat(run.devices()).isNull();
  }

  @Test
  void zeroOrHugeNumNodesDoNotThrow() {
    for (String nodes : new String[] {"0", "-2", "1000000000"}) {
      String text = "resources:\n  accelerators: V100:8\nnum_nodes: " + nodes + "\nrun: python x.py\n";
      assertThatCode(() -> ExtractTesting.extractAll("sky.yaml", text)).as("num_nodes " + nodes)
          .doesNotThrowAnyException();
    }
  }

  // ------------------------------------------------------------------------------------- fixes

  @Test
  void useAcceleratorReplacesTheValueKeepingTheCount() {
    String text = "name: old\nresources:\n  infra: aws/ap-south-1\n  accelerators: K80:4\nrun: python train.py --epochs 90\n";
    ExtractedRun e = extracted("sky.yaml", text);
    Fix fix = e.fixes().fixFor(new ProposedChange.UseAccelerator(REF.accelerator("A100-SXM4-40GB").orElseThrow()))
        .orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(3, 16, 3, 21), "A100:4"));
    assertThat(apply(text, fix.edits())).contains("  accelerators: A100:4\n");
  }

  @Test
  void moveToRegionReplacesInfraOrRegion() {
    String infra = "resources:\n  infra: aws/ap-south-1\n  accelerators: K80:4\nrun: python train.py\nsetup: echo\n";
    ExtractedRun e = extracted("sky.yaml", infra);
    var eunorth = REF.region("aws", "eu-north-1").orElseThrow();
    Fix fix = e.fixes().fixFor(new ProposedChange.MoveToRegion(eunorth)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(1, 9, 1, 23), "aws/eu-north-1"));

    ExtractedRun r = extracted("task.yaml", TRAIN);
    Fix regionFix = r.fixes().fixFor(new ProposedChange.MoveToRegion(eunorth)).orElseThrow();
    assertThat(regionFix.edits()).containsExactly(new TextEdit(SourceRange.of(4, 10, 4, 19), "eu-north-1"));
    assertThat(apply(TRAIN, regionFix.edits())).contains("  region: eu-north-1\n");
  }

  @Test
  void moveToRegionInsertsRegionAfterFlowAcceleratorsLine() {
    String text = "resources:\n  cloud: aws\n  accelerators: {A100: 8}  # big\nrun: python x.py\n";
    ExtractedRun e = extracted("sky.yaml", text);
    Fix fix = e.fixes().fixFor(new ProposedChange.MoveToRegion(REF.region("aws", "eu-north-1").orElseThrow()))
        .orElseThrow();
    // after the last entry's line (and its comment), with the siblings' indentation
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(2, 32, 2, 32), "\n  region: eu-north-1"));
    assertThat(apply(text, fix.edits()))
        .isEqualTo("resources:\n  cloud: aws\n  accelerators: {A100: 8}  # big\n  region: eu-north-1\nrun: python x.py\n");
  }

  @Test
  void noRegionFixForAZone() {
    String text = "resources:\n  accelerators: T4:1\n  zone: us-central1-a\nrun: python x.py\n";
    ExtractedRun e = extracted("sky.yaml", text);
    assertThat(e.fixes().fixFor(new ProposedChange.MoveToRegion(REF.region("gcp", "europe-north1").orElseThrow())))
        .isEmpty();
  }
}
