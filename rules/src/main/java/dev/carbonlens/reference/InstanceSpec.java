package dev.carbonlens.reference;

import java.util.List;

/**
 * One cloud instance type (AWS instance type, GCP machine type, Azure VM size) with a fixed set of
 * accelerators. {@code acceleratorCount} is in devices as the framework sees them (a p2.xlarge has one K80
 * GPU, half a board) and may be fractional for shared-GPU sizes (Azure NVadsA10_v5, AWS G6f).
 * {@code vcpus} and {@code memoryGb} are {@code null} when no source was confirmed; memory is the provider's
 * own figure (GiB for AWS and Azure, GB for GCP).
 */
public record InstanceSpec(String provider, String instanceType, String acceleratorId, double acceleratorCount,
    Integer vcpus, Double memoryGb, List<String> aliases, String source, int year) {

  public InstanceSpec {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
  }
}
