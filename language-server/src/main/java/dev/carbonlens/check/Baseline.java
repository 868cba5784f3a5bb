package dev.carbonlens.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.cli.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Findings a team has accepted for now (`check --write-baseline FILE`), so that `check --baseline FILE`
 * fails only on new ones. A finding is matched by file, rule and the hash of its line's text, never by
 * line number: edits above it do not make it new, and a changed value (another region) does.
 * Paths are stored relative to the baseline's folder, so the file works from any working folder.
 */
public final class Baseline {
  static final int FORMAT_VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One accepted finding; `line` and `message` are for people reading the file, not for matching. */
  public record Entry(String file, String ruleId, String hash, int line, String message) {
    /** What matching compares: occurrences of the same rule on equal lines are counted, not ordered. */
    Key key() {
      return new Key(file, ruleId, hash);
    }
  }

  record Key(String file, String ruleId, String hash) {}

  private final List<Entry> entries;

  private Baseline(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The findings of a check, as a baseline kept beside `baselineFile`. */
  public static Baseline of(CheckResult result, Path baselineFile) {
    Path base = folderOf(baselineFile);
    List<Entry> entries = new ArrayList<>();
    for (FileAnalysis file : result.files()) {
      Map<ReportedFinding, String> fingerprints = FindingFingerprints.of(file);
      String name = relative(base, file.file());
      for (ReportedFinding f : file.findings()) {
        entries.add(new Entry(name, f.finding().ruleId(), hashOf(fingerprints.get(f)),
            Positions.line(f.finding().range()), f.finding().message()));
      }
    }
    entries.sort(java.util.Comparator.comparing(Entry::file).thenComparingInt(Entry::line).thenComparing(Entry::ruleId));
    return new Baseline(entries);
  }

  public void write(Path file) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", FORMAT_VERSION);
    root.put("tool", "carbonlens " + Version.VERSION);
    ArrayNode list = root.putArray("findings");
    for (Entry e : entries) {
      ObjectNode node = list.addObject();
      node.put("file", e.file());
      node.put("ruleId", e.ruleId());
      node.put("hash", e.hash());
      node.put("line", e.line());
      node.put("message", e.message());
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, MAPPER.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
  }

  /** Reads a baseline; a file that is not one is an error with its reason, never an empty baseline. */
  public static Baseline read(Path file) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr()
          + ": not a CarbonLens baseline: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject() || root.path("version").asInt() != FORMAT_VERSION
        || !root.path("findings").isArray()) {
      throw new IllegalArgumentException(file + ": not a CarbonLens baseline (version " + FORMAT_VERSION
          + " with a findings list); write one with --write-baseline");
    }
    List<Entry> entries = new ArrayList<>();
    for (JsonNode node : root.get("findings")) {
      String name = node.path("file").asText(null);
      String rule = node.path("ruleId").asText(null);
      String hash = node.path("hash").asText(null);
      if (name == null || rule == null || hash == null) {
        throw new IllegalArgumentException(file + ": finding " + (entries.size() + 1) + " lacks file, ruleId or hash");
      }
      entries.add(new Entry(name, rule, hash, node.path("line").asInt(0), node.path("message").asText("")));
    }
    return new Baseline(entries);
  }

  /**
   * Which of the check's findings the baseline holds, and which baseline entries no longer occur (fixed,
   * or their line changed). Equal keys are matched by count, so duplicates on equal lines stay honest.
   */
  public Comparison compare(CheckResult result, Path baselineFile) {
    Path base = folderOf(baselineFile);
    Map<Key, List<Entry>> remaining = new HashMap<>();
    for (Entry e : entries) {
      remaining.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
    }
    Set<ReportedFinding> unchanged = Collections.newSetFromMap(new IdentityHashMap<>());
    for (FileAnalysis file : result.files()) {
      Map<ReportedFinding, String> fingerprints = FindingFingerprints.of(file);
      String name = relative(base, file.file());
      for (ReportedFinding f : file.findings()) {
        List<Entry> same = remaining.get(new Key(name, f.finding().ruleId(), hashOf(fingerprints.get(f))));
        if (same != null && !same.isEmpty()) {
          same.remove(0);
          unchanged.add(f);
        }
      }
    }
    List<Entry> absent = remaining.values().stream().flatMap(List::stream)
        .sorted(java.util.Comparator.comparing(Entry::file).thenComparingInt(Entry::line)).toList();
    return new Comparison(unchanged, absent);
  }

  /** The outcome of comparing a check with a baseline. */
  public record Comparison(Set<ReportedFinding> unchanged, List<Entry> absent) {
    public static final Comparison NONE = new Comparison(Set.of(), List.of());

    public boolean isUnchanged(ReportedFinding finding) {
      return unchanged.contains(finding);
    }
  }

  /** The fingerprint without its occurrence number: occurrences are matched by counting instead. */
  private static String hashOf(String fingerprint) {
    int colon = fingerprint.lastIndexOf(':');
    return colon < 0 ? fingerprint : fingerprint.substring(0, colon);
  }

  private static Path folderOf(Path baselineFile) {
    Path parent = baselineFile.toAbsolutePath().normalize().getParent();
    return parent == null ? baselineFile.toAbsolutePath().getRoot() : parent;
  }

  /** A reported file name (as given on the command line) relative to the baseline's folder. */
  static String relative(Path base, String reported) {
    Path absolute = Path.of(reported).toAbsolutePath().normalize();
    Path shown = absolute.startsWith(base) ? base.relativize(absolute) : absolute;
    return shown.toString().replace('\\', '/');
  }
}
