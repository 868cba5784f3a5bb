package dev.carbonlens.estimate;

import java.util.Locale;
import java.util.Map;

/**
 * Model FLOPs utilisation typically reached in training, by accelerator generation: the share of
 * the peak at the run's precision that turns into model FLOPs. Published values exist for a few
 * generations (FACTS F23); others borrow the nearest one and say so.
 */
public final class MfuDefaults {
  /** A default with where it comes from. */
  public record Mfu(double value, String source) {}

  private static final Mfu MODERN = new Mfu(0.35,
      "typical for current training stacks (0.3-0.4: T5 0.37, GShard 0.39, Switch 0.28; Patterson et al. 2021 via LLMCarbon; FACTS F23)");
  private static final Map<String, Mfu> BY_ARCHITECTURE = Map.of(
      "volta", new Mfu(0.2, "GPT-3 on V100 reached 0.197 (Patterson et al. 2021 via LLMCarbon; FACTS F23)"),
      "turing", new Mfu(0.2, "no published figure for Turing: Volta's 0.197 (GPT-3 on V100; FACTS F23)"),
      "ampere", MODERN,
      "ada", new Mfu(0.35, "no published training-scale figure for Ada: Ampere's typical 0.35 (FACTS F23)"),
      "hopper", new Mfu(0.4, "Llama 3 on 16K H100s: >400 TFLOPS of 989 dense, about 0.40 (Meta 2024; FACTS F23)"),
      "blackwell", new Mfu(0.4, "no published figure for Blackwell yet: Hopper's 0.40 (FACTS F23)"),
      "tpu", new Mfu(0.37, "T5 on TPU v3 reached 0.37 (Patterson et al. 2021 via LLMCarbon; FACTS F23)"));

  private MfuDefaults() {}

  public static Mfu forArchitecture(String architecture) {
    if (architecture == null) {
      return MODERN;
    }
    String key = architecture.toLowerCase(Locale.ROOT);
    if (key.startsWith("tpu")) {
      return BY_ARCHITECTURE.get("tpu");
    }
    Mfu known = BY_ARCHITECTURE.get(key);
    if (known != null) {
      return known;
    }
    return new Mfu(MODERN.value(), "no published figure for " + architecture + ": " + MODERN.source());
  }
}
