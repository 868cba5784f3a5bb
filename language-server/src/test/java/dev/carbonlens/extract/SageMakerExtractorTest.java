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
import java.util.List;
import org.junit.jupiter.api.Test;

class SageMakerExtractorTest {
  private final SageMakerExtractor extractor = new SageMakerExtractor();

  @Test
  void createTrainingJobRequest() {
    String text = fixture("sagemaker/training-job.json");
    Run run = run("training-job.json", text);
    assertThat(run.format()).isEqualTo("sagemaker");
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING); // a pretrained model is named
    SourceRange anchor = SourceRange.of(14, 2, 14, 18); // "ResourceConfig"
    assertThat(run.range()).isEqualTo(anchor);
    assertThat(run.cloud()).isEqualTo(new CloudChoice("aws", anchor));

    // ml.p4d.24xlarge: 8 x A100 40GB per instance, x InstanceCount 2
    assertThat(run.accelerator().spec().id()).isEqualTo("A100-SXM4-40GB");
    assertThat(run.accelerator().written()).isEqualTo("ml.p4d.24xlarge (8 x A100-SXM4-40GB)");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(15, 4, 15, 37));
    assertThat(slice(text, run.accelerator().range())).isEqualTo("\"InstanceType\": \"ml.p4d.24xlarge\"");
    assertThat(run.devices().count()).isEqualTo(16);
    assertThat(run.devices().derivation())
        .isEqualTo("8 per node (ml.p4d.24xlarge (8 x A100-SXM4-40GB)) x 2 instances (InstanceCount)");
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(15, 4, 15, 37));

    assertThat(run.duration()).isEqualTo(new StatedDuration(24.0, SourceRange.of(20, 4, 20, 32)));

    // HyperParameters are all strings; the SDK's JSON-encoded "\"...\"" is read through
    assertThat(run.model().id()).isEqualTo("bert-large-uncased");
    assertThat(run.model().billionParameters()).isEqualTo(0.34);
    assertThat(run.model().range()).isEqualTo(SourceRange.of(8, 26, 8, 50));
    assertThat(run.schedule().epochs()).isEqualTo(3.0);
    assertThat(run.schedule().epochsStated()).isTrue();
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(9, 4, 9, 27));
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP16, true, SourceRange.of(11, 4, 11, 18)));
    assertThat(run.workload().perDeviceBatch()).isEqualTo(32);
    assertThat(run.workload().sequenceLength()).isEqualTo(384);

    // region read from the ECR image URI (763104351884.dkr.ecr.eu-west-1.amazonaws.com/...)
    assertThat(run.region().spec().key()).isEqualTo("aws:eu-west-1");
    assertThat(run.region().written()).isEqualTo("eu-west-1");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(3, 4, 3, 149));
    assertThat(slice(text, run.region().range())).startsWith("\"TrainingImage\": \"763104351884.dkr.ecr.eu-west-1");
  }

  @Test
  void estimatorSettingsWithQuotedKeyStringNumbersAndDisplayNameRegion() {
    String text = fixture("sagemaker/estimator.yaml");
    Run run = run("estimator.yaml", text);
    assertThat(run.format()).isEqualTo("sagemaker");
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING);
    assertThat(run.range()).isEqualTo(SourceRange.of(3, 0, 3, 15)); // the quoted "instance_type" key

    // ml.g5.12xlarge: 4 x A10G, instance_count "2"
    assertThat(run.accelerator().spec().id()).isEqualTo("A10G");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(3, 0, 3, 31));
    assertThat(slice(text, run.accelerator().range())).isEqualTo("\"instance_type\": ml.g5.12xlarge");
    assertThat(run.devices().count()).isEqualTo(8);
    assertThat(run.devices().derivation())
        .isEqualTo("4 per node (ml.g5.12xlarge (4 x A10G)) x 2 instances (instance_count)");

    // "US East (Ohio)" is the console's name for us-east-2
    assertThat(run.region().spec().key()).isEqualTo("aws:us-east-2");
    assertThat(run.region().written()).isEqualTo("US East (Ohio)");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(6, 0, 6, 22));

    assertThat(run.duration()).isEqualTo(new StatedDuration(10.0, SourceRange.of(7, 0, 7, 16)));
    assertThat(run.model().id()).isEqualTo("meta-llama/Llama-2-7b-hf");
    assertThat(run.model().billionParameters()).isEqualTo(6.74);
    assertThat(run.model().range()).isEqualTo(SourceRange.of(10, 12, 10, 36));
    assertThat(run.schedule().epochs()).isEqualTo(2.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(11, 2, 11, 13));
    // 'True' as a quoted string still turns bf16 on
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(12, 2, 12, 16)));
    assertThat(run.workload().perDeviceBatch()).isEqualTo(4);
  }

  @Test
  void endpointConfigIsInference() {
    String text = fixture("sagemaker/endpoint-config.json");
    Run run = run("endpoint-config.json", text);
    assertThat(run.stage()).isEqualTo(Stage.INFERENCE);
    assertThat(run.range()).isEqualTo(SourceRange.of(2, 2, 2, 22));
    assertThat(run.accelerator().spec().id()).isEqualTo("A10G");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(7, 6, 7, 38));
    assertThat(run.devices().count()).isEqualTo(12); // 4 x A10G x InitialInstanceCount "3"
    assertThat(run.devices().derivation())
        .isEqualTo("4 per node (ml.g5.12xlarge (4 x A10G)) x 3 instances (InitialInstanceCount)");
    assertThat(run.serving().replicas()).isEqualTo(3);
    assertThat(run.serving().range()).isEqualTo(SourceRange.of(6, 6, 6, 33));
    assertThat(run.model().id()).isEqualTo("meta-llama/Llama-2-13b-chat-hf");
    assertThat(run.model().range()).isEqualTo(SourceRange.of(5, 19, 5, 51));
    // the KMS key's ARN names the region
    assertThat(run.region().spec().key()).isEqualTo("aws:ap-south-1");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(11, 2, 11, 92));
  }

  @Test
  void estimatorWithoutRegionKeyReadsAwsRegionFromTheEnvironment() {
    String text = """
        image_uri: my-registry/train:latest
        instance_type: ml.p3.2xlarge
        instance_count: 1
        environment:
          AWS_REGION: eu-central-1
        hyperparameters:
          epochs: 10
        """;
    Run run = run("est.yaml", text);
    assertThat(run.stage()).isEqualTo(Stage.TRAINING);
    assertThat(run.region().spec().key()).isEqualTo("aws:eu-central-1");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(4, 2, 4, 26));
    assertThat(run.schedule().epochs()).isEqualTo(10.0);
  }

  @Test
  void detectionIsStrict() {
    assertThat(recognises("{\"TrainingJobName\": \"x\", \"ResourceConfig\": {\"InstanceType\": \"ml.p3.2xlarge\"}}"))
        .isTrue();
    assertThat(recognises("instance_type: ml.p3.2xlarge\ninstance_count: 1\nentry_point: train.py\n")).isTrue();
    assertThat(recognises("config:\n  instance_type: ml.c5.xlarge\n  instance_count: 1\n  sagemaker_role: r\n"))
        .isTrue();
    // SkyPilot / plain EC2 instance types, or an instance type alone, are not SageMaker
    assertThat(recognises("resources:\n  instance_type: p3.2xlarge\nnum_nodes: 1\nrun: python train.py\n")).isFalse();
    assertThat(recognises("instance_type: ml.p3.2xlarge\n")).isFalse();
    assertThat(recognises("ResourceConfig: x\n")).isFalse();
    assertThat(recognises("output_dir: out\nnum_train_epochs: 3\n")).isFalse();
  }

  @Test
  void malformedFilesDoNotThrow() {
    for (String text : List.of(fixture("sagemaker/malformed.yaml"), "{\"ResourceConfig\": {\"InstanceType\": ",
        "ResourceConfig:\n  InstanceType: ml.p4d.24xlarge\n  InstanceCount: 0\nRoleArn: 7\n")) {
      ParsedDocument doc = DocumentParser.parse("bad.yaml", text);
      assertThatCode(() -> CloudJobTesting.EXTRACTORS.extract("bad.yaml", doc, REF)).doesNotThrowAnyException();
    }
    Run run = run("malformed.yaml", fixture("sagemaker/malformed.yaml"));
    assertThat(run.accelerator()).isNull();
    assertThat(run.duration()).isNull();
    assertThat(run.region()).isNull();
  }

  private boolean recognises(String text) {
    ParsedDocument doc = DocumentParser.parse("x", text);
    return doc.rootMapping().map(m -> extractor.recognises("x", m)).orElse(false);
  }

}
