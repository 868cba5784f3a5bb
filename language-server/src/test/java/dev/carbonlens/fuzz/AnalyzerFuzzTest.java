package dev.carbonlens.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.document.DocNode;
import dev.carbonlens.estimate.EstimatorSettings;

/**
 * The whole pipeline on a YAML or JSON config (parse, extract, Drools rules, estimate, price, fixes), as
 * `carbonlens check` and the editor run it: it never throws, and every range it reports (problems, limit notices,
 * runs, findings, quick-fix edits) lies within the text. Drools makes this the slowest target (few inputs a
 * second); the others cover the parts in depth.
 */
class AnalyzerFuzzTest {
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());

  @FuzzTest
  void analyzeConfig(byte[] data) {
    String text = FuzzInputs.text(data);
    String file = FuzzInputs.configFileName(text);
    FileAnalysis analysis = ANALYZER.analyze(file, text);
    TextBounds bounds = new TextBounds(text);
    bounds.checkProblems(analysis.problems(), file);
    // a limit notice (size, time, nesting, aliases) sits in the text too
    analysis.notices().forEach(n -> bounds.check(n.range(), file + " notice " + n.limit()));
    for (DocNode root : analysis.document().roots()) {
      bounds.checkTree(root, file);
    }
    bounds.checkAllRanges(analysis.runs(), file + " run");
    for (ReportedFinding finding : analysis.findings()) {
      String what = file + " finding " + finding.finding().ruleId();
      bounds.checkAllRanges(finding.finding().range(), what);
      finding.fixIfAny().ifPresent(fix -> bounds.checkEdits(fix.edits(), what + " fix"));
    }
  }
}
