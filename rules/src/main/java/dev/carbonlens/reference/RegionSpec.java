package dev.carbonlens.reference;

import java.util.List;

/**
 * One cloud region: its average grid carbon intensity (gCO2e/kWh) and the PUE applied to it, each with source
 * and data year.
 *
 * <p>{@code gridSourceRef} is the machine-readable key of the grid figure in its source file,
 * {@code file#key} (e.g. {@code gcp_2024.csv#europe-north1}, {@code cc_global_energy_mix.json#SWE},
 * {@code ga_CI_aggregated.csv#US-VA}); see {@code SOURCES.md}.
 *
 * <p>The marginal intensity (gCO2e/kWh) with its source and year is {@code null} where no licensed source
 * gives one (all three are set or none). {@code offersGpus} says whether the provider offers GPU or TPU
 * instances in the region, {@code null} where that could not be established from provider documentation.
 */
public record RegionSpec(String provider, String id, String displayName, String countryIso2, String continent,
    double gridIntensity, String gridSource, int gridYear, double pue, String pueSource, int pueYear,
    List<String> aliases, String gridSourceRef, Double marginalIntensity, String marginalSource,
    Integer marginalYear, Boolean offersGpus) {

  public RegionSpec {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
  }

  public String key() {
    return provider + ":" + id;
  }

  /** Whether a marginal intensity figure is known for this region. */
  public boolean hasMarginalIntensity() {
    return marginalIntensity != null;
  }
}
