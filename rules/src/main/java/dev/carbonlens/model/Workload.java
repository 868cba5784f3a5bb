package dev.carbonlens.model;

/**
 * How much data the run processes, when the config says; every field may be null.
 *
 * @param trainTokens a token budget stated outright (litgpt `max_tokens`)
 * @param globalBatch samples per optimizer step across all devices, when the config states it
 *     (otherwise per-device batch × accumulation × devices)
 */
public record Workload(
    Long trainSamples,
    Long evalSamples,
    Integer sequenceLength,
    Integer perDeviceBatch,
    Integer gradientAccumulation,
    Long trainTokens,
    Integer globalBatch) {

  public static final Workload UNKNOWN = new Workload(null, null, null, null, null, null, null);

  public Workload(Long trainSamples, Long evalSamples, Integer sequenceLength, Integer perDeviceBatch,
      Integer gradientAccumulation) {
    this(trainSamples, evalSamples, sequenceLength, perDeviceBatch, gradientAccumulation, null, null);
  }
}
