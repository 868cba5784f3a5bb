package dev.carbonlens.limits;

import dev.carbonlens.document.Utf8;
import dev.carbonlens.model.SourceRange;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The limits a front end sets on each file it analyses, so that no file (hostile, generated or half-typed) can
 * hang the editor or a CI job. Files over {@code maxFileBytes} (UTF-8) are not analysed at all; an analysis that
 * runs past {@code timeBudget} stops. Both end in one {@link LimitNotice}, never an error.
 *
 * <p>The other limits are fixed where the parsing happens: YAML code points and alias expansion, nesting depth
 * (YAML and JSON), tree-sitter syntax nodes. docs/reliability.md lists them all with their defaults.
 *
 * @param maxFileBytes files larger than this many UTF-8 bytes get a notice and no analysis
 * @param timeBudget how long one document's analysis may run (null: no limit)
 */
public record AnalysisLimits(long maxFileBytes, Duration timeBudget) {
  /** 2 MiB: 128 times the largest of the 69 real configs in the shared corpus (16 KB). */
  public static final long DEFAULT_MAX_FILE_BYTES = 2L * 1024 * 1024;
  /** The editor answers within 2 s whatever the file: past that the user is better served by a notice. */
  public static final Duration EDITOR_TIME_BUDGET = Duration.ofSeconds(2);
  /**
   * `check` has no one waiting keystroke by keystroke, and a CI result must not depend on how loaded the runner
   * is: a budget that only pathological files reach.
   */
  public static final Duration CHECK_TIME_BUDGET = Duration.ofSeconds(30);

  public static final AnalysisLimits EDITOR = new AnalysisLimits(DEFAULT_MAX_FILE_BYTES, EDITOR_TIME_BUDGET);
  public static final AnalysisLimits CHECK = new AnalysisLimits(DEFAULT_MAX_FILE_BYTES, CHECK_TIME_BUDGET);
  /** No limit at all: for tests and tools that must analyse whatever they are given. */
  public static final AnalysisLimits NONE = new AnalysisLimits(Long.MAX_VALUE, null);

  public AnalysisLimits {
    if (maxFileBytes <= 0) {
      throw new IllegalArgumentException("maxFileBytes must be positive, got " + maxFileBytes);
    }
    if (timeBudget != null && (timeBudget.isNegative() || timeBudget.isZero())) {
      throw new IllegalArgumentException("timeBudget must be positive, got " + timeBudget);
    }
  }

  public AnalysisLimits withMaxFileBytes(long value) {
    return new AnalysisLimits(value, timeBudget);
  }

  public AnalysisLimits withTimeBudget(Duration value) {
    return new AnalysisLimits(maxFileBytes, value);
  }

  /** The notice for a text over the size limit; empty when it is within it. */
  public Optional<LimitNotice> sizeNotice(String text) {
    return sizeNotice(utf8Length(text, maxFileBytes), firstLine(text));
  }

  /** The notice for a file of {@code bytes} bytes (read or not) when that is over the size limit. */
  public Optional<LimitNotice> sizeNotice(long bytes, SourceRange at) {
    if (bytes <= maxFileBytes) {
      return Optional.empty();
    }
    return Optional.of(new LimitNotice(LimitNotice.FILE_SIZE, "Not analysed: the file is " + size(bytes)
        + ", over the " + size(maxFileBytes) + " limit on the files CarbonLens analyses (setting limits.maxFileSizeKB,"
        + " or --max-file-size for check).", at));
  }

  /** The notice for an analysis stopped by its budget. */
  public static LimitNotice budgetNotice(BudgetExceededException e, String text) {
    return new LimitNotice(LimitNotice.TIME_BUDGET, "Not analysed: the analysis took longer than its "
        + e.allowed().toMillis() + " ms budget and was stopped (setting limits.timeBudgetMs, or --time-budget for"
        + " check).", firstLine(text));
  }

  /** The UTF-8 length of {@code text}; a text short enough to be within {@code limit} at 3 bytes a character is not counted. */
  static long utf8Length(String text, long limit) {
    if (text == null) {
      return 0;
    }
    int n = text.length();
    if ((long) n * 3 <= limit) {
      return n; // within the limit whatever its characters: the exact count does not matter
    }
    return Utf8.length(text);
  }

  /** Sizes as people read them: 5.0 MB, 2.0 MB, 640 KB (binary units, as editors and `ls -h` show). */
  static String size(long bytes) {
    if (bytes >= 1024L * 1024) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
    if (bytes >= 1024) {
      return String.format(Locale.ROOT, "%d KB", bytes / 1024);
    }
    return bytes + " bytes";
  }

  /** The file's first line (at most its first 200 characters): where a notice about the whole file sits. */
  public static SourceRange firstLine(String text) {
    int end = 0;
    int n = text == null ? 0 : Math.min(text.length(), 200);
    while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
      end++;
    }
    return new SourceRange(0, 0, 0, end);
  }
}
