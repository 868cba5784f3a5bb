package dev.carbonlens.check;

import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.model.Severity;
import java.util.List;
import java.util.stream.Stream;

/** What `check` found over all files; unreadable files are listed with the reason. */
public record CheckResult(List<FileAnalysis> files, List<UnreadableFile> unreadable) {

  public record UnreadableFile(String file, String message) {}

  public Stream<ReportedFinding> findings() {
    return files.stream().flatMap(f -> f.findings().stream());
  }

  public Stream<dev.carbonlens.analysis.SuppressedFinding> suppressed() {
    return files.stream().flatMap(f -> f.suppressed().stream());
  }

  public long parseErrors() {
    return files.stream().mapToLong(f -> f.problems().size()).sum() + unreadable.size();
  }

  /** True when something is at or above the threshold (parse errors count as errors). */
  public boolean failsAt(Severity threshold) {
    if (parseErrors() > 0 && Severity.ERROR.isAtLeast(threshold)) {
      return true;
    }
    return findings().anyMatch(f -> f.finding().severity().isAtLeast(threshold));
  }
}
