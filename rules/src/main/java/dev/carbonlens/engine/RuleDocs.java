package dev.carbonlens.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The documentation of a built-in rule: one Markdown file per rule id beside the DRL, under
 * {@code dev/carbonlens/rules/docs/<ID>.md}, with the sections every rule must have (the catalog
 * test checks them). Shown by `carbonlens explain ID` and on hover.
 */
public final class RuleDocs {
  /** The sections, in order, each rule's page has. */
  public static final List<String> SECTIONS = List.of("What it flags", "Why it matters", "Example", "Use instead",
      "How the savings are estimated", "References");
  private static final String FOLDER = "/dev/carbonlens/rules/docs/";

  private RuleDocs() {}

  /** The whole page, or empty when the rule has none. */
  public static Optional<String> markdown(String ruleId) {
    String id = ruleId.trim().toUpperCase(Locale.ROOT);
    if (!id.matches("[A-Z]+(-[A-Z0-9]+)+")) {
      return Optional.empty();
    }
    try (InputStream in = RuleDocs.class.getResourceAsStream(FOLDER + id + ".md")) {
      return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The page's title line without its `# ID: ` prefix. */
  public static Optional<String> title(String ruleId) {
    return markdown(ruleId).flatMap(md -> md.lines().filter(l -> l.startsWith("# ")).findFirst())
        .map(l -> l.substring(2).replaceFirst("^[A-Z]+(-[A-Z0-9]+)+:\\s*", "").strip());
  }

  /** The `## ` sections of a page by heading, in order, with their text. */
  public static Map<String, String> sections(String markdown) {
    Map<String, String> sections = new LinkedHashMap<>();
    String heading = null;
    List<String> body = new ArrayList<>();
    boolean fenced = false;
    for (String line : markdown.split("\r?\n", -1)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      }
      if (!fenced && line.startsWith("## ")) {
        if (heading != null) {
          sections.put(heading, String.join("\n", body).strip());
        }
        heading = line.substring(3).strip();
        body.clear();
      } else if (heading != null) {
        body.add(line);
      }
    }
    if (heading != null) {
      sections.put(heading, String.join("\n", body).strip());
    }
    return sections;
  }
}
