package dev.carbonlens.document;

import dev.carbonlens.model.SourceRange;
import java.util.List;
import java.util.Optional;

/**
 * A YAML mapping or JSON object. Keys are unique (duplicate keys: the last one written wins, as in
 * PyYAML and json.load). Entries from YAML merge keys appear with {@code inherited = true}; the
 * {@code <<} entry itself does not appear.
 */
public record MappingNode(List<Entry> entries, SourceRange range) implements DocNode {

  public MappingNode {
    entries = List.copyOf(entries);
  }

  /** The entry whose key text is exactly {@code key}. */
  public Optional<Entry> entry(String key) {
    for (Entry e : entries) {
      if (e.name().equals(key)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  public Optional<DocNode> get(String key) {
    return entry(key).map(Entry::value);
  }

  /** Follows nested mappings: {@code getPath("a", "b")} is the value of b inside the mapping a. */
  public Optional<DocNode> getPath(String... keys) {
    DocNode current = this;
    for (String key : keys) {
      if (!(current instanceof MappingNode m)) {
        return Optional.empty();
      }
      Optional<DocNode> next = m.get(key);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      current = next.get();
    }
    return Optional.of(current);
  }

  public Optional<MappingNode> mapping(String key) {
    return get(key).filter(MappingNode.class::isInstance).map(MappingNode.class::cast);
  }

  public Optional<ScalarNode> scalar(String key) {
    return get(key).filter(ScalarNode.class::isInstance).map(ScalarNode.class::cast);
  }

  public Optional<SequenceNode> sequence(String key) {
    return get(key).filter(SequenceNode.class::isInstance).map(SequenceNode.class::cast);
  }

  public boolean containsKey(String key) {
    return entry(key).isPresent();
  }

  public int size() {
    return entries.size();
  }
}
