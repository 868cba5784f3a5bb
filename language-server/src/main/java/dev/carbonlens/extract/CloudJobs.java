package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.model.AcceleratorChoice;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.RegionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.RegionSpec;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the managed-training formats (SageMaker, Vertex AI, Azure ML) share: instance types read as
 * accelerators, time limits written as seconds or durations, regions hidden in endpoints and URIs,
 * environment lists, and schedules.
 */
final class CloudJobs {
  private CloudJobs() {}

  static final MappingNode EMPTY = new MappingNode(List.of(), SourceRange.NONE);

  /** An accelerator and how many of them one node (instance, replica) holds. */
  record Hardware(AcceleratorSpec spec, String written, int perNode, SourceRange range) {}

  /** A scalar with the range of the key/value (or list item) that holds it. */
  record Located(String text, SourceRange range) {}

  /** `ml.p4d.24xlarge` → 8 x A100; a fractional GPU counts as one device. Empty for CPU instances. */
  static Optional<Hardware> instance(ReferenceData reference, String type, SourceRange range) {
    if (type == null || type.isBlank()) {
      return Optional.empty();
    }
    String t = type.trim();
    return reference.instance(t).flatMap(instance -> reference.accelerator(instance.acceleratorId()).map(spec ->
        new Hardware(spec, t + " (" + Figures.format(instance.acceleratorCount()) + " x " + spec.id() + ")",
            (int) Math.max(1, Math.round(instance.acceleratorCount())), range)));
  }

  /** Sets accelerator and device count (per node x nodes) from hardware read elsewhere. */
  static void hardware(Run.Builder run, Hardware hw, long nodes, String nodesHow) {
    run.accelerator(new AcceleratorChoice(hw.spec(), hw.written(), hw.range()));
    String how = hw.perNode() + " per node (" + hw.written() + ")" + (nodes > 1 ? " x " + nodes + " " + nodesHow : "");
    DeviceCount.of(hw.perNode(), Math.max(1, nodes), how, hw.range()).ifPresent(run::devices);
  }

  /** The entry's range when the value is a scalar on the key's line, i.e. key through value. */
  static SourceRange range(Entry e) {
    return e.range();
  }

  static Optional<Entry> entry(MappingNode m, String... keys) {
    return Keys.scalarEntry(m, keys);
  }

  static String text(Entry e) {
    return e.value() instanceof ScalarNode s ? s.text().trim() : "";
  }

  static Long longOf(Entry e) {
    if (!(e.value() instanceof ScalarNode s)) {
      return null;
    }
    var v = s.asLong();
    return v.isPresent() ? v.getAsLong() : null;
  }

  /** First mapping under any of `keys` (camelCase and snake_case spellings). */
  static MappingNode mapping(MappingNode m, String... keys) {
    for (String k : keys) {
      Optional<MappingNode> found = m.mapping(k);
      if (found.isPresent()) {
        return found.get();
      }
    }
    return EMPTY;
  }

  static Optional<SequenceNode> sequence(MappingNode m, String... keys) {
    for (String k : keys) {
      Optional<SequenceNode> found = m.sequence(k);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  static Optional<Entry> anyEntry(MappingNode m, String... keys) {
    for (String k : keys) {
      Optional<Entry> e = m.entry(k);
      if (e.isPresent()) {
        return e;
      }
    }
    return Optional.empty();
  }

  /** The first written key of a mapping: where facts left to defaults point. */
  static SourceRange firstKey(MappingNode m) {
    return m.entries().stream().filter(e -> !e.inherited()).findFirst()
        .or(() -> m.entries().stream().findFirst())
        .map(e -> e.key().range()).orElse(m.range());
  }

  private static final Pattern DURATION = Pattern.compile(
      "(?i)^\\s*(\\d+(?:\\.\\d+)?)\\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)?\\s*$");
  private static final Pattern ISO_DURATION = Pattern.compile(
      "(?i)^P(?:(\\d+(?:\\.\\d+)?)D)?(?:T(?:(\\d+(?:\\.\\d+)?)H)?(?:(\\d+(?:\\.\\d+)?)M)?(?:(\\d+(?:\\.\\d+)?)S)?)?$");
  private static final Pattern CLOCK = Pattern.compile("^(\\d+):(\\d{1,2}):(\\d{1,2})$");

  /**
   * A time limit in hours: a number in `defaultUnitSeconds` units, a protobuf duration (`86400s`), a
   * suffixed value (`2h`, `30m`), an ISO 8601 duration (`PT2H`) or `hh:mm:ss`. Null when unreadable or zero.
   */
  static Double hours(String text, double defaultUnitSeconds) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    Matcher m = DURATION.matcher(t);
    Double seconds = null;
    if (m.matches()) {
      double v = Double.parseDouble(m.group(1));
      String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
      double scale = unit.isEmpty() ? defaultUnitSeconds
          : unit.startsWith("s") ? 1 : unit.startsWith("m") ? 60 : unit.startsWith("h") ? 3600 : 86400;
      seconds = v * scale;
    } else if (ISO_DURATION.matcher(t).matches() && t.length() > 1) {
      Matcher iso = ISO_DURATION.matcher(t);
      iso.matches();
      double[] scale = {86400, 3600, 60, 1};
      double total = 0;
      for (int i = 0; i < 4; i++) {
        if (iso.group(i + 1) != null) {
          total += Double.parseDouble(iso.group(i + 1)) * scale[i];
        }
      }
      seconds = total;
    } else {
      Matcher clock = CLOCK.matcher(t);
      if (clock.matches()) {
        seconds = Integer.parseInt(clock.group(1)) * 3600.0 + Integer.parseInt(clock.group(2)) * 60.0
            + Integer.parseInt(clock.group(3));
      }
    }
    return seconds == null || seconds <= 0 || seconds.isInfinite() ? null : seconds / 3600.0;
  }

  /** Every scalar under `node` with the range of the entry (or item) holding it, each node once. */
  static List<Located> scalars(DocNode node) {
    List<Located> out = new ArrayList<>();
    walk(node, null, new IdentityHashMap<>(), (text, range) -> out.add(new Located(text, range)));
    return out;
  }

  private static void walk(DocNode node, SourceRange holder, Map<DocNode, Boolean> seen,
      BiConsumer<String, SourceRange> visit) {
    if (seen.put(node, Boolean.TRUE) != null) {
      return;
    }
    if (node instanceof ScalarNode s) {
      if (!s.isNull()) {
        visit.accept(s.text(), holder == null ? s.range() : holder);
      }
    } else if (node instanceof MappingNode m) {
      for (Entry e : m.entries()) {
        walk(e.value(), e.value() instanceof ScalarNode ? e.range() : null, seen, visit);
      }
    } else if (node instanceof SequenceNode seq) {
      for (DocNode item : seq.items()) {
        walk(item, null, seen, visit);
      }
    }
  }

  /** The first region a pattern finds in any scalar of the tree (group 1 of the pattern), resolved for `provider`. */
  static Optional<RegionChoice> regionIn(DocNode root, List<Pattern> patterns, String provider, ReferenceData reference) {
    List<Located> all = scalars(root);
    for (Pattern p : patterns) {
      for (Located l : all) {
        Matcher m = p.matcher(l.text());
        if (m.find()) {
          String written = m.group(1);
          Optional<RegionChoice> found = reference.region(provider, written)
              .map(spec -> new RegionChoice(spec, written, l.range()));
          if (found.isPresent()) {
            return found;
          }
        }
      }
    }
    return Optional.empty();
  }

  /** A region key of `mapping` (`region`, `location`, a zone) resolved for the provider. */
  static Optional<RegionChoice> regionKey(MappingNode mapping, String provider, ReferenceData reference, String... keys) {
    for (String key : keys) {
      Optional<Entry> e = Keys.scalarEntry(mapping, key);
      if (e.isPresent()) {
        String written = text(e.get());
        Optional<RegionChoice> found = region(reference, provider, written)
            .map(spec -> new RegionChoice(spec, written, e.get().range()));
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A region by id, alias or zone, then by the provider's display name (`Iowa`, `Belgium` for GCP, whose
   * display names are not aliases in the table), when exactly one region carries it.
   */
  static Optional<RegionSpec> region(ReferenceData reference, String provider, String written) {
    Optional<RegionSpec> found = reference.region(provider, written);
    if (found.isPresent() || provider == null || written == null) {
      return found;
    }
    String compact = written.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-(),.]+", "");
    if (compact.isEmpty()) {
      return Optional.empty();
    }
    List<RegionSpec> named = reference.regions(provider).stream()
        .filter(r -> r.displayName() != null
            && r.displayName().toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-(),.]+", "").equals(compact))
        .toList();
    return named.size() == 1 ? Optional.of(named.get(0)) : Optional.empty();
  }

  /** Strips one pair of quotes a value carries inside its text (the SageMaker SDK JSON-encodes hyperparameters). */
  static String unquote(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    if (t.length() >= 2 && ((t.startsWith("\"") && t.endsWith("\"")) || (t.startsWith("'") && t.endsWith("'")))) {
      return t.substring(1, t.length() - 1);
    }
    return text;
  }

  /** The scalar entries of a mapping, with quotes inside values removed: `"\"bert-base\""` reads as bert-base. */
  static Settings unquoted(MappingNode mapping) {
    Map<String, Setting> out = new LinkedHashMap<>();
    for (Entry e : mapping.entries()) {
      if (e.value() instanceof ScalarNode v) {
        out.putIfAbsent(e.name(), new Setting(e.name(), v.value() == null ? null : unquote(v.value()), v.quoted(),
            e.key().range(), v.range()));
      }
    }
    return Settings.of(out);
  }

  /** An environment written as a list of `{name, value}` (Kubernetes style) or as a mapping. */
  static Settings env(DocNode node) {
    if (node instanceof MappingNode m) {
      return Settings.of(m);
    }
    Map<String, Setting> out = new LinkedHashMap<>();
    if (node instanceof SequenceNode seq) {
      for (DocNode item : seq.items()) {
        if (item instanceof MappingNode m) {
          Optional<Entry> name = Keys.scalarEntry(m, "name", "Name");
          Optional<Entry> value = m.entry("value").or(() -> m.entry("Value"));
          if (name.isPresent() && value.isPresent() && value.get().value() instanceof ScalarNode v) {
            String n = text(name.get());
            out.putIfAbsent(n, new Setting(n, v.value(), v.quoted(), name.get().range(), v.range()));
          }
        }
      }
    }
    return Settings.of(out);
  }

  /** Environment variable names that carry a model id. */
  static final List<String> MODEL_ENV = List.of("HF_MODEL_ID", "MODEL_ID", "MODEL_NAME", "MODEL", "BASE_MODEL",
      "HF_MODEL", "MODEL_NAME_OR_PATH", "PRETRAINED_MODEL");

  /** Lower-case text of a scalar entry, "" when absent. */
  static String lower(MappingNode m, String... keys) {
    return Keys.text(m, keys).map(t -> t.trim().toLowerCase(Locale.ROOT)).orElse("");
  }
}
