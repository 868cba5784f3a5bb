package dev.carbonlens.model;

/** When the run evaluates: strategy `steps` (every `everySteps`), `epoch` or `no`. */
public record Evaluation(String strategy, Long everySteps, SourceRange range) {
  public boolean bySteps() {
    return "steps".equals(strategy) && everySteps != null && everySteps > 0;
  }
}
