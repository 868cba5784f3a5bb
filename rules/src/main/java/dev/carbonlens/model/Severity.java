package dev.carbonlens.model;

import java.util.Arrays;
import java.util.Locale;

/** Finding severities, most severe first. */
public enum Severity {
  ERROR,
  WARNING,
  INFO,
  HINT;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when this severity is as severe as the threshold or more. */
  public boolean isAtLeast(Severity threshold) {
    return ordinal() <= threshold.ordinal();
  }

  public static Severity fromLabel(String label) {
    return Arrays.stream(values())
        .filter(s -> s.label().equals(label.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown severity: " + label));
  }
}
