package dev.carbonlens.extract;

import static dev.carbonlens.extract.ConfigFormatsTesting.extractWith;
import static dev.carbonlens.extract.ConfigFormatsTesting.resource;
import static dev.carbonlens.extract.ConfigFormatsTesting.runWith;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Logging;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeepSpeedExtractorTest {
  private static final DeepSpeedExtractor DS = new DeepSpeedExtractor();

  @Test
  void jsoncWithStringNumbersAndBf16() {
    String text = resource("extract/deepspeed/zero2-bf16.jsonc");
    Run run = runWith(DS, "ds_config.jsonc", text);
    assertThat(run.format()).isEqualTo("deepspeed");
    assertThat(run.stage()).isEqualTo(Stage.TRAINING);
    assertThat(run.range()).isEqualTo(SourceRange.of(2, 2, 2, 20)); // the first key, "train_batch_size"

    // bf16 "true" (a string) wins; fp16 'False' is off
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(6, 11, 6, 28)));
    assertThat(slice(text, run.precision().range())).isEqualTo("\"enabled\": \"true\"");

    // "256" / (8 x "4") = 8 data-parallel devices
    assertThat(run.workload()).isEqualTo(new Workload(null, null, null, 8, 4, null, 256));
    assertThat(run.devices().count()).isEqualTo(8);
    assertThat(run.devices().derivation()).isEqualTo(
        "train_batch_size 256 / (train_micro_batch_size_per_gpu 8 x gradient_accumulation_steps 4) = 8 data-parallel devices");
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(2, 2, 2, 27));
    assertThat(slice(text, run.devices().range())).isEqualTo("\"train_batch_size\": \"256\"");

    assertThat(run.logging()).isEqualTo(new Logging(100L, SourceRange.of(5, 2, 5, 24)));
    assertThat(run.sweep()).isNull();
    assertThat(run.accelerator()).isNull();
    assertThat(run.model()).isNull();

    MappingNode root = DocumentParser.parse("ds_config.jsonc", text).rootMapping().orElseThrow();
    assertThat(DeepSpeedExtractor.zeroStage(root)).isEqualTo(2);
    assertThat(DeepSpeedExtractor.offloads(root)).containsExactly("offload_optimizer:cpu");
  }

  @Test
  void yamlWithQuotedKeyAnchorMergeKeyAndAuto() {
    String text = resource("extract/deepspeed/zero3-off.yaml");
    Run run = runWith(DS, "ds_config.yaml", text);
    assertThat(run.range()).isEqualTo(SourceRange.of(0, 0, 0, 32)); // the quoted first key
    // bf16 merges fp16's section and overrides enabled with "no": both off → fp32 by choice
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, true, SourceRange.of(7, 2, 7, 15)));
    assertThat(slice(text, run.precision().range())).isEqualTo("enabled: \"no\"");
    // micro batch "auto" is unknown; accumulation "8" is read
    assertThat(run.workload()).isEqualTo(new Workload(null, null, null, null, 8, null, null));
    assertThat(run.devices()).isNull();
    assertThat(run.logging()).isNull();
    MappingNode root = DocumentParser.parse("ds_config.yaml", text).rootMapping().orElseThrow();
    assertThat(DeepSpeedExtractor.zeroStage(root)).isEqualTo(3);
    assertThat(DeepSpeedExtractor.offloads(root)).isEmpty(); // device: none
  }

  @Test
  void noPrecisionSectionIsDeepSpeedsFp32DefaultAtTheAnchor() {
    String text = "{\n  \"train_batch_size\": 32,\n  \"zero_optimization\": {\"stage\": 1}\n}\n";
    Run run = runWith(DS, "ds.json", text);
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, false, SourceRange.of(1, 2, 1, 20)));
    assertThat(run.precision().range()).isEqualTo(run.range());
  }

  @Test
  void autoPrecisionIsLeftToTheLauncher() {
    String text = "{\"train_batch_size\": \"auto\", \"fp16\": {\"enabled\": \"auto\"}, \"bf16\": {\"enabled\": \"auto\"},"
        + " \"zero_optimization\": {\"stage\": 3}}";
    Run run = runWith(DS, "ds.json", text);
    assertThat(run.precision()).isNull();
    assertThat(run.workload()).isEqualTo(Workload.UNKNOWN);
  }

  @Test
  void fp16SectionWithoutEnabledIsOnAndAmpCounts() {
    Run sectionOnly = runWith(DS, "ds.json", "{\"train_batch_size\": 8, \"fp16\": {\"loss_scale\": 0}, \"steps_per_print\": 1}");
    assertThat(sectionOnly.precision().precision()).isEqualTo(Precision.FP16);
    assertThat(sectionOnly.precision().stated()).isTrue();
    Run amp = runWith(DS, "ds.json", "{\"train_batch_size\": 8, \"amp\": {\"enabled\": true}, \"steps_per_print\": 1}");
    assertThat(amp.precision().precision()).isEqualTo(Precision.FP16);
  }

  @Test
  void autotuningIsASweepFact() {
    String text = "{\"train_batch_size\": 64, \"fp16\": {\"enabled\": true},\n \"autotuning\": {\"enabled\": true, \"fast\": false,"
        + " \"tuner_num_trials\": \"20\"}}";
    Run run = runWith(DS, "ds.json", text);
    assertThat(run.stage()).isEqualTo(Stage.TRAINING);
    assertThat(run.sweep().method()).isEqualTo("autotuning-gridsearch");
    assertThat(run.sweep().trials()).isEqualTo(20L);
    assertThat(run.sweep().earlyTermination()).isTrue(); // tuner_early_stopping defaults to 5
    assertThat(slice(text, run.sweep().range())).isEqualTo("\"enabled\": true");
  }

  @Test
  void fixEnablesTheExistingSection() {
    String text = "{\n  \"train_batch_size\": 16,\n  \"fp16\": {\"enabled\": true},\n  \"bf16\": {\"enabled\": false}\n}\n";
    ExtractedRun e = extractWith(DS, "ds.json", text).get(0);
    Fix fix = e.fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(ExtractTesting.apply(text, fix.edits()))
        .isEqualTo("{\n  \"train_batch_size\": 16,\n  \"fp16\": {\"enabled\": false},\n  \"bf16\": {\"enabled\": true}\n}\n");
  }

  @Test
  void otherJsonIsNotDeepSpeed() {
    for (String text : List.of("{\"fp16\": true, \"output_dir\": \"x\", \"num_train_epochs\": 3}",
        "{\"train_batch_size\": 32}", "{\"name\": \"x\", \"version\": \"1.0\"}", "{}")) {
      assertThat(ConfigFormatsTesting.recognisesAnyRoot(DS, "x.json", text)).as(text).isFalse();
    }
  }

  @Test
  void malformedFilesDoNotThrow() {
    for (String text : List.of("{\"zero_optimization\": {\"stage\": [", "{\"train_micro_batch_size_per_gpu\": {},"
        + " \"bf16\": {\"enabled\": {}}, \"fp16\": [], \"train_batch_size\": \"1e400\", \"gradient_accumulation_steps\": 0,"
        + " \"steps_per_print\": null, \"autotuning\": {\"enabled\": \"yes\", \"tuner_num_trials\": \"x\"}}",
        "train_micro_batch_size_per_gpu: 0\ntrain_batch_size: 99999999999999999999\ngradient_accumulation_steps: 0\n")) {
      assertThatCode(() -> extractWith(DS, text.startsWith("{") ? "ds.json" : "ds.yaml", text)).as(text)
          .doesNotThrowAnyException();
    }
  }
}
