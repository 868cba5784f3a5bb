package dev.carbonlens.analysis;

import java.util.Collection;

/**
 * The footprints of several runs added up: what a summary line, a status bar and a report's totals show.
 *
 * @param savedKgCO2e what fixing every finding of every run would save (each run's findings applied
 *     together), or null when no run has a priced finding
 */
public record RunTotals(int runs, double operationalKgCO2e, double embodiedKgCO2e, double energyKWh,
    Double savedKgCO2e) {

  public static RunTotals of(Collection<RunEstimate> estimates) {
    double operational = 0;
    double embodied = 0;
    double energy = 0;
    Double saved = null;
    for (RunEstimate r : estimates) {
      operational += r.footprint().operationalKgCO2e();
      embodied += r.footprint().embodiedKgCO2e();
      energy += r.footprint().energyKWh();
      if (r.allFindingsSavings() != null) {
        saved = (saved == null ? 0 : saved) + r.allFindingsSavings().kgCO2e();
      }
    }
    return new RunTotals(estimates.size(), operational, embodied, energy, saved);
  }

  public double totalKgCO2e() {
    return operationalKgCO2e + embodiedKgCO2e;
  }
}
