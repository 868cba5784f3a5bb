package dev.carbonlens.limits;

import java.time.Duration;

/** The analysis of a document ran past its time budget and was stopped. */
public final class BudgetExceededException extends RuntimeException {
  private final transient Duration allowed;

  public BudgetExceededException(Duration allowed) {
    super("the analysis took longer than its " + allowed.toMillis() + " ms budget", null, false, false);
    this.allowed = allowed;
  }

  public Duration allowed() {
    return allowed;
  }
}
