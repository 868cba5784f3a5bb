package dev.carbonlens.lsp;

import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.Finding;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.limits.LimitNotice;
import dev.carbonlens.model.Category;
import dev.carbonlens.model.Severity;
import dev.carbonlens.model.SourceRange;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * Findings as LSP diagnostics: `source` carbonlens, `code` the rule id, and `data` with the category
 * and savings exactly as the JSON report has them, so the editor and `check` agree.
 */
public final class DiagnosticsFeature {
  public static final String SOURCE = "carbonlens";
  /** The code of the notice a file gets when a limit kept it from being analysed; `data.limit` says which. */
  public static final String LIMIT_CODE = "limit";

  private DiagnosticsFeature() {}

  public static List<Diagnostic> diagnostics(FileAnalysis analysis) {
    List<Diagnostic> out = new ArrayList<>();
    // A half-typed file gets one parse diagnostic; whatever still parsed is analysed as usual.
    for (ParseProblem problem : analysis.problems()) {
      Diagnostic d = new Diagnostic(range(problem.range()), problem.message(), DiagnosticSeverity.Error, SOURCE, "parse");
      d.setData(data(Category.PARSE, null));
      out.add(d);
    }
    // A limit (size, time, nesting...) kept the file from being analysed: say so, as information.
    for (LimitNotice notice : analysis.notices()) {
      Diagnostic d = new Diagnostic(range(notice.range()), notice.message(), DiagnosticSeverity.Information, SOURCE,
          LIMIT_CODE);
      d.setData(new DiagnosticData(Category.PARSE.label(), null, notice.limit()));
      out.add(d);
    }
    for (ReportedFinding reported : analysis.findings()) {
      Finding f = reported.finding();
      String message = f.message() + savingsSuffix(f);
      Diagnostic d = new Diagnostic(range(f.range()), message, severity(f.severity()), SOURCE, f.ruleId());
      d.setData(data(f.category(), f.savings() == null ? null : savings(f)));
      out.add(d);
    }
    return out;
  }

  private static String savingsSuffix(Finding f) {
    if (f.savings() == null) {
      return "";
    }
    return " Saves ≈ " + Figures.format(f.savings().kgCO2e()) + " kgCO2e (" + Figures.percent(f.savings().fraction())
        + " of the run).";
  }

  private static DiagnosticData.SavingsData savings(Finding f) {
    return new DiagnosticData.SavingsData(Figures.round(f.savings().kgCO2e()), Figures.round(f.savings().kWh()),
        Figures.round(f.savings().fraction()));
  }

  private static DiagnosticData data(Category category, DiagnosticData.SavingsData savings) {
    return new DiagnosticData(category.label(), savings);
  }

  static Range range(SourceRange r) {
    return new Range(new Position(r.startLine(), r.startColumn()), new Position(r.endLine(), r.endColumn()));
  }

  static DiagnosticSeverity severity(Severity severity) {
    return switch (severity) {
      case ERROR -> DiagnosticSeverity.Error;
      case WARNING -> DiagnosticSeverity.Warning;
      case INFO -> DiagnosticSeverity.Information;
      case HINT -> DiagnosticSeverity.Hint;
    };
  }
}
