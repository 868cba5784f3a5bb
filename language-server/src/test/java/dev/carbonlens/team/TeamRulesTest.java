package dev.carbonlens.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.model.Category;
import dev.carbonlens.model.SourceRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule folders: checked, compiled together, evaluated beside the catalog. */
class TeamRulesTest {
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());
  static final String HEAD = "package acme;\nimport dev.carbonlens.model.Run;\n"
      + "import dev.carbonlens.engine.ProposedChange.UseDevices;\n"
      + "global dev.carbonlens.engine.FindingSink findings;\n";
  /** samples/kubernetes/pytorchjob-a100-asia-south1.yaml holds 32 A100s. */
  private static final Path PYTORCHJOB = Path.of("..", "samples", "kubernetes", "pytorchjob-a100-asia-south1.yaml");

  static String gpuRule(String id, int max) {
    return HEAD + "rule \"More than " + max + " GPUs (" + id + ")\" @id(\"" + id + "\") @category(\"policy\") @severity(\"error\")\n"
        + "when\n  $run : Run( devices != null, devices.count > " + max + " )\nthen\n"
        + "  findings.report(drools, $run, $run.devices().range(), new UseDevices(" + max + "), \"over " + max + "\");\nend\n";
  }

  @Test
  void theSampleTeamRuleFiresOnARunAboveItsLimitWithPricedSavings() throws Exception {
    TeamRules team = TeamRules.load(List.of(Path.of("..", "samples", "policies")), ANALYZER.rules().rules(), Map.of());
    assertThat(team.problems()).isEmpty();
    assertThat(team.rules()).extracting(r -> r.id()).containsExactly("ACME-GPU-001");
    FileAnalysis analysis = ANALYZER.withTeamRules(team.engine().orElseThrow())
        .analyze(PYTORCHJOB.toString(), Files.readString(PYTORCHJOB));
    ReportedFinding policy = analysis.findings().stream().filter(f -> f.finding().ruleId().equals("ACME-GPU-001"))
        .findFirst().orElseThrow();
    assertThat(policy.finding().category()).isEqualTo(Category.POLICY);
    assertThat(policy.finding().message()).startsWith("This run holds 32 GPUs; ACME policy asks");
    assertThat(policy.finding().savings()).as("UseDevices(16) priced by the one estimator").isNotNull();
    assertThat(analysis.findings()).extracting(f -> f.finding().ruleId()).as("the catalog still runs")
        .contains("CL-REG-001");
  }

  @Test
  void aBrokenFileIsLeftOutWithItsProblemsAndTheOthersStillLoad(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a-good.drl"), gpuRule("ACME-1", 8));
    Files.writeString(dir.resolve("b-typo.drl"), gpuRule("ACME-2", 8).replace("devices.count", "devices.cnt"));
    Files.writeString(dir.resolve("c-syntax.drl"), gpuRule("ACME-3", 8).replace("then\n", ""));
    TeamRules team = TeamRules.load(List.of(dir), ANALYZER.rules().rules(), Map.of());
    Path typo = dir.resolve("b-typo.drl").toAbsolutePath().normalize();
    Path syntax = dir.resolve("c-syntax.drl").toAbsolutePath().normalize();
    assertThat(team.problems().keySet()).containsExactlyInAnyOrder(typo, syntax);
    assertThat(team.problems().get(syntax)).extracting(ParseProblem::message)
        .containsExactly("mismatched input 'end' in rule \"More than 8 GPUs (ACME-3)\"");
    assertThat(team.rules()).extracting(r -> r.id()).containsExactly("ACME-1");
    assertThat(team.problems().get(typo).get(0).range()).isEqualTo(new SourceRange(6, 0, 6, 48));
    assertThat(team.problems().get(typo).get(0).message()).contains("DeviceCount.cnt()");
  }

  @Test
  void anIdUsedByAnotherRuleFileIsRefusedOnTheLaterFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.drl"), gpuRule("ACME-1", 8));
    Files.writeString(dir.resolve("b.drl"), gpuRule("ACME-1", 4).replace("package acme;", "package acme.other;"));
    TeamRules team = TeamRules.load(List.of(dir), ANALYZER.rules().rules(), Map.of());
    assertThat(team.rules()).extracting(r -> r.name()).containsExactly("More than 8 GPUs (ACME-1)");
    assertThat(team.problems().get(dir.resolve("b.drl").toAbsolutePath().normalize()))
        .extracting(ParseProblem::message).containsExactly("Rule id ACME-1 is already used in a.drl.");
  }

  @Test
  void editorTextReplacesTheFileOnDisk(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gpus.drl");
    Files.writeString(file, gpuRule("ACME-1", 8));
    TeamRules team = TeamRules.load(List.of(dir), ANALYZER.rules().rules(),
        Map.of(file.toAbsolutePath().normalize(), gpuRule("ACME-9", 4)));
    assertThat(team.rules()).extracting(r -> r.id()).containsExactly("ACME-9");
  }

  @Test
  void linksOutOfTheRuleFolderAreNotFollowed(@TempDir Path dir) throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("elsewhere.drl"), gpuRule("ACME-OUT", 8));
    Path rules = Files.createDirectories(dir.resolve("rules"));
    Files.createSymbolicLink(rules.resolve("linked.drl"), outside.resolve("elsewhere.drl"));
    Files.writeString(rules.resolve("../rules/inside.drl"), gpuRule("ACME-IN", 8));
    TeamRules team = TeamRules.load(List.of(rules), ANALYZER.rules().rules(), Map.of());
    assertThat(team.rules()).extracting(r -> r.id()).containsExactly("ACME-IN");
  }

  @Test
  void aTeamRuleThatThrowsNeverHidesTheCatalogsFindings() throws Exception {
    String throwing = HEAD + "rule \"Broken\" @id(\"ACME-BAD\") @category(\"policy\") @severity(\"error\")\n"
        + "when\n  $run : Run()\nthen\n  throw new IllegalStateException(\"bug in a team rule\");\nend\n";
    RuleEngine team = dev.carbonlens.engine.TeamRuleCompiler.compile(Map.of("bad.drl", throwing)).engine().orElseThrow();
    FileAnalysis analysis = ANALYZER.withTeamRules(team).analyze(PYTORCHJOB.toString(), Files.readString(PYTORCHJOB));
    assertThat(analysis.findings()).extracting(f -> f.finding().ruleId()).contains("CL-REG-001")
        .doesNotContain("ACME-BAD");
  }
}
