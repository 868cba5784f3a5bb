package dev.carbonlens.extract;

import static dev.carbonlens.extract.ExtractTesting.REF;
import static dev.carbonlens.extract.ExtractTesting.apply;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.CloudChoice;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubernetesExtractorTest {
  private static final KubernetesExtractor EXTRACTOR = new KubernetesExtractor();

  static String fixture(String path) {
    try (InputStream in = KubernetesExtractorTest.class.getResourceAsStream("/extract/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every run the extractor reads from the documents it recognises. */
  static List<ExtractedRun> runs(ConfigExtractor extractor, String name, String text) {
    ParsedDocument doc = DocumentParser.parse(name, text);
    List<ExtractedRun> out = new ArrayList<>();
    for (int i = 0; i < doc.roots().size(); i++) {
      DocNode root = doc.roots().get(i);
      if (root instanceof MappingNode m && extractor.recognises(name, m)) {
        out.addAll(extractor.extract(new ExtractionContext(name, doc, REF), m, i));
      }
    }
    return out;
  }

  @Test
  void pytorchJobWithAliasedWorkerTemplateInASecondDocument() {
    String text = fixture("kubernetes/pytorchjob.yaml");
    List<ExtractedRun> runs = runs(EXTRACTOR, "pytorchjob.yaml", text);
    assertThat(runs).hasSize(1); // the ConfigMap document is no run
    Run run = runs.get(0).run();
    assertThat(run.format()).isEqualTo("kubernetes");
    assertThat(run.index()).isEqualTo(1);
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING); // a pretrained model is named
    assertThat(run.range()).isEqualTo(SourceRange.of(7, 0, 7, 10));

    assertThat(run.accelerator().spec().id()).isEqualTo("A100-SXM4-40GB");
    assertThat(run.accelerator().written()).isEqualTo("nvidia-tesla-a100");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(20, 12, 20, 63));
    assertThat(run.cloud()).isEqualTo(new CloudChoice("gcp", SourceRange.of(20, 12, 20, 63)));
    // quoted label key
    assertThat(run.region().spec().key()).isEqualTo("gcp:asia-south1");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(21, 12, 21, 56));
    assertThat(slice(text, run.region().range())).isEqualTo("\"topology.kubernetes.io/region\": asia-south1");

    // Master 1 x 8 + Worker "3" x 8 (the Worker's template is an alias of the Master's)
    assertThat(run.devices().count()).isEqualTo(32);
    assertThat(run.devices().derivation()).isEqualTo(
        "8 per Master pod (nvidia.com/gpu) x 1 (Master replicas) + 8 per Worker pod (nvidia.com/gpu) x 3 (Worker replicas)");
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(36, 18, 36, 39));
    assertThat(slice(text, run.devices().range())).isEqualTo("\"nvidia.com/gpu\": \"8\"");

    // container args: `--bf16 'False'` is false, `--fp16` is set
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP16, true, SourceRange.of(33, 18, 33, 24)));
    assertThat(run.schedule().epochs()).isEqualTo(3.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(29, 18, 30, 21));
    assertThat(run.model().id()).isEqualTo("meta-llama/Llama-2-7b-hf");
    assertThat(run.model().range()).isEqualTo(SourceRange.of(28, 18, 28, 42));
    assertThat(run.duration().hours()).isEqualTo(2.0);
    assertThat(run.duration().range()).isEqualTo(SourceRange.of(13, 4, 13, 31));
    assertThat(run.serving()).isNull();
    assertThat(run.recurrence()).isNull();
  }

  @Test
  void cronJobRecurrenceAffinityProductLabelAndShellCommand() {
    String text = fixture("kubernetes/cronjob.yaml");
    List<ExtractedRun> runs = runs(EXTRACTOR, "cronjob.yaml", text);
    assertThat(runs).hasSize(1);
    Run run = runs.get(0).run();
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING);
    assertThat(run.range()).isEqualTo(SourceRange.of(0, 0, 0, 10));
    assertThat(run.recurrence().expression()).isEqualTo("0 * * * *");
    assertThat(run.recurrence().runsPerDay()).isEqualTo(24.0);
    assertThat(run.recurrence().range()).isEqualTo(SourceRange.of(5, 2, 5, 23));

    assertThat(run.accelerator().spec().id()).isEqualTo("A100-SXM4-80GB");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(18, 33, 18, 56));
    // parallelism "2" (a string) x 1 requested GPU
    assertThat(run.devices().count()).isEqualTo(2);
    assertThat(run.devices().derivation()).isEqualTo("1 per Job pod (nvidia.com/gpu) x 2 (parallelism)");
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(33, 18, 33, 35));
    // AWS_REGION in the environment
    assertThat(run.region().spec().key()).isEqualTo("aws:eu-west-1");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(27, 24, 28, 34));
    assertThat(run.provider()).isEqualTo("aws");
    assertThat(run.model().id()).isEqualTo("bert-base-uncased");
    assertThat(run.model().range()).isEqualTo(SourceRange.of(30, 25, 30, 44));

    // flags inside `sh -c "..."`, each at its own position
    assertThat(run.schedule().epochs()).isEqualTo(2.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(25, 36, 25, 56));
    assertThat(slice(text, run.schedule().epochsRange())).isEqualTo("--num_train_epochs 2");
    assertThat(run.checkpointing().everySteps()).isEqualTo(50L);
    assertThat(run.checkpointing().range()).isEqualTo(SourceRange.of(25, 90, 25, 105));
    assertThat(run.workload().perDeviceBatch()).isEqualTo(16);
    assertThat(run.precision()).isNull(); // nothing says, and the script may choose
  }

  @Test
  void deploymentIsServingWithReplicasInstanceTypeAndZone() {
    String text = fixture("kubernetes/deployment.yaml");
    Run run = runs(EXTRACTOR, "deployment.yaml", text).get(0).run();
    assertThat(run.stage()).isEqualTo(Stage.INFERENCE);
    assertThat(run.accelerator().spec().id()).isEqualTo("A100-SXM4-40GB");
    assertThat(run.accelerator().written()).isEqualTo("p4d.24xlarge (8 x A100-SXM4-40GB)");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(9, 8, 9, 54));
    assertThat(run.cloud()).isEqualTo(new CloudChoice("aws", SourceRange.of(9, 8, 9, 54)));
    assertThat(run.region().spec().key()).isEqualTo("aws:us-east-1");
    assertThat(run.region().written()).isEqualTo("us-east-1a");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(10, 8, 10, 47));
    assertThat(run.devices().count()).isEqualTo(6);
    assertThat(run.devices().derivation()).isEqualTo("2 per Deployment pod (nvidia.com/gpu) x 3 replicas");
    assertThat(run.serving().replicas()).isEqualTo(3);
    assertThat(run.serving().range()).isEqualTo(SourceRange.of(5, 2, 5, 13));
  }

  @Test
  void regionAndAcceleratorFixesRewriteTheLabels() {
    String text = fixture("kubernetes/pytorchjob.yaml");
    ExtractedRun extracted = runs(EXTRACTOR, "pytorchjob.yaml", text).get(0);
    var fix = extracted.fixes().fixFor(new ProposedChange.MoveToRegion(REF.region("gcp", "europe-north1").orElseThrow()));
    assertThat(fix).isPresent();
    assertThat(apply(text, fix.get().edits())).contains("\"topology.kubernetes.io/region\": europe-north1");
    var gpu = extracted.fixes().fixFor(new ProposedChange.UseAccelerator(REF.accelerator("L4").orElseThrow()));
    assertThat(gpu).isPresent();
    assertThat(apply(text, gpu.get().edits())).contains("cloud.google.com/gke-accelerator: nvidia-l4");
  }

  @Test
  void malformedManifestsDoNotThrow() {
    String odd = fixture("kubernetes/malformed.yaml");
    assertThatCode(() -> runs(EXTRACTOR, "malformed.yaml", odd)).doesNotThrowAnyException();
    assertThat(runs(EXTRACTOR, "malformed.yaml", odd)).hasSize(1);
    Run run = runs(EXTRACTOR, "malformed.yaml", odd).get(0).run();
    assertThat(run.devices()).isNull();
    assertThat(run.accelerator()).isNull();
    String broken = "apiVersion: batch/v1\nkind: Job\nspec:\n  template: [1, 2\n  parallelism: {\n";
    assertThatCode(() -> runs(EXTRACTOR, "broken.yaml", broken)).doesNotThrowAnyException();
    String noSpec = "apiVersion: batch/v1\nkind: Job\nspec: null\n";
    assertThat(runs(EXTRACTOR, "nospec.yaml", noSpec)).isEmpty();
  }

  @Test
  void podsServicesAndServingEnginesAreNotThisFormat() {
    assertThat(runs(EXTRACTOR, "pod.yaml", FormatDetectionTest.K8S)).isEmpty();
    assertThat(runs(EXTRACTOR, "svc.yaml", "apiVersion: v1\nkind: Service\nspec:\n  ports: []\n")).isEmpty();
    assertThat(runs(EXTRACTOR, "vllm.yaml", fixture("serving/vllm-deployment.yaml"))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "0 * * * *|24.0", "*/15 * * * *|96.0", "0 0 * * *|1.0", "0 0 * * 0|0.14285714285714285",
      "0 0 * * 7|0.14285714285714285", "30 2 * * 1-5|0.7142857142857143", "0 */6 * * *|4.0", "0,30 9-17 * * *|18.0",
      "@hourly|24.0", "@daily|1.0", "0 0 1 * *|0.03285420944558522", "0 0 * 1 *|0.08333333333333333", "not a cron|null", "61 * * * *|null"})
  void cronRunsPerDay(String cron, Double expected) {
    assertThat(Cron.runsPerDay(cron)).isEqualTo(expected);
  }
}
