package dev.carbonlens.engine;

import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import java.util.ArrayList;
import java.util.List;
import org.kie.api.runtime.rule.RuleContext;

/**
 * The global every rule reports into. Id, category and severity come from the rule's own metadata
 * (`@id`, `@category`, `@severity`), so a rule states them once, where it is written.
 */
public final class FindingSink {
  private final List<Finding> findings = new ArrayList<>();

  /**
   * @param drools the rule's `drools` variable: a RuleContext in DRL compiled at run time, the
   *     executable model's Drools object in the precompiled catalog
   */
  public void report(Object drools, Run run, SourceRange range, ProposedChange change, String message) {
    RuleContext context = drools instanceof RuleContext rc ? rc
        : ((org.drools.model.Drools) drools).getContext(RuleContext.class);
    RuleInfo info = RuleInfo.of(context.getRule().getName(), context.getRule().getMetaData());
    SourceRange where = range == null || range.isNone() ? run.range() : range;
    findings.add(new Finding(info.id(), info.category(), info.severity(), message, where, run, change, null));
  }

  public List<Finding> findings() {
    return List.copyOf(findings);
  }

  /** The findings reported so far, leaving the sink empty for the next evaluation of a pooled session. */
  List<Finding> drain() {
    List<Finding> out = List.copyOf(findings);
    findings.clear();
    return out;
  }

}
