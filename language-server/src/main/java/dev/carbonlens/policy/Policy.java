package dev.carbonlens.policy;

import dev.carbonlens.model.Precision;
import dev.carbonlens.model.Severity;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.RegionSpec;
import java.util.List;
import java.util.Set;

/**
 * One team policy from the project config: a single threshold or list ({@link Limit}) with the team's
 * own id, severity and (optional) message, applied to the runs of the listed stages.
 *
 * @param message the team's message; null to use the generated one that names what was read
 * @param range where the policy is written (its entry in the `policies` list)
 */
public record Policy(String id, Severity severity, String message, Set<Stage> stages, Limit limit,
    SourceRange range) {

  public Policy {
    stages = Set.copyOf(stages);
  }

  public boolean appliesTo(Stage stage) {
    return stage != null && stages.contains(stage);
  }

  /** The kinds of policy: one key each in the YAML (see {@link #key()}). */
  public sealed interface Limit {
    /** The YAML key that sets this kind. */
    String key();
  }

  /** Runs whose region's average grid intensity is above this (gCO2e/kWh). */
  public record MaxGridIntensity(double gramsPerKWh) implements Limit {
    public String key() {
      return "maxGridIntensity";
    }
  }

  /** Runs in a region not on this list; `written` keeps the team's spellings for messages. */
  public record AllowedRegions(Set<RegionSpec> regions, List<String> written) implements Limit {
    public AllowedRegions {
      regions = Set.copyOf(regions);
      written = List.copyOf(written);
    }

    public String key() {
      return "allowedRegions";
    }
  }

  /** Runs in one of these regions. */
  public record DeniedRegions(Set<RegionSpec> regions, List<String> written) implements Limit {
    public DeniedRegions {
      regions = Set.copyOf(regions);
      written = List.copyOf(written);
    }

    public String key() {
      return "deniedRegions";
    }
  }

  /** Runs on one of these accelerators (a family name such as P100 covers all its variants). */
  public record DeniedAccelerators(Set<AcceleratorSpec> accelerators, List<String> written) implements Limit {
    public DeniedAccelerators {
      accelerators = Set.copyOf(accelerators);
      written = List.copyOf(written);
    }

    public String key() {
      return "deniedAccelerators";
    }
  }

  /**
   * Runs in a wider precision than this on the listed hardware (any hardware when both lists are
   * empty). fp8 satisfies a 16-bit requirement; fp16 and bf16 are different formats and do not
   * satisfy each other.
   */
  public record RequirePrecision(Precision precision, Set<AcceleratorSpec> onAccelerators,
      Set<String> onArchitectures, List<String> written) implements Limit {
    public RequirePrecision {
      onAccelerators = Set.copyOf(onAccelerators);
      onArchitectures = Set.copyOf(onArchitectures);
      written = List.copyOf(written);
    }

    public String key() {
      return "requirePrecision";
    }

    /** Whether the policy covers this accelerator (null: the config names none). */
    boolean covers(AcceleratorSpec accelerator) {
      if (onAccelerators.isEmpty() && onArchitectures.isEmpty()) {
        return true;
      }
      return accelerator != null
          && (onAccelerators.contains(accelerator) || onArchitectures.contains(accelerator.architecture()));
    }
  }

  /** Training runs with a known schedule and no early stopping. */
  public record RequireEarlyStopping() implements Limit {
    public String key() {
      return "requireEarlyStopping";
    }
  }

  /** Sweeps planning more trials than this. */
  public record MaxSweepSize(long trials) implements Limit {
    public String key() {
      return "maxSweepSize";
    }
  }

  /** Runs holding more accelerators than this. */
  public record MaxDevices(int devices) implements Limit {
    public String key() {
      return "maxDevices";
    }
  }

  /** Runs whose estimated footprint (central case) is above this, in kgCO2e. */
  public record MaxRunKgCO2e(double kgCO2e) implements Limit {
    public String key() {
      return "maxKgCO2ePerRun";
    }
  }
}
