package dev.carbonlens.reference;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The curated reference tables bundled with CarbonLens: accelerators, cloud regions and countries, each row
 * with its source and year (see {@code dev/carbonlens/reference/SOURCES.md}). Immutable and thread-safe.
 */
public final class ReferenceData {

  /** Folder of the bundled tables on the class path. */
  public static final String RESOURCE_DIR = "dev/carbonlens/reference/";
  static final String ACCELERATORS_FILE = "accelerators.csv";
  static final String REGIONS_FILE = "regions.csv";
  static final String COUNTRIES_FILE = "countries.csv";

  static final List<String> ACCELERATOR_COLUMNS = List.of("id", "aliases", "vendor", "architecture",
      "release_year", "tdp_w", "idle_w", "fp32_tflops", "tf32_tflops", "fp16_tflops", "bf16_tflops",
      "fp8_tflops", "int8_tflops", "memory_gb", "tensor_cores", "embodied_kgco2e", "embodied_source",
      "spec_source", "spec_year");
  static final List<String> REGION_COLUMNS = List.of("provider", "region", "display_name", "country_iso2",
      "continent", "grid_intensity", "grid_source", "grid_source_ref", "grid_year", "pue", "pue_source",
      "pue_year", "aliases", "marginal_intensity", "marginal_source", "marginal_year", "gpus");
  /** {@code file#key}: a source file name and the key of the row or entry in it. */
  static final Pattern SOURCE_REF = Pattern.compile("^[A-Za-z0-9_.\\-]+#[A-Za-z0-9_.\\-]+$");
  /** Providers searched first when a region is looked up without a provider. */
  static final List<String> HYPERSCALERS = List.of("aws", "gcp", "azure");
  static final List<String> COUNTRY_COLUMNS = List.of("iso2", "iso3", "name", "continent", "grid_intensity",
      "source", "year");

  static final Set<String> CONTINENTS = Set.of("africa", "asia", "europe", "north-america", "oceania",
      "south-america");

  private static final SourcedValue AWS_PUE = new SourcedValue(1.135,
      "Cloud Carbon Footprint AwsFootprintEstimationConstants.ts PUE_AVG (Apache-2.0)", 2021);
  private static final SourcedValue GCP_PUE = new SourcedValue(1.1,
      "Cloud Carbon Footprint GcpFootprintEstimationConstants.ts PUE_AVG (Apache-2.0)", 2021);
  private static final SourcedValue AZURE_PUE = new SourcedValue(1.185,
      "Cloud Carbon Footprint AzureFootprintEstimationConstants.ts PUE_AVG (Apache-2.0)", 2021);
  private static final SourcedValue OVH_PUE = new SourcedValue(1.28,
      "OVHcloud global average PUE 1.28, as stated by OVHcloud at the launch of its carbon calculator"
          + " (channelnews.fr, 'OVHcloud lance une calculatrice carbone')", 2023);
  private static final SourcedValue SCALEWAY_PUE = new SourcedValue(1.4,
      "Scaleway environmental-leadership page: PUE range 1.15-1.40 across its data centres (upper end used)"
          + " (scaleway.com/en/environmental-leadership/)", 2022);
  private static final SourcedValue ON_PREM_PUE = new SourcedValue(1.56,
      "Uptime Institute Global Data Center Survey 2024 industry average"
          + " (via Green Algorithms defaults_PUE.csv; CC BY 4.0)", 2024);
  private static final SourcedValue WORLD_INTENSITY = new SourcedValue(475,
      "IEA Global Energy & CO2 Status Report 2019 world average"
          + " (Green Algorithms CI_aggregated.csv WORLD row; CC BY 4.0)", 2019);

  private static final Pattern COUNT_SUFFIX = Pattern.compile("\\s*:\\s*\\d+\\s*$");
  /** GCP zone: {@code us-central1-a} -> {@code us-central1}. */
  private static final Pattern GCP_ZONE = Pattern.compile("^([a-z]+-[a-z]+\\d+)-[a-z]$");
  /** AWS availability zone: {@code eu-west-1a} -> {@code eu-west-1} (also GovCloud-style names). */
  private static final Pattern AWS_ZONE = Pattern.compile("^([a-z]{2}(?:-gov)?-[a-z]+-\\d+)[a-z]$");

  private final List<AcceleratorSpec> accelerators;
  private final List<RegionSpec> regions;
  private final List<CountrySpec> countries;
  private final Map<String, AcceleratorSpec> acceleratorExact;
  private final Map<String, AcceleratorSpec> acceleratorNormalised;
  /** provider -> (lower-case spelling -> region). */
  private final Map<String, Map<String, RegionSpec>> regionExact;
  /** provider -> (compact spelling -> region). */
  private final Map<String, Map<String, RegionSpec>> regionCompact;
  private final Map<String, List<RegionSpec>> regionsByProvider;
  private final Map<String, CountrySpec> countryIndex;
  /** Instance types and models load on first use: most files never name either. */
  private ClassLoader catalogueLoader;
  private volatile InstanceCatalog instances;
  private volatile ModelCatalog models;

  private ReferenceData(List<AcceleratorSpec> accelerators, List<RegionSpec> regions, List<CountrySpec> countries,
      Map<String, AcceleratorSpec> acceleratorExact, Map<String, AcceleratorSpec> acceleratorNormalised,
      Map<String, Map<String, RegionSpec>> regionExact, Map<String, Map<String, RegionSpec>> regionCompact,
      Map<String, CountrySpec> countryIndex) {
    this.accelerators = List.copyOf(accelerators);
    this.regions = List.copyOf(regions);
    this.countries = List.copyOf(countries);
    this.acceleratorExact = Map.copyOf(acceleratorExact);
    this.acceleratorNormalised = Map.copyOf(acceleratorNormalised);
    this.regionExact = deepCopy(regionExact);
    this.regionCompact = deepCopy(regionCompact);
    this.countryIndex = Map.copyOf(countryIndex);
    Map<String, List<RegionSpec>> byProvider = new LinkedHashMap<>();
    for (RegionSpec r : this.regions) {
      byProvider.computeIfAbsent(r.provider(), k -> new ArrayList<>()).add(r);
    }
    Map<String, List<RegionSpec>> frozen = new LinkedHashMap<>();
    byProvider.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    this.regionsByProvider = Collections.unmodifiableMap(frozen);
  }

  private static <V> Map<String, Map<String, V>> deepCopy(Map<String, Map<String, V>> in) {
    Map<String, Map<String, V>> out = new HashMap<>();
    in.forEach((k, v) -> out.put(k, Map.copyOf(v)));
    return Map.copyOf(out);
  }

  // ---------------------------------------------------------------------------------------------- loading

  private static final class Holder {
    static final ReferenceData INSTANCE = load(ReferenceData.class.getClassLoader());
  }

  /** The bundled tables, loaded once on first use and cached. */
  public static ReferenceData builtIn() {
    return Holder.INSTANCE;
  }

  /**
   * Loads the three tables from {@value #RESOURCE_DIR} on the given class loader.
   *
   * @throws IllegalStateException naming file and line when a table is missing or a row is malformed
   */
  public static ReferenceData load(ClassLoader cl) {
    Objects.requireNonNull(cl, "class loader");
    List<Row> accRows = readTable(cl, ACCELERATORS_FILE, ACCELERATOR_COLUMNS);
    List<Row> regRows = readTable(cl, REGIONS_FILE, REGION_COLUMNS);
    List<Row> ctyRows = readTable(cl, COUNTRIES_FILE, COUNTRY_COLUMNS);

    List<AcceleratorSpec> accelerators = new ArrayList<>();
    Map<String, AcceleratorSpec> accExact = new HashMap<>();
    Map<String, AcceleratorSpec> accNorm = new HashMap<>();
    Map<String, Row> accExactOrigin = new HashMap<>();
    Map<String, Row> accNormOrigin = new HashMap<>();
    for (Row row : accRows) {
      AcceleratorSpec spec = parseAccelerator(row);
      accelerators.add(spec);
      List<String> spellings = new ArrayList<>();
      spellings.add(spec.id());
      spellings.addAll(spec.aliases());
      for (String s : spellings) {
        index(accExact, accExactOrigin, s.trim().toLowerCase(Locale.ROOT), spec, row, s);
        String n = normaliseAccelerator(s);
        if (n.isEmpty()) {
          throw row.fail("alias '" + s + "' is empty after normalisation");
        }
        index(accNorm, accNormOrigin, n, spec, row, s);
      }
    }

    List<RegionSpec> regions = new ArrayList<>();
    Map<String, Map<String, RegionSpec>> regExact = new HashMap<>();
    Map<String, Map<String, RegionSpec>> regCompact = new HashMap<>();
    Map<String, Row> regOrigin = new HashMap<>();
    for (Row row : regRows) {
      RegionSpec spec = parseRegion(row);
      regions.add(spec);
      List<String> spellings = new ArrayList<>();
      spellings.add(spec.id());
      spellings.addAll(spec.aliases());
      Map<String, RegionSpec> exact = regExact.computeIfAbsent(spec.provider(), k -> new HashMap<>());
      Map<String, RegionSpec> compact = regCompact.computeIfAbsent(spec.provider(), k -> new HashMap<>());
      for (String s : spellings) {
        index(exact, regOrigin, spec.provider() + "|" + s.trim().toLowerCase(Locale.ROOT),
            s.trim().toLowerCase(Locale.ROOT), spec, row, s);
        index(compact, regOrigin, spec.provider() + "#" + compactRegion(s), compactRegion(s), spec, row, s);
      }
    }

    List<CountrySpec> countries = new ArrayList<>();
    Map<String, CountrySpec> ctyIndex = new HashMap<>();
    Map<String, Row> ctyOrigin = new HashMap<>();
    for (Row row : ctyRows) {
      CountrySpec spec = parseCountry(row);
      countries.add(spec);
      index(ctyIndex, ctyOrigin, spec.iso2().toLowerCase(Locale.ROOT), spec, row, spec.iso2());
      index(ctyIndex, ctyOrigin, spec.iso3().toLowerCase(Locale.ROOT), spec, row, spec.iso3());
    }
    ReferenceData data = new ReferenceData(accelerators, regions, countries, accExact, accNorm, regExact, regCompact, ctyIndex);
    data.catalogueLoader = cl;
    return data;
  }

  private static <V> void index(Map<String, V> map, Map<String, Row> origin, String key, V value, Row row,
      String spelling) {
    index(map, origin, key, key, value, row, spelling);
  }

  /** Adds {@code mapKey -> value}; fails when the key already maps to another row. */
  private static <V> void index(Map<String, V> map, Map<String, Row> origin, String originKey, String mapKey,
      V value, Row row, String spelling) {
    V previous = map.putIfAbsent(mapKey, value);
    if (previous == null) {
      origin.put(originKey, row);
    } else if (previous != value) {
      Row first = origin.get(originKey);
      throw row.fail("id or alias '" + spelling + "' also names the row at line "
          + (first == null ? "?" : first.line));
    }
  }

  private static List<Row> readTable(ClassLoader cl, String file, List<String> columns) {
    String path = RESOURCE_DIR + file;
    InputStream in = cl.getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException(path + ": reference table not found on the class path");
    }
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return parseCsv(reader, file, columns);
    } catch (IOException e) {
      throw new IllegalStateException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  static List<Row> parseCsv(Reader reader, String file, List<String> columns) throws IOException {
    CsvMapper mapper = new CsvMapper();
    ObjectReader r = mapper.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY);
    List<Row> rows = new ArrayList<>();
    int line = 0;
    try (MappingIterator<String[]> it = r.readValues(reader)) {
      boolean header = true;
      while (true) {
        String[] cells;
        try {
          if (!it.hasNextValue()) {
            break;
          }
          cells = it.nextValue();
        } catch (RuntimeException | IOException e) {
          throw new IllegalStateException(file + ":" + (line + 1) + ": malformed CSV: " + e.getMessage(), e);
        }
        line++;
        for (String c : cells) {
          if (c != null && (c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0)) {
            throw new IllegalStateException(file + ":" + line + ": line break inside a field");
          }
        }
        if (header) {
          List<String> got = Arrays.stream(cells).map(s -> s == null ? "" : s.trim()).toList();
          if (!got.equals(columns)) {
            throw new IllegalStateException(file + ":" + line + ": expected header " + String.join(",", columns)
                + " but found " + String.join(",", got));
          }
          header = false;
          continue;
        }
        if (cells.length == 1 && (cells[0] == null || cells[0].isBlank())) {
          continue; // blank line
        }
        if (cells.length != columns.size()) {
          throw new IllegalStateException(file + ":" + line + ": expected " + columns.size() + " columns but found "
              + cells.length);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < cells.length; i++) {
          values.put(columns.get(i), cells[i] == null ? "" : cells[i].trim());
        }
        rows.add(new Row(file, line, values));
      }
    }
    if (rows.isEmpty() && line == 0) {
      throw new IllegalStateException(file + ":1: empty table (no header)");
    }
    return rows;
  }

  /** One data row with its file and 1-based line number, and typed accessors that fail loudly. */
  static final class Row {
    final String file;
    final int line;
    final Map<String, String> values;

    Row(String file, int line, Map<String, String> values) {
      this.file = file;
      this.line = line;
      this.values = values;
    }

    IllegalStateException fail(String message) {
      return new IllegalStateException(file + ":" + line + ": " + message);
    }

    String text(String column) {
      String v = values.get(column);
      if (v == null || v.isEmpty()) {
        throw fail("missing value for '" + column + "'");
      }
      return v;
    }

    String optionalText(String column) {
      String v = values.get(column);
      return v == null ? "" : v;
    }

    double number(String column) {
      Double d = optionalNumber(column);
      if (d == null) {
        throw fail("missing value for '" + column + "'");
      }
      return d;
    }

    Double optionalNumber(String column) {
      String v = values.get(column);
      if (v == null || v.isEmpty()) {
        return null;
      }
      try {
        double d = Double.parseDouble(v);
        if (!Double.isFinite(d) || d < 0) {
          throw fail("'" + column + "' must be a finite non-negative number but is '" + v + "'");
        }
        return d;
      } catch (NumberFormatException e) {
        throw fail("'" + column + "' is not a number: '" + v + "'");
      }
    }

    int year(String column) {
      String v = text(column);
      try {
        int y = Integer.parseInt(v);
        if (y < 1990 || y > 2100) {
          throw fail("'" + column + "' is not a plausible year: '" + v + "'");
        }
        return y;
      } catch (NumberFormatException e) {
        throw fail("'" + column + "' is not a year: '" + v + "'");
      }
    }

    boolean bool(String column) {
      String v = text(column).toLowerCase(Locale.ROOT);
      return switch (v) {
        case "true" -> true;
        case "false" -> false;
        default -> throw fail("'" + column + "' must be true or false but is '" + v + "'");
      };
    }

    List<String> list(String column) {
      String v = optionalText(column);
      if (v.isEmpty()) {
        return List.of();
      }
      Set<String> out = new LinkedHashSet<>();
      for (String part : v.split(";")) {
        String p = part.trim();
        if (p.isEmpty()) {
          throw fail("empty entry in '" + column + "'");
        }
        out.add(p);
      }
      return List.copyOf(out);
    }
  }

  private static AcceleratorSpec parseAccelerator(Row r) {
    double tdp = r.number("tdp_w");
    if (tdp <= 0) {
      throw r.fail("'tdp_w' must be positive");
    }
    double memory = r.number("memory_gb");
    if (memory <= 0) {
      throw r.fail("'memory_gb' must be positive");
    }
    return new AcceleratorSpec(r.text("id"), r.list("aliases"), r.text("vendor"), r.text("architecture"),
        r.year("release_year"), tdp, r.optionalNumber("idle_w"), r.optionalNumber("fp32_tflops"),
        r.optionalNumber("tf32_tflops"), r.optionalNumber("fp16_tflops"), r.optionalNumber("bf16_tflops"),
        r.optionalNumber("fp8_tflops"), r.optionalNumber("int8_tflops"), memory, r.bool("tensor_cores"),
        r.number("embodied_kgco2e"), r.text("embodied_source"), r.text("spec_source"), r.year("spec_year"));
  }

  private static RegionSpec parseRegion(Row r) {
    String provider = r.text("provider").toLowerCase(Locale.ROOT);
    String continent = r.text("continent");
    if (!CONTINENTS.contains(continent)) {
      throw r.fail("unknown continent '" + continent + "'");
    }
    String iso2 = r.text("country_iso2");
    if (!iso2.matches("[A-Z]{2}")) {
      throw r.fail("'country_iso2' must be two upper-case letters but is '" + iso2 + "'");
    }
    String ref = r.text("grid_source_ref");
    if (!SOURCE_REF.matcher(ref).matches()) {
      throw r.fail("'grid_source_ref' must be file#key but is '" + ref + "'");
    }
    Double marginal = r.optionalNumber("marginal_intensity");
    String marginalSource = r.optionalText("marginal_source");
    String marginalYearText = r.optionalText("marginal_year");
    Integer marginalYear = null;
    if (marginal == null) {
      if (!marginalSource.isEmpty() || !marginalYearText.isEmpty()) {
        throw r.fail("'marginal_source' / 'marginal_year' given without 'marginal_intensity'");
      }
      marginalSource = null;
    } else {
      if (marginalSource.isEmpty()) {
        throw r.fail("missing value for 'marginal_source'");
      }
      marginalYear = r.year("marginal_year");
    }
    String gpus = r.optionalText("gpus");
    Boolean offersGpus = switch (gpus) {
      case "" -> null;
      case "yes" -> Boolean.TRUE;
      case "no" -> Boolean.FALSE;
      default -> throw r.fail("'gpus' must be yes, no or empty but is '" + gpus + "'");
    };
    return new RegionSpec(provider, r.text("region"), r.text("display_name"), iso2, continent,
        r.number("grid_intensity"), r.text("grid_source"), r.year("grid_year"), r.number("pue"),
        r.text("pue_source"), r.year("pue_year"), r.list("aliases"), ref, marginal, marginalSource,
        marginalYear, offersGpus);
  }

  private static CountrySpec parseCountry(Row r) {
    String continent = r.text("continent");
    if (!CONTINENTS.contains(continent)) {
      throw r.fail("unknown continent '" + continent + "'");
    }
    String iso2 = r.text("iso2");
    String iso3 = r.text("iso3");
    if (!iso2.matches("[A-Z]{2}") || !iso3.matches("[A-Z]{3}")) {
      throw r.fail("bad ISO code(s) '" + iso2 + "' / '" + iso3 + "'");
    }
    return new CountrySpec(iso2, iso3, r.text("name"), continent, r.number("grid_intensity"), r.text("source"),
        r.year("year"));
  }

  // ---------------------------------------------------------------------------------------------- lookups

  /**
   * Finds an accelerator by id or alias: case-insensitive; a ":N" count suffix ({@code V100:8}) is ignored;
   * then by a normalised form that ignores '-', '_' and blanks and a leading "nvidia"/"tesla".
   */
  /** A cloud instance type (`p4d.24xlarge`, `ml.g5.2xlarge`, `Standard_ND96asr_v4`, `a3-highgpu-8g`). */
  public Optional<InstanceSpec> instance(String spelling) {
    return instanceCatalog().find(spelling);
  }

  public List<InstanceSpec> allInstances() {
    return instanceCatalog().all();
  }

  /** A model by hub id, alias, last path segment or local path ending in a hub id. */
  public Optional<ModelSpec> model(String spelling) {
    return modelCatalog().find(spelling);
  }

  public List<ModelSpec> allModels() {
    return modelCatalog().all();
  }

  private InstanceCatalog instanceCatalog() {
    InstanceCatalog loaded = instances;
    if (loaded == null) {
      synchronized (this) {
        if (instances == null) {
          instances = InstanceCatalog.load(catalogueLoader, id -> acceleratorExact.containsKey(id.toLowerCase(Locale.ROOT)));
        }
        loaded = instances;
      }
    }
    return loaded;
  }

  private ModelCatalog modelCatalog() {
    ModelCatalog loaded = models;
    if (loaded == null) {
      synchronized (this) {
        if (models == null) {
          models = ModelCatalog.load(catalogueLoader);
        }
        loaded = models;
      }
    }
    return loaded;
  }

  public Optional<AcceleratorSpec> accelerator(String spelling) {
    if (spelling == null) {
      return Optional.empty();
    }
    String s = COUNT_SUFFIX.matcher(spelling.trim()).replaceFirst("").trim();
    if (s.isEmpty()) {
      return Optional.empty();
    }
    AcceleratorSpec exact = acceleratorExact.get(s.toLowerCase(Locale.ROOT));
    if (exact != null) {
      return Optional.of(exact);
    }
    String n = normaliseAccelerator(s);
    return n.isEmpty() ? Optional.empty() : Optional.ofNullable(acceleratorNormalised.get(n));
  }

  static String normaliseAccelerator(String s) {
    String n = s.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]+", "");
    boolean changed = true;
    while (changed) {
      changed = false;
      for (String prefix : List.of("nvidia", "tesla")) {
        if (n.startsWith(prefix) && n.length() > prefix.length()) {
          n = n.substring(prefix.length());
          changed = true;
        }
      }
    }
    return n;
  }

  static String compactRegion(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-()]+", "");
  }

  /**
   * Finds a cloud region by id or alias (case-insensitive, then ignoring blanks, '-', '_' and parentheses),
   * then by zone ({@code us-central1-a} for GCP, {@code eu-west-1a} for AWS). With a {@code null} provider
   * every provider is searched and a result is returned only if it is unambiguous; at each step AWS, GCP and
   * Azure are searched before the other providers, so {@code us-east-1} is AWS's region even though Lambda
   * names a region the same way.
   */
  public Optional<RegionSpec> region(String provider, String spelling) {
    if (spelling == null || spelling.isBlank()) {
      return Optional.empty();
    }
    List<List<String>> tiers;
    if (provider == null || provider.isBlank()) {
      List<String> first = new ArrayList<>();
      List<String> rest = new ArrayList<>();
      for (String p : regionsByProvider.keySet()) {
        (HYPERSCALERS.contains(p) ? first : rest).add(p);
      }
      tiers = List.of(first, rest);
    } else {
      String p = canonicalProvider(provider);
      if (!regionExact.containsKey(p)) {
        return Optional.empty();
      }
      tiers = List.of(List.of(p));
    }
    String s = spelling.trim();
    String lower = s.toLowerCase(Locale.ROOT);
    for (List<String> providers : tiers) {
      Optional<RegionSpec> found = unique(providers, p -> regionExact.get(p).get(lower));
      if (found != null) {
        return found;
      }
    }
    String compact = compactRegion(s);
    for (List<String> providers : tiers) {
      Optional<RegionSpec> found = unique(providers, p -> regionCompact.get(p).get(compact));
      if (found != null) {
        return found;
      }
    }
    List<String> providers = tiers.stream().flatMap(List::stream).toList();
    Optional<RegionSpec> found;
    Matcher gcpZone = GCP_ZONE.matcher(lower);
    Matcher awsZone = AWS_ZONE.matcher(lower);
    String gcpRegion = gcpZone.matches() ? gcpZone.group(1) : null;
    String awsRegion = awsZone.matches() ? awsZone.group(1) : null;
    found = unique(providers, p -> switch (p) {
      case "gcp" -> gcpRegion == null ? null : regionExact.get(p).get(gcpRegion);
      case "aws" -> awsRegion == null ? null : regionExact.get(p).get(awsRegion);
      default -> null;
    });
    return found == null ? Optional.empty() : found;
  }

  /** null: nothing matched; empty: ambiguous across providers; otherwise the one match. */
  private static Optional<RegionSpec> unique(List<String> providers,
      java.util.function.Function<String, RegionSpec> lookup) {
    Set<RegionSpec> hits = new LinkedHashSet<>();
    for (String p : providers) {
      RegionSpec r = lookup.apply(p);
      if (r != null) {
        hits.add(r);
      }
    }
    if (hits.isEmpty()) {
      return null;
    }
    return hits.size() == 1 ? Optional.of(hits.iterator().next()) : Optional.empty();
  }

  static String canonicalProvider(String provider) {
    String p = provider.trim().toLowerCase(Locale.ROOT);
    return switch (p) {
      case "google", "google-cloud", "googlecloud", "gce", "gcloud" -> "gcp";
      case "amazon", "amazon-web-services", "ec2" -> "aws";
      case "microsoft", "microsoft-azure", "az" -> "azure";
      case "ovhcloud", "ovh-cloud" -> "ovh";
      case "lambdalabs", "lambda-labs", "lambda-cloud", "lambdacloud" -> "lambda";
      case "scw" -> "scaleway";
      default -> p;
    };
  }

  /** All regions of one provider, in file order (empty for an unknown provider). */
  public List<RegionSpec> regions(String provider) {
    if (provider == null) {
      return List.of();
    }
    return regionsByProvider.getOrDefault(canonicalProvider(provider), List.of());
  }

  public List<RegionSpec> allRegions() {
    return regions;
  }

  public List<AcceleratorSpec> allAccelerators() {
    return accelerators;
  }

  /** A country by ISO 3166-1 alpha-2 or alpha-3 code, case-insensitive. */
  public Optional<CountrySpec> country(String iso2OrIso3) {
    if (iso2OrIso3 == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(countryIndex.get(iso2OrIso3.trim().toLowerCase(Locale.ROOT)));
  }

  public List<CountrySpec> allCountries() {
    return countries;
  }

  /**
   * Provider-wide PUE: aws, gcp and azure from Cloud Carbon Footprint; ovh and scaleway from the providers'
   * own published figures; anything else (CoreWeave and Lambda publish none) gets {@link #onPremPue()}.
   */
  public SourcedValue providerPue(String provider) {
    if (provider == null) {
      return ON_PREM_PUE;
    }
    return switch (canonicalProvider(provider)) {
      case "aws" -> AWS_PUE;
      case "gcp" -> GCP_PUE;
      case "azure" -> AZURE_PUE;
      case "ovh" -> OVH_PUE;
      case "scaleway" -> SCALEWAY_PUE;
      default -> ON_PREM_PUE;
    };
  }

  /** Industry-average PUE for on-premises / unknown data centres: 1.56 (Uptime Institute 2024). */
  public SourcedValue onPremPue() {
    return ON_PREM_PUE;
  }

  /** World-average grid intensity, 475 gCO2e/kWh (IEA 2019, as used by Green Algorithms and carbontracker). */
  public SourcedValue worldAverageIntensity() {
    return WORLD_INTENSITY;
  }
}
