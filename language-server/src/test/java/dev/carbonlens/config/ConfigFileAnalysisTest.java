package dev.carbonlens.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.estimate.EstimatorSettings;
import org.junit.jupiter.api.Test;

/** An open `.carbonlens.yaml` gets its own problems as diagnostics, at their lines; nothing is priced. */
class ConfigFileAnalysisTest {
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());
  private static final String BAD = "version: 1\ndefaults:\n  pue: 5\nrules:\n  CL-NOPE-001: false\n";

  @Test
  void aProjectConfigIsCheckedAgainstTheSchemaAndTheRules() {
    FileAnalysis analysis = ANALYZER.analyze("/work/team/.carbonlens.yaml", BAD);

    assertThat(analysis.problems()).extracting(p -> p.range().toString(), ParseProblem::message).containsExactly(
        tuple("2:7-2:8", "defaults.pue: expected at most 3, got 5"),
        tuple("4:2-4:13", "rules: unknown rule id CL-NOPE-001 (`carbonlens rules` lists the rules)"));
    assertThat(analysis.runs()).isEmpty();
    assertThat(analysis.findings()).isEmpty();
  }

  @Test
  void windowsPathsAndBareNamesAreConfigsToo() {
    assertThat(ANALYZER.analyze("C:\\team\\.carbonlens.yaml", BAD).problems()).hasSize(2);
    assertThat(ANALYZER.analyze(".carbonlens.yaml", BAD).problems()).hasSize(2);
  }

  @Test
  void otherYamlFilesAreNotProjectConfigs() {
    assertThat(ANALYZER.analyze("/work/team/carbonlens.yaml", BAD).problems()).isEmpty();
    assertThat(ANALYZER.analyze("/work/team/x.carbonlens.yaml", BAD).problems()).isEmpty();
  }

  @Test
  void aValidConfigHasNoProblems() {
    assertThat(ANALYZER.analyze("/work/team/.carbonlens.yaml", "version: 1\nseverity:\n  CL-PREC-001: info\n")
        .problems()).isEmpty();
  }
}
