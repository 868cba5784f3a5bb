package dev.carbonlens.analysis;

import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.limits.LimitNotice;
import java.util.List;

/** Everything the pipeline found in one file: syntax problems, limit notices, runs with footprints, findings. */
public record FileAnalysis(String file, ParsedDocument document, List<RunEstimate> runs, List<ReportedFinding> findings,
    List<SuppressedFinding> suppressed) {

  public FileAnalysis(String file, ParsedDocument document, List<RunEstimate> runs, List<ReportedFinding> findings) {
    this(file, document, runs, findings, List.of());
  }

  public List<ParseProblem> problems() {
    return document.problems();
  }

  /** The limits that kept this file (or one of its documents) from being analysed: information, not errors. */
  public List<LimitNotice> notices() {
    return document.notices();
  }
}
