package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import java.util.Optional;
import java.util.Set;

/** Small typed readers over a mapping, so extractors read as a list of settings. */
final class Keys {
  private Keys() {}

  /** The first of `keys` present with a non-null scalar value. */
  static Optional<Entry> scalarEntry(MappingNode mapping, String... keys) {
    for (String key : keys) {
      Optional<Entry> e = mapping.entry(key);
      if (e.isPresent() && e.get().value() instanceof ScalarNode s && !s.isNull()) {
        return e;
      }
    }
    return Optional.empty();
  }

  static Optional<ScalarNode> scalar(MappingNode mapping, String... keys) {
    return scalarEntry(mapping, keys).map(e -> (ScalarNode) e.value());
  }

  static Optional<String> text(MappingNode mapping, String... keys) {
    return scalar(mapping, keys).map(ScalarNode::text);
  }

  static boolean isTrue(MappingNode mapping, String key) {
    return scalar(mapping, key).flatMap(ScalarNode::asBoolean).orElse(false);
  }

  static Long longValue(MappingNode mapping, String... keys) {
    return scalar(mapping, keys).flatMap(s -> s.asLong().isPresent()
        ? Optional.of(s.asLong().getAsLong()) : Optional.empty()).orElse(null);
  }

  static Integer intValue(MappingNode mapping, String... keys) {
    Long value = longValue(mapping, keys);
    return value == null || value > Integer.MAX_VALUE || value < Integer.MIN_VALUE ? null : value.intValue();
  }

  static Double doubleValue(MappingNode mapping, String... keys) {
    return scalar(mapping, keys).flatMap(s -> s.asNumber().isPresent()
        ? Optional.of(s.asNumber().getAsDouble()) : Optional.empty()).orElse(null);
  }

  /** How many of `known` appear as keys: the basis of content detection. */
  static long countKnown(MappingNode mapping, Set<String> known) {
    return mapping.entries().stream().map(Entry::name).filter(known::contains).count();
  }

  static Optional<MappingNode> asMapping(DocNode node) {
    return node instanceof MappingNode m ? Optional.of(m) : Optional.empty();
  }
}
