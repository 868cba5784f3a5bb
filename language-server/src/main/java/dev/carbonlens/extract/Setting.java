package dev.carbonlens.extract;

import dev.carbonlens.model.SourceRange;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One named value as written, wherever it was written: a config key (`fp16: true`) or a command-line
 * flag (`--fp16`, `--num_train_epochs 30`). `range()` covers name and value, as findings point at both.
 */
public record Setting(String name, String text, boolean quoted, SourceRange keyRange, SourceRange valueRange) {

  public SourceRange range() {
    // An aliased value (`eval_steps: *every`) is written at its anchor, before the key: the key alone then.
    boolean valueBeforeKey = valueRange.startLine() < keyRange.startLine()
        || (valueRange.startLine() == keyRange.startLine() && valueRange.startColumn() < keyRange.startColumn());
    return valueBeforeKey ? keyRange : keyRange.span(valueRange);
  }

  public boolean isNull() {
    return text == null || (!quoted && (text.isEmpty() || text.equals("~") || text.equalsIgnoreCase("null")
        || text.equalsIgnoreCase("none")));
  }

  /** true/false/yes/no/on/off/1/0 in any case, quoted or not (people write `'False'` and `"no"`). */
  public Optional<Boolean> asBoolean() {
    if (text == null) {
      return Optional.empty();
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "y", "1" -> Optional.of(true);
      case "false", "no", "off", "n", "0" -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  public boolean isTrue() {
    return asBoolean().orElse(false);
  }

  public OptionalDouble asNumber() {
    if (text == null) {
      return OptionalDouble.empty();
    }
    try {
      return OptionalDouble.of(Double.parseDouble(text.trim().replace("_", "")));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  public OptionalLong asLong() {
    OptionalDouble d = asNumber();
    if (d.isEmpty() || d.getAsDouble() != Math.rint(d.getAsDouble()) || Math.abs(d.getAsDouble()) > Long.MAX_VALUE / 2) {
      return OptionalLong.empty();
    }
    return OptionalLong.of((long) d.getAsDouble());
  }

  public Long longOrNull() {
    OptionalLong v = asLong();
    return v.isPresent() ? v.getAsLong() : null;
  }

  public Integer intOrNull() {
    Long v = longOrNull();
    return v == null || v > Integer.MAX_VALUE || v < Integer.MIN_VALUE ? null : v.intValue();
  }

  public Double doubleOrNull() {
    OptionalDouble v = asNumber();
    return v.isPresent() ? v.getAsDouble() : null;
  }

  public String lower() {
    return text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
  }
}
