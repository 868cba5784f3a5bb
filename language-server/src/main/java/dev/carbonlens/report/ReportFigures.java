package dev.carbonlens.report;

import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.analysis.RunTotals;
import dev.carbonlens.check.CheckResult;
import dev.carbonlens.estimate.Savings;
import dev.carbonlens.model.Category;
import dev.carbonlens.model.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sums and orderings the HTML report shows, computed once from a `check` result so that the charts,
 * their tables and the tests all read the same numbers.
 */
public record ReportFigures(
    List<RunEstimate> runs,
    double operationalKgCO2e,
    double embodiedKgCO2e,
    double energyKWh,
    Map<Severity, Long> findingsBySeverity,
    double allFindingsSavingsKgCO2e,
    Map<Category, CategorySavings> savingsByCategory,
    List<LocatedFinding> pricedFindings,
    List<LocatedFinding> unpricedFindings,
    long suppressed) {

  /** A finding with the file it was reported in (the name the report uses). */
  public record LocatedFinding(String file, ReportedFinding reported) {
    public Savings savings() {
      return reported.finding().savings();
    }
  }

  /**
   * The savings of one category's priced findings, added up. Findings on the same run overlap, so this
   * is an upper bound on what fixing them all together would save.
   */
  public record CategorySavings(double kgCO2e, double kWh, int findings) {
    static CategorySavings of(Savings s) {
      return new CategorySavings(s.kgCO2e(), s.kWh(), 1);
    }

    CategorySavings plus(CategorySavings other) {
      return new CategorySavings(kgCO2e + other.kgCO2e, kWh + other.kWh, findings + other.findings);
    }
  }

  public static ReportFigures of(CheckResult result) {
    List<RunEstimate> runs = result.files().stream().flatMap(f -> f.runs().stream()).toList();
    Map<Severity, Long> bySeverity = new EnumMap<>(Severity.class);
    List<LocatedFinding> priced = new ArrayList<>();
    List<LocatedFinding> unpriced = new ArrayList<>();
    for (FileAnalysis file : result.files()) {
      for (ReportedFinding f : file.findings()) {
        bySeverity.merge(f.finding().severity(), 1L, Long::sum);
        (f.finding().savings() == null ? unpriced : priced).add(new LocatedFinding(file.file(), f));
      }
    }
    // Largest saving first; ties keep the files' order (the sort is stable).
    priced.sort(Comparator.comparingDouble((LocatedFinding f) -> f.savings().kgCO2e()).reversed());
    RunTotals totals = RunTotals.of(runs);
    return new ReportFigures(
        runs,
        totals.operationalKgCO2e(),
        totals.embodiedKgCO2e(),
        totals.energyKWh(),
        bySeverity,
        totals.savedKgCO2e() == null ? 0 : totals.savedKgCO2e(),
        byCategory(priced),
        List.copyOf(priced),
        List.copyOf(unpriced),
        result.suppressed().count());
  }

  /** Categories ordered by their summed savings, largest first. */
  private static Map<Category, CategorySavings> byCategory(List<LocatedFinding> priced) {
    Map<Category, CategorySavings> sums = new EnumMap<>(Category.class);
    for (LocatedFinding f : priced) {
      sums.merge(f.reported().finding().category(), CategorySavings.of(f.savings()), CategorySavings::plus);
    }
    Map<Category, CategorySavings> ordered = new LinkedHashMap<>();
    sums.entrySet().stream()
        .sorted(Map.Entry.<Category, CategorySavings>comparingByValue(
            Comparator.comparingDouble(CategorySavings::kgCO2e)).reversed())
        .forEach(e -> ordered.put(e.getKey(), e.getValue()));
    return ordered;
  }

  public double totalKgCO2e() {
    return operationalKgCO2e + embodiedKgCO2e;
  }

  public long findings() {
    return findingsBySeverity.values().stream().mapToLong(Long::longValue).sum();
  }
}
