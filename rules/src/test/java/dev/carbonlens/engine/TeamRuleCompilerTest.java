package dev.carbonlens.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.model.Category;
import dev.carbonlens.model.Severity;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Team DRL compiled at run time: a rule engine when it compiles, errors with file and line when not. */
class TeamRuleCompilerTest {
  private static final String RULE = "package acme;\nimport dev.carbonlens.model.Run;\n"
      + "global dev.carbonlens.engine.FindingSink findings;\n"
      + "rule \"Too many GPUs\" @id(\"ACME-1\") @category(\"policy\") @severity(\"error\")\n"
      + "when\n  $run : Run( devices != null, devices.count > 64 )\nthen\n"
      + "  findings.report(drools, $run, $run.devices().range(), null, \"too many\");\nend\n";

  @Test
  void aGoodRuleCompilesWithItsMetadata() {
    TeamRuleCompiler.Result result = TeamRuleCompiler.compile(Map.of("gpus.drl", RULE));
    assertThat(result.problems()).isEmpty();
    assertThat(result.engine().orElseThrow().rules()).containsExactly(
        new RuleInfo("ACME-1", "Too many GPUs", Category.POLICY, Severity.ERROR));
  }

  @Test
  void aTypeErrorNamesTheFileAndLine() {
    TeamRuleCompiler.Result result = TeamRuleCompiler.compile(Map.of("gpus.drl", RULE.replace("devices.count", "devices.cnt")));
    assertThat(result.engine()).isEmpty();
    assertThat(result.problems()).isNotEmpty().allSatisfy(p -> {
      assertThat(p.file()).isEqualTo("gpus.drl");
      assertThat(p.line()).isEqualTo(6);
    });
    assertThat(result.problems().get(0).message())
        .contains("unable to resolve method using strict-mode: dev.carbonlens.model.DeviceCount.cnt()")
        .doesNotContain("[Near");
  }

  @Test
  void nothingToCompileIsNoEngineAndNoProblem() {
    TeamRuleCompiler.Result result = TeamRuleCompiler.compile(Map.of());
    assertThat(result.engine()).isEmpty();
    assertThat(result.problems()).isEmpty();
  }
}
