package dev.carbonlens.extract;

import dev.carbonlens.model.ModelChoice;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.reference.ModelSpec;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Model names as fine-tuning tools write them: hub ids of quantised or converted copies
 * ({@code hugging-quants/Meta-Llama-3.1-405B-BNB-NF4-BF16}, {@code axolotl-ai-co/gpt-oss-120b-dequantized},
 * {@code deepseek-ai/DeepSeek-V3-0324-BF16}). The catalogue knows the original; its counts are the copy's too,
 * and matter: {@code gpt-oss-120b} uses 5.1B parameters per token, not the 120B its name says.
 */
final class FineTuneModelNames {
  /** Name parts that say how a copy is stored, not which model it is. */
  private static final Set<String> STORAGE_SUFFIXES = Set.of(
      "dequantized", "bnb", "nf4", "4bit", "8bit", "bf16", "fp16", "fp8", "fp32", "awq", "gptq", "int4", "int8",
      "gguf", "hf", "unsloth", "mlx", "exl2", "safetensors");

  private FineTuneModelNames() {}

  /** The model a setting names, sized from the catalogue (also through a storage suffix), else from its name. */
  static ModelChoice choice(ReferenceData reference, Setting written) {
    return choice(reference, written.text(), written.valueRange());
  }

  static ModelChoice choice(ReferenceData reference, String text, SourceRange range) {
    String id = text.trim();
    if (reference.model(id).isEmpty()) {
      Optional<Stripped> original = withoutStorageSuffix(reference, id);
      if (original.isPresent()) {
        ModelSpec m = original.get().spec();
        return new ModelChoice(id, m.activeParametersB(), m.totalParametersB(),
            m.id() + " in the model catalogue (the name without its storage suffix '" + original.get().suffix()
                + "'): " + m.source() + ", " + m.year(), range);
      }
    }
    return Models.choice(reference, id, range);
  }

  private record Stripped(ModelSpec spec, String suffix) {}

  /** Drops trailing storage parts one at a time ({@code -BF16}, then {@code -NF4}, ...) until the catalogue knows the name. */
  private static Optional<Stripped> withoutStorageSuffix(ReferenceData reference, String id) {
    String cleaned = id.replace('\\', '/');
    while (cleaned.endsWith("/")) {
      cleaned = cleaned.substring(0, cleaned.length() - 1);
    }
    int slash = cleaned.lastIndexOf('/');
    String prefix = slash >= 0 ? cleaned.substring(0, slash + 1) : "";
    List<String> parts = new ArrayList<>(Arrays.asList(cleaned.substring(slash + 1).split("[-_]")));
    String name = cleaned.substring(slash + 1);
    List<String> dropped = new ArrayList<>();
    while (parts.size() > 1 && STORAGE_SUFFIXES.contains(parts.get(parts.size() - 1).toLowerCase(Locale.ROOT))) {
      String last = parts.remove(parts.size() - 1);
      dropped.add(0, last);
      name = name.substring(0, name.length() - last.length() - 1);
      for (String candidate : List.of(prefix + name, name)) {
        Optional<ModelSpec> spec = reference.model(candidate);
        if (spec.isPresent()) {
          return Optional.of(new Stripped(spec.get(), "-" + String.join("-", dropped)));
        }
      }
    }
    return Optional.empty();
  }
}
