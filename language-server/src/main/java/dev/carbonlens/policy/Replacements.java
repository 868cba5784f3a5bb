package dev.carbonlens.policy;

import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.RegionSpec;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Predicate;

/** What a run could use instead of a choice a policy refuses, picked from the reference tables. */
final class Replacements {
  private Replacements() {}

  /**
   * The cleanest region of the same provider that the policy permits, as region.drl picks one: lowest
   * average grid intensity, then id; one on the same continent is preferred to any elsewhere. Regions
   * known to offer no GPUs are left out (moving there is no option for an accelerated run).
   */
  static Optional<RegionSpec> region(ReferenceData reference, RegionSpec here, Predicate<RegionSpec> permitted) {
    Comparator<RegionSpec> cleanest = Comparator.comparingDouble(RegionSpec::gridIntensity)
        .thenComparing(RegionSpec::id);
    var candidates = reference.regions(here.provider()).stream()
        .filter(r -> !r.equals(here) && permitted.test(r) && !Boolean.FALSE.equals(r.offersGpus()))
        .toList();
    Optional<RegionSpec> near = candidates.stream()
        .filter(r -> r.continent().equals(here.continent())).min(cleanest);
    return near.isPresent() ? near : candidates.stream().min(cleanest);
  }

  /**
   * A permitted successor of the same vendor: released later, with tensor cores, at least the memory
   * and no more power per device (so it fits the same job and host), and of those the most 16-bit
   * tensor throughput per watt (then id). For the legacy parts this is the L4, the part hardware.drl
   * proposes too.
   */
  static Optional<AcceleratorSpec> accelerator(ReferenceData reference, AcceleratorSpec current,
      Predicate<AcceleratorSpec> permitted) {
    return reference.allAccelerators().stream()
        .filter(a -> a.vendor().equals(current.vendor()) && a.releaseYear() > current.releaseYear()
            && a.tensorCores() && a.memoryGb() >= current.memoryGb() && a.tdpWatts() <= current.tdpWatts()
            && tensorPerWatt(a) > 0 && permitted.test(a))
        .min(Comparator.comparingDouble((AcceleratorSpec a) -> -tensorPerWatt(a)).thenComparing(AcceleratorSpec::id));
  }

  /** Dense 16-bit tensor TFLOPS per watt (bf16, else fp16); 0 when neither is known. */
  private static double tensorPerWatt(AcceleratorSpec a) {
    Double peak = a.bf16Tflops() != null ? a.bf16Tflops() : a.fp16Tflops();
    return peak == null ? 0 : peak / a.tdpWatts();
  }
}
