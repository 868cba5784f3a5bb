package dev.carbonlens.code.java;

import com.github.javaparser.JavaToken;
import com.github.javaparser.Position;
import com.github.javaparser.Problem;
import com.github.javaparser.Range;
import com.github.javaparser.ast.Node;
import dev.carbonlens.document.LineIndex;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.model.SourceRange;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JavaParser positions (1-based lines, 1-based columns, end inclusive) as CarbonLens ranges (0-based,
 * UTF-16 columns, end exclusive). JavaParser counts a tab as one column and a character outside the
 * BMP as two (it reads UTF-16 units), so its columns are UTF-16 columns already; line breaks are the
 * same three as {@link LineIndex}'s. Every position is still clamped through the line index, so a
 * token past the end (EOF) or an odd position never gives an invalid range.
 */
final class JavaPositions {
  private static final Pattern LEXICAL = Pattern.compile("line (\\d+), column (\\d+)");

  private final LineIndex lines;

  JavaPositions(String text) {
    this.lines = new LineIndex(text);
  }

  LineIndex lines() {
    return lines;
  }

  SourceRange of(Node node) {
    return node.getRange().map(r -> of(r.begin, r.end)).orElse(SourceRange.NONE);
  }

  SourceRange of(Position begin, Position endInclusive) {
    int start = offset(begin.line, begin.column - 1);
    int end = offset(endInclusive.line, endInclusive.column);
    return lines.range(start, Math.max(start, end));
  }

  /** The offset just past a node (for insertions after it). */
  SourceRange endOf(Node node) {
    SourceRange r = of(node);
    return new SourceRange(r.endLine(), r.endColumn(), r.endLine(), r.endColumn());
  }

  private int offset(int line1, int column0) {
    return lines.offsetOf(Math.max(0, line1 - 1), Math.max(0, column0));
  }

  /** A parser problem at the token it names (or the line and column a lexical error names). */
  ParseProblem problem(Problem p) {
    SourceRange range = p.getLocation().map(t -> found(t.getBegin())).orElse(null);
    String message = p.getMessage() == null ? "Syntax error" : p.getMessage();
    if (range == null) {
      Matcher m = LEXICAL.matcher(message);
      if (m.find()) {
        try {
          int line = Integer.parseInt(m.group(1));
          int column = Integer.parseInt(m.group(2));
          int start = offset(line, column - 1);
          range = lines.range(start, Math.min(lines.text().length(), start + 1));
        } catch (NumberFormatException e) {
          range = null;
        }
      }
    }
    if (range == null) {
      int end = lines.text().length();
      range = lines.range(end, end);
    }
    return new ParseProblem(shorten(message), range);
  }

  /**
   * JavaParser's location of a parse error starts at the last token it accepted; the token it found
   * ("Found X, expected ...") is the next one that is not blank or a comment. At the end of the text,
   * the problem is just after the last token.
   */
  private SourceRange found(JavaToken accepted) {
    Optional<JavaToken> next = accepted.getNextToken();
    while (next.isPresent() && next.get().getCategory().isWhitespaceOrComment()) {
      next = next.get().getNextToken();
    }
    if (next.isPresent() && next.get().getKind() != JavaToken.Kind.EOF.getKind() && next.get().getRange().isPresent()
        && !next.get().getText().isEmpty()) {
      Range r = next.get().getRange().get();
      return of(r.begin, r.end);
    }
    if (!accepted.getText().isEmpty() && accepted.getRange().isPresent()) {
      Range r = accepted.getRange().get();
      SourceRange token = of(r.begin, r.end);
      return new SourceRange(token.endLine(), token.endColumn(), token.endLine(), token.endColumn());
    }
    return null;
  }

  /** The first line, without JavaParser's list of every token it would have accepted. */
  static String shorten(String message) {
    String first = message.lines().findFirst().orElse(message).strip();
    int expected = first.indexOf(", expected one of");
    if (expected > 0 && first.length() - expected > 80) {
      first = first.substring(0, expected);
    }
    return first.isEmpty() ? "Syntax error" : first;
  }
}
