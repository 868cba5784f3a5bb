package dev.carbonlens.extract;

import static dev.carbonlens.extract.ConfigFormatsTesting.extractWith;
import static dev.carbonlens.extract.ConfigFormatsTesting.resource;
import static dev.carbonlens.extract.ConfigFormatsTesting.runWith;
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
import dev.carbonlens.model.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccelerateExtractorTest {
  private static final AccelerateExtractor ACC = new AccelerateExtractor();

  @Test
  void localDeepSpeedAndSageMakerDocuments() {
    String text = resource("extract/accelerate/deepspeed-and-sagemaker.yaml");
    List<ExtractedRun> runs = extractWith(ACC, "default_config.yaml", text);
    assertThat(runs).hasSize(2);

    Run local = runs.get(0).run();
    assertThat(local.format()).isEqualTo("accelerate");
    assertThat(local.index()).isZero();
    assertThat(local.stage()).isEqualTo(Stage.TRAINING);
    assertThat(local.range()).isEqualTo(SourceRange.of(1, 0, 1, 19));
    // quoted key and quoted value
    assertThat(local.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(11, 0, 11, 25)));
    assertThat(slice(text, local.precision().range())).isEqualTo("\"mixed_precision\": 'bf16'");
    // num_processes "16" is the total over both machines; use_cpu is an alias of `false`
    assertThat(local.devices().count()).isEqualTo(16);
    assertThat(local.devices().derivation()).isEqualTo(
        "num_processes 16 (accelerate counts processes across all machines: 2 machines (num_machines) x 8 each; one device per process)");
    assertThat(local.devices().range()).isEqualTo(SourceRange.of(13, 0, 13, 19));
    assertThat(local.workload()).isEqualTo(new Workload(null, null, null, null, 4));
    assertThat(local.accelerator()).isNull();
    assertThat(local.cloud()).isNull();

    Run sagemaker = runs.get(1).run();
    assertThat(sagemaker.index()).isEqualTo(1);
    assertThat(sagemaker.range()).isEqualTo(SourceRange.of(16, 0, 16, 19));
    assertThat(sagemaker.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, true, SourceRange.of(20, 0, 20, 21)));
    assertThat(sagemaker.cloud()).isEqualTo(new CloudChoice("aws", SourceRange.of(16, 21, 16, 37)));
    assertThat(sagemaker.region().spec().key()).isEqualTo("aws:us-west-2");
    assertThat(sagemaker.region().range()).isEqualTo(SourceRange.of(22, 8, 22, 17));
    assertThat(sagemaker.accelerator().spec().id()).isEqualTo("A100-SXM4-40GB");
    assertThat(sagemaker.accelerator().written()).isEqualTo("ml.p4d.24xlarge");
    assertThat(sagemaker.accelerator().range()).isEqualTo(SourceRange.of(18, 19, 18, 34));
    assertThat(sagemaker.devices().count()).isEqualTo(16);
    assertThat(sagemaker.devices().derivation()).isEqualTo("8 per instance (ml.p4d.24xlarge) x 2 instances (num_machines)");
  }

  @Test
  void noMixedPrecisionIsAcceleratesFp32DefaultAndNoIsASingleProcess() {
    String text = "compute_environment: LOCAL_MACHINE\ndistributed_type: 'NO'\nuse_cpu: false\n";
    Run run = runWith(ACC, "c.yaml", text);
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, false, SourceRange.of(0, 0, 0, 19)));
    assertThat(run.devices().count()).isEqualTo(1);
    assertThat(run.devices().derivation()).isEqualTo("distributed_type NO: a single process on one device");
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(1, 0, 1, 22));
  }

  @Test
  void gpuIdsPerMachineWhenNumProcessesIsMissingAndCpuRunsHaveNoDevices() {
    Run ids = runWith(ACC, "c.yaml", "distributed_type: MULTI_GPU\ngpu_ids: 0,1,2,3\nnum_machines: 2\nmixed_precision: fp16\n");
    assertThat(ids.devices().count()).isEqualTo(8);
    assertThat(ids.devices().derivation()).isEqualTo("4 per machine (gpu_ids) x 2 machines (num_machines)");
    assertThat(ids.precision().precision()).isEqualTo(Precision.FP16);
    Run cpu = runWith(ACC, "c.yaml", "distributed_type: MULTI_CPU\nnum_processes: 4\nmixed_precision: 'no'\n");
    assertThat(cpu.devices()).isNull();
    Run all = runWith(ACC, "c.yaml", "distributed_type: MULTI_GPU\ngpu_ids: all\nmixed_precision: fp8\n");
    assertThat(all.devices()).isNull();
    assertThat(all.precision().precision()).isEqualTo(Precision.FP8);
  }

  @Test
  void fixSetsMixedPrecision() {
    String text = "compute_environment: LOCAL_MACHINE\ndistributed_type: MULTI_GPU\nmixed_precision: 'no'\nnum_processes: 2\n";
    Fix fix = extractWith(ACC, "c.yaml", text).get(0).fixes()
        .fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(ExtractTesting.apply(text, fix.edits())).contains("mixed_precision: bf16\n");
  }

  @Test
  void otherYamlIsNotAccelerate() {
    for (String text : List.of("mixed_precision: bf16\nnum_processes: 8\n", "distributed_type: whatever\nnum_processes: 2\n",
        "distributed_type: FSDP\n", "output_dir: x\nbf16: true\nnum_train_epochs: 3\n")) {
      assertThat(ConfigFormatsTesting.recognisesAnyRoot(ACC, "c.yaml", text)).as(text).isFalse();
    }
  }

  @Test
  void malformedFilesDoNotThrow() {
    for (String text : List.of("distributed_type: FSDP\nnum_processes: [\n", "distributed_type: FSDP\nnum_processes: -3\n"
        + "num_machines: 0\ngpu_ids: {}\nmixed_precision: {}\ndeepspeed_config: 3\n",
        "compute_environment: AMAZON_SAGEMAKER\nec2_instance_type: [x]\nregion: {}\nnum_machines: 99999999999999\n"
        + "distributed_type: NO\nnum_processes: 99999999999999\n")) {
      assertThatCode(() -> extractWith(ACC, "c.yaml", text)).as(text).doesNotThrowAnyException();
    }
  }
}
