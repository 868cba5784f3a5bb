package dev.carbonlens.model;

/** The numeric precision the bulk of the run's maths uses. */
public enum Precision {
  FP32("fp32"),
  FP16("fp16"),
  BF16("bf16"),
  FP8("fp8");

  private final String label;

  Precision(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Mixed or lower precision: the tensor-core path on GPUs that have one. */
  public boolean isReduced() {
    return this != FP32;
  }
}
