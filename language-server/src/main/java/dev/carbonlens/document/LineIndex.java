package dev.carbonlens.document;

import dev.carbonlens.model.SourceRange;
import java.util.Arrays;

/**
 * Line start offsets of a text, computed once, for turning UTF-16 offsets into LSP positions.
 * Line breaks are {@code \n}, {@code \r\n} and a lone {@code \r} (as in LSP).
 */
public final class LineIndex {

  private final String text;
  private final int[] lineStarts;
  /** The line of the last lookup: lookups mostly move forward a little (a hint, checked on use). */
  private int lastLine;

  public LineIndex(String text) {
    this.text = text;
    int[] starts = new int[16];
    int count = 1;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (count == starts.length) {
          starts = Arrays.copyOf(starts, count * 2);
        }
        starts[count++] = i + 1;
      }
    }
    this.lineStarts = Arrays.copyOf(starts, count);
  }

  public String text() {
    return text;
  }

  public int lineCount() {
    return lineStarts.length;
  }

  /** Offset of the first character of a 0-based line. */
  public int lineStart(int line) {
    return lineStarts[Math.max(0, Math.min(line, lineStarts.length - 1))];
  }

  /** Offset just past the last character of a line, before its line break. */
  public int lineEnd(int line) {
    int l = Math.max(0, Math.min(line, lineStarts.length - 1));
    int end = l + 1 < lineStarts.length ? lineStarts[l + 1] : text.length();
    while (end > lineStarts[l] && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return end;
  }

  /** The 0-based line holding a UTF-16 offset (clamped to the text). */
  public int lineOf(int offset) {
    int o = Math.max(0, Math.min(offset, text.length()));
    int hint = lastLine;
    for (int l = hint; l < hint + 3 && l < lineStarts.length; l++) {
      if (lineStarts[l] <= o && (l + 1 == lineStarts.length || o < lineStarts[l + 1])) {
        lastLine = l;
        return l;
      }
    }
    int i = Arrays.binarySearch(lineStarts, o);
    int line = i >= 0 ? i : -i - 2;
    lastLine = line;
    return line;
  }

  public int columnOf(int offset) {
    int o = Math.max(0, Math.min(offset, text.length()));
    return o - lineStarts[lineOf(o)];
  }

  /** The UTF-16 offset of a 0-based line and UTF-16 column (clamped to the text). */
  public int offsetOf(int line, int column) {
    if (line >= lineStarts.length) {
      return text.length();
    }
    return Math.min(lineStart(line) + Math.max(0, column), lineEnd(line));
  }

  /**
   * The range between two UTF-16 offsets. An offset inside a line break (the \n of \r\n) is taken as the
   * end of its line: a column past the line's last character names no text.
   */
  public SourceRange range(int startOffset, int endOffset) {
    int s = Math.max(0, Math.min(startOffset, text.length()));
    int e = Math.max(s, Math.min(endOffset, text.length()));
    int sl = lineOf(s);
    int el = lineOf(e);
    int startColumn = Math.min(s, lineEnd(sl)) - lineStarts[sl];
    int endColumn = Math.min(e, lineEnd(el)) - lineStarts[el];
    return new SourceRange(sl, startColumn, el, endColumn);
  }

  /** The text of a 0-based line, without its line break. */
  public String lineText(int line) {
    return text.substring(lineStart(line), lineEnd(line));
  }
}
