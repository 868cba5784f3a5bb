package dev.carbonlens.analysis;

import dev.carbonlens.model.Severity;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Per-rule severities chosen by the user (settings, `--severity ID=level`): a level from the report
 * format (`error`, `warning`, `info`, `hint`) or `off` to turn the rule off.
 */
public record SeverityOverrides(Map<String, String> levels) {
  public static final SeverityOverrides NONE = new SeverityOverrides(Map.of());
  public static final String OFF = "off";

  public SeverityOverrides {
    Map<String, String> normal = new TreeMap<>();
    for (Map.Entry<String, String> e : levels.entrySet()) {
      String id = e.getKey().trim().toUpperCase(Locale.ROOT);
      String level = e.getValue().trim().toLowerCase(Locale.ROOT);
      if (!level.equals(OFF)) {
        Severity.fromLabel(level); // rejects unknown levels early, with the level in the message
      }
      normal.put(id, level);
    }
    levels = Map.copyOf(normal);
  }

  /** Parses `CL-PREC-001=info`; throws IllegalArgumentException with what was wrong. */
  public static Map.Entry<String, String> parse(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0 || eq == assignment.length() - 1) {
      throw new IllegalArgumentException("expected RULE-ID=level (error, warning, info, hint or off), got '" + assignment + "'");
    }
    return Map.entry(assignment.substring(0, eq).trim(), assignment.substring(eq + 1).trim());
  }

  public boolean isOff(String ruleId) {
    return OFF.equals(levels.get(ruleId));
  }

  /** The overriding severity, if the user set one (empty when off or not set). */
  public Optional<Severity> severityOf(String ruleId) {
    String level = levels.get(ruleId);
    return level == null || level.equals(OFF) ? Optional.empty() : Optional.of(Severity.fromLabel(level));
  }
}
