package dev.carbonlens.extract;

import static dev.carbonlens.extract.ExtractTesting.apply;
import static dev.carbonlens.extract.ExtractTesting.extracted;
import static dev.carbonlens.extract.ExtractTesting.run;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Option;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import org.junit.jupiter.api.Test;

/**
 * The named options the utilization rules read from Lightning, DeepSpeed and Accelerate configs
 * (profiler, optimizer offload, activation checkpointing, loader workers) and the fixes that write them.
 */
class UtilizationOptionsTest {
  private static final ProposedChange.SetOption NO_OFFLOAD =
      new ProposedChange.SetOption(Options.OPTIMIZER_OFFLOAD, "none", "Keep optimizer states on the GPU");
  private static final ProposedChange.SetOption NO_PROFILER =
      new ProposedChange.SetOption(Options.PROFILER, "none", "Turn off the profiler");

  private static SourceRange r(int sl, int sc, int el, int ec) {
    return SourceRange.of(sl, sc, el, ec);
  }

  // ------------------------------------------------------------------------------ Lightning

  private static final String LIGHTNING = """
      trainer:
        accelerator: gpu
        devices: 4
        max_epochs: 20
        profiler: simple
        strategy: deepspeed_stage_2_offload
      model:
        class_path: HFSeqClassifier
        init_args:
          model_name: roberta-base
          gradient_checkpointing: true
      data:
        class_path: GlueDataModule
        init_args:
          batch_size: 32
          num_workers: 0
      """;

  @Test
  void lightningReadsProfilerOffloadCheckpointingAndWorkers() {
    Run run = run("cli.yaml", LIGHTNING);
    assertThat(run.format()).isEqualTo("lightning");
    assertThat(run.option(Options.PROFILER)).isEqualTo(new Option(Options.PROFILER, "simple", r(4, 2, 4, 18)));
    assertThat(run.option(Options.OPTIMIZER_OFFLOAD))
        .isEqualTo(new Option(Options.OPTIMIZER_OFFLOAD, "cpu", r(5, 2, 5, 37)));
    assertThat(slice(LIGHTNING, run.option(Options.OPTIMIZER_OFFLOAD).range()))
        .isEqualTo("strategy: deepspeed_stage_2_offload");
    assertThat(run.option(Options.GRADIENT_CHECKPOINTING))
        .isEqualTo(new Option(Options.GRADIENT_CHECKPOINTING, "true", r(10, 4, 10, 32)));
    assertThat(run.option(Options.DATALOADER_WORKERS))
        .isEqualTo(new Option(Options.DATALOADER_WORKERS, "0", r(15, 4, 15, 18)));
    // On CPU the loader's workers are no GPU's concern.
    assertThat(run("cli.yaml", LIGHTNING.replace("accelerator: gpu", "accelerator: cpu"))
        .option(Options.DATALOADER_WORKERS)).isNull();
  }

  @Test
  void lightningFixesEachOption() {
    ExtractedRun run = extracted("cli.yaml", LIGHTNING);
    var profiler = run.fixes().fixFor(NO_PROFILER).orElseThrow();
    assertThat(profiler.edits()).containsExactly(new TextEdit(r(4, 12, 4, 18), "null"));
    var offload = run.fixes().fixFor(NO_OFFLOAD).orElseThrow();
    assertThat(offload.edits()).containsExactly(new TextEdit(r(5, 12, 5, 37), "deepspeed_stage_2"));
    var gc = run.fixes().fixFor(new ProposedChange.SetOption(Options.GRADIENT_CHECKPOINTING, "false", "Off"))
        .orElseThrow();
    assertThat(gc.edits()).containsExactly(new TextEdit(r(10, 28, 10, 32), "false"));
    var workers = run.fixes().fixFor(new ProposedChange.SetOption(Options.DATALOADER_WORKERS, "4", "Workers"))
        .orElseThrow();
    assertThat(workers.edits()).containsExactly(new TextEdit(r(15, 17, 15, 18), "4"));

    String fixed = apply(LIGHTNING, java.util.List.of(profiler.edits().get(0), offload.edits().get(0),
        gc.edits().get(0), workers.edits().get(0)));
    Run after = run("cli.yaml", fixed);
    assertThat(after.option(Options.PROFILER)).isNull();
    assertThat(after.option(Options.OPTIMIZER_OFFLOAD)).isNull();
    assertThat(after.option(Options.GRADIENT_CHECKPOINTING).isFalse()).isTrue();
    assertThat(after.option(Options.DATALOADER_WORKERS).value()).isEqualTo("4");
  }

  @Test
  void aProfilerClassBlockBecomesNull() {
    String text = """
        trainer:
          max_epochs: 3
          profiler:
            class_path: lightning.pytorch.profilers.PyTorchProfiler
            init_args:
              record_shapes: true
          precision: bf16-mixed
        """;
    ExtractedRun run = extracted("cli.yaml", text);
    assertThat(run.run().option(Options.PROFILER))
        .isEqualTo(new Option(Options.PROFILER, "pytorch", run.run().option(Options.PROFILER).range()));
    assertThat(run.run().option(Options.PROFILER).range().startLine()).isEqualTo(2);
    assertThat(run.run().option(Options.PROFILER).range().startColumn()).isEqualTo(2);
    String fixed = apply(text, run.fixes().fixFor(NO_PROFILER).orElseThrow().edits());
    assertThat(fixed).isEqualTo("""
        trainer:
          max_epochs: 3
          profiler: null
          precision: bf16-mixed
        """);
    assertThat(run("cli.yaml", fixed).option(Options.PROFILER)).isNull();
  }

  @Test
  void lightningStrategyClassesThatOffloadOrCheckpoint() {
    String deepspeed = """
        trainer:
          devices: 8
          strategy:
            class_path: lightning.pytorch.strategies.DeepSpeedStrategy
            init_args:
              stage: 3
              offload_optimizer: true
              offload_optimizer_device: nvme
        """;
    ExtractedRun ds = extracted("cli.yaml", deepspeed);
    assertThat(ds.run().option(Options.OPTIMIZER_OFFLOAD))
        .isEqualTo(new Option(Options.OPTIMIZER_OFFLOAD, "nvme", r(6, 6, 6, 29)));
    assertThat(ds.fixes().fixFor(NO_OFFLOAD).orElseThrow().edits())
        .containsExactly(new TextEdit(r(6, 25, 6, 29), "false"));

    String fsdp = """
        trainer:
          devices: 8
          strategy:
            class_path: lightning.pytorch.strategies.FSDPStrategy
            init_args:
              cpu_offload: true
              activation_checkpointing_policy:
                - torch.nn.TransformerEncoderLayer
        """;
    Run run = run("cli.yaml", fsdp);
    assertThat(run.option(Options.OPTIMIZER_OFFLOAD))
        .isEqualTo(new Option(Options.OPTIMIZER_OFFLOAD, "cpu", r(5, 6, 5, 23)));
    assertThat(run.option(Options.GRADIENT_CHECKPOINTING).isTrue()).isTrue();
    assertThat(run.option(Options.GRADIENT_CHECKPOINTING).range().startLine()).isEqualTo(6);
  }

  @Test
  void litgptDataWorkers() {
    String text = """
        checkpoint_dir: checkpoints/EleutherAI/pythia-160m
        out_dir: out/finetune
        precision: bf16-true
        devices: 1
        data:
          class_path: litgpt.data.Alpaca
          init_args:
            num_workers: 0
        train:
          epochs: 1
          micro_batch_size: 4
        """;
    assertThat(run("lit.yaml", text).option(Options.DATALOADER_WORKERS))
        .isEqualTo(new Option(Options.DATALOADER_WORKERS, "0", r(7, 4, 7, 18)));
  }

  // ------------------------------------------------------------------------------ DeepSpeed

  private static final String DS = """
      {
        "bf16": {"enabled": true},
        "zero_optimization": {
          "stage": 3,
          "offload_optimizer": {"device": "none"},
          "offload_param": {"device": "cpu", "pin_memory": true}
        },
        "train_micro_batch_size_per_gpu": 4,
        "gradient_accumulation_steps": 8
      }
      """;

  @Test
  void deepSpeedOffloadReadsTheFirstOffloadThatLeavesTheGpu() {
    Run run = run("ds_config.json", DS);
    assertThat(run.format()).isEqualTo("deepspeed");
    Option offload = run.option(Options.OPTIMIZER_OFFLOAD);
    assertThat(offload).isEqualTo(new Option(Options.OPTIMIZER_OFFLOAD, "cpu", r(5, 22, 5, 37)));
    assertThat(slice(DS, offload.range())).isEqualTo("\"device\": \"cpu\"");
    assertThat(run("ds_config.json", DS.replace("\"cpu\"", "\"none\"")).option(Options.OPTIMIZER_OFFLOAD))
        .isEqualTo(new Option(Options.OPTIMIZER_OFFLOAD, "none", r(4, 26, 4, 42)));
    assertThat(run("ds_config.json", """
        {"train_batch_size": 32, "zero_optimization": {"stage": 2, "cpu_offload": true}}
        """).option(Options.OPTIMIZER_OFFLOAD).value()).isEqualTo("cpu");
  }

  @Test
  void deepSpeedFixSetsEveryOffloadDeviceToNone() {
    ExtractedRun run = extracted("ds_config.json", DS);
    var fix = run.fixes().fixFor(NO_OFFLOAD).orElseThrow();
    assertThat(fix.title()).isEqualTo("Keep optimizer states on the GPU");
    assertThat(fix.edits()).containsExactly(new TextEdit(r(5, 32, 5, 37), "\"none\""));
    String fixed = apply(DS, fix.edits());
    assertThat(fixed).contains("\"offload_param\": {\"device\": \"none\", \"pin_memory\": true}");
    assertThat(run("ds_config.json", fixed).option(Options.OPTIMIZER_OFFLOAD).value()).isEqualTo("none");
  }

  // ------------------------------------------------------------------------------ Accelerate

  private static final String ACCELERATE = """
      compute_environment: LOCAL_MACHINE
      deepspeed_config:
        offload_optimizer_device: cpu
        offload_param_device: none
        zero_stage: 2
      distributed_type: DEEPSPEED
      mixed_precision: bf16
      num_processes: 8
      """;

  @Test
  void accelerateOffloadAndItsFix() {
    ExtractedRun run = extracted("accelerate.yaml", ACCELERATE);
    assertThat(run.run().format()).isEqualTo("accelerate");
    assertThat(run.run().option(Options.OPTIMIZER_OFFLOAD))
        .isEqualTo(new Option(Options.OPTIMIZER_OFFLOAD, "cpu", r(2, 2, 2, 31)));
    var fix = run.fixes().fixFor(NO_OFFLOAD).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(r(2, 28, 2, 31), "none"));
    assertThat(run("accelerate.yaml", apply(ACCELERATE, fix.edits())).option(Options.OPTIMIZER_OFFLOAD).value())
        .isEqualTo("none");

    String fsdp = """
        compute_environment: LOCAL_MACHINE
        distributed_type: FSDP
        fsdp_config:
          fsdp_offload_params: true
          fsdp_sharding_strategy: FULL_SHARD
        num_processes: 4
        """;
    ExtractedRun f = extracted("fsdp.yaml", fsdp);
    assertThat(f.run().option(Options.OPTIMIZER_OFFLOAD))
        .isEqualTo(new Option(Options.OPTIMIZER_OFFLOAD, "cpu", r(3, 2, 3, 27)));
    assertThat(f.fixes().fixFor(NO_OFFLOAD).orElseThrow().edits())
        .containsExactly(new TextEdit(r(3, 23, 3, 27), "false"));
  }
}
