package dev.carbonlens.cli;

import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.engine.RuleInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists the built-in rules with their id, category and default severity. */
@Command(name = "rules", description = "List the built-in rules.")
public final class RulesCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    for (RuleInfo rule : RuleEngine.builtIn().rules()) {
      System.out.printf("%-12s %-15s %-8s %s%n", rule.id(), rule.category().label(), rule.severity().label(), rule.name());
    }
    return 0;
  }
}
