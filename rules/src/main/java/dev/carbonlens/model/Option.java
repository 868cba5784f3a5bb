package dev.carbonlens.model;

import java.util.Locale;

/**
 * One setting read as written that a rule may judge but that is not part of a richer fact:
 * `tf32: false`, `gradient_checkpointing: true`, `num_workers=0`. Names are the ones in
 * {@link Options}, whatever the format called them.
 *
 * @param value the value as text (`true`, `0`, `cpu`), never null
 * @param range where the setting is written (the anchor when the value is a framework default)
 * @param stated false when the value is the framework's default, not written
 */
public record Option(String name, String value, SourceRange range, boolean stated) {

  public Option(String name, String value, SourceRange range) {
    this(name, value, range, true);
  }

  public boolean isTrue() {
    String v = value.trim().toLowerCase(Locale.ROOT);
    return v.equals("true") || v.equals("yes") || v.equals("on") || v.equals("1");
  }

  public boolean isFalse() {
    String v = value.trim().toLowerCase(Locale.ROOT);
    return v.equals("false") || v.equals("no") || v.equals("off") || v.equals("0");
  }

  /** The value as a number, or null when it is not one. */
  public Double number() {
    try {
      return Double.valueOf(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public boolean is(String expected) {
    return value.trim().equalsIgnoreCase(expected);
  }
}
