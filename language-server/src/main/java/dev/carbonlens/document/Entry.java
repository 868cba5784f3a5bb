package dev.carbonlens.document;

import dev.carbonlens.model.SourceRange;

/**
 * One key/value pair of a mapping. {@code inherited} means the entry came in through a YAML merge
 * key ({@code <<}) rather than being written in this mapping; its key and value ranges then point
 * at the merged mapping's text.
 */
public record Entry(ScalarNode key, DocNode value, boolean inherited) {

  public String name() {
    return key.text();
  }

  /**
   * Key start to value end. When the value lies before the key in the text (the value is a YAML
   * alias, whose node is the anchor's definition elsewhere), this is the key's range alone.
   */
  public SourceRange range() {
    SourceRange k = key.range();
    SourceRange v = value.range();
    boolean valueAfterKey = v.startLine() > k.startLine()
        || (v.startLine() == k.startLine() && v.startColumn() >= k.startColumn());
    if (!valueAfterKey || v.isNone()) {
      return k;
    }
    return k.span(v);
  }
}
