package dev.carbonlens.model;

/** When the run saves checkpoints and how many it keeps (null keepLast: all of them). */
public record Checkpointing(String strategy, Long everySteps, Integer keepLast, SourceRange range) {
  public boolean bySteps() {
    return "steps".equals(strategy) && everySteps != null && everySteps > 0;
  }
}
