package dev.carbonlens.report;

import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.estimate.Footprint;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;

/** How reports name a run and a place in a file: 1-based, as `check` prints them. */
final class RunLabel {
  private RunLabel() {}

  /** `file:line` of the run's start. */
  static String where(Run run) {
    return run.file() + ":" + (run.range().startLine() + 1);
  }

  /** `file:line, format, stage, N × accelerator`: enough to find the run and see what it is. */
  static String of(RunEstimate estimate) {
    Run run = estimate.run();
    Footprint fp = estimate.footprint();
    return where(run) + ", " + run.format() + ", " + run.stage().label() + ", " + hardware(fp);
  }

  /** `N × accelerator` as the estimate priced it (defaults included). */
  static String hardware(Footprint fp) {
    return fp.devices() + " × " + fp.accelerator();
  }

  /** `file:line:column`, 1-based. */
  static String location(String file, SourceRange range) {
    return file + ":" + (range.startLine() + 1) + ":" + (range.startColumn() + 1);
  }
}
