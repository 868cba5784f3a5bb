package dev.carbonlens.model;

/**
 * How many accelerators the run holds in total (per node × nodes × replicas); `derivation` says how
 * the count was reached, for the assumptions list.
 */
public record DeviceCount(int count, String derivation, SourceRange range) {
  public DeviceCount {
    if (count < 1) {
      throw new IllegalArgumentException("device count must be at least 1");
    }
  }
}
