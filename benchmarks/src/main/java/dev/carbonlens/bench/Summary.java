package dev.carbonlens.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the JSON of a JMH run ({@code -rf json -rff FILE}) and prints a Markdown table: for each document and
 * stage, the median of the measurement iterations (wide error bars on a loaded 2-core machine make the mean
 * misleading), the range of the iterations, and JMH's score ± 99.9% error.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.carbonlens.bench.Summary /tmp/jmh.json}
 */
public final class Summary {
  private Summary() {}

  private static final List<String> STAGES = List.of("parse", "extract", "rules", "estimate", "analyze");

  private record Row(double median, double min, double max, double score, double error, String unit) {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Summary JMH_RESULT.json");
      System.exit(2);
    }
    JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    Map<String, Map<String, Row>> byDoc = new LinkedHashMap<>();
    Documents.IDS.forEach(id -> byDoc.put(id, new LinkedHashMap<>()));
    for (JsonNode r : results) {
      String method = r.path("benchmark").asText();
      String stage = method.substring(method.lastIndexOf('.') + 1);
      String doc = r.path("params").path("doc").asText();
      JsonNode metric = r.path("primaryMetric");
      List<Double> values = new ArrayList<>();
      for (JsonNode fork : metric.path("rawData")) {
        fork.forEach(v -> values.add(v.asDouble()));
      }
      values.sort(null);
      int n = values.size();
      double median = n == 0 ? Double.NaN
          : n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
      byDoc.computeIfAbsent(doc, d -> new LinkedHashMap<>()).put(stage, new Row(median,
          n == 0 ? Double.NaN : values.get(0), n == 0 ? Double.NaN : values.get(n - 1),
          metric.path("score").asDouble(), metric.path("scoreError").asDouble(), metric.path("scoreUnit").asText()));
    }
    System.out.println("| document | stage | median | iterations (min – max) | score ± error (99.9%) |");
    System.out.println("|---|---|---:|---:|---:|");
    for (Map.Entry<String, Map<String, Row>> d : byDoc.entrySet()) {
      for (String stage : STAGES) {
        Row row = d.getValue().get(stage);
        if (row == null) {
          continue;
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s – %s | %s ± %s |%n", d.getKey(), stage,
            time(row.median(), row.unit()), time(row.min(), row.unit()), time(row.max(), row.unit()),
            time(row.score(), row.unit()), time(row.error(), row.unit()));
      }
    }
  }

  /** A time in the unit JMH wrote, shown in µs below 1 ms and in ms above, 3 significant digits. */
  static String time(double value, String unit) {
    double us = switch (unit) {
      case "ns/op" -> value / 1000;
      case "ms/op" -> value * 1000;
      case "s/op" -> value * 1_000_000;
      default -> value;
    };
    if (Double.isNaN(us)) {
      return "–";
    }
    if (us < 1000) {
      return String.format(Locale.ROOT, us < 10 ? "%.2f µs" : us < 100 ? "%.1f µs" : "%.0f µs", us);
    }
    double ms = us / 1000;
    return String.format(Locale.ROOT, ms < 10 ? "%.2f ms" : ms < 100 ? "%.1f ms" : "%.0f ms", ms);
  }
}
