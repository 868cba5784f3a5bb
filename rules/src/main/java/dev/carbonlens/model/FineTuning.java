package dev.carbonlens.model;

/**
 * How a pretrained model is adapted: `full`, `lora`, `qlora`, `adapter` or `freeze` (some layers
 * only); `loraRank` when a low-rank method states one.
 */
public record FineTuning(String method, Integer loraRank, SourceRange range) {
  public boolean isFull() {
    return "full".equals(method);
  }

  public boolean isParameterEfficient() {
    return !isFull() && method != null;
  }
}
