package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carbonlens.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `check --write-baseline` / `--baseline`: only new findings fail, whatever moves around them. */
class BaselineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String K80_JOB = """
      # An old tutorial job still pinned to K80s.
      name: resnet50-cifar

      resources:
        infra: aws/ap-south-1
        accelerators: K80:4

      run: |
        python train.py --arch resnet50 --dataset cifar10 --epochs 90 --bf16
      """;

  @TempDir
  Path dir;
  Path job;
  Path baseline;

  @BeforeEach
  void writeJobAndBaseline() throws Exception {
    job = dir.resolve("jobs/resnet-k80.yaml");
    Files.createDirectories(job.getParent());
    Files.writeString(job, K80_JOB);
    baseline = dir.resolve("carbonlens-baseline.json");
    Cli.Outcome written = Cli.run("check", "--write-baseline", baseline.toString(),
        job.toString());
    assertThat(written.exitCode()).as("writing a baseline accepts what is there").isZero();
    assertThat(written.stderr()).contains("wrote 3 finding(s) to " + baseline);
  }

  @Test
  void theBaselineRecordsEachFindingByRuleAndLineTextRelativeToItsFolder() throws Exception {
    JsonNode root = JSON.readTree(Files.readString(baseline));
    assertThat(root.get("version").asInt()).isEqualTo(1);
    List<String> rows = new ArrayList<>();
    for (JsonNode f : root.get("findings")) {
      rows.add(f.get("file").asText() + ":" + f.get("line").asInt() + " " + f.get("ruleId").asText());
      assertThat(f.get("hash").asText()).matches("[0-9a-f]{16}");
    }
    assertThat(rows).containsExactly("jobs/resnet-k80.yaml:5 CL-REG-002", "jobs/resnet-k80.yaml:6 CL-HW-001",
        "jobs/resnet-k80.yaml:9 CL-ES-001");
  }

  @Test
  void unchangedFindingsPassAndAreCountedNotListed() {
    Cli.Outcome outcome = check("text");
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.stdout()).doesNotContain("CL-HW-001")
        .contains("0 new findings; baseline: 3 unchanged (not shown), 0 fixed or changed since.");
  }

  @Test
  void linesMovingAboveAFindingDoNotMakeItNew() throws Exception {
    Files.writeString(job, "# moved down by a header\n# and a second line\n\n" + K80_JOB.replace("name:", "\nname:"));
    JsonNode report = JSON.readTree(check("json").stdout());
    assertThat(report.get("findings")).hasSize(3);
    for (JsonNode f : report.get("findings")) {
      assertThat(f.get("baselineState").asText()).as(f.get("ruleId").asText()).isEqualTo("unchanged");
    }
    assertThat(report.get("findings").get(1).get("line").asInt()).isEqualTo(10);
    assertThat(check("text").exitCode()).isZero();
  }

  @Test
  void aNewFindingFailsAndOnlyItIsListed() throws Exception {
    // the run line changes (90 -> 120 epochs), so CL-ES-001 there is a new finding; the others stay
    Files.writeString(job, K80_JOB.replace("--epochs 90", "--epochs 120"));
    Cli.Outcome text = check("text");
    assertThat(text.exitCode()).isEqualTo(1);
    assertThat(text.stdout()).contains("resnet-k80.yaml:9:53: warning CL-ES-001 120 epochs")
        .doesNotContain("CL-HW-001").doesNotContain("CL-REG-002")
        .contains("1 new finding (1 warning); baseline: 2 unchanged (not shown), 1 fixed or changed since.");
    JsonNode report = JSON.readTree(check("json").stdout());
    assertThat(report.get("baseline").get("unchanged").asInt()).isEqualTo(2);
    assertThat(report.get("baseline").get("new").asInt()).isEqualTo(1);
    assertThat(findings(report, "CL-ES-001").get("baselineState").asText()).isEqualTo("new");
    assertThat(report.get("baseline").get("absent").get(0).get("ruleId").asText()).isEqualTo("CL-ES-001");
    assertThat(report.get("baseline").get("absent").get(0).get("line").asInt()).isEqualTo(9);
  }

  @Test
  void sarifResultsCarryTheirBaselineState() throws Exception {
    Files.writeString(job, K80_JOB.replace("--epochs 90", "--epochs 120"));
    JsonNode sarif = JSON.readTree(check("sarif").stdout());
    List<String> states = new ArrayList<>();
    for (JsonNode r : sarif.get("runs").get(0).get("results")) {
      states.add(r.get("ruleId").asText() + " " + r.get("baselineState").asText());
    }
    assertThat(states).containsExactlyInAnyOrder("CL-REG-002 unchanged", "CL-HW-001 unchanged", "CL-ES-001 new");
  }

  @Test
  void aFixedFindingIsReportedAbsentAndTheCheckPasses() throws Exception {
    Files.writeString(job, K80_JOB.replace("K80:4", "L4:4"));
    Cli.Outcome outcome = check("json");
    assertThat(outcome.exitCode()).isZero();
    JsonNode absent = JSON.readTree(outcome.stdout()).get("baseline").get("absent");
    assertThat(absent).hasSize(1);
    assertThat(absent.get(0).get("ruleId").asText()).isEqualTo("CL-HW-001");
    assertThat(absent.get(0).get("file").asText()).isEqualTo("jobs/resnet-k80.yaml");
  }

  @Test
  void aChangedValueOnTheFlaggedLineIsNew() throws Exception {
    Files.writeString(job, K80_JOB.replace("aws/ap-south-1", "aws/ap-southeast-2"));
    JsonNode report = JSON.readTree(check("json").stdout());
    JsonNode region = findings(report, "CL-REG");
    assertThat(region.get("baselineState").asText()).isEqualTo("new");
    assertThat(report.get("baseline").get("absent").get(0).get("ruleId").asText()).isEqualTo("CL-REG-002");
  }

  @Test
  void theSameFindingOnEqualLinesIsMatchedByCount() throws Exception {
    Path second = dir.resolve("jobs/two.yaml");
    String twoJobs = K80_JOB + "---\n" + K80_JOB;
    Files.writeString(second, twoJobs);
    Path both = dir.resolve("both.json");
    assertThat(Cli.run("check", "--write-baseline", both.toString(), second.toString()).exitCode()).isZero();
    // a third copy of the same job: its findings are new even though their lines read the same
    Files.writeString(second, twoJobs + "---\n" + K80_JOB);
    JsonNode report = JSON.readTree(Cli.run("check", "--format", "json", "--baseline", both.toString(),
        second.toString()).stdout());
    assertThat(report.get("baseline").get("unchanged").asInt()).isEqualTo(6);
    assertThat(report.get("baseline").get("new").asInt()).isEqualTo(3);
  }

  @Test
  void theBaselineMatchesFromAnotherWorkingFolderSpelling() throws Exception {
    // written with an absolute path above; checked through a path with `..` in it
    String roundabout = dir.resolve("jobs/../jobs").toString();
    Cli.Outcome outcome = Cli.run("check", "--baseline", baseline.toString(), roundabout);
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.stdout()).contains("3 unchanged");
  }

  @Test
  void aFileThatIsNotABaselineIsAUsageError() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"findings\": [}", StandardCharsets.UTF_8);
    Cli.Outcome outcome = Cli.run("check", "--baseline", bad.toString(), job.toString());
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("--baseline: " + bad + ":1:").contains("not a CarbonLens baseline");
    Files.writeString(bad, "{\"version\": 7, \"findings\": []}", StandardCharsets.UTF_8);
    assertThat(Cli.run("check", "--baseline", bad.toString(), job.toString()).stderr())
        .contains("write one with --write-baseline");
    assertThat(Cli.run("check", "--baseline", dir.resolve("missing.json").toString(), job.toString())
        .stderr()).contains("--baseline: no such file");
  }

  private Cli.Outcome check(String format) {
    return Cli.run("check", "--format", format, "--baseline", baseline.toString(), job.toString());
  }

  private static JsonNode findings(JsonNode report, String idPrefix) {
    for (JsonNode f : report.get("findings")) {
      if (f.get("ruleId").asText().startsWith(idPrefix)) {
        return f;
      }
    }
    throw new AssertionError("no " + idPrefix + " finding in " + report);
  }
}
