package dev.carbonlens.analysis;

import dev.carbonlens.engine.Finding;
import dev.carbonlens.extract.Fix;
import java.util.Optional;

/** A priced finding with the quick fix for its file, if the format has a place for the change. */
public record ReportedFinding(Finding finding, Fix fix) {
  public Optional<Fix> fixIfAny() {
    return Optional.ofNullable(fix);
  }
}
