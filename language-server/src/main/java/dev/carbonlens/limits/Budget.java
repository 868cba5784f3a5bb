package dev.carbonlens.limits;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How long one document's analysis may take, and whether its result is still wanted. The pipeline checks it
 * between stages, and the parsers check it while they read: SnakeYAML and JavaParser through the reader they
 * pull text from ({@link BudgetedReader}), tree-sitter through its progress callback. So a file that would take
 * seconds stops soon after its budget, and an edit stops the analysis of the version it replaced.
 *
 * <p>The budget in force is scoped to the analysing thread ({@link #within}) rather than passed down: it
 * crosses callbacks of four libraries below public parse calls that tests and tools also use without one.
 */
public final class Budget {
  /** No deadline and never cancelled: what code outside an analysis sees. */
  public static final Budget UNLIMITED = new Budget(null, () -> false);

  private static final ThreadLocal<Budget> CURRENT = ThreadLocal.withInitial(() -> UNLIMITED);

  private final Duration allowed;
  private final long deadline;
  private final BooleanSupplier cancelled;

  private Budget(Duration allowed, BooleanSupplier cancelled) {
    this.allowed = allowed;
    this.deadline = allowed == null ? 0 : System.nanoTime() + allowed.toNanos();
    this.cancelled = cancelled;
  }

  /** A budget starting now: {@code allowed} (null: no deadline), given up early once {@code cancelled} says so. */
  public static Budget startingNow(Duration allowed, BooleanSupplier cancelled) {
    return new Budget(allowed, cancelled);
  }

  /** The budget of the analysis running on this thread ({@link #UNLIMITED} outside one). */
  public static Budget current() {
    return CURRENT.get();
  }

  /** Runs {@code work} with this budget in force on this thread, restoring the previous one after. */
  public <T> T within(Supplier<T> work) {
    Budget previous = CURRENT.get();
    CURRENT.set(this);
    try {
      return work.get();
    } finally {
      CURRENT.set(previous);
    }
  }

  /** The time this budget allows; null when it has no deadline. */
  public Duration allowed() {
    return allowed;
  }

  /** True once the result is no longer wanted or the time is up: what a parser's progress callback asks. */
  public boolean spent() {
    return cancelled.getAsBoolean() || overTime();
  }

  /**
   * Throws when the analysis should stop: {@link CancellationException} when a newer version made it
   * pointless, {@link BudgetExceededException} when its time is up.
   */
  public void check() {
    if (cancelled.getAsBoolean()) {
      throw new CancellationException("a newer version of the document arrived");
    }
    if (overTime()) {
      throw new BudgetExceededException(allowed);
    }
  }

  private boolean overTime() {
    return allowed != null && System.nanoTime() - deadline > 0;
  }

  /**
   * For code that turns failures into problems (a parser's catch-all): lets a stop signal through, here or as
   * the cause of a library's wrapper exception, instead of reporting it as a syntax error.
   */
  public static void rethrowIfStop(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CancellationException c) {
        throw c;
      }
      if (t instanceof BudgetExceededException b) {
        throw b;
      }
      if (t.getCause() == t) {
        return;
      }
    }
  }
}
