package dev.carbonlens.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the public source files under {@code shared/reference} (found by walking up from the working directory)
 * and resolves a {@code file#key} reference to the figure it names, in gCO2e/kWh, with its data year where the
 * file gives one. Test helper for {@link RegionSourcesTest} and {@link CountrySourcesTest}.
 */
final class SourceFiles {

  /** A figure read from a source file; {@code year} is null where the file states none. */
  record Figure(double gramsPerKwh, Integer year, String where) {}

  private static final Pattern DATA_FROM = Pattern.compile("data from (\\d{4})");
  private static final Pattern GCP_YEARLY = Pattern.compile("^gcp_(\\d{4})\\.csv$");

  private final Path dir;
  private final Map<String, Object> cache = new HashMap<>();

  private SourceFiles(Path dir) {
    this.dir = dir;
  }

  /** The {@code shared/reference} folder above the working directory, if there is one. */
  static Optional<SourceFiles> find() {
    Path p = Paths.get("").toAbsolutePath();
    while (p != null) {
      Path candidate = p.resolve("shared").resolve("reference");
      if (Files.isDirectory(candidate)) {
        return Optional.of(new SourceFiles(candidate));
      }
      p = p.getParent();
    }
    return Optional.empty();
  }

  Path dir() {
    return dir;
  }

  /**
   * Resolves {@code file#key}. Supported files: {@code gcp_YYYY.csv} (Google region-carbon-info, g/kWh, year
   * from the file name), {@code cc_global_energy_mix.json} (CodeCarbon / OWID, g/kWh, year per country),
   * {@code ga_CI_aggregated.csv} (Green Algorithms, g/kWh, year from "data from YYYY" in its source column),
   * {@code ccfcoef_grid-emissions-factors-*.csv} (Cloud Carbon Footprint, metric t/kWh converted exactly to
   * g/kWh by moving the decimal point 6 places; no year).
   *
   * @throws AssertionError when the file is unsupported or the key is not in it (or is not unique)
   */
  Figure resolve(String ref) {
    int hash = ref.indexOf('#');
    if (hash <= 0 || hash == ref.length() - 1) {
      throw new AssertionError("not a file#key reference: " + ref);
    }
    String file = ref.substring(0, hash);
    String key = ref.substring(hash + 1);
    Matcher gcp = GCP_YEARLY.matcher(file);
    if (gcp.matches()) {
      String v = unique(csv(file, 0), "Google Cloud Region", key, ref).get("Grid carbon intensity (gCO2eq / kWh)");
      return new Figure(Double.parseDouble(v), Integer.parseInt(gcp.group(1)), ref);
    }
    if (file.equals("cc_global_energy_mix.json")) {
      JsonNode entry = json(file).get(key);
      if (entry == null || !entry.hasNonNull("carbon_intensity")) {
        throw new AssertionError(ref + ": no such entry");
      }
      return new Figure(entry.get("carbon_intensity").asDouble(), entry.get("year").asInt(), ref);
    }
    if (file.equals("ga_CI_aggregated.csv")) {
      // first line is an "index" row with units, the second the real header
      Map<String, String> row = unique(csv(file, 1), "location", key, ref);
      Matcher m = DATA_FROM.matcher(row.get("source"));
      return new Figure(Double.parseDouble(row.get("carbonIntensity")),
          m.find() ? Integer.parseInt(m.group(1)) : null, ref);
    }
    if (file.startsWith("ccfcoef_grid-emissions-factors-") && file.endsWith(".csv")) {
      String tonnes = unique(csv(file, 0), "Region", key, ref).get("CO2e (metric ton/kWh)");
      return new Figure(new BigDecimal(tonnes).movePointRight(6).doubleValue(), null, ref);
    }
    throw new AssertionError(ref + ": unsupported source file '" + file + "'");
  }

  /** The rows of a CSV file as header -> value maps, skipping {@code skip} lines before the header. */
  @SuppressWarnings("unchecked")
  List<Map<String, String>> csv(String file, int skip) {
    return (List<Map<String, String>>) cache.computeIfAbsent(file + "@" + skip, k -> readCsv(file, skip));
  }

  JsonNode json(String file) {
    return (JsonNode) cache.computeIfAbsent(file, k -> {
      try {
        return new ObjectMapper().readTree(dir.resolve(file).toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private List<Map<String, String>> readCsv(String file, int skip) {
    CsvMapper mapper = new CsvMapper();
    try (Reader reader = Files.newBufferedReader(dir.resolve(file), StandardCharsets.UTF_8)) {
      List<String[]> lines = mapper.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY)
          .<String[]>readValues(reader).readAll();
      String[] header = lines.get(skip);
      List<Map<String, String>> rows = new ArrayList<>();
      for (String[] cells : lines.subList(skip + 1, lines.size())) {
        if (cells.length == 1 && cells[0].isBlank()) {
          continue;
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
          row.put(header[i].trim(), i < cells.length ? cells[i].trim() : "");
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> unique(List<Map<String, String>> rows, String column, String key, String ref) {
    List<Map<String, String>> hits = rows.stream().filter(r -> key.equals(r.get(column))).toList();
    if (hits.isEmpty()) {
      throw new AssertionError(ref + ": no row with " + column + " = " + key);
    }
    // Green Algorithms repeats its WORLD row; identical duplicates are harmless
    if (hits.stream().distinct().count() > 1) {
      throw new AssertionError(ref + ": " + hits.size() + " different rows with " + column + " = " + key);
    }
    return hits.get(0);
  }
}
