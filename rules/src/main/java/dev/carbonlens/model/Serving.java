package dev.carbonlens.model;

/**
 * How a model is served: weight dtype, quantisation, the largest batch, generation limit and
 * replicas; every field may be null.
 */
public record Serving(String dtype, String quantization, Integer maxBatch, Integer maxTokens, Integer replicas,
    SourceRange range) {

  /** A run's serving facts, or an empty set anchored at the run's start when none are known. */
  public static Serving of(Run run) {
    return run.serving() != null ? run.serving() : new Serving(null, null, null, null, null, run.range());
  }

  /** The same deployment with its weights in another dtype and/or quantisation (null keeps the current one). */
  public Serving withWeights(String newDtype, String newQuantization) {
    return new Serving(newDtype != null ? newDtype : dtype, newQuantization != null ? newQuantization : quantization,
        maxBatch, maxTokens, replicas, range);
  }

  public Serving withMaxBatch(int value) {
    return new Serving(dtype, quantization, value, maxTokens, replicas, range);
  }
}
