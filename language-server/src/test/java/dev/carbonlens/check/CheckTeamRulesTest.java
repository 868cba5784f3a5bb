package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carbonlens.testing.Cli;
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
    Cli.Outcome outcome = Cli.run("check", "--format", "json", "--fail-on", "never",
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
    Cli.Outcome outcome = Cli.run("check", "--format", "json", "--fail-on", "never",
        "../samples/skypilot/resnet-k80.yaml");
    assertThat(policyFindings(JSON.readTree(outcome.stdout()))).isEmpty();
  }

  @Test
  void aTeamRuleThatDoesNotLoadStopsTheCheckWithItsPosition(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("gpus.drl"), Files.readString(Path.of(POLICIES, "gpu-sign-off.drl"))
        .replace("devices.count > 16", "devices.cnt > 16"));
    Files.writeString(dir.resolve("policy.yaml"), "policies:\n  - id: ACME-X\n    maxGridIntensity: high\n");
    Cli.Outcome outcome = Cli.run("check", "--rules", dir.toString(),
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
    Cli.Outcome outcome = Cli.run("check", "--rules", "no/such/folder",
        "../samples/skypilot/resnet-k80.yaml");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("--rules: no such folder: no/such/folder");
  }

  /** Four K80s in Mumbai: the catalog flags them, and so do the workspace's policy and rule below. */
  private static final String TASK = "resources:\n  infra: aws/ap-south-1\n  accelerators: K80:4\n\n"
      + "run: python train.py --epochs 90\n";

  /** A workspace whose .carbonlens.yaml names a rule folder with a policy file and a DRL rule that writes a file. */
  private static Path workspace(Path dir) throws Exception {
    Path rules = Files.createDirectories(dir.resolve(".carbonlens/rules"));
    Files.writeString(dir.resolve(".carbonlens.yaml"), "version: 1\nruleFolders:\n  - .carbonlens/rules\n");
    Files.writeString(rules.resolve("hardware.yaml"), "policies:\n  - id: ACME-K80-001\n    deniedAccelerators: K80\n");
    Path marker = dir.resolve("rule-ran.txt");
    // A consequence that writes a file: proof of whether anything in the rule was executed.
    Files.writeString(rules.resolve("evil.drl"), "package acme.policies;\n"
        + "import dev.carbonlens.model.Run;\n"
        + "import dev.carbonlens.engine.ProposedChange.UseDevices;\n"
        + "global dev.carbonlens.engine.FindingSink findings;\n"
        + "rule \"Writes a file\" @id(\"ACME-EVIL-001\") @category(\"policy\") @severity(\"error\")\n"
        + "when\n  $run : Run()\nthen\n"
        + "  java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + marker.toString().replace("\\", "\\\\")
        + "\"), \"ran\");\n  findings.report(drools, $run, null, new UseDevices(1), \"evil ran\");\nend\n");
    Files.writeString(dir.resolve("task.yaml"), TASK);
    return marker;
  }

  private static List<String> ruleIds(Cli.Outcome outcome) throws Exception {
    List<String> ids = new ArrayList<>();
    JSON.readTree(outcome.stdout()).get("findings").forEach(f -> ids.add(f.get("ruleId").asText()));
    return ids;
  }

  @Test
  void workspaceDrlRulesNeverRunWithoutTrustButTheirPoliciesApply(@TempDir Path dir) throws Exception {
    Path marker = workspace(dir);

    Cli.Outcome outcome = Cli.run("check", "--format", "json",
        dir.resolve("task.yaml").toString());

    assertThat(marker).as("the rule never ran").doesNotExist();
    assertThat(outcome.stderr()).isEqualTo("carbonlens: 1 team rule file(s) in "
        + dir.resolve(".carbonlens/rules").toAbsolutePath().normalize()
        + " not loaded: pass --trust-workspace-rules to run them" + System.lineSeparator());
    assertThat(outcome.exitCode()).as("exit by findings, as usual").isEqualTo(1);
    assertThat(ruleIds(outcome)).containsExactly("CL-REG-002", "ACME-K80-001", "CL-HW-001", "CL-ES-001");
  }

  @Test
  void trustedWorkspaceDrlRulesCompileAndRunBesideTheCommandLinesRules(@TempDir Path dir) throws Exception {
    Path marker = workspace(dir);

    Cli.Outcome outcome = Cli.run("check", "--format", "json", "--trust-workspace-rules",
        "--rules", POLICIES, dir.resolve("task.yaml").toString());

    assertThat(outcome.stderr()).isEmpty();
    assertThat(marker).hasContent("ran");
    assertThat(ruleIds(outcome)).containsExactly("ACME-EVIL-001", "ACME-GRID-001", "CL-REG-002", "ACME-HW-001",
        "ACME-K80-001", "CL-HW-001", "CL-ES-001");
  }

  @Test
  void aWorkspacePolicyTakingAnIdOfTheCommandLinesRulesStopsTheCheck(@TempDir Path dir) throws Exception {
    workspace(dir);
    Files.delete(dir.resolve(".carbonlens/rules/evil.drl"));
    Files.writeString(dir.resolve(".carbonlens/rules/hardware.yaml"),
        "policies:\n  - id: ACME-GPU-001\n    deniedAccelerators: K80\n");

    Cli.Outcome outcome = Cli.run("check", "--rules", POLICIES,
        dir.resolve("task.yaml").toString());

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stdout()).isEmpty();
    assertThat(outcome.stderr()).isEqualTo(dir.resolve(".carbonlens/rules/hardware.yaml").toAbsolutePath().normalize()
        + ":2:9: `ACME-GPU-001` is already taken (a built-in rule, a team rule or another policy); give the policy an id of its own" + System.lineSeparator());
  }
}
