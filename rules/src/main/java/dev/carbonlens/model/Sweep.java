package dev.carbonlens.model;

/**
 * A hyperparameter search: `method` (grid, random, bayes...), the number of combinations a grid
 * spans, the trial budget when one is stated, and whether poor trials are stopped early.
 */
public record Sweep(String method, Long combinations, Long trials, boolean earlyTermination, SourceRange range) {

  /** Trials the search will run: the budget, else the whole grid; null when neither is known. */
  public Long plannedTrials() {
    if (trials != null) {
      return trials;
    }
    return "grid".equals(method) ? combinations : null;
  }
}
