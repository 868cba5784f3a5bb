package dev.carbonlens.extract;

import dev.carbonlens.engine.ProposedChange;
import java.util.Optional;

/** Turns a rule's proposed change into edits of the file a run came from; empty when the format has no place for it. */
@FunctionalInterface
public interface FixWriter {
  Optional<Fix> fixFor(ProposedChange change);

  FixWriter NONE = change -> Optional.empty();
}
