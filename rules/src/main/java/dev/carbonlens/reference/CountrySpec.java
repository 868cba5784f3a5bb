package dev.carbonlens.reference;

/** Country-average grid carbon intensity in gCO2e/kWh, with source and data year. */
public record CountrySpec(String iso2, String iso3, String name, String continent, double gridIntensity,
    String source, int year) {
}
