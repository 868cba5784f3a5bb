package dev.carbonlens.check;

import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.analysis.RunTotals;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.Finding;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.estimate.Footprint;
import dev.carbonlens.estimate.Savings;
import dev.carbonlens.limits.LimitNotice;
import dev.carbonlens.model.Severity;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The human report: `path:line:col: severity ID message (saves ...)`, grouped per file, each file's
 * runs with their footprint, and a summary. Colour only when asked (a terminal).
 */
public final class TextReport {
  private final boolean colour;
  private final StringBuilder out = new StringBuilder();

  private TextReport(boolean colour) {
    this.colour = colour;
  }

  public static String render(CheckResult result, boolean colour) {
    return new TextReport(colour).write(result);
  }

  private String write(CheckResult result) {
    for (FileAnalysis file : result.files()) {
      if (file.findings().isEmpty() && file.problems().isEmpty() && file.notices().isEmpty() && file.runs().isEmpty()) {
        continue;
      }
      out.append(paint("1", file.file())).append('\n');
      for (ParseProblem p : file.problems()) {
        line(file.file(), p.range().startLine() + 1, p.range().startColumn() + 1,
            paint("31", "error"), "parse", p.message(), "");
      }
      for (LimitNotice n : file.notices()) {
        line(file.file(), n.range().startLine() + 1, n.range().startColumn() + 1, severity(Severity.INFO), "limit",
            n.message(), "");
      }
      for (ReportedFinding f : file.findings()) {
        if (result.baseline().isUnchanged(f)) {
          continue; // accepted in the baseline: counted in the summary, not listed
        }
        Finding finding = f.finding();
        line(file.file(), Positions.line(finding.range()), Positions.column(finding.range()),
            severity(finding.severity()), finding.ruleId(), finding.message(), savings(finding.savings()));
        f.fixIfAny().ifPresent(fix -> out.append("    fix: ").append(fix.title()).append('\n'));
      }
      for (RunEstimate run : file.runs()) {
        out.append("    ").append(paint("2", runSummary(run))).append('\n');
      }
      out.append('\n');
    }
    for (CheckResult.UnreadableFile u : result.unreadable()) {
      line(u.file(), 1, 1, paint("31", "error"), "parse", u.message(), "");
    }
    out.append(summary(result)).append('\n');
    return out.toString();
  }

  private void line(String file, int line, int column, String severity, String id, String message, String suffix) {
    out.append(file).append(':').append(line).append(':').append(column).append(": ")
        .append(severity).append(' ').append(paint("1", id)).append(' ').append(message).append(suffix).append('\n');
  }

  static String savings(Savings s) {
    if (s == null) {
      return " (savings not estimated)";
    }
    return " (saves ≈ " + Figures.format(s.kgCO2e()) + " kgCO2e, " + Figures.format(s.kWh()) + " kWh, "
        + Figures.percent(s.fraction()) + " of the run)";
  }

  static String runSummary(RunEstimate estimate) {
    Footprint fp = estimate.footprint();
    String basis = switch (fp.hoursBasis()) {
      case STATED -> "stated";
      case COMPUTED -> "from 6·N·D";
      case DEFAULT -> "default duration: the config gives none";
    };
    return "run " + (estimate.run().index() + 1) + " (" + estimate.run().format() + ", " + estimate.run().stage().label()
        + "): ≈ " + Figures.format(fp.totalKgCO2e()) + " kgCO2e [" + Figures.format(fp.lowKgCO2e()) + "–"
        + Figures.format(fp.highKgCO2e()) + "] (" + Figures.format(fp.operationalKgCO2e())
        + " operational + " + Figures.format(fp.embodiedKgCO2e()) + " embodied), "
        + Figures.format(fp.energyKWh()) + " kWh; " + fp.devices() + " × " + fp.accelerator() + " for "
        + Figures.format(fp.hours()) + " h (" + basis + ")"
        + (fp.perThousandTokens() == null ? ""
            : "; ≈ " + Figures.format(fp.perThousandTokens().energyWh()) + " Wh and "
                + Figures.format(fp.perThousandTokens().gramsCO2e()) + " gCO2e per 1,000 tokens")
        + (estimate.allFindingsSavings() == null ? ""
            : "; fixing all its findings saves ≈ " + Figures.format(estimate.allFindingsSavings().kgCO2e())
                + " kgCO2e (" + Figures.percent(estimate.allFindingsSavings().fraction()) + ")");
  }

  private String summary(CheckResult result) {
    Map<Severity, Long> counts = new EnumMap<>(Severity.class);
    result.newFindings().forEach(f -> counts.merge(f.finding().severity(), 1L, Long::sum));
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    String bySeverity = counts.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey().label())
        .collect(Collectors.joining(", "));
    RunTotals totals = RunTotals.of(result.files().stream().flatMap(f -> f.runs().stream()).toList());
    double footprint = totals.totalKgCO2e();
    long runs = totals.runs();
    double saved = totals.savedKgCO2e() == null ? 0 : totals.savedKgCO2e();
    StringBuilder s = new StringBuilder();
    int checked = result.files().size() + result.unreadable().size();
    s.append("Checked ").append(checked).append(checked == 1 ? " file: " : " files: ")
        .append(total).append(result.baseline() == Baseline.Comparison.NONE ? "" : " new")
        .append(total == 1 ? " finding" : " findings")
        .append(total > 0 ? " (" + bySeverity + ")" : "");
    if (result.parseErrors() > 0) {
      s.append(", ").append(result.parseErrors()).append(" parse ").append(result.parseErrors() == 1 ? "error" : "errors");
    }
    if (result.notices() > 0) {
      s.append(", ").append(result.notices()).append(result.notices() == 1 ? " file" : " files")
          .append(" not analysed (over a limit)");
    }
    long suppressed = result.suppressed().count();
    if (suppressed > 0) {
      s.append(", ").append(suppressed).append(" suppressed by carbonlens: ignore comments");
    }
    long inBaseline = result.baseline().unchanged().size();
    if (inBaseline > 0 || !result.baseline().absent().isEmpty()) {
      s.append("; baseline: ").append(inBaseline).append(" unchanged (not shown), ")
          .append(result.baseline().absent().size()).append(" fixed or changed since");
    }
    s.append(".\n").append(runs).append(runs == 1 ? " run" : " runs").append(" recognised, estimated ≈ ")
        .append(Figures.format(footprint)).append(" kgCO2e in all");
    if (saved > 0) {
      s.append("; fixing every finding would save ≈ ").append(Figures.format(saved)).append(" kgCO2e");
    }
    return s.append('.').toString();
  }

  private String severity(Severity severity) {
    String code = switch (severity) {
      case ERROR -> "31";
      case WARNING -> "33";
      case INFO -> "36";
      case HINT -> "2";
    };
    return paint(code, severity.label());
  }

  private String paint(String code, String text) {
    return colour ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }
}
