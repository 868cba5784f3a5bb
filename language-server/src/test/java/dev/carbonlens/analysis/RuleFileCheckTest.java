package dev.carbonlens.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.model.SourceRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Team `.drl` files: syntax and CarbonLens metadata, checked by the parser alone. */
class RuleFileCheckTest {
  private static final String HEAD = "package acme.policies;\n\nimport dev.carbonlens.model.Run;\n"
      + "global dev.carbonlens.engine.FindingSink findings;\n\n";

  private static List<ParseProblem> check(String body) {
    return RuleFileCheck.problems(HEAD + body, RuleEngine.builtIn().rules());
  }

  @Test
  void aCompleteTeamRuleHasNoProblems() {
    assertThat(check("rule \"No more than 64 GPUs without sign-off\"\n"
        + "  @id(\"ACME-GPU-001\") @category(\"policy\") @severity(\"error\")\n"
        + "when\n  $run : Run( devices != null, devices.count > 64 )\nthen\nend\n")).isEmpty();
  }

  @Test
  void aSyntaxErrorIsReportedWhereTheParserStopped() {
    assertThat(check("rule \"x\"\n  @id(\"ACME-1\") @category(\"policy\") @severity(\"info\")\nwhen\n  $run : Run( devices.count > 64 \nthen\nend\n"))
        .containsExactly(new ParseProblem("mismatched input 'then' in rule \"x\"", new SourceRange(9, 0, 9, 4)));
  }

  @Test
  void missingAndWrongMetadataAreReportedOnTheRuleLine() {
    List<ParseProblem> problems = check("rule \"a\"\nwhen\n  Run()\nthen\nend\n\n"
        + "rule \"b\" @id(\"ACME-2\") @category(\"green\") @severity(\"loud\")\nwhen\n  Run()\nthen\nend\n"
        + "rule \"c\" @id(\"ACME-2\") @category(\"policy\") @severity(\"hint\")\nwhen\n  Run()\nthen\nend\n");
    assertThat(problems).extracting(ParseProblem::message).containsExactly(
        "Rule 'a' has no @id(\"...\"): findings need a rule id.",
        "Rule 'a' has no @category(\"...\"); team rules usually use \"policy\".",
        "Rule 'a' has no @severity(\"...\") (error, warning, info or hint).",
        "Unknown @category(\"green\"): use one of region, hardware, model-size, fine-tuning, precision, early-stopping,"
            + " checkpointing, hyperparameter-search, utilization, inference, scheduling, policy.",
        "Unknown @severity(\"loud\"): use error, warning, info or hint.",
        "Rule id ACME-2 is already used by rule 'b' in this file.");
    assertThat(problems.get(0).range()).isEqualTo(new SourceRange(5, 0, 5, 8));
    assertThat(problems.get(3).range()).isEqualTo(new SourceRange(11, 0, 11, 59));
  }

  @Test
  void rulesWithoutTheFindingsGlobalCannotReport() {
    assertThat(RuleFileCheck.problems("package acme;\nimport dev.carbonlens.model.Run;\n\nrule \"r\" @id(\"ACME-3\")"
        + " @category(\"policy\") @severity(\"info\")\nwhen\n  Run()\nthen\nend\n", RuleEngine.builtIn().rules()))
        .containsExactly(new ParseProblem("Declare `global dev.carbonlens.engine.FindingSink findings;`: rules report"
            + " their findings through it.", new SourceRange(0, 0, 0, 13)));
  }

  @Test
  void aBuiltInIdIsRefused() {
    assertThat(check("rule \"mine\" @id(\"CL-PREC-001\") @category(\"precision\") @severity(\"info\")\n"
        + "when\n  Run()\nthen\nend\n")).extracting(ParseProblem::message).containsExactly(
        "Rule id CL-PREC-001 is a built-in CarbonLens rule; give team rules their own ids (e.g. ACME-GPU-001).");
  }
}
