package dev.carbonlens.cli;

import dev.carbonlens.engine.RuleDocs;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.engine.RuleInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists the built-in rules by category with their id, default severity and title. */
@Command(name = "rules", description = "List the built-in rules.")
public final class RulesCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    var rules = RuleEngine.builtIn().rules().stream()
        .sorted(java.util.Comparator.comparing((RuleInfo r) -> r.category().ordinal()).thenComparing(RuleInfo::id))
        .toList();
    System.out.printf("%-13s %-22s %-8s %s%n", "ID", "CATEGORY", "SEVERITY", "RULE");
    for (RuleInfo rule : rules) {
      System.out.printf("%-13s %-22s %-8s %s%n", rule.id(), rule.category().label(), rule.severity().label(),
          RuleDocs.title(rule.id()).orElse(rule.name()));
    }
    System.out.printf("%n%d rules. `carbonlens explain ID` shows one in full.%n", rules.size());
    return 0;
  }
}
