package dev.carbonlens.extract;

import static dev.carbonlens.extract.ConfigFormatsTesting.extractWith;
import static dev.carbonlens.extract.ConfigFormatsTesting.resource;
import static dev.carbonlens.extract.ConfigFormatsTesting.runWith;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Checkpointing;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.FineTuning;
import dev.carbonlens.model.Logging;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Sweep;
import dev.carbonlens.model.Workload;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HydraExtractorTest {
  private static final HydraExtractor HYDRA = new HydraExtractor();

  @Test
  void nemoLoraWithInterpolationMergeKeyAndStringValues() {
    String text = resource("extract/hydra/nemo-lora.yaml");
    Run run = runWith(HYDRA, "nemo.yaml", text);
    assertThat(run.format()).isEqualTo("hydra");
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING);
    assertThat(run.range()).isEqualTo(SourceRange.of(0, 0, 0, 8)); // `defaults`

    // ${oc.env:GPUS_PER_NODE,8} → its default; num_nodes "2" comes in through the merge key
    assertThat(run.devices().count()).isEqualTo(16);
    assertThat(run.devices().derivation()).isEqualTo("8 per node (trainer.devices) x 2 nodes (trainer.num_nodes); "
        + "${oc.env:GPUS_PER_NODE} taken as its default '8' written in the file (the environment is not read)");
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(8, 2, 8, 36));
    assertThat(slice(text, run.devices().range())).isEqualTo("devices: ${oc.env:GPUS_PER_NODE,8}");

    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(9, 2, 9, 23)));
    // max_epochs -1: only max_steps bounds the run; early stopping 'False'
    assertThat(run.schedule()).isEqualTo(new Schedule(0.0, false, SourceRange.of(10, 2, 10, 16), 1000L,
        SourceRange.of(11, 2, 11, 17), false));
    assertThat(run.evaluation()).isEqualTo(new Evaluation("steps", 100L, SourceRange.of(12, 2, 12, 25)));
    // interpolated values carry the range of the ${...} where they are used
    assertThat(run.logging()).isEqualTo(new Logging(100L, SourceRange.of(13, 2, 13, 43)));
    assertThat(run.checkpointing()).isEqualTo(new Checkpointing("steps", 100L, 2, SourceRange.of(17, 4, 17, 54)));
    assertThat(slice(text, run.checkpointing().range())).isEqualTo("every_n_train_steps: ${trainer.val_check_interval}");
    assertThat(run.workload()).isEqualTo(new Workload(null, null, 4096, 1, null, null, 32));
    assertThat(run.model().id()).isEqualTo("meta-llama/Llama-2-7b-hf");
    assertThat(run.model().billionParameters()).isEqualTo(6.74);
    assertThat(run.model().range()).isEqualTo(SourceRange.of(20, 21, 20, 45));
    // under the quoted key "peft"
    assertThat(run.fineTuning()).isEqualTo(new FineTuning("lora", 16, SourceRange.of(27, 4, 27, 21)));
    assertThat(run.sweep()).isNull();
  }

  @Test
  void resolverFollowsRelativeAndChainedReferencesAndStopsOnCycles() {
    String text = """
        a: ${b}
        b: ${c.d}
        c:
          d: "8"
          e: ${.d}
          f: ${..a}
          g: x${c.d}y
        loop1: ${loop2}
        loop2: ${loop1}
        now: ${now:%Y-%m-%d}
        env: ${oc.env:HOME}
        sel: ${oc.select:missing.key,4}
        """;
    var root = DocumentParser.parse("c.yaml", text).rootMapping().orElseThrow();
    HydraExtractor.Resolver r = new HydraExtractor.Resolver(root);
    assertThat(r.setting("a").orElseThrow().text()).isEqualTo("8");
    assertThat(r.setting("a").orElseThrow().valueRange()).isEqualTo(SourceRange.of(0, 3, 0, 7));
    assertThat(r.setting("c.e").orElseThrow().intOrNull()).isEqualTo(8);
    assertThat(r.setting("c.f").orElseThrow().text()).isEqualTo("8");
    assertThat(r.setting("c.g").orElseThrow().text()).isEqualTo("x8y");
    assertThat(r.setting("loop1").orElseThrow().text()).isEqualTo("${loop2}"); // unknown: kept as written
    assertThat(r.setting("now").orElseThrow().text()).isEqualTo("${now:%Y-%m-%d}");
    assertThat(r.setting("env").orElseThrow().text()).isEqualTo("${oc.env:HOME}");
    assertThat(r.setting("sel").orElseThrow().text()).isEqualTo("4");
    assertThat(r.setting("missing")).isEmpty();
  }

  @Test
  void aComposedConfigAssumesNoDefaults() {
    String text = "defaults:\n  - trainer: gpu\n  - model: mnist\n  - _self_\ntrainer:\n  max_steps: 10\nseed: 1\n";
    assertThat(HydraExtractor.configGroups(DocumentParser.parse("c.yaml", text).rootMapping().orElseThrow()))
        .containsExactly("trainer: gpu", "model: mnist", "_self_");
    Run run = runWith(HYDRA, "train.yaml", text);
    assertThat(run.precision()).isNull(); // the trainer group may set it
    assertThat(run.schedule().maxSteps()).isEqualTo(10L);
    assertThat(run.schedule().epochsStated()).isFalse();

    Run bare = runWith(HYDRA, "train.yaml", "defaults:\n  - trainer: gpu\n  - _self_\nseed: 1\n");
    assertThat(bare.precision()).isNull();
    assertThat(bare.schedule()).isNull();
  }

  @Test
  void lightningTrainerGroupFileGetsLightningDefaults() {
    String text = "_target_: lightning.pytorch.trainer.Trainer\nmax_epochs: 10\naccelerator: gpu\ndevices: 4\n"
        + "precision: '16-mixed'\n";
    Run run = runWith(HYDRA, "default.yaml", text);
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.FP16, true, SourceRange.of(4, 0, 4, 21)));
    assertThat(run.deviceCount()).isEqualTo(4);
    assertThat(run.schedule().epochs()).isEqualTo(10.0);
    Run noPrecision = runWith(HYDRA, "default.yaml", "_target_: lightning.pytorch.trainer.Trainer\naccelerator: cpu\ndevices: 1\n");
    assertThat(noPrecision.precision()).isEqualTo(new PrecisionChoice(Precision.FP32, false, SourceRange.of(0, 0, 0, 8)));
    assertThat(noPrecision.devices()).isNull(); // CPU processes are not accelerators
    assertThat(noPrecision.schedule()).isEqualTo(new Schedule(1000.0, false, SourceRange.of(0, 0, 0, 8), null, null, false));
  }

  @Test
  void unresolvableValuesGiveNoFact() {
    String text = "trainer:\n  devices: ${oc.env:NGPUS}\n  precision: ${oc.env:PRECISION}\nexp_manager:\n"
        + "  create_checkpoint_callback: false\n";
    Run run = runWith(HYDRA, "c.yaml", text);
    assertThat(run.devices()).isNull();
    assertThat(run.precision()).isNull();
    assertThat(run.checkpointing()).isEqualTo(new Checkpointing("no", null, null, SourceRange.of(4, 2, 4, 35)));
  }

  @Test
  void optunaAndBasicSweepers() {
    String optuna = """
        defaults:
          - override /hydra/sweeper: optuna
        hydra:
          mode: "MULTIRUN"
          sweeper:
            _target_: hydra_plugins.hydra_optuna_sweeper.optuna_sweeper.OptunaSweeper
            n_trials: 30
            sampler:
              _target_: optuna.samplers.GridSampler
            params:
              data.batch_size: choice(32, 64, 128)
              model.layers: range(1, 5)
              model.act: relu,gelu
        """;
    Run run = runWith(HYDRA, "search.yaml", optuna);
    assertThat(run.stage()).isEqualTo(Stage.SWEEP);
    assertThat(run.sweep()).isEqualTo(new Sweep("grid", 24L, 30L, false, SourceRange.of(8, 6, 8, 43)));
    assertThat(slice(optuna, run.sweep().range())).isEqualTo("_target_: optuna.samplers.GridSampler");

    Run interval = runWith(HYDRA, "search.yaml",
        "hydra:\n  sweeper:\n    params:\n      lr: interval(0.1, 1)\n      bs: 1,2\n");
    assertThat(interval.sweep()).isEqualTo(new Sweep("grid", null, null, false, SourceRange.of(1, 2, 1, 9)));
  }

  @Test
  void megatronArchitectureGivesANonEmbeddingSize() {
    String text = """
        name: gpt_1b
        trainer:
          devices: 8
          precision: bf16
        exp_manager:
          exp_dir: null
        model:
          num_layers: 24
          hidden_size: 2048
          ffn_hidden_size: 8192
          num_attention_heads: 16
        """;
    Run run = runWith(HYDRA, "gpt.yaml", text);
    // 24 x (4 x 2048^2 + 2 x 2048 x 8192) = 1.208B
    assertThat(run.model().billionParameters()).isCloseTo(1.207959552, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(run.model().id()).isEqualTo("gpt_1b");
    assertThat(run.model().range()).isEqualTo(SourceRange.of(7, 2, 7, 16));
    assertThat(run.stage()).isEqualTo(Stage.TRAINING);
  }

  @Test
  void fixWritesLightningPrecisionUnlessInterpolated() {
    String text = "trainer:\n  precision: 32\n  devices: 1\nexp_manager:\n  name: x\n";
    Fix fix = extractWith(HYDRA, "c.yaml", text).get(0).fixes()
        .fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(ExtractTesting.apply(text, fix.edits())).contains("  precision: bf16-mixed\n");
    String interpolated = "trainer:\n  precision: ${precision}\nprecision: 32\nexp_manager:\n  name: x\n";
    assertThat(extractWith(HYDRA, "c.yaml", interpolated).get(0).fixes()
        .fixFor(new ProposedChange.UsePrecision(Precision.BF16))).isEmpty();
  }

  @Test
  void plainLightningAndOtherYamlAreNotHydra() {
    for (String text : List.of("trainer:\n  max_epochs: 3\n  devices: 2\n", "trainer:\n  max_epochs: 3\nmodel:\n  lr: ${lr}\n",
        "defaults: {a: 1}\n", "defaults: []\n", "_target_: Trainer\n", "_component_: torchtune.models.llama3\n",
        "lightning:\n  trainer:\n    max_epochs: 1\nmodel:\n  target: x.y\n")) {
      assertThat(ConfigFormatsTesting.recognisesAnyRoot(HYDRA, "c.yaml", text)).as(text).isFalse();
    }
  }

  @Test
  void malformedFilesDoNotThrow() {
    String deep = "a0: ${a1}\n" + java.util.stream.IntStream.range(1, 200).mapToObj(i -> "a" + i + ": ${a" + (i + 1) + "}\n")
        .reduce("", String::concat) + "trainer:\n  devices: ${a0}\nexp_manager: {}\n";
    for (String text : List.of("trainer:\n  devices: [\nexp_manager: {}\n",
        "trainer: 3\nexp_manager: {}\nmodel: {num_layers: 0, hidden_size: -1, num_attention_heads: 0}\n",
        "trainer:\n  devices: ${\n  num_nodes: ${}\n  precision: ${..}\n  max_steps: ${...x}\nexp_manager:\n"
            + "  checkpoint_callback_params: {save_top_k: ${oc.env:,}}\nhydra: {sweeper: {params: {a: 'range(1,999999999999999999999)'}}}\n",
        deep)) {
      assertThatCode(() -> org.assertj.core.api.Assertions.assertThat(
              org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5),
                  () -> extractWith(HYDRA, "c.yaml", text))).isNotNull())
          .as(text.substring(0, Math.min(40, text.length()))).doesNotThrowAnyException();
    }
  }
}
