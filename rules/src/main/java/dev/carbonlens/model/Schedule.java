package dev.carbonlens.model;

/**
 * How long training is planned to go on. `epochsStated` is false when the epoch count is the
 * framework's default (Lightning runs 1000 epochs when neither max_epochs nor max_steps is set).
 */
public record Schedule(
    Double epochs,
    boolean epochsStated,
    SourceRange epochsRange,
    Long maxSteps,
    SourceRange maxStepsRange,
    boolean earlyStopping) {

  public Schedule withEarlyStopping(boolean on) {
    return new Schedule(epochs, epochsStated, epochsRange, maxSteps, maxStepsRange, on);
  }

  /** The planned number of epochs, or 0 when only steps bound the run. */
  public double plannedEpochs() {
    return epochs == null ? 0 : epochs;
  }

  public boolean hasStepLimit() {
    return maxSteps != null && maxSteps > 0;
  }
}
