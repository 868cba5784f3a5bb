package dev.carbonlens.check;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.RuleInfo;
import dev.carbonlens.team.PolicyFiles;
import dev.carbonlens.team.TeamRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** `check --rules DIR`: a team's DRL rules and declarative policies, or what stops them loading. */
record TeamRuleSet(TeamRules rules, PolicyFiles policies, List<String> problems) {

  static TeamRuleSet load(List<Path> folders, Analyzer analyzer) {
    return load(folders, analyzer, Set.of());
  }

  /** As {@link #load(List, Analyzer)}; the policies may not take {@code takenIds} either (a config's own). */
  static TeamRuleSet load(List<Path> folders, Analyzer analyzer, Set<String> takenIds) {
    TeamRules rules = TeamRules.load(folders, analyzer.rules().rules(), Map.of());
    Set<String> taken = new TreeSet<>(analyzer.ruleIds());
    taken.addAll(takenIds);
    rules.rules().stream().map(RuleInfo::id).forEach(taken::add);
    PolicyFiles policies = PolicyFiles.load(folders, analyzer.reference(), taken);
    List<String> problems = new ArrayList<>();
    rules.problems().forEach((file, list) -> list.forEach(p -> problems.add(line(file, p))));
    policies.problems().forEach((file, list) -> list.forEach(p -> problems.add(line(file, p))));
    return new TeamRuleSet(rules, policies, List.copyOf(problems));
  }

  Analyzer applyTo(Analyzer analyzer) {
    return analyzer.withTeamRules(rules.engine().orElse(null)).withPolicies(policies.policies());
  }

  /** `path:line:col: message`, 1-based, as compilers print them. */
  private static String line(Path file, ParseProblem p) {
    return file + ":" + (p.range().startLine() + 1) + ":" + (p.range().startColumn() + 1) + ": " + p.message();
  }
}
