package dev.carbonlens.policy;

import dev.carbonlens.engine.Finding;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.estimate.Footprint;
import dev.carbonlens.estimate.HoursBasis;
import dev.carbonlens.model.Category;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.RegionSpec;
import java.util.Optional;
import java.util.function.Function;

/**
 * One policy against one run. As with the built-in rules, only what the config says counts: a run whose
 * region, accelerator, precision, schedule, sweep or device count is unknown is not flagged for it.
 */
final class PolicyCheck {
  private final ReferenceData reference;
  private final Function<Run, Footprint> footprint;

  PolicyCheck(ReferenceData reference, Function<Run, Footprint> footprint) {
    this.reference = reference;
    this.footprint = footprint;
  }

  /** A breach: where, the generated message and the change that would comply (null when none does). */
  private record Breach(SourceRange range, String message, ProposedChange change) {}

  Optional<Finding> check(Policy policy, Run run) {
    if (!policy.appliesTo(run.stage())) {
      return Optional.empty();
    }
    Optional<Breach> breach = breach(policy, run);
    return breach.map(b -> new Finding(policy.id(), Category.POLICY, policy.severity(),
        policy.message() != null ? policy.message() : b.message(), b.range(), run, b.change(), null));
  }

  /** Java 17 has no pattern switch: one test per kind, in the order of {@link PolicyParser#KINDS}. */
  private Optional<Breach> breach(Policy policy, Run run) {
    Policy.Limit limit = policy.limit();
    if (limit instanceof Policy.MaxGridIntensity l) {
      return gridIntensity(policy, l, run);
    } else if (limit instanceof Policy.AllowedRegions l) {
      return allowedRegions(policy, l, run);
    } else if (limit instanceof Policy.DeniedRegions l) {
      return deniedRegions(policy, l, run);
    } else if (limit instanceof Policy.DeniedAccelerators l) {
      return deniedAccelerators(policy, l, run);
    } else if (limit instanceof Policy.RequirePrecision l) {
      return precision(policy, l, run);
    } else if (limit instanceof Policy.RequireEarlyStopping) {
      return earlyStopping(policy, run);
    } else if (limit instanceof Policy.MaxSweepSize l) {
      return sweepSize(policy, l, run);
    } else if (limit instanceof Policy.MaxDevices l) {
      return devices(policy, l, run);
    } else if (limit instanceof Policy.MaxRunKgCO2e l) {
      return footprint(policy, l, run);
    }
    throw new IllegalStateException("policy kind without a check: " + limit.key());
  }

  private Optional<Breach> gridIntensity(Policy policy, Policy.MaxGridIntensity l, Run run) {
    if (run.region() == null || run.region().spec().gridIntensity() <= l.gramsPerKWh()) {
      return Optional.empty();
    }
    RegionSpec here = run.region().spec();
    Optional<RegionSpec> alt = Replacements.region(reference, here, r -> r.gridIntensity() <= l.gramsPerKWh());
    return Optional.of(new Breach(run.region().range(),
        "Region " + here.id() + " averages " + Figures.format(here.gridIntensity()) + " gCO2e/kWh; team policy "
            + policy.id() + " allows at most " + Figures.format(l.gramsPerKWh()) + "." + regionHint(alt),
        alt.map(ProposedChange.MoveToRegion::new).orElse(null)));
  }

  private Optional<Breach> allowedRegions(Policy policy, Policy.AllowedRegions l, Run run) {
    if (run.region() == null || l.regions().contains(run.region().spec())) {
      return Optional.empty();
    }
    Optional<RegionSpec> alt = Replacements.region(reference, run.region().spec(), l.regions()::contains);
    return Optional.of(new Breach(run.region().range(),
        "Region " + run.region().spec().id() + " is not one team policy " + policy.id() + " allows ("
            + String.join(", ", l.written()) + ")." + regionHint(alt),
        alt.map(ProposedChange.MoveToRegion::new).orElse(null)));
  }

  private Optional<Breach> deniedRegions(Policy policy, Policy.DeniedRegions l, Run run) {
    if (run.region() == null || !l.regions().contains(run.region().spec())) {
      return Optional.empty();
    }
    Optional<RegionSpec> alt = Replacements.region(reference, run.region().spec(), r -> !l.regions().contains(r));
    return Optional.of(new Breach(run.region().range(),
        "Region " + run.region().spec().id() + " is denied by team policy " + policy.id() + "." + regionHint(alt),
        alt.map(ProposedChange.MoveToRegion::new).orElse(null)));
  }

  private static String regionHint(Optional<RegionSpec> alt) {
    return alt.map(r -> " " + r.id() + " (" + r.displayName() + ") averages " + Figures.format(r.gridIntensity())
        + " gCO2e/kWh.").orElse("");
  }

  private Optional<Breach> deniedAccelerators(Policy policy, Policy.DeniedAccelerators l, Run run) {
    if (run.accelerator() == null || !l.accelerators().contains(run.accelerator().spec())) {
      return Optional.empty();
    }
    AcceleratorSpec here = run.accelerator().spec();
    Optional<AcceleratorSpec> alt = Replacements.accelerator(reference, here, a -> !l.accelerators().contains(a));
    return Optional.of(new Breach(run.accelerator().range(),
        here.id() + " is denied by team policy " + policy.id() + " (" + String.join(", ", l.written()) + ")."
            + alt.map(a -> " " + a.id() + " (" + a.architecture() + ", " + a.releaseYear() + ") is a permitted successor.")
                .orElse(""),
        alt.map(ProposedChange.UseAccelerator::new).orElse(null)));
  }

  private Optional<Breach> precision(Policy policy, Policy.RequirePrecision l, Run run) {
    AcceleratorSpec spec = run.accelerator() == null ? null : run.accelerator().spec();
    if (run.precision() == null || !l.covers(spec) || satisfies(run.precision().precision(), l.precision())) {
      return Optional.empty();
    }
    String how = run.precision().stated() ? run.precision().precision().label()
        : run.precision().precision().label() + " (the framework default)";
    String where = spec == null ? "" : " on " + spec.id();
    String scope = l.written().isEmpty() ? "" : " on " + String.join(", ", l.written());
    return Optional.of(new Breach(run.precision().range(),
        verb(run.stage()) + " in " + how + where + "; team policy " + policy.id() + " requires "
            + l.precision().label() + scope + ".",
        new ProposedChange.UsePrecision(l.precision())));
  }

  /** fp8 meets a 16-bit requirement; fp16 and bf16 are different formats and do not meet each other. */
  private static boolean satisfies(Precision used, Precision required) {
    return used == required || bits(used) < bits(required);
  }

  private static int bits(Precision p) {
    return switch (p) {
      case FP32 -> 32;
      case FP16, BF16 -> 16;
      case FP8 -> 8;
    };
  }

  private static String verb(Stage stage) {
    return switch (stage) {
      case TRAINING -> "Training";
      case FINE_TUNING -> "Fine-tuning";
      case SWEEP -> "Sweeping";
      case INFERENCE -> "Serving";
    };
  }

  private Optional<Breach> earlyStopping(Policy policy, Run run) {
    Schedule s = run.schedule();
    if (s == null || s.earlyStopping() || (run.sweep() != null && run.sweep().earlyTermination())) {
      return Optional.empty();
    }
    SourceRange where = s.epochsRange() != null && !s.epochsRange().isNone() ? s.epochsRange()
        : s.maxStepsRange() != null && !s.maxStepsRange().isNone() ? s.maxStepsRange() : run.range();
    String length = s.hasStepLimit() ? s.maxSteps() + (s.maxSteps() == 1 ? " step" : " steps")
        : Figures.format(s.plannedEpochs()) + (s.plannedEpochs() == 1 ? " epoch" : " epochs");
    return Optional.of(new Breach(where,
        length + " with no early stopping; team policy " + policy.id() + " requires early stopping.",
        new ProposedChange.AddEarlyStopping()));
  }

  private Optional<Breach> sweepSize(Policy policy, Policy.MaxSweepSize l, Run run) {
    if (run.sweep() == null || run.sweep().plannedTrials() == null || run.sweep().plannedTrials() <= l.trials()) {
      return Optional.empty();
    }
    String what = run.sweep().trials() != null ? "a budget of " + run.sweep().trials() + " trials"
        : "a " + run.sweep().method() + " of " + run.sweep().plannedTrials() + " combinations";
    return Optional.of(new Breach(run.sweep().range(),
        "The sweep runs " + what + "; team policy " + policy.id() + " allows at most " + l.trials() + " trials.",
        new ProposedChange.SearchRandomly(l.trials())));
  }

  private Optional<Breach> devices(Policy policy, Policy.MaxDevices l, Run run) {
    if (run.devices() == null || run.devices().count() <= l.devices()) {
      return Optional.empty();
    }
    return Optional.of(new Breach(run.devices().range(),
        run.devices().count() + " accelerators in one run (" + run.devices().derivation() + "); team policy "
            + policy.id() + " allows at most " + l.devices() + " without sign-off.",
        new ProposedChange.UseDevices(l.devices())));
  }

  /**
   * Only when the hours come from the config (stated, or computed from model and data): a footprint on
   * the default duration is a placeholder, not evidence. No single change is implied, so none is proposed.
   */
  private Optional<Breach> footprint(Policy policy, Policy.MaxRunKgCO2e l, Run run) {
    Footprint f = footprint.apply(run);
    if (f == null || f.hoursBasis() == HoursBasis.DEFAULT || f.totalKgCO2e() <= l.kgCO2e()) {
      return Optional.empty();
    }
    return Optional.of(new Breach(run.range(),
        "Estimated " + Figures.format(f.totalKgCO2e()) + " kgCO2e for this run; team policy " + policy.id()
            + " allows at most " + Figures.format(l.kgCO2e()) + " per run.",
        null));
  }
}
