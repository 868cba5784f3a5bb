package dev.carbonlens.model;

/**
 * The model a run trains or serves.
 *
 * @param billionParameters the parameters that do the work per token, in billions: all of them for
 *     a dense model, the active ones for a mixture of experts (6·N·D counts these)
 * @param totalBillionParameters all parameters (memory, checkpoints); equal for dense models
 * @param sizeSource where the size comes from (catalogue row, or read from the name)
 */
public record ModelChoice(String id, Double billionParameters, Double totalBillionParameters, String sizeSource,
    SourceRange range) {

  /** A dense model whose size (if any) was read from its name. */
  public ModelChoice(String id, Double billionParameters, SourceRange range) {
    this(id, billionParameters, billionParameters, billionParameters == null ? null : "read from the model name", range);
  }
}
