package dev.carbonlens.code;

import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.extract.ExtractedRun;
import dev.carbonlens.limits.LimitNotice;
import dev.carbonlens.reference.ReferenceData;
import java.util.List;

/**
 * Reads training code of one language into the same runs the config extractors produce, so every
 * rule applies whether a choice is written in YAML or in code.
 */
public interface SourceAnalyser {

  /** True when this analyser reads files with this name (by extension). */
  boolean handles(String fileName);

  /**
   * Never throws for bad input: a half-typed file gives (at most a few) problems and the runs found
   * in what still parses. Inside an analysis it stops when the analysis' budget says so (throwing what
   * {@code Budget.check()} throws).
   */
  Result analyse(String fileName, String text, ReferenceData reference);

  /** Runs found (with their fix writers), syntax problems, and the limits that kept the file from being read. */
  record Result(List<ExtractedRun> runs, List<ParseProblem> problems, List<LimitNotice> notices) {
    public Result(List<ExtractedRun> runs, List<ParseProblem> problems) {
      this(runs, problems, List.of());
    }
  }
}
