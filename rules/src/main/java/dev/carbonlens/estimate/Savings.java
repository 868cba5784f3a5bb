package dev.carbonlens.estimate;

/**
 * What a change saves: the run as written minus the run with the change, for the whole run.
 * `fraction` = kgCO2e saved / the run's estimated total.
 */
public record Savings(double kgCO2e, double kWh, double fraction, Footprint before, Footprint after) {

  public static Savings between(Footprint before, Footprint after) {
    double saved = before.totalKgCO2e() - after.totalKgCO2e();
    double fraction = before.totalKgCO2e() > 0 ? saved / before.totalKgCO2e() : 0;
    return new Savings(saved, before.energyKWh() - after.energyKWh(), fraction, before, after);
  }
}
