package dev.carbonlens.estimate;

import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.Workload;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.SourcedValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place figures are computed. A run's footprint:
 *
 * <pre>
 *   hours       = work FLOPs / (devices x effective FLOP/s)      (or as stated, or the default)
 *   energy      = devices x TDP x load x hours x PUE
 *   operational = energy x grid intensity
 *   embodied    = devices x kgCO2e per device x hours / lifetime
 * </pre>
 *
 * and a finding's savings are estimate(run) - estimate(run with the proposed change), with the same
 * amount of work on both sides unless the change alters it.
 */
public final class Estimator {
  private static final double HOURS_PER_YEAR = 24 * 365;
  private static final double SECONDS_PER_HOUR = 3600;

  private final ReferenceData reference;
  private final EstimatorSettings settings;

  public Estimator(ReferenceData reference, EstimatorSettings settings) {
    this.reference = reference;
    this.settings = settings;
  }

  public EstimatorSettings settings() {
    return settings;
  }

  public Footprint estimate(Run run) {
    return footprint(run, work(run, null));
  }

  /**
   * Prices a change; empty when its effect cannot be estimated from what the config says (then the
   * finding's savings are reported as null rather than guessed).
   */
  public Optional<Savings> savings(Run run, ProposedChange change) {
    return savings(run, List.of(change));
  }

  /**
   * Prices several changes made together (e.g. every finding of a run fixed at once). Changes that
   * cannot be priced are left out; empty when none can.
   */
  public Optional<Savings> savings(Run run, List<ProposedChange> changes) {
    Work before = work(run, null);
    Run changed = run;
    boolean priced = false;
    for (ProposedChange change : changes) {
      if (!isPriceable(run, change, before)) {
        continue;
      }
      changed = change.applyTo(changed);
      priced = true;
    }
    if (!priced) {
      return Optional.empty();
    }
    Work after = work(changed, before);
    return Optional.of(Savings.between(footprint(run, before), footprint(changed, after)));
  }

  private boolean isPriceable(Run run, ProposedChange change, Work before) {
    if (change instanceof ProposedChange.KeepCheckpoints) {
      return false; // storage only: no energy model for it yet
    }
    if (change instanceof ProposedChange.EvaluateEvery) {
      // Only when the evaluation cost is known on both sides.
      return before.evalFlops() != null && work(change.applyTo(run), before).evalFlops() != null;
    }
    return true;
  }

  /** The compute a run does, in FLOPs, before early stopping cuts it short. */
  private record Work(double plannedTrainFlops, Double evalFlops, HoursBasis basis, List<Assumption> assumptions) {}

  private Work work(Run run, Work asWritten) {
    Hardware hw = hardware(run);
    if (asWritten != null && asWritten.basis() != HoursBasis.COMPUTED) {
      // A stated or default duration fixes the amount of work of the run as written; the change
      // only alters how fast or where it is done.
      return asWritten;
    }
    if (run.duration() != null) {
      double flops = run.duration().hours() * SECONDS_PER_HOUR * hw.devices() * hw.flopsPerSecond();
      return new Work(flops, null, HoursBasis.STATED,
          List.of(new Assumption("hours", Figures.format(run.duration().hours()), "stated in the config")));
    }
    Optional<Work> computed = computedWork(run);
    if (computed.isPresent()) {
      return computed.get();
    }
    double flops = settings.defaultHours() * SECONDS_PER_HOUR * hw.devices() * hw.flopsPerSecond()
        / stopFactor(run);
    return new Work(flops, null, HoursBasis.DEFAULT, List.of(new Assumption("hours",
        Figures.format(settings.defaultHours()),
        "default: the config states no duration and too little to derive one (model size and tokens)")));
  }

  /** 6·N·D for training (FACTS F21), plus 2·N per evaluated token. */
  private Optional<Work> computedWork(Run run) {
    if (run.model() == null || run.model().billionParameters() == null) {
      return Optional.empty();
    }
    double parameters = run.model().billionParameters() * 1e9;
    Workload w = run.workload();
    Schedule s = run.schedule();
    if (s == null || w.sequenceLength() == null) {
      return Optional.empty();
    }
    List<Assumption> assumptions = new ArrayList<>();
    Double tokens = null;
    Long globalBatch = globalBatch(run);
    if (s.hasStepLimit() && globalBatch != null) {
      tokens = (double) s.maxSteps() * globalBatch * w.sequenceLength();
      assumptions.add(new Assumption("training tokens", Figures.format(tokens),
          s.maxSteps() + " steps x global batch " + globalBatch + " x sequence length " + w.sequenceLength()));
    } else if (s.plannedEpochs() > 0 && w.trainSamples() != null) {
      tokens = s.plannedEpochs() * w.trainSamples() * w.sequenceLength();
      assumptions.add(new Assumption("training tokens", Figures.format(tokens),
          Figures.format(s.plannedEpochs()) + " epochs x " + w.trainSamples() + " samples x sequence length "
              + w.sequenceLength() + " (samples assumed padded or packed to the full length)"));
    }
    if (tokens == null) {
      return Optional.empty();
    }
    assumptions.add(new Assumption("training compute", Figures.format(6 * parameters * tokens) + " FLOPs",
        "6 x " + Figures.format(run.model().billionParameters()) + "B parameters x tokens (Kaplan et al. 2020; FACTS F21)"));
    Double evalFlops = evalFlops(run, parameters, assumptions);
    return Optional.of(new Work(6 * parameters * tokens, evalFlops, HoursBasis.COMPUTED, assumptions));
  }

  /** Forward-only FLOPs of all evaluations, null when the eval set or step count is unknown. */
  private Double evalFlops(Run run, double parameters, List<Assumption> assumptions) {
    Evaluation ev = run.evaluation();
    if (ev == null || "no".equals(ev.strategy())) {
      return 0.0;
    }
    Workload w = run.workload();
    Long evalSamples = w.evalSamples();
    if (evalSamples == null && w.trainSamples() != null) {
      evalSamples = Math.round(w.trainSamples() * settings.evalSetFraction());
      assumptions.add(new Assumption("eval set", evalSamples + " samples",
          Figures.percent(settings.evalSetFraction())
              + " of the training set (transformers run_clm.py default validation split)"));
    }
    if (evalSamples == null || w.sequenceLength() == null) {
      return null;
    }
    Double evaluations = null;
    if ("epoch".equals(ev.strategy()) && run.schedule() != null && run.schedule().plannedEpochs() > 0) {
      evaluations = Math.ceil(run.schedule().plannedEpochs());
    } else if (ev.bySteps()) {
      Double steps = totalSteps(run);
      if (steps != null) {
        evaluations = Math.floor(steps / ev.everySteps());
      }
    }
    if (evaluations == null) {
      return null;
    }
    double flops = evaluations * 2 * parameters * evalSamples * w.sequenceLength();
    assumptions.add(new Assumption("evaluation compute", Figures.format(flops) + " FLOPs",
        Figures.format(evaluations) + " evaluations x " + evalSamples + " samples x 2 x parameters x sequence length (forward only)"));
    return flops;
  }

  private Double totalSteps(Run run) {
    Schedule s = run.schedule();
    if (s == null) {
      return null;
    }
    if (s.hasStepLimit()) {
      return (double) s.maxSteps();
    }
    Long globalBatch = globalBatch(run);
    if (s.plannedEpochs() > 0 && run.workload().trainSamples() != null && globalBatch != null) {
      return s.plannedEpochs() * Math.ceil((double) run.workload().trainSamples() / globalBatch);
    }
    return null;
  }

  private static Long globalBatch(Run run) {
    Workload w = run.workload();
    if (w.perDeviceBatch() == null) {
      return null;
    }
    long accumulation = w.gradientAccumulation() == null ? 1 : w.gradientAccumulation();
    return (long) w.perDeviceBatch() * accumulation * run.deviceCount();
  }

  private double stopFactor(Run run) {
    return run.schedule() != null && run.schedule().earlyStopping() ? settings.earlyStopFraction() : 1.0;
  }

  private Footprint footprint(Run run, Work work) {
    Hardware hw = hardware(run);
    Placement place = placement(run);
    double flops = work.basis() == HoursBasis.STATED
        ? work.plannedTrainFlops()
        : (work.plannedTrainFlops() + (work.evalFlops() == null ? 0 : work.evalFlops())) * stopFactor(run);
    double hours = flops / (hw.devices() * hw.flopsPerSecond() * SECONDS_PER_HOUR);
    AcceleratorSpec spec = hw.spec();
    double powerKw = spec.tdpWatts() * settings.powerLoadFactor() / 1000;
    double energy = hw.devices() * powerKw * hours * place.pue().value();
    double operational = energy * place.intensity().value() / 1000;
    double lifetimeHours = settings.hardwareLifetimeYears() * HOURS_PER_YEAR;
    double embodied = hw.devices() * spec.embodiedKgCO2e() * hours / lifetimeHours;

    List<Assumption> assumptions = new ArrayList<>(hw.assumptions());
    assumptions.addAll(work.assumptions());
    if (work.basis() != HoursBasis.STATED && stopFactor(run) < 1) {
      assumptions.add(new Assumption("early stopping", "training assumed to stop after "
          + Figures.percent(settings.earlyStopFraction()) + " of the planned schedule",
          "CarbonLens default, not a published figure: the real point depends on the validation curve"));
    }
    if (work.basis() == HoursBasis.COMPUTED) {
      assumptions.add(new Assumption("hours", Figures.format(hours), "compute / (devices x effective throughput)"));
    }
    assumptions.add(new Assumption("power", Figures.format(spec.tdpWatts() * settings.powerLoadFactor())
        + " W per device = TDP " + Figures.format(spec.tdpWatts()) + " W x load " + Figures.format(settings.powerLoadFactor()),
        "TDP: " + spec.specSource() + "; load: devices drawn at TDP as in Luccioni et al. 2022 (BLOOM), an upper bound"));
    assumptions.add(new Assumption("PUE", Figures.format(place.pue().value()), place.pue().source() + ", " + place.pue().year()));
    assumptions.add(new Assumption("grid intensity", Figures.format(place.intensity().value()) + " gCO2e/kWh",
        place.intensity().source() + ", " + place.intensity().year()));
    assumptions.add(new Assumption("embodied", Figures.format(spec.embodiedKgCO2e()) + " kgCO2e per device over "
        + Figures.format(settings.hardwareLifetimeYears()) + " years",
        spec.embodiedSource() + "; lifetime: Cloud Carbon Footprint and Impact Framework default (FACTS F10)"));
    assumptions.add(new Assumption("boundary", "accelerator boards only",
        "host CPUs, memory, networking and storage are not counted"));
    return new Footprint(spec.id(), hw.devices(), powerKw, hours, work.basis(), place.pue().value(),
        place.intensity().value(), energy, operational, embodied, List.copyOf(assumptions));
  }

  private record Hardware(AcceleratorSpec spec, int devices, double flopsPerSecond, List<Assumption> assumptions) {}

  private Hardware hardware(Run run) {
    List<Assumption> assumptions = new ArrayList<>();
    AcceleratorSpec spec;
    if (run.accelerator() != null) {
      spec = run.accelerator().spec();
      assumptions.add(new Assumption("accelerator", spec.id(), "as written: " + run.accelerator().written()));
    } else {
      spec = reference.accelerator(settings.defaultAccelerator()).orElseThrow(
          () -> new IllegalStateException("default accelerator not in the table: " + settings.defaultAccelerator()));
      assumptions.add(new Assumption("accelerator", spec.id(), "default: the config names no accelerator"));
    }
    int devices = run.deviceCount();
    assumptions.add(new Assumption("devices", String.valueOf(devices),
        run.devices() == null ? "default: the config states no count" : run.devices().derivation()));
    Precision precision;
    if (run.precision() != null) {
      precision = run.precision().precision();
    } else {
      // Unknown (e.g. set inside a launch script we do not read): assume the usual mixed
      // precision, which keeps the footprint, and so any saving claimed from it, on the low side.
      precision = spec.supportsBf16() ? Precision.BF16 : Precision.FP16;
      assumptions.add(new Assumption("precision", precision.label() + " mixed",
          "assumed: the config does not say, and mixed precision is the common choice"));
    }
    double tflops = effectiveTflops(spec, precision, assumptions);
    return new Hardware(spec, devices, tflops * 1e12, assumptions);
  }

  /** Peak at the run's precision times MFU; fp32 on tensor-core parts is the mixed peak / speedup. */
  private double effectiveTflops(AcceleratorSpec spec, Precision precision, List<Assumption> assumptions) {
    Double reduced = reducedPeak(spec, precision);
    double peak;
    String how;
    if (precision == Precision.FP32 || reduced == null || !spec.tensorCores()) {
      if (spec.tensorCores() && reduced != null) {
        peak = reduced / settings.mixedPrecisionSpeedup();
        how = "fp32 taken as " + Figures.format(settings.mixedPrecisionSpeedup())
            + "x slower than the " + Figures.format(reduced)
            + " TFLOPS 16-bit tensor peak (NVIDIA AMP: up to 3x; FACTS F17)";
      } else {
        peak = firstNonNull(spec.fp32Tflops(), spec.fp16Tflops(), spec.bf16Tflops());
        how = "fp32 peak, no tensor-core speed-up";
      }
    } else {
      peak = reduced;
      how = precision.label() + " tensor peak";
    }
    double effective = peak * settings.modelFlopsUtilisation();
    assumptions.add(new Assumption("throughput", Figures.format(effective) + " TFLOPS per device",
        Figures.format(peak) + " TFLOPS peak (" + how + ") x MFU " + Figures.format(settings.modelFlopsUtilisation())
            + " (typical for modern training stacks, FACTS F23)"));
    return effective;
  }

  private static Double reducedPeak(AcceleratorSpec spec, Precision precision) {
    if (precision == Precision.FP8 && spec.fp8Tflops() != null) {
      return spec.fp8Tflops();
    }
    if (precision == Precision.BF16 && spec.bf16Tflops() != null) {
      return spec.bf16Tflops();
    }
    if (spec.fp16Tflops() != null) {
      return spec.fp16Tflops();
    }
    return spec.bf16Tflops();
  }

  private static double firstNonNull(Double... values) {
    for (Double v : values) {
      if (v != null) {
        return v;
      }
    }
    throw new IllegalStateException("accelerator has no throughput figure");
  }

  private record Placement(SourcedValue pue, SourcedValue intensity) {}

  private Placement placement(Run run) {
    if (run.region() != null) {
      var r = run.region().spec();
      return new Placement(new SourcedValue(r.pue(), r.pueSource(), r.pueYear()),
          new SourcedValue(r.gridIntensity(), r.gridSource() + " for " + r.key(), r.gridYear()));
    }
    SourcedValue world = reference.worldAverageIntensity();
    SourcedValue intensity = new SourcedValue(world.value(),
        "world average (the config names no region): " + world.source(), world.year());
    String provider = run.provider();
    SourcedValue pue = provider == null ? reference.onPremPue() : reference.providerPue(provider);
    return new Placement(pue, intensity);
  }
}
