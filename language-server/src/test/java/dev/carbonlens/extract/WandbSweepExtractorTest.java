package dev.carbonlens.extract;

import static dev.carbonlens.extract.ConfigFormatsTesting.extractWith;
import static dev.carbonlens.extract.ConfigFormatsTesting.resource;
import static dev.carbonlens.extract.ConfigFormatsTesting.runWith;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.carbonlens.model.Checkpointing;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Sweep;
import dev.carbonlens.model.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

class WandbSweepExtractorTest {
  private static final WandbSweepExtractor WB = new WandbSweepExtractor();

  @Test
  void gridSweepCountsCombinationsAndReadsFixedParametersAndCommandFlags() {
    String text = resource("extract/wandb-sweep/grid.yaml");
    Run run = runWith(WB, "sweep.yaml", text);
    assertThat(run.format()).isEqualTo("wandb-sweep");
    assertThat(run.stage()).isEqualTo(Stage.SWEEP);
    assertThat(run.range()).isEqualTo(SourceRange.of(0, 0, 0, 7));

    // 3 learning rates x 2 batch sizes ("quoted" key) x 4 seeds x 4 data seeds (alias of &seeds)
    // x 2 beta1 (nested parameters); fixed values count 1
    assertThat(run.sweep()).isEqualTo(new Sweep("grid", 192L, null, false, SourceRange.of(1, 0, 1, 12)));
    assertThat(run.sweep().plannedTrials()).isEqualTo(192L);
    assertThat(slice(text, run.sweep().range())).isEqualTo("method: grid");

    // `${args}` passes the fixed parameters as flags: bf16 true, fp16 'False', epochs "3", the model
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(14, 2, 15, 15)));
    assertThat(slice(text, run.precision().range())).isEqualTo("bf16:\n    value: true");
    assertThat(run.schedule().epochs()).isEqualTo(3.0);
    assertThat(run.schedule().epochsStated()).isTrue();
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(10, 2, 11, 14));
    assertThat(run.schedule().maxSteps()).isNull();
    assertThat(run.schedule().earlyStopping()).isFalse();
    assertThat(run.model().id()).isEqualTo("meta-llama/Llama-2-7b-hf");
    assertThat(run.model().billionParameters()).isEqualTo(6.74);
    assertThat(run.model().range()).isEqualTo(SourceRange.of(17, 11, 17, 35));
    // a flag written in the command
    assertThat(run.checkpointing()).isEqualTo(new Checkpointing("steps", 500L, null, SourceRange.of(32, 4, 32, 20)));
    assertThat(slice(text, run.checkpointing().range())).isEqualTo("--save_steps=500");
    // per-device batch is searched, not fixed
    assertThat(run.workload()).isEqualTo(Workload.UNKNOWN);
    assertThat(run.accelerator()).isNull();
  }

  @Test
  void distributionsMakeAGridImpossibleAndRunCapAndHyperbandAreRead() {
    String text = """
        method: random
        run_cap: "50"
        early_terminate:
          type: hyperband
          min_iter: 3
        metric: {name: val_loss, goal: minimize}
        parameters:
          lr:
            distribution: log_uniform_values
            min: 1e-5
            max: 1e-3
          batch_size:
            values: [16, 32]
        """;
    Run run = runWith(WB, "sweep.yaml", text);
    assertThat(run.sweep()).isEqualTo(new Sweep("random", null, 50L, true, SourceRange.of(0, 0, 0, 14)));
    assertThat(run.sweep().plannedTrials()).isEqualTo(50L);
  }

  @Test
  void launchSweepMethodUnderSchedulerAndMinMaxRanges() {
    String text = "scheduler:\n  job: x\n  settings:\n    method: bayes\nrun_cap: 5\nmetric:\n  name: val_loss\n"
        + "parameters:\n  learning_rate:\n    min: 0.001\n    max: 1.0\n";
    Run run = runWith(WB, "basic.yaml", text);
    assertThat(run.sweep()).isEqualTo(new Sweep("bayes", null, 5L, false, SourceRange.of(3, 4, 3, 17)));
  }

  @Test
  void aCommandWithoutArgsPassesNoParameters() {
    String text = "method: grid\nprogram: t.py\nparameters:\n  fp16:\n    value: true\n  lr:\n    values: [1, 2]\n"
        + "command: [python, t.py, --bf16]\n";
    Run run = runWith(WB, "sweep.yaml", text);
    assertThat(run.precision().precision()).isEqualTo(Precision.BF16); // from the command, fp16 is not passed
    assertThat(run.sweep().combinations()).isEqualTo(2L);
  }

  @Test
  void otherYamlIsNotASweep() {
    for (String text : List.of("parameters:\n  lr: 0.1\nmethod: grid\n", "method: grid\nparameters: {}\n",
        "parameters:\n  lr:\n    values: [1, 2]\n", "search_space:\n  - lr: {values: [1]}\nsampling_algorithm: grid\n")) {
      assertThat(ConfigFormatsTesting.recognisesAnyRoot(WB, "s.yaml", text)).as(text).isFalse();
    }
  }

  @Test
  void malformedFilesDoNotThrow() {
    for (String text : List.of("method: grid\nparameters:\n  a: {values: [1, 2\n",
        "method: grid\nrun_cap: -1\nparameters:\n  a: {values: []}\n  b: {parameters: {c: {values: 3}}}\ncommand: 5\n",
        "method: grid\nparameters:\n" + "  p%d: {values: [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}\n".repeat(1)
            .formatted(0) + "  q: {values: [" + "1,".repeat(5000) + "1]}\n  r: {values: [" + "1,".repeat(5000) + "1]}\n"
            + "  s: {values: [" + "1,".repeat(5000) + "1]}\n  t: {values: [" + "1,".repeat(5000) + "1]}\n"
            + "  u: {values: [" + "1,".repeat(5000) + "1]}\n")) {
      assertThatCode(() -> extractWith(WB, "s.yaml", text)).as(text.substring(0, 30)).doesNotThrowAnyException();
    }
  }
}
