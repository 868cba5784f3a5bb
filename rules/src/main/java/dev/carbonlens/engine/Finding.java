package dev.carbonlens.engine;

import dev.carbonlens.estimate.Savings;
import dev.carbonlens.model.Category;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Severity;
import dev.carbonlens.model.SourceRange;
import java.util.Optional;

/**
 * A rule's verdict on one choice of one run: where, why, what to do instead, and (once priced by
 * the estimator) what that saves. `savings` is null when the change cannot be priced.
 */
public record Finding(
    String ruleId,
    Category category,
    Severity severity,
    String message,
    SourceRange range,
    Run run,
    ProposedChange change,
    Savings savings) {

  public Finding withSavings(Savings value) {
    return new Finding(ruleId, category, severity, message, range, run, change, value);
  }

  public Finding withSeverity(Severity value) {
    return new Finding(ruleId, category, value, message, range, run, change, savings);
  }

  public Optional<Savings> savingsIfKnown() {
    return Optional.ofNullable(savings);
  }
}
