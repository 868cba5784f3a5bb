package dev.carbonlens.model;

/**
 * How many accelerators the run holds in total (per node × nodes × replicas); `derivation` says how
 * the count was reached, for the assumptions list.
 */
public record DeviceCount(int count, String derivation, SourceRange range) {
  /** More than this many accelerators in one run is taken as a typo, not a plan. */
  static final long MAX_PLAUSIBLE = 1_000_000;

  public DeviceCount {
    if (count < 1) {
      throw new IllegalArgumentException("device count must be at least 1");
    }
  }

  /**
   * Devices per node x nodes as written; empty when either is not a positive count or the product
   * is implausible (a half-typed `num_nodes: 0` leaves the count unknown instead of failing).
   */
  public static java.util.Optional<DeviceCount> of(long perNode, long nodes, String derivation, SourceRange range) {
    if (perNode < 1 || nodes < 1 || perNode > MAX_PLAUSIBLE / nodes) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new DeviceCount((int) (perNode * nodes), derivation, range));
  }
}
