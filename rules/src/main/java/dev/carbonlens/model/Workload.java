package dev.carbonlens.model;

/** How much data the run processes, when the config says; every field may be null. */
public record Workload(
    Long trainSamples,
    Long evalSamples,
    Integer sequenceLength,
    Integer perDeviceBatch,
    Integer gradientAccumulation) {

  public static final Workload UNKNOWN = new Workload(null, null, null, null, null);
}
