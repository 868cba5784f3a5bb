package dev.carbonlens.extract;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a dense model's size from its name (`Llama-2-70b-hf` → 70, `tinyllama-1.1b` → 1.1,
 * `opt-350m` → 0.35). Mixture-of-experts names (`8x7B`, `-A35B`) return null: the name alone does
 * not give the active parameter count, and a wrong size would mislead every estimate.
 */
public final class ModelNames {
  private static final Pattern SIZE = Pattern.compile("(?<![a-z0-9.])(\\d+(?:\\.\\d+)?)([bm])(?![a-z])");
  private static final Pattern MOE = Pattern.compile("\\d+x\\d+(?:\\.\\d+)?b|(?<![a-z0-9])a\\d+(?:\\.\\d+)?b(?![a-z])");

  private ModelNames() {}

  /** Billions of parameters, or null when the name does not say. */
  public static Double billionParameters(String modelId) {
    if (modelId == null) {
      return null;
    }
    String name = modelId.toLowerCase(Locale.ROOT);
    int slash = name.lastIndexOf('/');
    name = slash >= 0 ? name.substring(slash + 1) : name;
    if (MOE.matcher(name).find()) {
      return null;
    }
    Matcher m = SIZE.matcher(name.replace('_', '-'));
    Double found = null;
    while (m.find()) {
      double value = Double.parseDouble(m.group(1));
      found = m.group(2).equals("b") ? value : value / 1000;
    }
    return found;
  }
}
