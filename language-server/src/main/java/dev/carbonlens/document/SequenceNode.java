package dev.carbonlens.document;

import dev.carbonlens.model.SourceRange;
import java.util.List;

/** A YAML sequence or JSON array. Flow/JSON ranges span {@code [} to {@code ]} inclusive. */
public record SequenceNode(List<DocNode> items, SourceRange range) implements DocNode {

  public SequenceNode {
    items = List.copyOf(items);
  }

  public int size() {
    return items.size();
  }
}
