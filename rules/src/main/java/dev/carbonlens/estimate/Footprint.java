package dev.carbonlens.estimate;

import java.util.List;

/**
 * The estimated footprint of one run. It holds that energyKWh = devices x powerKw x hours x pue and
 * operationalKgCO2e = energyKWh x gridIntensity / 1000.
 */
public record Footprint(
    String accelerator,
    int devices,
    double powerKwPerDevice,
    double hours,
    HoursBasis hoursBasis,
    double pue,
    double gridIntensity,
    double energyKWh,
    double operationalKgCO2e,
    double embodiedKgCO2e,
    List<Assumption> assumptions) {

  public double totalKgCO2e() {
    return operationalKgCO2e + embodiedKgCO2e;
  }

  public double deviceHours() {
    return devices * hours;
  }
}
