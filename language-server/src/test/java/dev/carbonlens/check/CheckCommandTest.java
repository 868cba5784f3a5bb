package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carbonlens.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `carbonlens check` as CI runs it: output on stdout, exit code, against shared/spec/report-format.md. */
class CheckCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SAMPLES = "../samples";
  private static final Set<String> CATEGORIES = Set.of("region", "hardware", "model-size", "fine-tuning",
      "precision", "early-stopping", "checkpointing", "hyperparameter-search", "utilization", "inference",
      "scheduling", "policy");

  @Test
  void jsonReportFollowsTheSpec() throws Exception {
    Cli.Outcome outcome = Cli.run("check", "--format", "json", SAMPLES);
    assertThat(outcome.exitCode()).isEqualTo(1);
    JsonNode report = JSON.readTree(outcome.stdout());
    assertThat(report.get("tool").get("name").asText()).isEqualTo("carbonlens");
    assertThat(report.get("tool").get("version").asText()).isEqualTo("0.1.0");
    assertThat(report.get("errors").isArray()).isTrue();
    assertThat(report.get("findings").size()).isGreaterThanOrEqualTo(10);

    for (JsonNode f : report.get("findings")) {
      assertThat(f.get("file").asText()).startsWith("../samples/").doesNotContain("\\");
      for (String key : List.of("line", "column", "endLine", "endColumn")) {
        assertThat(f.get(key).isInt()).as(key).isTrue();
        assertThat(f.get(key).asInt()).as(key).isPositive();
      }
      assertThat(f.get("ruleId").asText()).matches("CL-[A-Z]+-\\d{3}");
      assertThat(CATEGORIES).contains(f.get("category").asText());
      assertThat(f.get("severity").asText()).isIn("error", "warning", "info", "hint");
      assertThat(f.get("message").asText()).isNotBlank();
      assertThat(f.has("savings")).isTrue();
      JsonNode savings = f.get("savings");
      if (!savings.isNull()) {
        assertThat(savings.get("kgCO2e").isNumber()).isTrue();
        assertThat(savings.get("kWh").isNumber()).isTrue();
        assertThat(savings.get("fraction").asDouble()).isBetween(0.0, 1.0);
      }
      assertThat(f.get("fixes").isArray()).isTrue();
      for (JsonNode fix : f.get("fixes")) {
        assertThat(fix.get("title").asText()).isNotBlank();
        for (JsonNode edit : fix.get("edits")) {
          assertThat(edit.get("line").asInt()).isPositive();
          assertThat(edit.has("newText")).isTrue();
        }
      }
    }
    long sampleFiles;
    try (var walk = Files.walk(Path.of(SAMPLES))) {
      // the files check reads, less project configs (.carbonlens.yaml), which configure the check
      // samples/policies holds team rules for `check --rules`: no runs of their own
      sampleFiles = walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(Path.of(SAMPLES, "policies"))).filter(SourceFiles::isConfig)
          .filter(p -> !p.getFileName().toString().equals(dev.carbonlens.config.ProjectConfig.FILE_NAME)).count();
    }
    // every one of them is a config CarbonLens recognises: at least one run each
    assertThat(report.get("runs").size()).isGreaterThanOrEqualTo((int) sampleFiles);
    java.util.Set<String> filesWithRuns = new java.util.HashSet<>();
    report.get("runs").forEach(r -> filesWithRuns.add(r.get("file").asText()));
    assertThat(filesWithRuns).hasSize((int) sampleFiles);
    for (JsonNode r : report.get("runs")) {
      assertThat(r.get("stage").asText()).isIn("training", "fine-tuning", "inference", "sweep");
      double energy = r.get("energyKWh").asDouble();
      double expectedEnergy = r.get("acceleratorCount").asInt() * r.get("powerKW").asDouble()
          * r.get("hours").asDouble() * r.get("pue").asDouble();
      assertThat(energy).isCloseTo(expectedEnergy, within(expectedEnergy * 1e-4));
      assertThat(r.get("operationalKgCO2e").asDouble())
          .isCloseTo(energy * r.get("gridIntensity").asDouble() / 1000, within(energy * 1e-3));
      assertThat(r.get("embodiedKgCO2e").asDouble()).isPositive();
      List<String> assumptions = new ArrayList<>();
      r.get("assumptions").forEach(a -> assumptions.add(a.asText()));
      assertThat(assumptions).anyMatch(a -> a.startsWith("power: "));
    }
  }

  @Test
  void regionIsProviderColonRegionAndPositionIsTheValue() throws Exception {
    JsonNode report = JSON.readTree(Cli.run("check", "--format", "json", SAMPLES + "/skypilot/llama-finetune-v100.yaml").stdout());
    JsonNode run = report.get("runs").get(0);
    assertThat(run.get("region").asText()).isEqualTo("aws:us-east-1");
    assertThat(run.get("accelerator").asText()).isEqualTo("V100-SXM2-16GB");
    assertThat(run.get("acceleratorCount").asInt()).isEqualTo(16);
    JsonNode region = null;
    for (JsonNode f : report.get("findings")) {
      if (f.get("ruleId").asText().equals("CL-REG-001")) {
        region = f;
      }
    }
    assertThat(region).isNotNull();
    // `  region: us-east-1` is line 6; the value starts at column 11 and ends before column 20
    assertThat(region.get("line").asInt()).isEqualTo(6);
    assertThat(region.get("column").asInt()).isEqualTo(11);
    assertThat(region.get("endColumn").asInt()).isEqualTo(20);
    JsonNode edit = region.get("fixes").get(0).get("edits").get(0);
    assertThat(edit.get("newText").asText()).isEqualTo("ca-central-1");
  }

  @Test
  void unparsableFilesAreReportedAndTheRestStillChecked(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("broken.yaml"), "resources:\n  accelerators: K80:4\n  bad: [1, 2\n");
    Files.writeString(dir.resolve("also-broken.json"), "{\"bf16\": true,, }");
    Files.copy(Path.of(SAMPLES, "skypilot", "resnet-k80.yaml"), dir.resolve("good.yaml"));
    Cli.Outcome outcome = Cli.run("check", "--format", "json", dir.toString());
    assertThat(outcome.exitCode()).isEqualTo(1);
    JsonNode report = JSON.readTree(outcome.stdout());
    assertThat(report.get("errors")).hasSize(2);
    for (JsonNode error : report.get("errors")) {
      assertThat(error.get("file").asText()).matches(".*broken\\.(yaml|json)$");
      assertThat(error.get("line").asInt()).isPositive();
      assertThat(error.get("column").asInt()).isPositive();
      assertThat(error.get("message").asText()).isNotBlank();
    }
    JsonNode yamlError = report.get("errors").get(1);
    assertThat(yamlError.get("file").asText()).endsWith("/broken.yaml");
    assertThat(yamlError.get("line").asInt()).isEqualTo(4);
    assertThat(report.get("findings")).anyMatch(f -> f.get("file").asText().endsWith("/good.yaml"));

    Cli.Outcome text = Cli.run("check", dir.toString());
    assertThat(text.stdout()).contains("broken.yaml:4:").contains(" error parse ");
  }

  @Test
  void exitCodesFollowTheThreshold(@TempDir Path dir) throws Exception {
    assertThat(Cli.run("check", SAMPLES).exitCode()).isEqualTo(1);
    assertThat(Cli.run("check", "--fail-on", "never", SAMPLES).exitCode()).isZero();
    assertThat(Cli.run("check", "--fail-on", "error", SAMPLES).exitCode()).isZero();
    assertThat(Cli.run("check", SAMPLES + "/huggingface/zephyr-7b-sft-bf16.yaml").exitCode()).isZero();
    // info-only findings pass at the default threshold, fail at --fail-on info
    String infoOnly = SAMPLES + "/skypilot/serve-llama-l4.yaml";
    assertThat(Cli.run("check", "--fail-on", "info", infoOnly).exitCode()).isZero();
    // usage errors and tool failures: 2
    assertThat(Cli.run("check", "--format", "xml", SAMPLES).exitCode()).isEqualTo(2);
    assertThat(Cli.run("check").exitCode()).isEqualTo(2);
    Cli.Outcome missing = Cli.run("check", dir.resolve("nope").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr()).contains("no such file or folder");
  }

  @Test
  void textReportIsScannableAndOutputCanGoToAFile(@TempDir Path dir) throws Exception {
    Cli.Outcome outcome = Cli.run("check", SAMPLES + "/skypilot/resnet-k80.yaml");
    assertThat(outcome.stdout())
        .contains("../samples/skypilot/resnet-k80.yaml:6:17: warning CL-HW-001 K80")
        .contains("saves ≈")
        .contains("fix: Use L4")
        .contains("Checked 1 file: 3 findings (2 warning, 1 info).");
    Path out = dir.resolve("report.json");
    Cli.Outcome toFile = Cli.run("check", "--format", "json", "--output", out.toString(), SAMPLES);
    assertThat(toFile.stdout()).isEmpty();
    assertThat(JSON.readTree(Files.readString(out)).get("findings").size()).isPositive();
  }

  @Test
  void foldersSkipBuildOutputsAndNonConfigs(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("node_modules/x"));
    Files.createDirectories(dir.resolve(".git"));
    Files.writeString(dir.resolve("node_modules/x/c.yaml"), "trainer:\n  max_epochs: 500\n");
    Files.writeString(dir.resolve(".git/c.yaml"), "trainer:\n  max_epochs: 500\n");
    Files.writeString(dir.resolve("notes.txt"), "not a config");
    Files.writeString(dir.resolve("train.yaml"), "trainer:\n  max_epochs: 500\n  precision: bf16-mixed\n");
    JsonNode report = JSON.readTree(Cli.run("check", "--format", "json", dir.toString()).stdout());
    assertThat(report.get("runs")).hasSize(1);
    assertThat(report.get("runs").get(0).get("file").asText()).endsWith("/train.yaml");
  }
}
