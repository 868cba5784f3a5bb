package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carbonlens.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `rules`, `explain`, `check --severity` and suppression counts, as a user runs them. */
class RuleCommandsTest {
  private static final String FP32 = "model_name_or_path: mistralai/Mistral-7B-v0.1\nnum_train_epochs: 20\n"
      + "fp16: false{comment}\nper_device_train_batch_size: 4\n";

  @Test
  void rulesListsTheCatalogWithTitles() {
    Cli.Outcome o = Cli.run("rules");
    assertThat(o.exitCode()).isZero();
    assertThat(o.stdout()).contains("CL-PREC-001").contains("fp32 training on a GPU with bf16 tensor cores")
        .contains("explain ID");
  }

  @Test
  void explainPrintsTheRulePageAndHowToSilenceIt() {
    Cli.Outcome o = Cli.run("explain", "cl-prec-001");
    assertThat(o.exitCode()).isZero();
    assertThat(o.stdout()).startsWith("# CL-PREC-001: ").contains("## How the savings are estimated")
        .contains("default severity: warning").contains("# carbonlens: ignore[CL-PREC-001]");
  }

  @Test
  void explainAnUnknownRuleIsAUsageError() {
    Cli.Outcome o = Cli.run("explain", "CL-NOPE-001");
    assertThat(o.exitCode()).isEqualTo(2);
    assertThat(o.stderr()).contains("no built-in rule 'CL-NOPE-001'");
  }

  @Test
  void severityOverridesDecideTheExitCode(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("train.yaml");
    Files.writeString(file, FP32.replace("{comment}", ""));
    assertThat(Cli.run("check", file.toString()).exitCode()).isEqualTo(1);
    Cli.Outcome lowered = Cli.run("check", "--severity", "CL-PREC-001=info",
        "--severity", "CL-ES-001=off", file.toString());
    assertThat(lowered.exitCode()).isZero();
    assertThat(lowered.stdout()).contains("1 finding (1 info)");
    Cli.Outcome bad = Cli.run("check", "--severity", "CL-PREC-001", file.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr()).contains("RULE-ID=level");
  }

  @Test
  void suppressedFindingsAreCountedAndListedWithTheirReason(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("train.yaml");
    Files.writeString(file, FP32.replace("{comment}", "  # carbonlens: ignore[CL-PREC-001] fp16 diverges on this data"));
    Cli.Outcome text = Cli.run("check", file.toString());
    assertThat(text.stdout()).contains("1 suppressed by carbonlens: ignore comments").doesNotContain("CL-PREC-001");
    JsonNode json = new ObjectMapper().readTree(Cli.run("check", "--format", "json", file.toString()).stdout());
    assertThat(json.get("findings")).extracting(f -> f.get("ruleId").asText()).containsExactly("CL-ES-001");
    JsonNode s = json.get("suppressed").get(0);
    assertThat(s.get("ruleId").asText()).isEqualTo("CL-PREC-001");
    assertThat(s.get("line").asInt()).isEqualTo(3);
    assertThat(s.get("reason").asText()).isEqualTo("fp16 diverges on this data");
  }
}
