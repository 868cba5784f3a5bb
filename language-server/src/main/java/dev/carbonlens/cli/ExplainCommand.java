package dev.carbonlens.cli;

import dev.carbonlens.engine.RuleDocs;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.engine.RuleInfo;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `carbonlens explain ID`: a rule's page (what it flags, why, example, fix, how savings are estimated, references). */
@Command(name = "explain", mixinStandardHelpOptions = true, description = "Explain a rule: what it flags, why, and how its savings are estimated.")
public final class ExplainCommand implements Callable<Integer> {
  @Parameters(arity = "1", paramLabel = "RULE-ID", description = "A rule id, e.g. CL-PREC-001 (see `carbonlens rules`).")
  String ruleId;

  @Override
  public Integer call() {
    String id = ruleId.trim().toUpperCase(Locale.ROOT);
    Optional<RuleInfo> rule = RuleEngine.builtIn().rules().stream().filter(r -> r.id().equals(id)).findFirst();
    Optional<String> page = RuleDocs.markdown(id);
    if (rule.isEmpty() || page.isEmpty()) {
      System.err.println("carbonlens: no built-in rule '" + ruleId + "'; `carbonlens rules` lists them.");
      return 2;
    }
    RuleInfo r = rule.get();
    System.out.print(page.get().strip() + "\n\n---\nCategory: " + r.category().label() + " · default severity: "
        + r.severity().label() + " · change it with `--severity " + r.id() + "=info` (or `off`), or silence one finding"
        + " with `# carbonlens: ignore[" + r.id() + "] reason` on its line or the line above.\n");
    return 0;
  }
}
