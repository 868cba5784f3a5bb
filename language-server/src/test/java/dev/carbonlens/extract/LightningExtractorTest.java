package dev.carbonlens.extract;

import static dev.carbonlens.extract.ExtractTesting.apply;
import static dev.carbonlens.extract.ExtractTesting.extractAll;
import static dev.carbonlens.extract.ExtractTesting.extracted;
import static dev.carbonlens.extract.ExtractTesting.run;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Checkpointing;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Workload;
import org.junit.jupiter.api.Test;

class LightningExtractorTest {

  private static final String CLI = """
      seed_everything: 7
      trainer:
        accelerator: gpu
        devices: 4
        num_nodes: 2
        precision: 16-mixed
        max_epochs: 10
        callbacks:
          - class_path: lightning.pytorch.callbacks.EarlyStopping
            init_args:
              monitor: val_loss
          - class_path: lightning.pytorch.callbacks.ModelCheckpoint
            init_args:
              every_n_train_steps: 100
              save_top_k: -1
      model:
        class_path: MyModel
      """;

  @Test
  void lightningCliFactsAndRanges() {
    Run run = run("config.yaml", CLI);
    assertThat(run.format()).isEqualTo("lightning");
    assertThat(run.stage()).isEqualTo(Stage.TRAINING);
    // anchor: the `trainer` key
    assertThat(run.range()).isEqualTo(SourceRange.of(1, 0, 1, 7));

    // devices 4 x num_nodes 2
    assertThat(run.devices()).isEqualTo(new DeviceCount(8, "4 per node (devices) x 2 nodes (num_nodes)",
        SourceRange.of(3, 2, 3, 12)));
    assertThat(slice(CLI, run.devices().range())).isEqualTo("devices: 4");

    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP16, true, SourceRange.of(5, 2, 5, 21)));
    assertThat(slice(CLI, run.precision().range())).isEqualTo("precision: 16-mixed");

    assertThat(run.schedule().epochs()).isEqualTo(10.0);
    assertThat(run.schedule().epochsStated()).isTrue();
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(6, 2, 6, 16));
    assertThat(run.schedule().maxSteps()).isNull();
    assertThat(run.schedule().earlyStopping()).isTrue();

    // every_n_train_steps 100, save_top_k -1: every checkpoint kept (keepLast null)
    assertThat(run.checkpointing()).isEqualTo(new Checkpointing("steps", 100L, null, SourceRange.of(13, 8, 13, 32)));
    assertThat(slice(CLI, run.checkpointing().range())).isEqualTo("every_n_train_steps: 100");
    assertThat(run.accelerator()).isNull(); // "gpu" names no model of accelerator
  }

  private static Run trainer(String body) {
    return run("c.yaml", "trainer:\n" + body);
  }

  @Test
  void precisionSpellings() {
    assertThat(trainer("  precision: 32\n").precision())
        .isEqualTo(new PrecisionChoice(Precision.FP32, true, SourceRange.of(1, 2, 1, 15)));
    assertThat(trainer("  precision: 16-mixed\n").precision().precision()).isEqualTo(Precision.FP16);
    assertThat(trainer("  precision: 16\n").precision().precision()).isEqualTo(Precision.FP16);
    assertThat(trainer("  precision: bf16-true\n").precision())
        .isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(1, 2, 1, 22)));
    assertThat(trainer("  precision: bf16-mixed\n").precision().precision()).isEqualTo(Precision.BF16);
    assertThat(trainer("  precision: 32-true\n").precision().precision()).isEqualTo(Precision.FP32);
    assertThat(trainer("  precision: transformer-engine\n").precision().precision()).isEqualTo(Precision.FP8);
  }

  @Test
  void absentPrecisionIsFp32NotStatedAtTheTrainerKey() {
    Run run = trainer("  max_epochs: 5\n");
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, false, SourceRange.of(0, 0, 0, 7)));
  }

  @Test
  void noMaxEpochsMeansLightningsThousandNotStated() {
    Run run = trainer("  devices: 1\n");
    assertThat(run.schedule().epochs()).isEqualTo(1000.0);
    assertThat(run.schedule().epochsStated()).isFalse();
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(0, 0, 0, 7));
    assertThat(run.schedule().earlyStopping()).isFalse();
  }

  @Test
  void maxStepsAloneBoundsTheRun() {
    Run run = trainer("  max_steps: 5000\n");
    assertThat(run.schedule().epochs()).isEqualTo(0.0);
    assertThat(run.schedule().maxSteps()).isEqualTo(5000L);
    assertThat(run.schedule().maxStepsRange()).isEqualTo(SourceRange.of(1, 2, 1, 17));
  }

  @Test
  void maxEpochsMinusOneMeansNoSchedule() {
    assertThat(trainer("  max_epochs: -1\n").schedule()).isNull();
  }

  @Test
  void deviceSpellings() {
    assertThat(trainer("  devices: \"0,1\"\n").devices())
        .isEqualTo(new DeviceCount(2, "2 per node (devices)", SourceRange.of(1, 2, 1, 16)));
    assertThat(trainer("  devices: [0, 1, 2]\n").deviceCount()).isEqualTo(3);
    assertThat(trainer("  devices: 0,\n").deviceCount()).isEqualTo(1);
    assertThat(trainer("  devices: auto\n").devices()).isNull();
    assertThat(trainer("  devices: -1\n").devices()).isNull();
    assertThat(trainer("  accelerator: gpu\n").devices()).isNull();
  }

  @Test
  void zeroOrHugeNumNodesDoNotThrow() {
    for (String nodes : new String[] {"0", "-1", "1000000000"}) {
      assertThatCode(() -> trainer("  devices: 4\n  num_nodes: " + nodes + "\n")).as("num_nodes " + nodes)
          .doesNotThrowAnyException();
    }
  }

  @Test
  void valCheckIntervalInStepsIsAnEvaluationCadence() {
    Run steps = trainer("  val_check_interval: 500\n");
    assertThat(steps.evaluation()).isEqualTo(new Evaluation("steps", 500L, SourceRange.of(1, 2, 1, 25)));
    // a fraction of an epoch is not a step count
    assertThat(trainer("  val_check_interval: 0.25\n").evaluation()).isNull();
  }

  @Test
  void modelCheckpointDefaultsToKeepingOne() {
    String text = """
        trainer:
          max_epochs: 3
          callbacks:
            - class_path: ModelCheckpoint
              init_args:
                every_n_train_steps: 50
        """;
    assertThat(run("c.yaml", text).checkpointing()).isEqualTo(
        new Checkpointing("steps", 50L, 1, SourceRange.of(5, 8, 5, 31)));
    String three = text + "        save_top_k: 3\n";
    assertThat(run("c.yaml", three).checkpointing().keepLast()).isEqualTo(3);
  }

  @Test
  void nestedLightningTrainerOfLatentDiffusionConfigs() {
    String text = """
        model:
          target: ldm.models.LatentDiffusion
        lightning:
          callbacks: {}
          trainer:
            benchmark: true
            max_epochs: 20
        """;
    Run run = run("ldm.yaml", text);
    assertThat(run.format()).isEqualTo("lightning");
    assertThat(run.range()).isEqualTo(SourceRange.of(4, 2, 4, 9));
    assertThat(run.schedule().epochs()).isEqualTo(20.0);
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, false, SourceRange.of(4, 2, 4, 9)));
  }

  // ------------------------------------------------------------------------------------ litgpt

  private static final String LITGPT = """
      checkpoint_dir: checkpoints/TinyLlama/TinyLlama-1.1B-Chat-v1.0
      out_dir: out/finetune/lora
      precision: bf16-true
      devices: 2
      train:
        save_interval: 800
        global_batch_size: 16
        micro_batch_size: 4
        epochs: 2
        max_seq_length: 512
      eval:
        interval: 100
      """;

  @Test
  void litgptFactsAndRanges() {
    Run run = run("lora.yaml", LITGPT);
    assertThat(run.format()).isEqualTo("lightning");
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING);
    assertThat(run.range()).isEqualTo(SourceRange.of(0, 0, 0, 14));
    assertThat(run.model().id()).isEqualTo("checkpoints/TinyLlama/TinyLlama-1.1B-Chat-v1.0");
    assertThat(run.model().billionParameters()).isEqualTo(1.1);
    assertThat(run.model().range()).isEqualTo(SourceRange.of(0, 16, 0, 62));
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(2, 0, 2, 20)));
    assertThat(run.devices()).isEqualTo(new DeviceCount(2, "2 per node (devices)", SourceRange.of(3, 0, 3, 10)));
    assertThat(run.schedule().epochs()).isEqualTo(2.0);
    assertThat(run.schedule().epochsStated()).isTrue();
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(8, 2, 8, 11));
    // litgpt's global batch spans every device: kept as stated, not turned into accumulation steps
    assertThat(run.workload()).isEqualTo(new Workload(null, null, 512, 4, null, null, 16));
    assertThat(run.evaluation()).isEqualTo(new Evaluation("steps", 100L, SourceRange.of(11, 2, 11, 15)));
    assertThat(slice(LITGPT, run.evaluation().range())).isEqualTo("interval: 100");
    assertThat(run.checkpointing()).isEqualTo(new Checkpointing("steps", 800L, null, SourceRange.of(5, 2, 5, 20)));
    assertThat(slice(LITGPT, run.checkpointing().range())).isEqualTo("save_interval: 800");
  }

  @Test
  void litgptNullPrecisionIsBf16NotStated() {
    String text = LITGPT.replace("precision: bf16-true", "precision: null");
    Run run = run("lora.yaml", text);
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, false, SourceRange.of(0, 0, 0, 14)));
  }

  @Test
  void litgptAbsentPrecisionIsBf16NotStated() {
    String text = LITGPT.replace("precision: bf16-true\n", "");
    Run run = run("lora.yaml", text);
    assertThat(run.format()).isEqualTo("lightning");
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, false, SourceRange.of(0, 0, 0, 14)));
  }

  @Test
  void litgptPretrainWithMaxTokensHasNoSchedule() {
    String text = "model_name: tiny-llama-1.1b\nout_dir: out\nprecision: bf16-mixed\ndevices: auto\ntrain:\n"
        + "  max_tokens: 3000000000000\n  micro_batch_size: 8\n";
    Run run = run("pretrain.yaml", text);
    assertThat(run.format()).isEqualTo("lightning");
    assertThat(run.stage()).isEqualTo(Stage.TRAINING); // no checkpoint_dir: pretraining
    assertThat(run.model().billionParameters()).isEqualTo(1.1);
    assertThat(run.devices()).isNull();
    assertThat(run.schedule()).isNull();
  }

  // ------------------------------------------------------------------------------------- fixes

  @Test
  void insertKeepsTheTrainersIndentation() {
    String text = "trainer:\n    max_epochs: 3\n    devices: 4  # per node\nmodel: x\n";
    ExtractedRun e = extracted("c.yaml", text);
    Fix fix = e.fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(2, 26, 2, 26), "\n    precision: bf16-mixed"));
    String fixed = apply(text, fix.edits());
    assertThat(fixed).isEqualTo("trainer:\n    max_epochs: 3\n    devices: 4  # per node\n    precision: bf16-mixed\nmodel: x\n");
    assertThat(run("c.yaml", fixed).precision())
        .isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(3, 4, 3, 25)));
  }

  @Test
  void insertAfterABlockSequence() {
    ExtractedRun e = extracted("c.yaml", CLI);
    Fix fix = e.fixes().fixFor(new ProposedChange.UsePrecision(Precision.FP16)).orElseThrow();
    // precision is present: its value is replaced
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(5, 13, 5, 21), "16-mixed"));

    String noPrecision = CLI.replace("  precision: 16-mixed\n", "");
    Fix insert = extracted("c.yaml", noPrecision).fixes()
        .fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    // the trainer's last entry is the callbacks list, ending on `save_top_k: -1` (line 13)
    assertThat(insert.edits()).containsExactly(new TextEdit(SourceRange.of(13, 22, 13, 22), "\n  precision: bf16-mixed"));
    Run fixed = run("c.yaml", apply(noPrecision, insert.edits()));
    assertThat(fixed.precision().precision()).isEqualTo(Precision.BF16);
    assertThat(fixed.precision().range()).isEqualTo(SourceRange.of(14, 2, 14, 23));
  }

  @Test
  void flowMappingInsert() {
    String text = "trainer: {max_epochs: 3}\n";
    ExtractedRun e = extracted("c.yaml", text);
    Fix fix = e.fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(0, 23, 0, 23), ", precision: bf16-mixed"));
    String fixed = apply(text, fix.edits());
    assertThat(fixed).isEqualTo("trainer: {max_epochs: 3, precision: bf16-mixed}\n");
    assertThat(run("c.yaml", fixed).precision().precision()).isEqualTo(Precision.BF16);
  }

  @Test
  void replaceAnExistingValue() {
    String text = "trainer:\n  precision: 32\n  max_epochs: 3\n";
    Fix fix = extracted("c.yaml", text).fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(1, 13, 1, 15), "bf16-mixed"));
    assertThat(apply(text, fix.edits())).isEqualTo("trainer:\n  precision: bf16-mixed\n  max_epochs: 3\n");
  }

  @Test
  void litgptFixWritesTheRootPrecision() {
    Fix fix = extracted("lora.yaml", LITGPT).fixes()
        .fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(SourceRange.of(2, 11, 2, 20), "bf16-mixed"));
  }

  @Test
  void multiDocumentFileGivesOneRunPerRecognisedDocument() {
    String text = "trainer:\n  max_epochs: 1\n---\nkind: Service\n---\ntrainer:\n  max_epochs: 2\n";
    var runs = extractAll("multi.yaml", text);
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).run().index()).isEqualTo(0);
    assertThat(runs.get(1).run().index()).isEqualTo(2);
    assertThat(runs.get(1).run().schedule().epochs()).isEqualTo(2.0);
    assertThat(runs.get(1).run().range()).isEqualTo(SourceRange.of(5, 0, 5, 7));
  }
}
