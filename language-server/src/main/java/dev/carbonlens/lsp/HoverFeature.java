package dev.carbonlens.lsp;

import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.engine.Finding;
import dev.carbonlens.engine.RuleDocs;
import dev.carbonlens.estimate.Assumption;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.estimate.Footprint;
import dev.carbonlens.estimate.Savings;
import dev.carbonlens.model.SourceRange;
import java.util.List;
import java.util.Optional;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Position;

/**
 * Hover on a flagged setting: the finding, what the change saves of the run's footprint, the
 * assumptions and data sources behind both figures, and why the rule matters (from its page).
 */
final class HoverFeature {
  private HoverFeature() {}

  /** A finding's hover where one is flagged; else the figures behind a region, accelerator or model value. */
  static Optional<Hover> hover(FileAnalysis analysis, Position at, dev.carbonlens.reference.ReferenceData reference) {
    Optional<Hover> flagged = hover(analysis, at);
    return flagged.isPresent() ? flagged : ChoiceHover.hover(analysis, at, reference);
  }

  static Optional<Hover> hover(FileAnalysis analysis, Position at) {
    for (ReportedFinding reported : analysis.findings()) {
      Finding f = reported.finding();
      if (contains(f.range(), at)) {
        RunEstimate run = analysis.runs().stream().filter(r -> r.run() == f.run()).findFirst().orElse(null);
        return Optional.of(new Hover(new MarkupContent(MarkupKind.MARKDOWN, markdown(f, run)),
            DiagnosticsFeature.range(f.range())));
      }
    }
    return Optional.empty();
  }

  static boolean contains(SourceRange r, Position p) {
    int line = p.getLine();
    int ch = p.getCharacter();
    boolean afterStart = line > r.startLine() || (line == r.startLine() && ch >= r.startColumn());
    boolean beforeEnd = line < r.endLine() || (line == r.endLine() && ch <= r.endColumn());
    return afterStart && beforeEnd;
  }

  static String markdown(Finding f, RunEstimate run) {
    StringBuilder md = new StringBuilder();
    md.append("**").append(f.ruleId()).append("** ").append(RuleDocs.title(f.ruleId()).orElse(""))
        .append(" · ").append(f.category().label()).append(" · ").append(f.severity().label()).append("\n\n");
    md.append(f.message()).append("\n\n");
    if (f.change() != null) { // a policy such as a kgCO2e budget names no single change
      md.append("**Proposed:** ").append(f.change().title()).append("\n\n");
    }
    Savings s = f.savings();
    if (s != null) {
      md.append("**Saves ≈ ").append(Figures.format(s.kgCO2e())).append(" kgCO2e** (")
          .append(Figures.format(s.kWh())).append(" kWh, ").append(Figures.percent(s.fraction()))
          .append(") of this run's ").append(Figures.format(s.before().totalKgCO2e())).append(" kgCO2e (range ")
          .append(Figures.format(s.before().lowKgCO2e())).append("-").append(Figures.format(s.before().highKgCO2e()))
          .append(")\n\n");
    } else {
      md.append("**Savings:** not estimated: see how this rule's savings are estimated below.\n\n");
    }
    Footprint fp = s != null ? s.before() : run == null ? null : run.footprint();
    if (fp != null) {
      md.append("Assumptions and sources:\n\n");
      for (Assumption a : fp.assumptions()) {
        md.append("- ").append(a.what()).append(": ").append(a.value());
        if (a.source() != null && !a.source().isBlank()) {
          md.append(" — _").append(a.source()).append("_");
        }
        md.append('\n');
      }
      md.append('\n');
    }
    RuleDocs.markdown(f.ruleId()).map(RuleDocs::sections).ifPresent(sections -> {
      for (String heading : List.of("Why it matters", "How the savings are estimated")) {
        String text = sections.get(heading);
        if (text != null) {
          md.append("**").append(heading).append("**\n\n").append(text).append("\n\n");
        }
      }
    });
    md.append("`carbonlens explain ").append(f.ruleId()).append("` · silence: `carbonlens: ignore[")
        .append(f.ruleId()).append("] reason`");
    return md.toString();
  }
}
