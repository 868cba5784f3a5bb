package dev.carbonlens.model;

import java.util.Arrays;

/** The fixed finding categories of the report format (shared/spec/report-format.md). */
public enum Category {
  REGION("region"),
  HARDWARE("hardware"),
  MODEL_SIZE("model-size"),
  FINE_TUNING("fine-tuning"),
  PRECISION("precision"),
  EARLY_STOPPING("early-stopping"),
  CHECKPOINTING("checkpointing"),
  HYPERPARAMETER_SEARCH("hyperparameter-search"),
  UTILIZATION("utilization"),
  INFERENCE("inference"),
  SCHEDULING("scheduling"),
  POLICY("policy"),
  PARSE("parse");

  private final String label;

  Category(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Category fromLabel(String label) {
    return Arrays.stream(values())
        .filter(c -> c.label.equals(label))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown category: " + label));
  }
}
