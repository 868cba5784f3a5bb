package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carbonlens.model.Severity;
import dev.carbonlens.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file over a limit in `check`: one info notice in every format (text, JSON `notices`, SARIF note, GitLab
 * info), never an error; the other files are checked as usual; `--fail-on info` alone fails on it.
 */
class CheckLimitsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String K80 = "resources:\n  infra: aws/ap-south-1\n  accelerators: K80:4\n"
      + "run: python train.py --epochs 90\n";

  private static Path workspace(Path dir) throws Exception {
    Files.writeString(dir.resolve("k80.yaml"), K80);
    // 3 MB of one YAML line: over the default 2 MB; check looks at the size and never reads it
    Files.writeString(dir.resolve("huge.yaml"), "a: " + "x".repeat(3 * 1024 * 1024));
    return dir;
  }

  @Test
  void aFileOverTheSizeLimitIsOneInfoLineAndTheOthersAreChecked(@TempDir Path dir) throws Exception {
    workspace(dir);
    Cli.Outcome outcome = Cli.run("check", dir.toString());
    assertThat(outcome.exitCode()).as("the K80 findings fail at the default --fail-on warning").isEqualTo(1);
    assertThat(outcome.stdout()).contains(dir.resolve("huge.yaml") + ":1:1: info limit Not analysed: the file is"
        + " 3.0 MB, over the 2.0 MB limit on the files CarbonLens analyses (setting limits.maxFileSizeKB, or"
        + " --max-file-size for check).\n");
    assertThat(outcome.stdout()).contains("CL-HW-001").contains("1 file not analysed (over a limit)")
        .doesNotContain("parse error");
  }

  @Test
  void theJsonReportListsNoticesApartFromErrors(@TempDir Path dir) throws Exception {
    workspace(dir);
    JsonNode report = JSON.readTree(Cli.run("check", "--format", "json", dir.toString()).stdout());
    assertThat(report.get("errors")).isEmpty();
    assertThat(report.get("notices")).hasSize(1);
    JsonNode notice = report.get("notices").get(0);
    assertThat(notice.get("file").asText()).endsWith("huge.yaml");
    assertThat(notice.get("line").asInt()).isEqualTo(1);
    assertThat(notice.get("column").asInt()).isEqualTo(1);
    assertThat(notice.get("limit").asText()).isEqualTo("file-size");
    assertThat(notice.get("message").asText()).startsWith("Not analysed: the file is 3.0 MB");
    assertThat(report.get("findings")).extracting(f -> f.get("ruleId").asText())
        .containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");
  }

  @Test
  void sarifHasANoteOfTheLimitRuleAndStillValidates(@TempDir Path dir) throws Exception {
    workspace(dir);
    JsonNode sarif = SarifReportTest.sarif(SarifReportTest.check(dir.toString()));
    assertThat(SarifReportTest.violations(sarif)).isEmpty();
    JsonNode run = sarif.get("runs").get(0);
    JsonNode limit = null;
    for (JsonNode r : run.get("results")) {
      if (r.get("ruleId").asText().equals("limit")) {
        limit = r;
      }
    }
    assertThat(limit).isNotNull();
    assertThat(limit.get("level").asText()).isEqualTo("note");
    assertThat(limit.get("properties").get("category").asText()).isEqualTo("parse");
    assertThat(limit.get("properties").get("limit").asText()).isEqualTo("file-size");
    JsonNode descriptor = run.get("tool").get("driver").get("rules").get(limit.get("ruleIndex").asInt());
    assertThat(descriptor.get("id").asText()).isEqualTo("limit");
    assertThat(descriptor.get("defaultConfiguration").get("level").asText()).isEqualTo("note");
  }

  @Test
  void gitLabGetsAnInfoIssue(@TempDir Path dir) throws Exception {
    workspace(dir);
    JsonNode issues = JSON.readTree(Cli.run("check", "--format", "gitlab", dir.toString()).stdout());
    JsonNode notice = null;
    for (JsonNode issue : issues) {
      if (issue.get("check_name").asText().equals("limit")) {
        notice = issue;
      }
    }
    assertThat(notice).isNotNull();
    assertThat(notice.get("severity").asText()).isEqualTo("info");
    assertThat(notice.get("location").get("path").asText()).endsWith("huge.yaml");
  }

  @Test
  void onlyFailOnInfoFailsOnANotice(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("huge.yaml"), "a: " + "x".repeat(3 * 1024 * 1024));
    assertThat(Cli.run("check", dir.toString()).exitCode()).isZero();
    assertThat(Cli.run("check", "--fail-on", "error", dir.toString()).exitCode()).isZero();
    assertThat(Cli.run("check", "--fail-on", "info", dir.toString()).exitCode()).isEqualTo(1);
    CheckResult result = SarifReportTest.check(dir.toString());
    assertThat(result.notices()).isEqualTo(1);
    assertThat(result.parseErrors()).isZero();
    assertThat(result.failsAt(Severity.WARNING)).isFalse();
    assertThat(result.failsAt(Severity.INFO)).isTrue();
  }

  @Test
  void theLimitsAreOptions(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("k80.yaml"), K80);
    JsonNode small = JSON.readTree(Cli.run("check", "--format", "json", "--max-file-size", "1", dir.toString())
        .stdout());
    assertThat(small.get("findings")).hasSize(3); // 90 bytes is within 1 KB
    assertThat(small.get("notices")).isEmpty();
    Files.writeString(dir.resolve("k80.yaml"), K80 + "#".repeat(2000));
    JsonNode over = JSON.readTree(Cli.run("check", "--format", "json", "--max-file-size", "1", dir.toString())
        .stdout());
    assertThat(over.get("notices").get(0).get("message").asText())
        .startsWith("Not analysed: the file is 2 KB, over the 1 KB limit");
    Cli.Outcome bad = Cli.run("check", "--time-budget", "-5", dir.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr()).contains("--time-budget: must be 0 (no limit) or more");
    assertThat(Cli.run("check", "--time-budget", "0", "--max-file-size", "4096", dir.toString()).exitCode())
        .isEqualTo(1);
  }
}
