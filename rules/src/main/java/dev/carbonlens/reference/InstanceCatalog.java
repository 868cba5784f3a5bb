package dev.carbonlens.reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The bundled table of cloud instance types with fixed accelerators ({@code instances.csv}; sources in
 * {@code SOURCES.md}). Lookups are exact (no fuzzy matching) and case-insensitive; a SageMaker {@code ml.}
 * prefix and an Azure {@code Standard_} prefix are ignored. Immutable and thread-safe.
 *
 * <p>GCP N1 machines with attached GPUs have no fixed instance type and are not in the table.
 */
public final class InstanceCatalog {

  static final String INSTANCES_FILE = "instances.csv";
  static final List<String> INSTANCE_COLUMNS = List.of("provider", "instance_type", "accelerator",
      "accelerator_count", "vcpus", "memory_gb", "aliases", "source", "year");
  static final Set<String> PROVIDERS = Set.of("aws", "gcp", "azure");

  private static final String SAGEMAKER_PREFIX = "ml.";
  private static final String AZURE_PREFIX = "standard_";

  private final List<InstanceSpec> instances;
  private final Map<String, InstanceSpec> index;

  private InstanceCatalog(List<InstanceSpec> instances, Map<String, InstanceSpec> index) {
    this.instances = List.copyOf(instances);
    this.index = Map.copyOf(index);
  }

  /**
   * Loads the table and checks every accelerator id against the accelerator table that
   * {@link ReferenceData#load(ClassLoader)} reads from the same class loader. Code that builds
   * {@link ReferenceData} itself must call {@link #load(ClassLoader, Predicate)} instead.
   *
   * @throws IllegalStateException naming file and line when the table is missing or a row is malformed
   */
  public static InstanceCatalog load(ClassLoader cl) {
    Objects.requireNonNull(cl, "class loader");
    Set<String> ids = new HashSet<>();
    for (AcceleratorSpec a : ReferenceData.load(cl).allAccelerators()) {
      ids.add(a.id());
    }
    return load(cl, ids::contains);
  }

  /**
   * Loads {@code instances.csv} from {@value ReferenceData#RESOURCE_DIR} on the given class loader.
   *
   * @param acceleratorExists true for every id of the accelerator table (exact id, not alias)
   * @throws IllegalStateException naming file and line when the table is missing, a row is malformed, a
   *     source or year is missing, a name or alias is used twice, or an accelerator id is unknown
   */
  public static InstanceCatalog load(ClassLoader cl, Predicate<String> acceleratorExists) {
    Objects.requireNonNull(cl, "class loader");
    Objects.requireNonNull(acceleratorExists, "acceleratorExists");
    String path = ReferenceData.RESOURCE_DIR + INSTANCES_FILE;
    InputStream in = cl.getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException(path + ": reference table not found on the class path");
    }
    List<ReferenceData.Row> rows;
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      rows = ReferenceData.parseCsv(reader, INSTANCES_FILE, INSTANCE_COLUMNS);
    } catch (IOException e) {
      throw new IllegalStateException(INSTANCES_FILE + ": cannot read: " + e.getMessage(), e);
    }
    return build(rows, acceleratorExists);
  }

  /** Parses an instance table from a reader (for tests of the validation). */
  static InstanceCatalog parse(Reader reader, Predicate<String> acceleratorExists) throws IOException {
    return build(ReferenceData.parseCsv(reader, INSTANCES_FILE, INSTANCE_COLUMNS), acceleratorExists);
  }

  private static InstanceCatalog build(List<ReferenceData.Row> rows, Predicate<String> acceleratorExists) {
    List<InstanceSpec> specs = new ArrayList<>();
    Map<String, InstanceSpec> index = new HashMap<>();
    Map<String, ReferenceData.Row> origin = new HashMap<>();
    for (ReferenceData.Row row : rows) {
      InstanceSpec spec = parseInstance(row, acceleratorExists);
      specs.add(spec);
      List<String> spellings = new ArrayList<>();
      spellings.add(spec.instanceType());
      spellings.addAll(spec.aliases());
      for (String s : spellings) {
        String key = normalise(s);
        if (key.isEmpty()) {
          throw row.fail("name or alias '" + s + "' is empty after removing its prefix");
        }
        InstanceSpec previous = index.putIfAbsent(key, spec);
        if (previous == null) {
          origin.put(key, row);
        } else if (previous != spec) {
          ReferenceData.Row first = origin.get(key);
          throw row.fail("instance type or alias '" + s + "' also names the row at line "
              + (first == null ? "?" : first.line));
        }
      }
    }
    return new InstanceCatalog(specs, index);
  }

  private static InstanceSpec parseInstance(ReferenceData.Row r, Predicate<String> acceleratorExists) {
    String provider = r.text("provider");
    if (!PROVIDERS.contains(provider)) {
      throw r.fail("'provider' must be one of aws, gcp, azure but is '" + provider + "'");
    }
    String type = r.text("instance_type");
    if (!type.equals(type.trim()) || type.chars().anyMatch(Character::isWhitespace)) {
      throw r.fail("'instance_type' must not contain blanks: '" + type + "'");
    }
    String accelerator = r.text("accelerator");
    if (!acceleratorExists.test(accelerator)) {
      throw r.fail("unknown accelerator id '" + accelerator + "' (not an id in accelerators.csv)");
    }
    double count = r.number("accelerator_count");
    if (count <= 0) {
      throw r.fail("'accelerator_count' must be positive");
    }
    Double vcpuValue = r.optionalNumber("vcpus");
    Integer vcpus = null;
    if (vcpuValue != null) {
      if (vcpuValue < 1 || vcpuValue != Math.rint(vcpuValue)) {
        throw r.fail("'vcpus' must be a positive whole number but is '" + r.values.get("vcpus") + "'");
      }
      vcpus = (int) Math.rint(vcpuValue);
    }
    Double memory = r.optionalNumber("memory_gb");
    if (memory != null && memory <= 0) {
      throw r.fail("'memory_gb' must be positive");
    }
    return new InstanceSpec(provider, type, accelerator, count, vcpus, memory, r.list("aliases"),
        r.text("source"), r.year("year"));
  }

  /** Lower case, trimmed, without a leading {@code ml.} (SageMaker) or {@code Standard_} (Azure). */
  static String normalise(String spelling) {
    String s = spelling.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith(SAGEMAKER_PREFIX)) {
      s = s.substring(SAGEMAKER_PREFIX.length());
    } else if (s.startsWith(AZURE_PREFIX)) {
      s = s.substring(AZURE_PREFIX.length());
    }
    return s.trim();
  }

  /**
   * Finds an instance type by its name or an alias: case-insensitive, ignoring a SageMaker {@code ml.} prefix
   * ({@code ml.p3.16xlarge}) and an Azure {@code Standard_} prefix ({@code standard_nc24s_v3} and
   * {@code NC24s_v3} both name {@code Standard_NC24s_v3}). No fuzzy matching.
   */
  public Optional<InstanceSpec> find(String spelling) {
    if (spelling == null || spelling.isBlank()) {
      return Optional.empty();
    }
    String key = normalise(spelling);
    return key.isEmpty() ? Optional.empty() : Optional.ofNullable(index.get(key));
  }

  /** All rows in file order. */
  public List<InstanceSpec> all() {
    return instances;
  }
}
