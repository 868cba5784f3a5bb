package dev.carbonlens.model;

/**
 * A span of source text. Lines and columns are 0-based, columns count UTF-16 code units (as LSP
 * does), and the end is exclusive. Reports convert to 1-based positions at the edge.
 */
public record SourceRange(int startLine, int startColumn, int endLine, int endColumn) {

  /** For facts that come from defaults rather than from the text. */
  public static final SourceRange NONE = new SourceRange(0, 0, 0, 0);

  public SourceRange {
    if (startLine < 0 || startColumn < 0 || endLine < 0 || endColumn < 0) {
      throw new IllegalArgumentException("negative position in range");
    }
    if (endLine < startLine || (endLine == startLine && endColumn < startColumn)) {
      throw new IllegalArgumentException("range ends before it starts");
    }
  }

  public static SourceRange of(int startLine, int startColumn, int endLine, int endColumn) {
    return new SourceRange(startLine, startColumn, endLine, endColumn);
  }

  /** The smallest range covering both. */
  public SourceRange span(SourceRange other) {
    boolean thisStartsFirst = startLine < other.startLine
        || (startLine == other.startLine && startColumn <= other.startColumn);
    boolean thisEndsLast = endLine > other.endLine
        || (endLine == other.endLine && endColumn >= other.endColumn);
    return new SourceRange(
        thisStartsFirst ? startLine : other.startLine,
        thisStartsFirst ? startColumn : other.startColumn,
        thisEndsLast ? endLine : other.endLine,
        thisEndsLast ? endColumn : other.endColumn);
  }

  public boolean isNone() {
    return equals(NONE);
  }

  @Override
  public String toString() {
    return startLine + ":" + startColumn + "-" + endLine + ":" + endColumn;
  }
}
