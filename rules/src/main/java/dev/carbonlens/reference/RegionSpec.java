package dev.carbonlens.reference;

import java.util.List;

/**
 * One cloud region: its average grid carbon intensity (gCO2e/kWh) and the provider PUE applied to it,
 * each with source and data year.
 */
public record RegionSpec(String provider, String id, String displayName, String countryIso2, String continent,
    double gridIntensity, String gridSource, int gridYear, double pue, String pueSource, int pueYear,
    List<String> aliases) {

  public RegionSpec {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
  }

  public String key() {
    return provider + ":" + id;
  }
}
