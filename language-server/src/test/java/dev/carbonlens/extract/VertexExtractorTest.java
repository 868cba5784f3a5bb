package dev.carbonlens.extract;

import static dev.carbonlens.extract.CloudJobTesting.fixture;
import static dev.carbonlens.extract.CloudJobTesting.run;
import static dev.carbonlens.extract.ExtractTesting.REF;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.model.CloudChoice;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.StatedDuration;
import dev.carbonlens.model.Sweep;
import java.util.List;
import org.junit.jupiter.api.Test;

class VertexExtractorTest {
  private final VertexExtractor extractor = new VertexExtractor();

  @Test
  void camelCaseCustomJobSumsPoolsAndReadsContainerArgs() {
    String text = fixture("vertex-ai/custom-job.yaml");
    Run run = run("custom-job.yaml", text);
    assertThat(run.format()).isEqualTo("vertex-ai");
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING);
    SourceRange anchor = SourceRange.of(3, 0, 3, 15); // workerPoolSpecs
    assertThat(run.range()).isEqualTo(anchor);
    assertThat(run.cloud()).isEqualTo(new CloudChoice("gcp", anchor));

    assertThat(run.accelerator().spec().id()).isEqualTo("A100-SXM4-80GB");
    assertThat(run.accelerator().written()).isEqualTo("NVIDIA_A100_80GB");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(6, 6, 6, 39));
    // 'acceleratorCount': "8" (quoted key, string number) x 1 replica + 8 x replicaCount "2"
    assertThat(run.devices().count()).isEqualTo(24);
    assertThat(run.devices().derivation())
        .isEqualTo("8 x NVIDIA_A100_80GB (pool 0) + 8 x NVIDIA_A100_80GB x 2 replicas (pool 1)");
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(6, 6, 6, 39));

    // "Iowa" is the display name of us-central1
    assertThat(run.region().spec().key()).isEqualTo("gcp:us-central1");
    assertThat(run.region().written()).isEqualTo("Iowa");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(2, 0, 2, 14));

    assertThat(run.duration()).isEqualTo(new StatedDuration(24.0, SourceRange.of(26, 2, 26, 19)));

    // container args, each with its own position
    assertThat(run.model().id()).isEqualTo("meta-llama/Llama-2-7b-hf");
    assertThat(run.model().range()).isEqualTo(SourceRange.of(13, 31, 13, 55));
    assertThat(run.schedule().epochs()).isEqualTo(3.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(14, 10, 15, 13));
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(16, 10, 16, 16)));
    assertThat(run.workload().perDeviceBatch()).isEqualTo(4);
  }

  @Test
  void snakeCaseSdkJobWithMachineTypeOnlyAndEndpointRegion() {
    String text = fixture("vertex-ai/custom-job-sdk.json");
    Run run = run("custom-job-sdk.json", text);
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING);
    assertThat(run.range()).isEqualTo(SourceRange.of(3, 2, 3, 21));
    // a3-highgpu-8g resolves through the instance table
    assertThat(run.accelerator().spec().id()).isEqualTo("H100-SXM");
    assertThat(run.accelerator().written()).isEqualTo("a3-highgpu-8g (8 x H100-SXM)");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(5, 23, 5, 54));
    assertThat(slice(text, run.accelerator().range())).isEqualTo("\"machine_type\": \"a3-highgpu-8g\"");
    assertThat(run.devices().count()).isEqualTo(8);
    assertThat(run.devices().derivation()).isEqualTo("8 x a3-highgpu-8g (8 x H100-SXM) (pool 0)");
    // europe-west4-aiplatform.googleapis.com
    assertThat(run.region().spec().key()).isEqualTo("gcp:europe-west4");
    assertThat(run.region().written()).isEqualTo("europe-west4");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(2, 2, 2, 58));
    assertThat(run.duration()).isEqualTo(new StatedDuration(2.0, SourceRange.of(14, 17, 14, 35)));
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP16, true, SourceRange.of(9, 39, 9, 47)));
    assertThat(run.schedule().maxSteps()).isEqualTo(5000L);
    assertThat(run.schedule().maxStepsRange()).isEqualTo(SourceRange.of(9, 49, 9, 70));
    // the model from the container's env list
    assertThat(run.model().id()).isEqualTo("google/gemma-7b");
    assertThat(run.model().billionParameters()).isEqualTo(8.54);
    assertThat(run.model().range()).isEqualTo(SourceRange.of(10, 46, 10, 63));
  }

  @Test
  void hyperparameterTuningJobIsASweep() {
    String text = fixture("vertex-ai/hp-tuning-job.json");
    Run run = run("hp-tuning-job.json", text);
    assertThat(run.stage()).isEqualTo(Stage.SWEEP);
    assertThat(run.range()).isEqualTo(SourceRange.of(14, 4, 14, 21));
    // grid over 3 x 2 values, 6 trials, median stopping
    assertThat(run.sweep()).isEqualTo(new Sweep("grid", 6L, 6L, true, SourceRange.of(2, 2, 2, 13)));
    assertThat(run.accelerator().spec().id()).isEqualTo("T4");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(16, 56, 16, 92));
    assertThat(run.devices().count()).isEqualTo(1);
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(16, 94, 16, 115));
    assertThat(run.schedule().epochs()).isEqualTo(20.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(18, 82, 18, 98));
    assertThat(run.region()).isNull(); // not stated anywhere
  }

  @Test
  void legacyAiPlatformTrainingInput() {
    String text = """
        trainingInput:
          scaleTier: CUSTOM
          masterType: complex_model_m_v100
          workerType: complex_model_m_v100
          workerCount: '3'
          region: us-east1
          scheduling:
            maxRunningTime: 7200s
        """;
    Run run = run("legacy.yaml", text);
    assertThat(run.stage()).isEqualTo(Stage.TRAINING);
    assertThat(run.accelerator().spec().id()).isEqualTo("V100-SXM2-16GB");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(2, 2, 2, 34));
    // 4 (master) + 4 x 3 workers
    assertThat(run.devices().count()).isEqualTo(16);
    assertThat(run.region().spec().key()).isEqualTo("gcp:us-east1");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(5, 2, 5, 18));
    assertThat(run.duration()).isEqualTo(new StatedDuration(2.0, SourceRange.of(7, 4, 7, 25)));
  }

  @Test
  void flatLauncherConfig() {
    String text = """
        {
          "project_id": "my-project",
          "region": "us-central1",
          "machine_type": "a3-megagpu-8g",
          "gpu_type": "NVIDIA_H100_MEGA_80GB",
          "gpus_per_node": "8",
          "nodes": "2"
        }
        """;
    Run run = run("job_config.json", text);
    assertThat(run.accelerator().spec().id()).isEqualTo("H100-SXM");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(4, 2, 4, 37));
    assertThat(run.devices().count()).isEqualTo(16);
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(5, 2, 5, 22));
    assertThat(run.region().spec().key()).isEqualTo("gcp:us-central1");
  }

  @Test
  void detectionIsStrict() {
    assertThat(recognises("workerPoolSpecs:\n  - machineSpec:\n      machineType: n1-standard-4\n")).isTrue();
    assertThat(recognises("{\"jobSpec\": {\"worker_pool_specs\": [{\"machine_spec\": {}}]}}")).isTrue();
    assertThat(recognises("workerPoolSpecs:\n  - replicaCount: 1\n")).isFalse();
    assertThat(recognises("machine_type: a3-highgpu-8g\n")).isFalse(); // no project, no place
    assertThat(recognises("trainingInput: 3\n")).isFalse();
    assertThat(recognises("resources:\n  accelerators: A100:8\nnum_nodes: 1\nrun: python train.py\n")).isFalse();
  }

  @Test
  void malformedFilesDoNotThrow() {
    for (String text : List.of(fixture("vertex-ai/malformed.yaml"), "workerPoolSpecs: [{machineSpec: {",
        "trainingInput:\n  hyperparameters:\n    params: 7\n    maxTrials: x\n  masterConfig: []\n")) {
      ParsedDocument doc = DocumentParser.parse("bad.yaml", text);
      assertThatCode(() -> CloudJobTesting.EXTRACTORS.extract("bad.yaml", doc, REF)).doesNotThrowAnyException();
    }
    Run run = run("malformed.yaml", fixture("vertex-ai/malformed.yaml"));
    assertThat(run.accelerator()).isNull();
    assertThat(run.devices()).isNull();
    assertThat(run.duration()).isNull();
  }

  private boolean recognises(String text) {
    ParsedDocument doc = DocumentParser.parse("x", text);
    return doc.rootMapping().map(m -> extractor.recognises("x", m)).orElse(false);
  }
}
