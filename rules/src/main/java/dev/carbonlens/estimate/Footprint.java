package dev.carbonlens.estimate;

import java.util.List;

/**
 * The estimated footprint of one run (central case) and its range. It holds that energyKWh =
 * devices × powerKwPerDevice × hours × pue and operationalKgCO2e = energyKWh × gridIntensity / 1000.
 *
 * @param powerKwPerDevice accelerator draw plus its share of the host, per device
 * @param lowKgCO2e the total under the range's low assumptions (see {@link Estimator})
 * @param highKgCO2e the total under the range's high assumptions
 * @param perThousandTokens serving cost per 1,000 tokens, when the throughput is known; else null
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
    PerTokens perThousandTokens,
    List<Assumption> assumptions) {

  /** Energy (Wh, facility included) and emissions (gCO2e, embodied share included) per 1,000 tokens served. */
  public record PerTokens(double energyWh, double gramsCO2e, double tokensPerSecondPerDevice) {}

  public double totalKgCO2e() {
    return operationalKgCO2e + embodiedKgCO2e;
  }

  public double deviceHours() {
    return devices * hours;
  }
}
