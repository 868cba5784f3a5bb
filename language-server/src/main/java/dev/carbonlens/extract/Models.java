package dev.carbonlens.extract;

import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.model.ModelChoice;
import dev.carbonlens.reference.ModelSizes;
import dev.carbonlens.reference.ModelSpec;
import dev.carbonlens.reference.ReferenceData;
import java.util.Optional;

/** A model as written, sized from the catalogue first and from its name second. */
final class Models {
  private Models() {}

  static ModelChoice choice(ReferenceData reference, ScalarNode written) {
    return choice(reference, written.text(), written.range());
  }

  static ModelChoice choice(ReferenceData reference, Setting written) {
    return choice(reference, written.text(), written.valueRange());
  }

  static ModelChoice choice(ReferenceData reference, String text, dev.carbonlens.model.SourceRange range) {
    String id = text.trim();
    Optional<ModelSpec> known = reference.model(id);
    if (known.isPresent()) {
      ModelSpec m = known.get();
      return new ModelChoice(id, m.activeParametersB(), m.totalParametersB(),
          m.id() + " in the model catalogue: " + m.source() + ", " + m.year(), range);
    }
    return ModelSizes.fromName(id)
        .map(size -> new ModelChoice(id, size.activeB(), size.totalB(), size.how(), range))
        .orElseGet(() -> new ModelChoice(id, null, null, null, range));
  }
}
