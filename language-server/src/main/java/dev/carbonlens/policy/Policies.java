package dev.carbonlens.policy;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.Finding;
import dev.carbonlens.estimate.Footprint;
import dev.carbonlens.model.Run;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A team's declarative policies (the `policies:` list of the project config): thresholds and lists that
 * become findings of category `policy`, with the team's ids, severities and messages. Data, not code:
 * nothing in the config runs.
 *
 * @param problems mistakes in the list, each at the key or value that holds it; the policies they touch
 *     are left out of {@code policies}
 */
public record Policies(List<Policy> policies, List<ParseProblem> problems) {

  public static final Policies NONE = new Policies(List.of(), List.of());

  public Policies {
    policies = List.copyOf(policies);
    problems = List.copyOf(problems);
  }

  /**
   * Reads the value of a `policies:` key.
   *
   * @param builtInRuleIds ids a policy may not take (RuleInfo ids of the rule engine)
   */
  public static Policies parse(DocNode policiesNode, ReferenceData reference, Set<String> builtInRuleIds) {
    PolicyParser parser = new PolicyParser(reference, builtInRuleIds);
    List<Policy> policies = parser.parse(policiesNode);
    return new Policies(policies, parser.problems());
  }

  public boolean isEmpty() {
    return policies.isEmpty();
  }

  /**
   * The breaches in the runs of one file, ordered as the rule engine orders its findings (line, column,
   * id). Savings are left null: the caller prices {@code finding.change()} as for built-in rules (a null
   * change means no single change complies, e.g. a run over its kgCO2e budget).
   *
   * @param footprint the estimate of a run as written (the caller's estimator: {@code estimator::estimate})
   */
  public List<Finding> evaluate(List<Run> runs, ReferenceData reference, Function<Run, Footprint> footprint) {
    if (policies.isEmpty() || runs.isEmpty()) {
      return List.of();
    }
    PolicyCheck check = new PolicyCheck(reference, footprint);
    List<Finding> findings = new ArrayList<>();
    for (Run run : runs) {
      for (Policy policy : policies) {
        check.check(policy, run).ifPresent(findings::add);
      }
    }
    findings.sort(Comparator.comparing((Finding f) -> f.range().startLine())
        .thenComparing(f -> f.range().startColumn())
        .thenComparing(Finding::ruleId));
    return List.copyOf(findings);
  }
}
