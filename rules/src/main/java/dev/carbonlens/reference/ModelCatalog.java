package dev.carbonlens.reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The model catalogue bundled with CarbonLens ({@code dev/carbonlens/reference/models.csv}): parameter counts
 * of the models people train and fine-tune, each row with its source and year (see {@code SOURCES.md}; rows
 * whose source is EcoLogits are covered by MPL-2.0). Immutable and thread-safe.
 *
 * <p>Lookups ({@link #find(String)}) are case-insensitive and accept a hub id ({@code meta-llama/Llama-2-70b-hf}),
 * an alias ({@code bert-base-uncased}, {@code gpt-3}), the last segment of a hub id alone ({@code Llama-2-70b-hf})
 * or a local path that ends with a hub id or its last segment ({@code checkpoints/meta-llama/Meta-Llama-3.1-8B}).
 */
public final class ModelCatalog {

  static final String MODELS_FILE = "models.csv";
  static final List<String> COLUMNS = List.of("id", "aliases", "architecture", "total_parameters_b",
      "active_parameters_b", "source", "year");
  static final Set<String> ARCHITECTURES = Set.of("dense", "moe");

  private final List<ModelSpec> models;
  /** lower-case id or alias -> model. */
  private final Map<String, ModelSpec> exact;
  /**
   * lower-case last path segment of an id or alias -> model; a segment shared by rows with different parameter
   * counts maps to nothing (ambiguous), one shared by rows with the same counts maps to the first row in the file.
   */
  private final Map<String, ModelSpec> lastSegment;

  private ModelCatalog(List<ModelSpec> models, Map<String, ModelSpec> exact, Map<String, ModelSpec> lastSegment) {
    this.models = List.copyOf(models);
    this.exact = Map.copyOf(exact);
    this.lastSegment = Map.copyOf(lastSegment);
  }

  private static final class Holder {
    static final ModelCatalog INSTANCE = load(ModelCatalog.class.getClassLoader());
  }

  /** The bundled catalogue, loaded once on first use and cached. */
  public static ModelCatalog builtIn() {
    return Holder.INSTANCE;
  }

  /**
   * Loads {@value ReferenceData#RESOURCE_DIR}{@value #MODELS_FILE} from the given class loader.
   *
   * @throws IllegalStateException naming file and line when the table is missing or a row is malformed: a
   *     missing source or year, a bad number, active parameters above the total, a dense row whose active count
   *     differs from its total, an unknown architecture, or an id/alias that names two rows
   */
  public static ModelCatalog load(ClassLoader cl) {
    Objects.requireNonNull(cl, "class loader");
    String path = ReferenceData.RESOURCE_DIR + MODELS_FILE;
    InputStream in = cl.getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException(path + ": model catalogue not found on the class path");
    }
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return parse(reader, MODELS_FILE);
    } catch (IOException e) {
      throw new IllegalStateException(MODELS_FILE + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Parses a catalogue in the {@code models.csv} format; {@code file} names it in error messages. */
  static ModelCatalog parse(Reader reader, String file) throws IOException {
    List<ReferenceData.Row> rows = ReferenceData.parseCsv(reader, file, COLUMNS);
    List<ModelSpec> models = new ArrayList<>();
    Map<String, ModelSpec> exact = new HashMap<>();
    Map<String, ReferenceData.Row> origin = new HashMap<>();
    Map<String, List<ModelSpec>> segments = new LinkedHashMap<>();
    for (ReferenceData.Row row : rows) {
      ModelSpec spec = parseRow(row);
      models.add(spec);
      List<String> spellings = new ArrayList<>();
      spellings.add(spec.id());
      spellings.addAll(spec.aliases());
      for (String s : spellings) {
        String key = s.toLowerCase(Locale.ROOT);
        ModelSpec previous = exact.putIfAbsent(key, spec);
        if (previous == null) {
          origin.put(key, row);
        } else if (previous != spec) {
          throw row.fail("id or alias '" + s + "' also names the row at line " + origin.get(key).line);
        }
        List<ModelSpec> bucket = segments.computeIfAbsent(lastSegmentOf(key), k -> new ArrayList<>());
        if (!bucket.contains(spec)) {
          bucket.add(spec);
        }
      }
    }
    Map<String, ModelSpec> lastSegment = new HashMap<>();
    segments.forEach((segment, specs) -> {
      ModelSpec first = specs.get(0);
      boolean sameCounts = specs.stream().allMatch(m -> m.totalParametersB() == first.totalParametersB()
          && m.activeParametersB() == first.activeParametersB());
      if (sameCounts) {
        lastSegment.put(segment, first);
      }
    });
    return new ModelCatalog(models, exact, lastSegment);
  }

  private static ModelSpec parseRow(ReferenceData.Row r) {
    String id = r.text("id");
    if (id.chars().anyMatch(Character::isWhitespace) || id.startsWith("/") || id.endsWith("/")) {
      throw r.fail("'id' must be a hub id or short name without blanks or leading/trailing '/': '" + id + "'");
    }
    String architecture = r.text("architecture").toLowerCase(Locale.ROOT);
    if (!ARCHITECTURES.contains(architecture)) {
      throw r.fail("'architecture' must be dense or moe but is '" + architecture + "'");
    }
    double total = r.number("total_parameters_b");
    double active = r.number("active_parameters_b");
    if (total <= 0 || active <= 0) {
      throw r.fail("parameter counts must be positive");
    }
    if (active > total) {
      throw r.fail("active parameters " + active + " exceed total parameters " + total);
    }
    if (architecture.equals("dense") && active != total) {
      throw r.fail("dense model: active parameters " + active + " must equal total parameters " + total);
    }
    if (architecture.equals("moe") && active == total) {
      throw r.fail("moe model: active parameters must be below total parameters " + total);
    }
    List<String> aliases = r.list("aliases");
    for (String a : aliases) {
      if (a.chars().anyMatch(Character::isWhitespace)) {
        throw r.fail("alias '" + a + "' contains a blank");
      }
    }
    return new ModelSpec(id, aliases, architecture, total, active, r.text("source"), r.year("year"));
  }

  private static String lastSegmentOf(String lowerSpelling) {
    int slash = lowerSpelling.lastIndexOf('/');
    return slash >= 0 ? lowerSpelling.substring(slash + 1) : lowerSpelling;
  }

  /**
   * Strips what surrounds a model name in a config: blanks, quotes, backslashes (Windows paths), trailing
   * {@code /}, and a revision ({@code @main}, {@code @v1.0}) after the last path segment.
   */
  static String clean(String spelling) {
    String s = spelling.trim().replace('\\', '/');
    if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
      s = s.substring(1, s.length() - 1).trim();
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    int at = s.lastIndexOf('@');
    if (at >= 0 && at > s.lastIndexOf('/')) {
      s = s.substring(0, at);
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.toLowerCase(Locale.ROOT);
  }

  /**
   * Finds a model, case-insensitively: by exact id, then by alias, then by the hub id at the end of a path
   * ({@code /data/ckpt/meta-llama/Llama-2-7b-hf}), then by the last path segment ({@code Llama-2-70b-hf}).
   * A trailing {@code /} and a revision ({@code @main}) are ignored. A last segment shared by rows with
   * different parameter counts finds nothing.
   */
  public Optional<ModelSpec> find(String spelling) {
    if (spelling == null) {
      return Optional.empty();
    }
    String s = clean(spelling);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    ModelSpec hit = exact.get(s);
    if (hit != null) {
      return Optional.of(hit);
    }
    String[] parts = s.split("/");
    if (parts.length > 2) {
      hit = exact.get(parts[parts.length - 2] + "/" + parts[parts.length - 1]);
      if (hit != null) {
        return Optional.of(hit);
      }
    }
    String last = parts[parts.length - 1];
    if (last.isEmpty()) {
      return Optional.empty();
    }
    if (parts.length > 1) {
      hit = exact.get(last);
      if (hit != null) {
        return Optional.of(hit);
      }
    }
    return Optional.ofNullable(lastSegment.get(last));
  }

  /** Every model, in file order. */
  public List<ModelSpec> all() {
    return models;
  }
}
