package dev.carbonlens.document;

import dev.carbonlens.model.SourceRange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML mapping or JSON object. Keys are unique (duplicate keys: the last one written wins, as in
 * PyYAML and json.load). Entries from YAML merge keys appear with {@code inherited = true}; the
 * {@code <<} entry itself does not appear.
 */
public final class MappingNode implements DocNode {
  /** From this many entries on, lookups go through a hash index: extractors ask each mapping for dozens of keys. */
  private static final int INDEX_FROM = 16;

  private final List<Entry> entries;
  private final SourceRange range;
  /** Built on the first lookup of a large mapping; a race builds it twice, harmlessly. */
  private volatile Map<String, Entry> index;

  public MappingNode(List<Entry> entries, SourceRange range) {
    this.entries = List.copyOf(entries);
    this.range = range;
  }

  public List<Entry> entries() {
    return entries;
  }

  @Override
  public SourceRange range() {
    return range;
  }

  /** The entry whose key text is exactly {@code key}. */
  public Optional<Entry> entry(String key) {
    if (entries.size() >= INDEX_FROM) {
      Map<String, Entry> byName = index;
      if (byName == null) {
        byName = new HashMap<>(entries.size() * 2);
        for (Entry e : entries) {
          byName.putIfAbsent(e.name(), e);
        }
        index = byName;
      }
      return Optional.ofNullable(byName.get(key));
    }
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

  @Override
  public boolean equals(Object o) {
    return o instanceof MappingNode m && entries.equals(m.entries) && range.equals(m.range);
  }

  @Override
  public int hashCode() {
    return 31 * entries.hashCode() + range.hashCode();
  }

  @Override
  public String toString() {
    return "MappingNode[entries=" + entries + ", range=" + range + "]";
  }
}
