package dev.carbonlens.document;

import dev.carbonlens.limits.Budget;
import dev.carbonlens.limits.LimitNotice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses YAML and JSON configuration text into {@link DocNode} trees with exact source ranges.
 * Thread-safe and stateless; never throws on bad input. Inside an analysis it stops when the analysis'
 * {@link Budget} says so (throwing what {@link Budget#check()} throws).
 */
public final class DocumentParser {

  private DocumentParser() {}

  /** Parses text as YAML or JSON, chosen by {@link #syntaxOf}. Never throws on bad input. */
  public static ParsedDocument parse(String fileName, String text) {
    return parse(fileName, text, syntaxOf(fileName, text));
  }

  /** Parses text as the given syntax. Never throws on bad input. */
  public static ParsedDocument parse(String fileName, String text, SyntaxKind syntax) {
    String source = text == null ? "" : text;
    List<DocNode> roots = new ArrayList<>();
    List<ParseProblem> problems = new ArrayList<>();
    List<LimitNotice> notices = new ArrayList<>();
    LineIndex lines = new LineIndex(source);
    try {
      if (syntax == SyntaxKind.JSON) {
        JsonDocumentReader.read(source, lines, roots, problems, notices);
      } else {
        YamlDocumentReader.read(source, lines, roots, problems, notices);
      }
    } catch (RuntimeException | StackOverflowError e) {
      Budget.rethrowIfStop(e); // out of time or superseded: the analysis stops, this is no syntax error
      roots.clear();
      problems.add(new ParseProblem("could not parse the document: " + e,
          dev.carbonlens.model.SourceRange.of(0, 0, 0, Math.min(1, lines.lineEnd(0)))));
    }
    return new ParsedDocument(fileName, syntax, source, roots, problems, notices);
  }

  /**
   * {@code .json}/{@code .jsonc} → JSON; {@code .yaml}/{@code .yml} → YAML (case-insensitive);
   * otherwise by content: the first non-whitespace character (after a byte order mark and any
   * {@code //} or {@code /* *\/} comments) '{' or '[' → JSON, else YAML.
   */
  public static SyntaxKind syntaxOf(String fileName, String text) {
    if (fileName != null) {
      String name = fileName.toLowerCase(Locale.ROOT);
      if (name.endsWith(".json") || name.endsWith(".jsonc")) {
        return SyntaxKind.JSON;
      }
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        return SyntaxKind.YAML;
      }
    }
    if (text == null) {
      return SyntaxKind.YAML;
    }
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == '\uFEFF') {
        i++;
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int close = text.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else {
        return c == '{' || c == '[' ? SyntaxKind.JSON : SyntaxKind.YAML;
      }
    }
    return SyntaxKind.YAML;
  }
}
