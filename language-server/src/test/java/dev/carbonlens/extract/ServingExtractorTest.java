package dev.carbonlens.extract;

import static dev.carbonlens.extract.ExtractTesting.slice;
import static dev.carbonlens.extract.KubernetesExtractorTest.fixture;
import static dev.carbonlens.extract.KubernetesExtractorTest.runs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.model.CloudChoice;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Serving;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServingExtractorTest {
  private static final ServingExtractor EXTRACTOR = new ServingExtractor();

  @Test
  void vllmConfigFileWithQuotedKeyAndStringCount() {
    String text = fixture("serving/vllm-config.yaml");
    List<ExtractedRun> runs = runs(EXTRACTOR, "vllm-config.yaml", text);
    assertThat(runs).hasSize(1);
    Run run = runs.get(0).run();
    assertThat(run.format()).isEqualTo("serving");
    assertThat(run.stage()).isEqualTo(Stage.INFERENCE);
    assertThat(run.range()).isEqualTo(SourceRange.of(1, 0, 1, 5));
    assertThat(run.model().id()).isEqualTo("meta-llama/Meta-Llama-3-8B-Instruct");
    assertThat(run.model().range()).isEqualTo(SourceRange.of(1, 7, 1, 44));
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, true, SourceRange.of(2, 0, 2, 14)));
    // "tensor-parallel-size": "2"
    assertThat(run.devices().count()).isEqualTo(2);
    assertThat(run.devices().derivation()).isEqualTo("2 (tensor-parallel-size)");
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(3, 0, 3, 27));
    assertThat(run.serving()).isEqualTo(new Serving("float32", null, 256, 8192, null, SourceRange.of(2, 0, 2, 14)));
    assertThat(run.accelerator()).isNull();
  }

  @Test
  void vllmDeploymentInTheSecondDocument() {
    String text = fixture("serving/vllm-deployment.yaml");
    List<ExtractedRun> runs = runs(EXTRACTOR, "vllm-deployment.yaml", text);
    assertThat(runs).hasSize(1);
    Run run = runs.get(0).run();
    assertThat(run.index()).isEqualTo(1);
    assertThat(run.format()).isEqualTo("serving");
    assertThat(run.stage()).isEqualTo(Stage.INFERENCE);
    assertThat(run.range()).isEqualTo(SourceRange.of(8, 0, 8, 10));
    assertThat(run.accelerator().spec().id()).isEqualTo("L4");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(17, 8, 17, 51));
    assertThat(run.cloud()).isEqualTo(new CloudChoice("gcp", SourceRange.of(17, 8, 17, 51)));
    assertThat(run.region().spec().key()).isEqualTo("gcp:us-central1");
    assertThat(run.region().written()).isEqualTo("us-central1-a");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(18, 8, 18, 50));
    // replicas "2" x nvidia.com/gpu "1"
    assertThat(run.devices().count()).isEqualTo(2);
    assertThat(run.devices().derivation()).isEqualTo("1 per Deployment pod (nvidia.com/gpu) x 2 replicas");
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(29, 14, 29, 33));
    // `vllm serve $(MODEL_ID)`: the model is the env var's value, where it is written
    assertThat(run.model().id()).isEqualTo("Qwen/Qwen2.5-7B-Instruct-AWQ");
    assertThat(run.model().range()).isEqualTo(SourceRange.of(26, 21, 26, 49));
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP16, true, SourceRange.of(23, 17, 23, 34)));
    assertThat(slice(text, run.precision().range())).isEqualTo("\"--dtype\", \"half\"");
    assertThat(run.serving()).isEqualTo(new Serving("half", "awq", 64, null, 2, SourceRange.of(23, 17, 23, 34)));
  }

  @Test
  void tgiComposeServiceWithMergeKeys() {
    String text = fixture("serving/tgi-compose.yaml");
    List<ExtractedRun> runs = runs(EXTRACTOR, "tgi-compose.yaml", text);
    assertThat(runs).hasSize(1); // the nginx service is no serving engine
    Run run = runs.get(0).run();
    assertThat(run.range()).isEqualTo(SourceRange.of(6, 2, 6, 6));
    // MODEL_ID and NUM_SHARD come through `<<: *env`, pointing at the anchored mapping
    assertThat(run.model().id()).isEqualTo("mistralai/Mistral-7B-Instruct-v0.2");
    assertThat(run.model().range()).isEqualTo(SourceRange.of(3, 14, 3, 48));
    assertThat(run.devices().count()).isEqualTo(4);
    assertThat(run.devices().derivation()).isEqualTo("2 per replica (devices count) x 2 replicas");
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(19, 14, 19, 22));
    // no dtype: the engine's choice, bf16 where the GPU has it, not stated
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, false, SourceRange.of(6, 2, 6, 6)));
    assertThat(run.serving()).isEqualTo(new Serving(null, "gptq", 4096, 8192, 2, SourceRange.of(10, 6, 10, 20)));
  }

  @Test
  void productionStackHelmValues() {
    String text = fixture("serving/helm-values.yaml");
    List<ExtractedRun> runs = runs(EXTRACTOR, "helm-values.yaml", text);
    assertThat(runs).hasSize(1);
    Run run = runs.get(0).run();
    assertThat(run.range()).isEqualTo(SourceRange.of(3, 4, 3, 8));
    assertThat(run.model().id()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    assertThat(run.model().range()).isEqualTo(SourceRange.of(6, 14, 6, 48));
    assertThat(run.accelerator().spec().id()).isEqualTo("T4");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(18, 16, 18, 33));
    assertThat(run.devices().count()).isEqualTo(2);
    assertThat(run.devices().derivation()).isEqualTo("1 per replica (requestGPU) x 2 replicas (replicaCount)");
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(8, 4, 8, 17));
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(10, 6, 10, 23)));
    assertThat(run.serving()).isEqualTo(new Serving("bfloat16", null, 128, 4096, 2, SourceRange.of(10, 6, 10, 23)));
  }

  @Test
  void dtypeAutoIsTheEnginesChoiceAndFp16OnGpusWithoutBf16() {
    String text = "model: Qwen/Qwen2.5-7B-Instruct\ndtype: auto\nmax_model_len: 4096\n";
    Run run = runs(EXTRACTOR, "c.yaml", text).get(0).run();
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, false, SourceRange.of(1, 0, 1, 11)));
    assertThat(ServingFlags.precision(java.util.Optional.empty(), java.util.Optional.empty(), null,
        SourceRange.NONE, false).precision()).isEqualTo(Precision.FP16);
    String fp8 = "model: m\nquantization: \"FP8\"\nmax-model-len: 1024\n";
    assertThat(runs(EXTRACTOR, "c.yaml", fp8).get(0).run().precision())
        .isEqualTo(new PrecisionChoice(Precision.FP8, true, SourceRange.of(1, 0, 1, 19)));
  }

  @Test
  void otherFilesAreNotServingAndMalformedOnesDoNotThrow() {
    for (String text : List.of(FormatDetectionTest.DOCKER_COMPOSE, FormatDetectionTest.HF, FormatDetectionTest.K8S,
        FormatDetectionTest.SKY, "model: gpt2\nlearning_rate: 1e-4\n", fixture("kubernetes/pytorchjob.yaml"))) {
      assertThat(runs(EXTRACTOR, "x.yaml", text)).as(text).isEmpty();
    }
    for (String text : List.of(
        "servingEngineSpec:\n  modelSpec:\n  - modelURL: [1]\n    replicaCount: -1\n    requestGPU: x\n    vllmConfig: 3\n",
        "services:\n  s:\n    image: vllm/vllm-openai\n    command: {a: b}\n    environment: 7\n    deploy: {resources: {reservations: {devices: [{count: all}]}}}\n",
        "tensor-parallel-size: 0\nmax-model-len: -5\nmodel: ~\n",
        "model: x\nnum_shard: [\n")) {
      assertThatCode(() -> {
        var doc = DocumentParser.parse("m.yaml", text);
        for (int i = 0; i < doc.roots().size(); i++) {
          if (doc.roots().get(i) instanceof MappingNode m && EXTRACTOR.recognises("m.yaml", m)) {
            EXTRACTOR.extract(new ExtractionContext("m.yaml", doc, ExtractTesting.REF), m, i);
          }
        }
      }).as(text).doesNotThrowAnyException();
    }
  }
}
