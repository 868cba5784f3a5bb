package dev.carbonlens.reference;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a model's parameter count from its name, for names that are not in the {@link ModelCatalog}
 * (look the name up there first: the catalogue has measured counts, the name only a rounded size).
 *
 * <ul>
 *   <li>A size in the name: {@code Llama-2-70b-hf} → 70B, {@code Mistral-7B} → 7B, {@code opt-1.3b} → 1.3B,
 *       {@code opt-350m} → 0.35B, {@code TinyLlama-1.1B} → 1.1B, {@code Qwen2.5-0.5B} → 0.5B,
 *       {@code bloom-7b1} → 7.1B. When the name has several sizes the last one counts; a size in billions wins
 *       over one in millions ({@code Llama-3-8B-1M} is 8B, the {@code 1M} being its context length). The model
 *       is taken to be dense (active = total).</li>
 *   <li>A mixture-of-experts name with an active-parameter marker after its total: {@code zephyr-141b-A35b}
 *       → total 141B, active 35B; {@code Qwen3-30B-A3B} → 30B / 3B.</li>
 *   <li>A family size word for the few families whose sizes are fixed: {@code gpt2-medium}/{@code -large}/
 *       {@code -xl}, {@code t5-small}/{@code -base}/{@code -large}, {@code flan-t5-small} … {@code -xxl},
 *       {@code bert-base}/{@code -large}, {@code roberta-base}/{@code -large} (also as the start of a fine-tune's
 *       name, {@code roberta-large-mnli}). The counts are those of the catalogue row named in
 *       {@link ModelSize#how()}, which carries their source.</li>
 * </ul>
 *
 * <p>Mixture-of-experts names without an active marker ({@code Mixtral-8x7B}, {@code Qwen1.5-MoE-A2.7B}) give
 * nothing: {@code 8 × 7 = 56B} would only be an upper bound on the total (experts share attention and
 * embeddings: Mixtral-8x7B has 46.7B), and the active count depends on how many experts each token is routed to,
 * which the name does not say. Since a {@link ModelSize} must carry both counts and a wrong active count would
 * mislead every compute estimate (6 × active parameters × tokens), such names need a catalogue row. A bare family
 * name ({@code gpt2}, {@code bert}) gives nothing either.
 */
public final class ModelSizes {

  /**
   * Parameter counts read from a name, in billions.
   *
   * @param how how they were read, for the finding's explanation
   */
  public record ModelSize(double totalB, double activeB, String how) {
    public boolean isMoe() {
      return activeB < totalB;
    }
  }

  private static final String NUM = "(\\d+(?:\\.\\d+)?)";
  /** {@code 141b-a35b}: total then active (the "-A" marker of Zephyr-141B-A35B, Qwen3-30B-A3B, Qwen2-57B-A14B). */
  private static final Pattern TOTAL_ACTIVE = Pattern.compile("(?<![a-z0-9.])" + NUM + "b-a" + NUM + "b(?![a-z])");
  /** {@code 8x7b}, {@code 8x22b}: experts × expert size. */
  private static final Pattern EXPERTS = Pattern.compile("(?<![a-z0-9.])\\d+x" + NUM + "b(?![a-z])");
  /** {@code a2.7b} alone (Qwen1.5-MoE-A2.7B): an active count without a total. */
  private static final Pattern ACTIVE_ONLY = Pattern.compile("(?<![a-z0-9.])a" + NUM + "b(?![a-z])");
  /** {@code 70b}, {@code 1.3b}, {@code 350m}. */
  private static final Pattern SIZE = Pattern.compile("(?<![a-z0-9.])" + NUM + "([bm])(?![a-z0-9])");
  /** BLOOM style {@code 7b1} = 7.1B, {@code 1b7} = 1.7B. */
  private static final Pattern SIZE_BLOOM = Pattern.compile("(?<![a-z0-9.])(\\d+)b(\\d)(?![a-z0-9])");

  /** family prefix, size word, catalogue id whose counts it takes. */
  private record FamilySize(String family, String size, String catalogueId) {
  }

  private static final List<FamilySize> FAMILY_SIZES = List.of(
      new FamilySize("flan-t5", "small", "google/flan-t5-small"),
      new FamilySize("flan-t5", "base", "google/flan-t5-base"),
      new FamilySize("flan-t5", "large", "google/flan-t5-large"),
      new FamilySize("flan-t5", "xl", "google/flan-t5-xl"),
      new FamilySize("flan-t5", "xxl", "google/flan-t5-xxl"),
      new FamilySize("t5", "small", "google-t5/t5-small"),
      new FamilySize("t5", "base", "google-t5/t5-base"),
      new FamilySize("t5", "large", "google-t5/t5-large"),
      new FamilySize("gpt2", "medium", "openai-community/gpt2-medium"),
      new FamilySize("gpt2", "large", "openai-community/gpt2-large"),
      new FamilySize("gpt2", "xl", "openai-community/gpt2-xl"),
      new FamilySize("bert", "base", "google-bert/bert-base-uncased"),
      new FamilySize("bert", "large", "google-bert/bert-large-uncased"),
      new FamilySize("roberta", "base", "FacebookAI/roberta-base"),
      new FamilySize("roberta", "large", "FacebookAI/roberta-large"));

  private ModelSizes() {
  }

  /** Catalogue ids behind the family size words, for tests and documentation. */
  static List<String> familySizeIds() {
    return FAMILY_SIZES.stream().map(FamilySize::catalogueId).toList();
  }

  /** The parameter counts a name gives, or empty when it gives none (see the class comment). */
  public static Optional<ModelSize> fromName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String cleaned = ModelCatalog.clean(name);
    int slash = cleaned.lastIndexOf('/');
    String n = (slash >= 0 ? cleaned.substring(slash + 1) : cleaned).replace('_', '-');
    if (n.isEmpty()) {
      return Optional.empty();
    }

    Matcher ta = TOTAL_ACTIVE.matcher(n);
    if (ta.find()) {
      double total = Double.parseDouble(ta.group(1));
      double active = Double.parseDouble(ta.group(2));
      if (total <= 0 || active <= 0 || active > total) {
        return Optional.empty();
      }
      return Optional.of(new ModelSize(total, active, "mixture of experts: '" + ta.group() + "' in the name gives "
          + fmt(total) + "B total and " + fmt(active) + "B active parameters (rounded by the name)"));
    }
    if (EXPERTS.matcher(n).find() || ACTIVE_ONLY.matcher(n).find()) {
      return Optional.empty();
    }

    Matcher bloom = SIZE_BLOOM.matcher(n);
    Double bloomSize = null;
    String bloomText = null;
    while (bloom.find()) {
      bloomSize = Double.parseDouble(bloom.group(1) + "." + bloom.group(2));
      bloomText = bloom.group();
    }
    Matcher m = SIZE.matcher(n);
    Double billions = null;
    String billionsText = null;
    Double millions = null;
    String millionsText = null;
    while (m.find()) {
      double value = Double.parseDouble(m.group(1));
      if (m.group(2).equals("b")) {
        billions = value;
        billionsText = m.group();
      } else {
        millions = value / 1000;
        millionsText = m.group();
      }
    }
    if (billions == null && bloomSize != null) {
      billions = bloomSize;
      billionsText = bloomText;
    }
    if (billions != null && billions > 0) {
      return Optional.of(dense(billions, billionsText));
    }
    if (millions != null && millions > 0) {
      return Optional.of(dense(millions, millionsText));
    }

    for (FamilySize f : FAMILY_SIZES) {
      String prefix = f.family() + "-" + f.size();
      if ((n.equals(prefix) || n.startsWith(prefix + "-")) && !n.contains("multilingual")) {
        Optional<ModelSpec> spec = ModelCatalog.builtIn().find(f.catalogueId());
        if (spec.isEmpty()) {
          throw new IllegalStateException("model catalogue lacks " + f.catalogueId() + ", needed for '" + prefix
              + "'");
        }
        ModelSpec s = spec.get();
        return Optional.of(new ModelSize(s.totalParametersB(), s.activeParametersB(), "family size '" + prefix
            + "': " + fmt(s.totalParametersB()) + "B parameters, as catalogue row " + s.id() + " (" + s.source()
            + ", " + s.year() + ")"));
      }
    }
    return Optional.empty();
  }

  private static ModelSize dense(double billions, String text) {
    return new ModelSize(billions, billions, "size in the name: '" + text + "' = " + fmt(billions)
        + "B parameters (dense assumed, active = total)");
  }

  static String fmt(double v) {
    String s = String.format(Locale.ROOT, "%.3f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
