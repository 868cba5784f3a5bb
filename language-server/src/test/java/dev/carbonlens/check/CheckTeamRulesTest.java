package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `check --rules DIR`: the sample team rules (DRL and declarative policies) give `policy` findings. */
class CheckTeamRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POLICIES = "../samples/policies";

  private static List<JsonNode> policyFindings(JsonNode report) {
    List<JsonNode> out = new ArrayList<>();
    report.get("findings").forEach(f -> {
      if (f.get("category").asText().equals("policy")) {
        out.add(f);
      }
    });
    return out;
  }

  @Test
  void theSampleRulesFlagTheirRunsWithPricedSavings() throws Exception {
    CheckCommandTest.Outcome outcome = CheckCommandTest.run("check", "--format", "json", "--fail-on", "never",
        "--rules", POLICIES, "../samples/skypilot/resnet-k80.yaml",
        "../samples/kubernetes/pytorchjob-a100-asia-south1.yaml", "../samples/wandb-sweep/bert-glue-grid.yaml");
    assertThat(outcome.exitCode()).isZero();
    List<JsonNode> policy = policyFindings(JSON.readTree(outcome.stdout()));
    assertThat(policy).extracting(f -> f.get("file").asText().replaceFirst("^\\.\\./samples/", "") + ":"
        + f.get("line").asInt() + " " + f.get("ruleId").asText() + " " + f.get("severity").asText())
        .containsExactly(
            "skypilot/resnet-k80.yaml:5 ACME-GRID-001 error",
            "skypilot/resnet-k80.yaml:6 ACME-HW-001 error",
            "kubernetes/pytorchjob-a100-asia-south1.yaml:16 ACME-GRID-001 error",
            "kubernetes/pytorchjob-a100-asia-south1.yaml:39 ACME-GPU-001 error",
            "wandb-sweep/bert-glue-grid.yaml:3 ACME-HPO-001 warning");
    // Declarative policies that imply a change are priced by the one estimator, as built-in rules are.
    JsonNode denied = policy.get(1);
    assertThat(denied.get("message").asText()).startsWith("K80 is denied by team policy ACME-HW-001");
    assertThat(denied.get("savings").get("kgCO2e").asDouble()).isPositive();
    assertThat(policy.get(3).get("message").asText()).startsWith("This run holds 32 GPUs");
  }

  @Test
  void withoutRulesNoPolicyFindings() throws Exception {
    CheckCommandTest.Outcome outcome = CheckCommandTest.run("check", "--format", "json", "--fail-on", "never",
        "../samples/skypilot/resnet-k80.yaml");
    assertThat(policyFindings(JSON.readTree(outcome.stdout()))).isEmpty();
  }

  @Test
  void aTeamRuleThatDoesNotLoadStopsTheCheckWithItsPosition(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("gpus.drl"), Files.readString(Path.of(POLICIES, "gpu-sign-off.drl"))
        .replace("devices.count > 16", "devices.cnt > 16"));
    Files.writeString(dir.resolve("policy.yaml"), "policies:\n  - id: ACME-X\n    maxGridIntensity: high\n");
    CheckCommandTest.Outcome outcome = CheckCommandTest.run("check", "--rules", dir.toString(),
        "../samples/skypilot/resnet-k80.yaml");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stdout()).isEmpty();
    List<String> lines = outcome.stderr().lines().toList();
    assertThat(lines.get(0)).startsWith(dir.resolve("gpus.drl").toAbsolutePath().normalize() + ":13:1: ")
        .contains("DeviceCount.cnt()");
    assertThat(lines).last().asString().startsWith(dir.resolve("policy.yaml") + ":3:23: ");
  }

  @Test
  void aMissingRulesFolderIsAUsageError() throws Exception {
    CheckCommandTest.Outcome outcome = CheckCommandTest.run("check", "--rules", "no/such/folder",
        "../samples/skypilot/resnet-k80.yaml");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("--rules: no such folder: no/such/folder");
  }
}
