package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `check` with `.carbonlens.yaml`: the nearest one above each file, or `--config`; the command line wins. */
class CheckProjectConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** An fp32 Hugging Face run with no region: CL-PREC-001 fires, and the default location prices it. */
  private static final Path FP32 = Path.of("../samples/huggingface/pythia-imdb-fp32.json");
  private static final String TEAM_CONFIG = String.join("\n",
      "version: 1",
      "defaults:",
      "  region: FR",
      "severity:",
      "  CL-PREC-001: error",
      "ignore:",
      "  - experiments/old/**",
      "");

  @TempDir
  Path dir;

  @BeforeEach
  void tree() throws Exception {
    for (String file : List.of("team/a/train.json", "team/experiments/old/train.json", "other/train.json")) {
      Files.createDirectories(dir.resolve(file).getParent());
      Files.copy(FP32, dir.resolve(file));
    }
    Files.writeString(dir.resolve("team/.carbonlens.yaml"), TEAM_CONFIG);
  }

  private JsonNode report(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("check", "--format", "json", "--fail-on", "never"));
    all.addAll(List.of(args));
    Cli.Outcome outcome = Cli.run(all.toArray(String[]::new));
    assertThat(outcome.stderr()).isEmpty();
    assertThat(outcome.exitCode()).isZero();
    return JSON.readTree(outcome.stdout());
  }

  private String path(String relative) {
    return dir.resolve(relative).toString().replace('\\', '/');
  }

  /** The severity of CL-PREC-001 in {@code file}, or null when it did not fire. */
  private static String precisionSeverity(JsonNode report, String file) {
    for (JsonNode f : report.get("findings")) {
      if (f.get("file").asText().equals(file) && f.get("ruleId").asText().equals("CL-PREC-001")) {
        return f.get("severity").asText();
      }
    }
    return null;
  }

  private static double gridIntensity(JsonNode report, String file) {
    for (JsonNode r : report.get("runs")) {
      if (r.get("file").asText().equals(file)) {
        return r.get("gridIntensity").asDouble();
      }
    }
    throw new AssertionError("no run in " + file);
  }

  private static List<String> files(JsonNode report) {
    List<String> files = new ArrayList<>();
    report.get("runs").forEach(r -> files.add(r.get("file").asText()));
    return files;
  }

  private static double country(String iso) {
    return ReferenceData.builtIn().country(iso).orElseThrow().gridIntensity();
  }

  @Test
  void theNearestConfigAboveEachFileApplies() throws Exception {
    JsonNode report = report(path(""));

    assertThat(files(report)).containsExactly(path("other/train.json"), path("team/a/train.json"));
    assertThat(precisionSeverity(report, path("team/a/train.json"))).isEqualTo("error");
    assertThat(precisionSeverity(report, path("other/train.json"))).isEqualTo("warning");
    assertThat(gridIntensity(report, path("team/a/train.json"))).isCloseTo(country("FR"), within(0.01));
    assertThat(gridIntensity(report, path("other/train.json"))).isNotCloseTo(country("FR"), within(0.01));
    assertThat(report.get("errors")).isEmpty(); // the config itself is checked too, and is fine
  }

  @Test
  void aConfigInASubFolderReplacesTheOneAbove() throws Exception {
    Files.writeString(dir.resolve("team/a/.carbonlens.yaml"), "severity:\n  CL-PREC-001: hint\n");

    JsonNode report = report(path("team"));

    assertThat(precisionSeverity(report, path("team") + "/a/train.json")).isEqualTo("hint");
    assertThat(gridIntensity(report, path("team") + "/a/train.json")).isNotCloseTo(country("FR"), within(0.01));
  }

  @Test
  void ignoreGlobsSkipFilesEvenWhenNamedOnTheCommandLine() throws Exception {
    JsonNode report = report(path("team/experiments/old/train.json"), path("team/a/train.json"));

    assertThat(files(report)).containsExactly(path("team/a/train.json"));
  }

  @Test
  void theCommandLineWinsOverTheConfig() throws Exception {
    JsonNode report = report("--severity", "CL-PREC-001=info", "--default-location", "SE", path("team"));

    String file = path("team") + "/a/train.json";
    assertThat(precisionSeverity(report, file)).isEqualTo("info");
    assertThat(gridIntensity(report, file)).isCloseTo(country("SE"), within(0.01));
  }

  @Test
  void configOptionAppliesOneFileToEveryPathAndItsGlobsFromItsOwnFolder() throws Exception {
    Path config = dir.resolve("strict.yaml");
    Files.writeString(config, "rules:\n  CL-PREC-001: false\nignore:\n  - other/**\n");

    JsonNode report = report("--config", config.toString(), path(""));

    // the team's own .carbonlens.yaml is not read: its ignore glob, FR and error severity do not apply
    assertThat(files(report)).containsExactly(path("team/a/train.json"), path("team/experiments/old/train.json"));
    assertThat(precisionSeverity(report, path("team/a/train.json"))).isNull();
    assertThat(gridIntensity(report, path("team/a/train.json"))).isNotCloseTo(country("FR"), within(0.01));
  }

  @Test
  void globsNeverMatchOutsideTheConfigFolder() throws Exception {
    Path config = dir.resolve("ci/strict.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "ignore:\n  - ../other/**\n  - '**'\n");

    JsonNode report = report("--config", config.toString(), path("other"));

    assertThat(files(report)).containsExactly(path("other") + "/train.json");
  }

  @Test
  void aConfigWithProblemsStopsWithExit2AndEachProblemAtItsLine() throws Exception {
    Files.writeString(dir.resolve("team/.carbonlens.yaml"),
        "version: 1\ndefaults:\n  pue: 0.5\nseverity:\n  CL-NOPE-001: info\n");

    Cli.Outcome outcome = Cli.run("check", "--format", "json", path(""));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stdout()).isEmpty();
    String config = path("team/.carbonlens.yaml");
    assertThat(outcome.stderr()).isEqualTo(
        config + ":3:8: defaults.pue: expected at least 1, got 0.5" + System.lineSeparator()
        + config + ":5:3: severity: unknown rule id CL-NOPE-001 (`carbonlens rules` lists the rules)"
        + System.lineSeparator());
  }

  @Test
  void aBadConfigOptionFileIsNamedAsGiven() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "defaults:\n  gridSignal: peak\n");

    Cli.Outcome outcome = Cli.run("check", "--config", config.toString(), path("other"));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).isEqualTo(config.toString().replace('\\', '/')
        + ":2:15: defaults.gridSignal: expected one of average, marginal, got 'peak'" + System.lineSeparator());
  }

  @Test
  void aMissingConfigOptionFileIsAUsageError() {
    Cli.Outcome outcome = Cli.run("check", "--config", path("nope.yaml"), path("other"));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).startsWith("carbonlens: --config: no such file: " + path("nope.yaml"));
  }

  /** Every finding of {@code file} as `ruleId severity category`, in report order. */
  private static List<String> findings(JsonNode report, String file) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : report.get("findings")) {
      if (f.get("file").asText().equals(file)) {
        out.add(f.get("ruleId").asText() + " " + f.get("severity").asText() + " " + f.get("category").asText());
      }
    }
    return out;
  }

  @Test
  void theConfigsPoliciesApplyToItsFilesOnly() throws Exception {
    Files.writeString(dir.resolve("team/.carbonlens.yaml"), TEAM_CONFIG
        + "policies:\n  - id: TEAM-BF16-001\n    requirePrecision: bf16\n    severity: error\n");

    JsonNode report = report(path(""));

    assertThat(findings(report, path("team/a/train.json"))).contains("TEAM-BF16-001 error policy");
    assertThat(findings(report, path("other/train.json"))).noneMatch(f -> f.startsWith("TEAM-"));
  }

  @Test
  void aBadPolicyInTheConfigStopsWithExit2AtItsValue() throws Exception {
    Files.writeString(dir.resolve("team/.carbonlens.yaml"),
        "version: 1\npolicies:\n  - id: TEAM-GRID-001\n    maxGridIntensity: high\n");

    Cli.Outcome outcome = Cli.run("check", "--format", "json", path(""));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stdout()).isEmpty();
    assertThat(outcome.stderr()).isEqualTo(path("team/.carbonlens.yaml") + ":4:23: "
        + "`maxGridIntensity` takes a positive number: a grid intensity in gCO2e/kWh, e.g. 200"
        + System.lineSeparator());
  }

  @Test
  void ruleFoldersOutsideTheConfigsFolderStopWithExit2AtTheItem() throws Exception {
    Files.writeString(dir.resolve("team/.carbonlens.yaml"), "version: 1\nruleFolders:\n  - ../other\n");

    Cli.Outcome outcome = Cli.run("check", path("team"));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).isEqualTo(path("team/.carbonlens.yaml") + ":3:5: "
        + "ruleFolders[0]: '../other' is outside the config's folder; rule folders must lie below it"
        + System.lineSeparator());
  }
}
