package dev.carbonlens.model;

/** What a run does; the label is the report format's `stage` value. */
public enum Stage {
  TRAINING("training"),
  FINE_TUNING("fine-tuning"),
  INFERENCE("inference"),
  SWEEP("sweep");

  private final String label;

  Stage(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean trains() {
    return this == TRAINING || this == FINE_TUNING || this == SWEEP;
  }
}
