package dev.carbonlens.reference;

import java.util.List;

/**
 * One model of the catalogue ({@code dev/carbonlens/reference/models.csv}): its Hugging Face hub id where one
 * exists, the short names people write for it, and its parameter counts in billions. For a dense model
 * {@code activeParametersB == totalParametersB}; for a mixture-of-experts model {@code activeParametersB} is the
 * count used per token, the one that enters training compute (6 × active parameters × tokens).
 *
 * @param architecture {@code dense} or {@code moe}
 * @param source       where the parameter counts come from (model card, paper, or EcoLogits models.json)
 * @param year         year the model and its parameter count were published
 */
public record ModelSpec(String id, List<String> aliases, String architecture, double totalParametersB,
    double activeParametersB, String source, int year) {

  public ModelSpec {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
  }

  public boolean isMoe() {
    return "moe".equals(architecture);
  }
}
