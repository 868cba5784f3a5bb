package dev.carbonlens.document;

import dev.carbonlens.model.SourceRange;

/** Test helper: the text a range covers. */
final class Texts {
  private Texts() {}

  static String slice(String text, SourceRange r) {
    LineIndex lines = new LineIndex(text);
    int s = lines.lineStart(r.startLine()) + r.startColumn();
    int e = lines.lineStart(r.endLine()) + r.endColumn();
    return text.substring(s, e);
  }

  static String slice(ParsedDocument doc, DocNode node) {
    return slice(doc.text(), node.range());
  }

  static MappingNode root(ParsedDocument doc) {
    return (MappingNode) doc.roots().get(0);
  }
}
