package dev.carbonlens.estimate;

import java.util.List;

/**
 * The estimated footprint of one run (central case) and its range. It holds that energyKWh =
 * devices × powerKwPerDevice × hours × pue and operationalKgCO2e = energyKWh × gridIntensity / 1000.
 *
 * @param powerKwPerDevice accelerator draw plus its share of the host, per device
 * @param lowKgCO2e the total under the range's low assumptions (see {@link Estimator})
 * @param highKgCO2e the total under the range's high assumptions
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
    double lowKgCO2e,
    double highKgCO2e,
    double lowEnergyKWh,
    double highEnergyKWh,
    List<Assumption> assumptions) {

  public double totalKgCO2e() {
    return operationalKgCO2e + embodiedKgCO2e;
  }

  public double deviceHours() {
    return devices * hours;
  }
}
