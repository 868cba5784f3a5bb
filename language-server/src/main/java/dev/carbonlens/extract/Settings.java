package dev.carbonlens.extract;

import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Named settings from one place (a mapping, a command's flags, or several of them layered), so that
 * one reader understands `fp16: true` in a YAML file and `--fp16` in a launch command alike.
 */
public interface Settings {

  /** The value of `name`, when it is written with a scalar value. */
  Optional<Setting> get(String name);

  /** Whether `name` is written at all (with any value). */
  boolean has(String name);

  Set<String> names();

  default Optional<Setting> first(String... names) {
    for (String n : names) {
      Optional<Setting> s = get(n);
      if (s.isPresent() && !s.get().isNull()) {
        return s;
      }
    }
    return Optional.empty();
  }

  default boolean isTrue(String name) {
    return get(name).map(Setting::isTrue).orElse(false);
  }

  default Long longValue(String... names) {
    return first(names).map(Setting::longOrNull).orElse(null);
  }

  default Integer intValue(String... names) {
    return first(names).map(Setting::intOrNull).orElse(null);
  }

  default Double doubleValue(String... names) {
    return first(names).map(Setting::doubleOrNull).orElse(null);
  }

  default long countKnown(Set<String> known) {
    return names().stream().filter(known::contains).count();
  }

  /** The scalar entries of a mapping (nested mappings and lists count for `has`, not for `get`). */
  static Settings of(MappingNode mapping) {
    return new Settings() {
      @Override
      public Optional<Setting> get(String name) {
        return mapping.entry(name).filter(e -> e.value() instanceof ScalarNode).map(Settings::fromEntry);
      }

      @Override
      public boolean has(String name) {
        return mapping.containsKey(name);
      }

      @Override
      public Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>();
        mapping.entries().forEach(e -> names.add(e.name()));
        return names;
      }
    };
  }

  /** Several sources read as one; the first that has a name wins (e.g. a command's flags over a file's keys). */
  static Settings layered(Settings... layers) {
    List<Settings> list = List.of(layers);
    return new Settings() {
      @Override
      public Optional<Setting> get(String name) {
        for (Settings s : list) {
          Optional<Setting> v = s.get(name);
          if (v.isPresent()) {
            return v;
          }
        }
        return Optional.empty();
      }

      @Override
      public boolean has(String name) {
        return list.stream().anyMatch(s -> s.has(name));
      }

      @Override
      public Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>();
        list.forEach(s -> names.addAll(s.names()));
        return names;
      }
    };
  }

  /** Settings from a fixed map (for flags parsed from a command). */
  static Settings of(Map<String, Setting> byName) {
    Map<String, Setting> copy = new LinkedHashMap<>(byName);
    return new Settings() {
      @Override
      public Optional<Setting> get(String name) {
        return Optional.ofNullable(copy.get(name));
      }

      @Override
      public boolean has(String name) {
        return copy.containsKey(name);
      }

      @Override
      public Set<String> names() {
        return copy.keySet();
      }
    };
  }

  Settings EMPTY = of(Map.of());

  private static Setting fromEntry(Entry e) {
    ScalarNode v = (ScalarNode) e.value();
    return new Setting(e.name(), v.value(), v.quoted(), e.key().range(), v.range());
  }

  /** All names as a list, for messages. */
  default List<String> nameList() {
    return new ArrayList<>(names());
  }
}
