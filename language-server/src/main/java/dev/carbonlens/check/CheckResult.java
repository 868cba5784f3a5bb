package dev.carbonlens.check;

import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.model.Severity;
import java.util.List;
import java.util.stream.Stream;

/**
 * What `check` found over all files; unreadable files are listed with the reason. With a baseline, the
 * findings it holds are still reported but no longer fail the check.
 */
public record CheckResult(List<FileAnalysis> files, List<UnreadableFile> unreadable, Baseline.Comparison baseline) {

  public record UnreadableFile(String file, String message) {}

  public CheckResult(List<FileAnalysis> files, List<UnreadableFile> unreadable) {
    this(files, unreadable, Baseline.Comparison.NONE);
  }

  public CheckResult withBaseline(Baseline.Comparison comparison) {
    return new CheckResult(files, unreadable, comparison);
  }

  public Stream<ReportedFinding> findings() {
    return files.stream().flatMap(f -> f.findings().stream());
  }

  /** Findings not in the baseline (all of them without one). */
  public Stream<ReportedFinding> newFindings() {
    return findings().filter(f -> !baseline.isUnchanged(f));
  }

  public Stream<dev.carbonlens.analysis.SuppressedFinding> suppressed() {
    return files.stream().flatMap(f -> f.suppressed().stream());
  }

  /** Files (or documents) a limit kept from being analysed: information, failing only `--fail-on info`. */
  public long notices() {
    return files.stream().mapToLong(f -> f.notices().size()).sum();
  }

  public long parseErrors() {
    return files.stream().mapToLong(f -> f.problems().size()).sum() + unreadable.size();
  }

  /** True when a new finding is at or above the threshold (parse errors count as errors, limit notices as info). */
  public boolean failsAt(Severity threshold) {
    if (parseErrors() > 0 && Severity.ERROR.isAtLeast(threshold)) {
      return true;
    }
    if (notices() > 0 && Severity.INFO.isAtLeast(threshold)) {
      return true;
    }
    return newFindings().anyMatch(f -> f.finding().severity().isAtLeast(threshold));
  }
}
