package dev.carbonlens.analysis;

import dev.carbonlens.document.SyntaxKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The suppression comments of one file, as ruff's `# noqa` and ESLint's `// eslint-disable`:
 *
 * <ul>
 *   <li>{@code # carbonlens: ignore[CL-PREC-001] reason} on the flagged line or the line above it
 *       ({@code //} in Java and JSONC); {@code ignore[CL-PREC-001, CL-ES-001]} for several rules,
 *       plain {@code ignore} for all;
 *   <li>{@code # carbonlens: ignore-file[CL-REG-001] reason} anywhere: that rule in the whole file;
 *       plain {@code ignore-file} for every rule.
 * </ul>
 *
 * The text after the bracket is kept as the reason, so that `check` can list what was silenced and why.
 */
public final class Suppressions {
  private static final Pattern DIRECTIVE = Pattern.compile(
      "(?:#|//)\\s*carbonlens:\\s*(ignore-file|ignore)\\b(?:\\[([^\\]]*)\\])?[ \\t]*(.*)$");

  /** One directive: the rule ids it names (empty: all rules). */
  public record Directive(int line, boolean wholeFile, Set<String> ruleIds, String reason) {
    boolean covers(String ruleId) {
      return ruleIds.isEmpty() || ruleIds.contains(ruleId.toUpperCase(Locale.ROOT));
    }
  }

  public static final Suppressions NONE = new Suppressions(List.of(), Map.of());

  private final List<Directive> wholeFile;
  private final Map<Integer, List<Directive>> byLine;

  private Suppressions(List<Directive> wholeFile, Map<Integer, List<Directive>> byLine) {
    this.wholeFile = wholeFile;
    this.byLine = byLine;
  }

  /** Reads the directives of a file; only comments count, so a string that mentions one does not. */
  public static Suppressions of(String text, SyntaxKind syntax) {
    if (text == null || !text.contains("carbonlens:")) {
      return NONE;
    }
    List<Directive> file = new ArrayList<>();
    Map<Integer, List<Directive>> lines = new HashMap<>();
    String[] split = text.split("\r\n|\r|\n", -1);
    for (int i = 0; i < split.length; i++) {
      String line = split[i];
      int at = line.indexOf("carbonlens:");
      if (at < 0) {
        continue;
      }
      Matcher m = DIRECTIVE.matcher(line);
      if (!m.find() || !isComment(line, m.start(), syntax)) {
        continue;
      }
      Set<String> ids = new java.util.TreeSet<>();
      if (m.group(2) != null) {
        for (String id : m.group(2).split("[,\\s]+")) {
          if (!id.isBlank()) {
            ids.add(id.trim().toUpperCase(Locale.ROOT));
          }
        }
      }
      Directive d = new Directive(i, m.group(1).equals("ignore-file"), Set.copyOf(ids), m.group(3).strip());
      if (d.wholeFile()) {
        file.add(d);
      } else {
        lines.computeIfAbsent(i, k -> new ArrayList<>()).add(d);
      }
    }
    return new Suppressions(List.copyOf(file), Map.copyOf(lines));
  }

  /** The comment marker must start the comment: `#` for YAML and Python, `//` for Java and JSONC. */
  private static boolean isComment(String line, int markerAt, SyntaxKind syntax) {
    boolean slashes = line.startsWith("//", markerAt);
    if (syntax == SyntaxKind.JAVA || syntax == SyntaxKind.JSON) {
      return slashes;
    }
    return !slashes;
  }

  /** The directive silencing a finding of {@code ruleId} that starts on 0-based {@code line}, if any. */
  public Optional<Directive> find(String ruleId, int line) {
    for (int l : new int[] {line, line - 1}) {
      for (Directive d : byLine.getOrDefault(l, List.of())) {
        if (d.covers(ruleId)) {
          return Optional.of(d);
        }
      }
    }
    return wholeFile.stream().filter(d -> d.covers(ruleId)).findFirst();
  }

  public boolean isEmpty() {
    return wholeFile.isEmpty() && byLine.isEmpty();
  }
}
