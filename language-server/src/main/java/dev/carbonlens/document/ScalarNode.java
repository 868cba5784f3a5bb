package dev.carbonlens.document;

import dev.carbonlens.model.SourceRange;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A scalar. {@code value} is the scalar's text as the YAML/JSON value (unquoted, escapes
 * resolved); {@code null} for YAML null ({@code ~}, {@code null}, empty) and JSON null.
 * {@code quoted} is true for every YAML scalar that is not plain (single- or double-quoted,
 * literal {@code |} or folded {@code >} block) and for JSON strings.
 */
public record ScalarNode(String value, boolean quoted, SourceRange range) implements DocNode {

  public boolean isNull() {
    return value == null;
  }

  /**
   * true/false/yes/no/on/off (any case), only when not quoted. YAML 1.1 short forms y/n are not
   * booleans here.
   */
  public Optional<Boolean> asBoolean() {
    if (value == null || quoted) {
      return Optional.empty();
    }
    return Optional.ofNullable(Scalars.parseBoolean(value));
  }

  /**
   * Integers, decimals, exponents ({@code 1e-4}), YAML digit separators ({@code 1_000}), hex
   * ({@code 0x1F}), octal ({@code 0o17}), {@code .inf}/{@code .nan} (and JSON {@code NaN},
   * {@code Infinity}). Quoted numerals such as {@code "3"} are accepted too (people write them);
   * surrounding whitespace is ignored.
   */
  public OptionalDouble asNumber() {
    if (value == null) {
      return OptionalDouble.empty();
    }
    return Scalars.parseDouble(value);
  }

  /** Integral values only: {@code 3}, {@code 3.0}, {@code 1e3} yes; {@code 3.5}, overflow no. */
  public OptionalLong asLong() {
    if (value == null) {
      return OptionalLong.empty();
    }
    return Scalars.parseLong(value);
  }

  /** The value, or "" when null. */
  public String text() {
    return value == null ? "" : value;
  }
}
