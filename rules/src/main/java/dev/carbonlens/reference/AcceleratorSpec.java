package dev.carbonlens.reference;

import java.util.List;

/**
 * One accelerator (GPU, TPU chip, Trainium/Inferentia device, Gaudi card), figures per device as the
 * framework sees it (a K80 board is two GPUs, an MI250X module two GCDs). Peak figures are dense (no
 * sparsity); a {@code null} figure means the part has no such mode (or, for {@code idleWatts}, that no
 * sourced value is known).
 */
public record AcceleratorSpec(String id, List<String> aliases, String vendor, String architecture, int releaseYear,
    double tdpWatts, Double idleWatts, Double fp32Tflops, Double tf32Tflops, Double fp16Tflops, Double bf16Tflops,
    Double fp8Tflops, Double int8Tflops, double memoryGb, boolean tensorCores,
    double embodiedKgCO2e, String embodiedSource, String specSource, int specYear) {

  public AcceleratorSpec {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
  }

  public boolean supportsBf16() {
    return bf16Tflops != null;
  }
}
