package dev.carbonlens.lsp;

import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.document.SyntaxKind;
import dev.carbonlens.engine.Finding;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.estimate.Footprint;
import dev.carbonlens.extract.Fix;
import dev.carbonlens.model.SourceRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;

/**
 * Code actions and code lenses from the analysis behind the published diagnostics: each finding's
 * quick fix, a comment that silences it, every fix of the file at once, and each run's footprint.
 */
final class CodeActionsFeature {
  /** `source.fixAll.carbonlens`: editors run it on save when asked to. */
  static final String FIX_ALL = CodeActionKind.SourceFixAll + ".carbonlens";

  private CodeActionsFeature() {}

  static List<CodeAction> actions(String uri, FileAnalysis analysis, Range requested) {
    List<CodeAction> actions = new ArrayList<>();
    List<Diagnostic> diagnostics = DiagnosticsFeature.diagnostics(analysis);
    for (ReportedFinding reported : analysis.findings()) {
      Finding f = reported.finding();
      if (!overlaps(f.range(), requested)) {
        continue;
      }
      Diagnostic diagnostic = diagnostics.stream()
          .filter(d -> f.ruleId().equals(d.getCode().getLeft()) && d.getRange().equals(DiagnosticsFeature.range(f.range())))
          .findFirst().orElse(null);
      reported.fixIfAny().ifPresent(fix -> {
        CodeAction action = new CodeAction(fix.title() + " (" + f.ruleId() + savingsNote(f) + ")");
        action.setKind(CodeActionKind.QuickFix);
        action.setEdit(edit(uri, fix.edits()));
        action.setIsPreferred(true);
        if (diagnostic != null) {
          action.setDiagnostics(List.of(diagnostic));
        }
        actions.add(action);
      });
      suppression(uri, analysis, f).ifPresent(edit -> {
        CodeAction action = new CodeAction("Ignore " + f.ruleId() + " on this line (carbonlens: ignore comment)");
        action.setKind(CodeActionKind.QuickFix);
        action.setEdit(edit);
        if (diagnostic != null) {
          action.setDiagnostics(List.of(diagnostic));
        }
        actions.add(action);
      });
    }
    fixAll(uri, analysis).ifPresent(actions::add);
    return actions;
  }

  private static String savingsNote(Finding f) {
    return f.savings() == null ? "" : ", saves ≈ " + Figures.format(f.savings().kgCO2e()) + " kgCO2e";
  }

  /**
   * Every fix of the file in one edit; a fix whose edits overlap one already taken is left for a
   * second round (after the first is applied, the file is analysed again).
   */
  static java.util.Optional<CodeAction> fixAll(String uri, FileAnalysis analysis) {
    List<dev.carbonlens.extract.TextEdit> taken = new ArrayList<>();
    int fixes = 0;
    for (ReportedFinding reported : analysis.findings()) {
      if (reported.fix() == null) {
        continue;
      }
      List<dev.carbonlens.extract.TextEdit> edits = reported.fix().edits();
      boolean clashes = edits.stream().anyMatch(e -> taken.stream().anyMatch(t -> touches(t.range(), e.range())));
      if (!clashes) {
        taken.addAll(edits);
        fixes++;
      }
    }
    if (fixes == 0) {
      return java.util.Optional.empty();
    }
    CodeAction action = new CodeAction("Apply all CarbonLens fixes in this file (" + fixes + ")");
    action.setKind(FIX_ALL);
    action.setEdit(edit(uri, taken));
    return java.util.Optional.of(action);
  }

  /** A comment line above the flagged line, indented like it, in the file's comment syntax. */
  static java.util.Optional<WorkspaceEdit> suppression(String uri, FileAnalysis analysis, Finding f) {
    SyntaxKind syntax = analysis.document().syntax();
    String name = analysis.file().toLowerCase(java.util.Locale.ROOT);
    if (syntax == SyntaxKind.JSON && !name.endsWith(".jsonc")) {
      return java.util.Optional.empty(); // plain JSON has no comments
    }
    String marker = syntax == SyntaxKind.JAVA || syntax == SyntaxKind.JSON ? "//" : "#";
    String[] lines = analysis.document().text().split("\r?\n", -1);
    int line = f.range().startLine();
    if (line >= lines.length) {
      return java.util.Optional.empty();
    }
    String text = lines[line];
    int indent = 0;
    while (indent < text.length() && (text.charAt(indent) == ' ' || text.charAt(indent) == '\t')) {
      indent++;
    }
    String comment = text.substring(0, indent) + marker + " carbonlens: ignore[" + f.ruleId() + "] reason\n";
    Position at = new Position(line, 0);
    return java.util.Optional.of(new WorkspaceEdit(Map.of(uri, List.of(new TextEdit(new Range(at, at), comment)))));
  }

  /** One lens per recognised run, on its first line: the footprint and what fixing every finding saves. */
  static List<CodeLens> lenses(FileAnalysis analysis) {
    List<CodeLens> lenses = new ArrayList<>();
    for (RunEstimate run : analysis.runs()) {
      Footprint fp = run.footprint();
      StringBuilder title = new StringBuilder("CarbonLens: ≈ ").append(Figures.format(fp.totalKgCO2e()))
          .append(" kgCO2e · ").append(Figures.format(fp.energyKWh())).append(" kWh · ")
          .append(Figures.format(fp.devices() * fp.hours())).append(" GPU-hours (").append(fp.devices()).append(" × ")
          .append(fp.accelerator()).append(")");
      if (run.allFindingsSavings() != null && run.allFindingsSavings().kgCO2e() > 0) {
        title.append(" · fixing all findings saves ≈ ").append(Figures.format(run.allFindingsSavings().kgCO2e()))
            .append(" kgCO2e (").append(Figures.percent(run.allFindingsSavings().fraction())).append(")");
      }
      SourceRange r = run.run().range();
      Range at = new Range(new Position(r.startLine(), 0), new Position(r.startLine(), 0));
      // No client-side command runs: the lens is information; an empty command id keeps clients from failing.
      lenses.add(new CodeLens(at, new Command(title.toString(), ""), null));
    }
    return lenses;
  }

  private static WorkspaceEdit edit(String uri, List<dev.carbonlens.extract.TextEdit> edits) {
    List<TextEdit> lsp = edits.stream()
        .sorted(Comparator.comparing((dev.carbonlens.extract.TextEdit e) -> e.range().startLine())
            .thenComparing(e -> e.range().startColumn()))
        .map(e -> new TextEdit(DiagnosticsFeature.range(e.range()), e.newText()))
        .toList();
    return new WorkspaceEdit(Map.of(uri, lsp));
  }

  static boolean overlaps(SourceRange r, Range requested) {
    Position s = requested.getStart();
    Position e = requested.getEnd();
    boolean startsBeforeEnd = r.startLine() < e.getLine() || (r.startLine() == e.getLine() && r.startColumn() <= e.getCharacter());
    boolean endsAfterStart = r.endLine() > s.getLine() || (r.endLine() == s.getLine() && r.endColumn() >= s.getCharacter());
    return startsBeforeEnd && endsAfterStart;
  }

  private static boolean touches(SourceRange a, SourceRange b) {
    boolean aBeforeB = a.endLine() < b.startLine() || (a.endLine() == b.startLine() && a.endColumn() < b.startColumn());
    boolean bBeforeA = b.endLine() < a.startLine() || (b.endLine() == a.startLine() && b.endColumn() < a.startColumn());
    return !aBeforeB && !bBeforeA;
  }
}
