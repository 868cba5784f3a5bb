package dev.carbonlens.report;

import static dev.carbonlens.report.ReportTesting.SAMPLES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.estimate.Footprint;
import dev.carbonlens.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** `report --model-card`: Hugging Face's co2_eq_emissions block with the estimator's figures, for one training run. */
class ModelCardTest {
  private static final String VERTEX = SAMPLES + "/vertex-ai/t5-custom-job-v100.yaml";
  private static final String SKYPILOT_V100 = SAMPLES + "/skypilot/llama-finetune-v100.yaml";

  private static RunEstimate onlyRun(String file) {
    return ReportTesting.analyse(file).files().get(0).runs().get(0);
  }

  /** The front matter between the `---` lines, parsed. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(String card) {
    assertThat(card).startsWith("---\n");
    String yaml = card.substring(4, card.indexOf("\n---\n", 4) + 1);
    Map<String, Object> front = new Yaml().load(yaml);
    assertThat(front).containsOnlyKeys("co2_eq_emissions");
    return (Map<String, Object>) front.get("co2_eq_emissions");
  }

  @Test
  void fineTuningRunGivesGramsAndTheEstimatesFigures() {
    Cli.Outcome outcome = Cli.run("report", "--model-card", VERTEX);
    assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
    Footprint fp = onlyRun(VERTEX).footprint();
    Map<String, Object> co2 = metadata(outcome.stdout());

    assertThat(co2).containsOnlyKeys("emissions", "source", "training_type", "geographical_location", "hardware_used");
    // By hand: 16 × 0.33 kW × 48 h (stated) × PUE 1.1 × 412.72 g/kWh + 16 × 150 kg × 48 h / (4 × 8,760 h), in grams.
    double byHand = (16 * 0.33 * 48 * 1.1 * 412.72 / 1000 + 16 * 150 * 48 / (4 * 8760.0)) * 1000;
    double grams = ((Number) co2.get("emissions")).doubleValue();
    assertThat(grams).isCloseTo(byHand, within(10.0));
    assertThat(grams).isCloseTo(fp.totalKgCO2e() * 1000, within(fp.totalKgCO2e() * 1000 * 1e-5));
    assertThat(co2.get("training_type")).isEqualTo("fine-tuning");
    assertThat(co2.get("hardware_used")).isEqualTo("16 x V100-SXM2-16GB");
    assertThat(co2.get("geographical_location")).isEqualTo("us-central1 (gcp us-central1, Iowa, United States)");
    assertThat((String) co2.get("source")).isEqualTo("CarbonLens 0.1.0 estimate before training (operational "
        + Figures.format(fp.operationalKgCO2e()) + " kg + embodied " + Figures.format(fp.embodiedKgCO2e())
        + " kg CO2e; range " + Figures.format(fp.lowKgCO2e()) + "-" + Figures.format(fp.highKgCO2e())
        + " kg CO2e; not measured)");
    // HF's example quotes the strings; our values are quoted the same way.
    assertThat(outcome.stdout()).contains("  training_type: \"fine-tuning\"\n");

    String methodology = outcome.stdout().substring(outcome.stdout().indexOf("\n---\n") + 5);
    assertThat(methodology)
        .contains("## Environmental impact")
        .contains("last 48 hours (stated in the config) on 16 × V100-SXM2-16GB, each drawing 330 W")
        .contains("PUE of 1.1 (")
        .contains("279 kWh")
        .contains("413 gCO2e/kWh (")
        .contains("operational emissions are 115 kgCO2e")
        .contains("add 3.29 kgCO2e, for a total of 118 kgCO2e")
        .contains("between 86.8 and 119 kgCO2e")
        .contains("pre-run estimate, not a measurement")
        .contains("### Assumptions and data sources");
    for (var a : fp.assumptions()) {
      assertThat(methodology).contains("- " + a);
    }
  }

  @Test
  void trainingFromScratchIsPreTraining(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("card.md");
    Cli.Outcome outcome = Cli.run("report", "--model-card", "--output", out.toString(), SKYPILOT_V100);
    assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
    assertThat(outcome.stdout()).isEmpty();
    Map<String, Object> co2 = metadata(Files.readString(out, StandardCharsets.UTF_8));
    assertThat(co2.get("training_type")).isEqualTo("pre-training");
    // 16 × 0.33 kW × 24 h (default) × PUE 1.135 × 308 g/kWh + 16 × 150 kg × 24 h / (4 × 8,760 h)
    double byHand = (16 * 0.33 * 24 * 1.135 * 308 / 1000 + 16 * 150 * 24 / (4 * 8760.0)) * 1000;
    assertThat(((Number) co2.get("emissions")).doubleValue()).isCloseTo(byHand, within(0.1));
    assertThat(co2.get("geographical_location"))
        .isEqualTo("us-east-1 (aws us-east-1, US East (N. Virginia), United States)");
  }

  @Test
  void withoutARegionTheLocationSaysWhatWasAssumed() {
    Cli.Outcome world = Cli.run("report", "--model-card", SAMPLES + "/huggingface/pythia-imdb-fp32.json");
    assertThat(world.exitCode()).as(world.stderr()).isZero();
    assertThat(metadata(world.stdout()).get("geographical_location"))
        .isEqualTo("not stated in the config; estimated with the world-average grid intensity");
    Cli.Outcome france = Cli.run("report", "--model-card", "--default-location", "FR",
        SAMPLES + "/huggingface/pythia-imdb-fp32.json");
    assertThat(metadata(france.stdout()).get("geographical_location"))
        .isEqualTo("not stated in the config; estimated for the default location France");
    Cli.Outcome region = Cli.run("report", "--model-card", "--default-location", "gcp:europe-north1",
        SAMPLES + "/huggingface/pythia-imdb-fp32.json");
    assertThat((String) metadata(region.stdout()).get("geographical_location"))
        .startsWith("not stated in the config; estimated for the default location gcp europe-north1, ")
        .endsWith(", Finland");
  }

  @Test
  void severalTrainingRunsAreListedAndRunPicksOne() {
    // skypilot/ holds two training runs and one serving run (not a model-card run).
    Cli.Outcome ambiguous = Cli.run("report", "--model-card", SAMPLES + "/skypilot");
    assertThat(ambiguous.exitCode()).isEqualTo(2);
    assertThat(ambiguous.stdout()).isEmpty();
    assertThat(ambiguous.stderr()).isEqualTo("carbonlens: 2 training runs in these files; choose one with --run N:\n"
        + "    1  ../samples/skypilot/llama-finetune-v100.yaml:4  skypilot (training)\n"
        + "    2  ../samples/skypilot/resnet-k80.yaml:4  skypilot (training)\n");

    Cli.Outcome second = Cli.run("report", "--model-card", "--run", "2", SAMPLES + "/skypilot");
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    Map<String, Object> co2 = metadata(second.stdout());
    assertThat(co2.get("hardware_used")).isEqualTo("4 x K80");
    Footprint k80 = onlyRun(SAMPLES + "/skypilot/resnet-k80.yaml").footprint();
    assertThat(((Number) co2.get("emissions")).doubleValue()).isCloseTo(k80.totalKgCO2e() * 1000, within(0.1));

    Cli.Outcome outOfRange = Cli.run("report", "--model-card", "--run", "3", SAMPLES + "/skypilot");
    assertThat(outOfRange.exitCode()).isEqualTo(2);
    assertThat(outOfRange.stderr()).startsWith("carbonlens: --run 3: there are 2 training runs:\n")
        .contains("    2  ../samples/skypilot/resnet-k80.yaml:4  skypilot (training)\n");
  }

  @Test
  void servingRunsAreNotModelCardRuns() {
    Cli.Outcome serving = Cli.run("report", "--model-card", SAMPLES + "/serving");
    assertThat(serving.exitCode()).isEqualTo(2);
    assertThat(serving.stderr()).isEqualTo("carbonlens: no training or fine-tuning run in these files"
        + " (skipped: 2 inference runs); a model card describes the training of one model\n");
  }

  @Test
  void optionsOfTheOtherKindAreRefused(@TempDir Path dir) {
    Cli.Outcome both = Cli.run("report", "--html", dir.resolve("r.html").toString(), "--model-card", VERTEX);
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.stderr()).contains("mutually exclusive");
    Cli.Outcome neither = Cli.run("report", VERTEX);
    assertThat(neither.exitCode()).isEqualTo(2);
    Cli.Outcome runWithHtml = Cli.run("report", "--html", dir.resolve("r.html").toString(), "--run", "1", VERTEX);
    assertThat(runWithHtml.exitCode()).isEqualTo(2);
    assertThat(runWithHtml.stderr()).contains("--run applies to --model-card only");
  }

  @Test
  void gramsStayPlainYamlNumbers() {
    assertThat(ModelCard.grams(45.9426132)).isEqualTo(45942.6);
    assertThat(ModelCard.grams(1234.5678)).isEqualTo(1234568L);
    assertThat(ModelCard.grams(118.347)).isEqualTo(118347L);
    assertThat(ModelCard.grams(0.000123456)).isEqualTo(0.123);
    assertThat(new Yaml().dump(Map.of("e", ModelCard.grams(0.000123456)))).isEqualTo("{e: 0.123}\n");
  }
}
