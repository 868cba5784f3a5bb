package dev.carbonlens.extract;

import dev.carbonlens.document.Entry;
import dev.carbonlens.document.LineIndex;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SyntaxKind;
import dev.carbonlens.model.SourceRange;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Writes a setting into a YAML or JSON mapping the way a person would: replace the value when the
 * key is there, otherwise add a line with the siblings' indentation.
 */
public final class ConfigEditor {
  private static final Pattern PLAIN_YAML = Pattern.compile("[A-Za-z0-9_./-][A-Za-z0-9_./: -]*");

  private final ParsedDocument document;
  /** Built on first use: extractors make an editor for every run, but most analyses never write a fix. */
  private LineIndex lines;

  public ConfigEditor(ParsedDocument document) {
    this.document = document;
  }

  private LineIndex lines() {
    if (lines == null) {
      lines = new LineIndex(document.text());
    }
    return lines;
  }

  /** The text of a 0-based line without its line break; null past the end. */
  private String line(int index) {
    LineIndex l = lines();
    return index < l.lineCount() ? document.text().substring(l.lineStart(index), l.lineEnd(index)) : null;
  }

  /** Sets `key` to a value (String, Boolean or Number) in `mapping`. */
  public TextEdit set(MappingNode mapping, String key, Object value) {
    Optional<Entry> existing = mapping.entry(key);
    if (existing.isPresent()) {
      return new TextEdit(existing.get().value().range(), render(value));
    }
    return insert(mapping, key, value);
  }

  /** Replaces a scalar's text, keeping the syntax's quoting rules. */
  public TextEdit replace(ScalarNode node, Object value) {
    return new TextEdit(node.range(), render(value));
  }

  private TextEdit insert(MappingNode mapping, String key, Object value) {
    String renderedKey = document.syntax() == SyntaxKind.JSON ? quote(key) : key;
    String pair = renderedKey + ": " + render(value);
    SourceRange whole = mapping.range();
    // One-line objects ({a: 1} in YAML flow style, or a compact JSON object) get the pair
    // before the closing brace; multi-line ones get a new line like their siblings.
    if (isFlow(whole) && (document.syntax() == SyntaxKind.YAML || whole.startLine() == whole.endLine()
        || mapping.entries().isEmpty())) {
      SourceRange beforeClose = at(whole.endLine(), Math.max(whole.endColumn() - 1, 0));
      return new TextEdit(beforeClose, mapping.entries().isEmpty() ? pair : ", " + pair);
    }
    Entry last = mapping.entries().get(mapping.entries().size() - 1);
    String indent = " ".repeat(firstWrittenEntry(mapping).key().range().startColumn());
    if (document.syntax() == SyntaxKind.JSON) {
      SourceRange end = last.value().range();
      return new TextEdit(at(end.endLine(), end.endColumn()), ",\n" + indent + pair);
    }
    SourceRange end = last.value().range();
    if (end.endColumn() == 0 && end.endLine() > last.key().range().startLine()) {
      // Block values end at the start of the next line: insert a whole line there.
      return new TextEdit(at(end.endLine(), 0), indent + pair + "\n");
    }
    String endLine = line(end.endLine());
    int lineEnd = endLine != null ? endLine.length() : end.endColumn();
    return new TextEdit(at(end.endLine(), lineEnd), "\n" + indent + pair);
  }

  private static Entry firstWrittenEntry(MappingNode mapping) {
    return mapping.entries().stream().filter(e -> !e.inherited()).findFirst().orElse(mapping.entries().get(0));
  }

  private boolean isFlow(SourceRange range) {
    String line = line(range.startLine());
    if (line == null) {
      return false;
    }
    return range.startColumn() < line.length() && line.charAt(range.startColumn()) == '{';
  }

  private String render(Object value) {
    if (value instanceof Boolean || value instanceof Number) {
      return String.valueOf(value);
    }
    String text = String.valueOf(value);
    if (document.syntax() == SyntaxKind.JSON) {
      return quote(text);
    }
    boolean plain = PLAIN_YAML.matcher(text).matches() && !text.contains(": ")
        && !text.matches("(?i)true|false|yes|no|on|off|null|~|[-+]?[0-9.]+(e[-+]?[0-9]+)?");
    return plain ? text : quote(text);
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static SourceRange at(int line, int column) {
    return new SourceRange(line, column, line, column);
  }
}
