package dev.carbonlens.check;

import dev.carbonlens.model.SourceRange;

/** The report format's positions: 1-based lines and columns, endColumn exclusive. */
final class Positions {
  private Positions() {}

  static int line(SourceRange r) {
    return r.startLine() + 1;
  }

  static int column(SourceRange r) {
    return r.startColumn() + 1;
  }

  static int endLine(SourceRange r) {
    return r.endLine() + 1;
  }

  static int endColumn(SourceRange r) {
    return r.endColumn() + 1;
  }
}
