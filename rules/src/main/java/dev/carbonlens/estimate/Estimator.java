package dev.carbonlens.estimate;

import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.ModelChoice;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.Workload;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.CountrySpec;
import dev.carbonlens.reference.RegionSpec;
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
  /** Idle draw when the table has none: the CCF/Teads min/max ratio for A100 (46/400), V100 (35/300), T4 (8/70). */
  static final double IDLE_SHARE_OF_TDP = 0.115;
  private static final double LOW_UTILISATION = 0.7;
  private static final double SECONDS_PER_HOUR = 3600;

  private final ReferenceData reference;
  private final EstimatorSettings settings;
  private final WorkFactors factors;

  public Estimator(ReferenceData reference, EstimatorSettings settings) {
    this.reference = reference;
    this.settings = settings;
    this.factors = new WorkFactors(settings);
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
    if (change instanceof ProposedChange.SetOption set) {
      return WorkFactors.MODELLED_OPTIONS.contains(set.name());
    }
    if (change instanceof ProposedChange.UseModel) {
      // A smaller model is priced by its share of the parameters: both sizes must be known.
      return run.model() != null && run.model().billionParameters() != null;
    }
    if (change instanceof ProposedChange.TrainComputeOptimal) {
      return before.basis() == HoursBasis.COMPUTED;
    }
    if (change instanceof ProposedChange.EvaluateEvery) {
      // Only when the evaluation cost is known on both sides.
      return before.evalFlops() != null && work(change.applyTo(run), before).evalFlops() != null;
    }
    return true;
  }

  /** The compute a run does, in FLOPs, before early stopping cuts it short. */
  /**
   * @param reservedFlopsPerSecond for a serving run priced by reserved hours: the written run's
   *     devices x throughput, so that a change of devices or accelerator keeps the reservation's hours
   *     (serving is booked by the hour, not by FLOPs) and only bytes per weight and batching move them
   */
  private record Work(double plannedTrainFlops, Double evalFlops, HoursBasis basis, List<Assumption> assumptions,
      double reservedFlopsPerSecond) {
    Work(double plannedTrainFlops, Double evalFlops, HoursBasis basis, List<Assumption> assumptions) {
      this(plannedTrainFlops, evalFlops, basis, assumptions, 0);
    }
  }

  private Work work(Run run, Work asWritten) {
    Hardware hw = hardware(run);
    if (asWritten != null && asWritten.basis() != HoursBasis.COMPUTED) {
      // A stated or default duration fixes the amount of work of the run as written; the change
      // only alters how fast or where it is done.
      return asWritten;
    }
    if (run.duration() != null) {
      double flops = run.duration().hours() * SECONDS_PER_HOUR * hw.devices() * hw.flopsPerSecond()
          / factors.relativeWork(run, false).factor();
      return new Work(flops, null, HoursBasis.STATED,
          List.of(new Assumption("hours", Figures.format(run.duration().hours()), "stated in the config")),
          hw.devices() * hw.flopsPerSecond());
    }
    Optional<Work> computed = computedWork(run);
    if (computed.isPresent()) {
      return computed.get();
    }
    double flops = settings.defaultHours() * SECONDS_PER_HOUR * hw.devices() * hw.flopsPerSecond()
        / stopFactor(run) / factors.relativeWork(run, false).factor();
    return new Work(flops, null, HoursBasis.DEFAULT, List.of(new Assumption("hours",
        Figures.format(settings.defaultHours()),
        "default: the config states no duration and too little to derive one (model size and tokens)")),
        hw.devices() * hw.flopsPerSecond());
  }

  /** 6·N·D for training (FACTS F21), plus 2·N per evaluated token. */
  private Optional<Work> computedWork(Run run) {
    if (run.model() == null || run.model().billionParameters() == null) {
      return Optional.empty();
    }
    double parameters = run.model().billionParameters() * 1e9;
    Workload w = run.workload();
    Schedule s = run.schedule();
    List<Assumption> assumptions = new ArrayList<>();
    Double tokens = null;
    Long globalBatch = globalBatch(run);
    if (w.trainTokens() != null && w.trainTokens() > 0) {
      tokens = (double) w.trainTokens();
      assumptions.add(new Assumption("training tokens", Figures.format(tokens), "stated token budget"));
    } else if (s != null && s.hasStepLimit() && globalBatch != null && w.sequenceLength() != null) {
      tokens = (double) s.maxSteps() * globalBatch * w.sequenceLength();
      assumptions.add(new Assumption("training tokens", Figures.format(tokens),
          s.maxSteps() + " steps x global batch " + globalBatch + " x sequence length " + w.sequenceLength()));
    } else if (s != null && s.plannedEpochs() > 0 && w.trainSamples() != null && w.sequenceLength() != null) {
      tokens = s.plannedEpochs() * w.trainSamples() * w.sequenceLength();
      assumptions.add(new Assumption("training tokens", Figures.format(tokens),
          Figures.format(s.plannedEpochs()) + " epochs x " + w.trainSamples() + " samples x sequence length "
              + w.sequenceLength() + " (samples assumed padded or packed to the full length)"));
    }
    if (tokens == null) {
      return Optional.empty();
    }
    ModelChoice model = run.model();
    String size = Figures.format(model.billionParameters()) + "B"
        + (model.totalBillionParameters() != null && !model.totalBillionParameters().equals(model.billionParameters())
            ? " active (of " + Figures.format(model.totalBillionParameters()) + "B)" : "")
        + " parameters" + (model.sizeSource() == null ? "" : " [" + model.sizeSource() + "]");
    assumptions.add(new Assumption("training compute", Figures.format(6 * parameters * tokens) + " FLOPs",
        "6 x " + size + " x tokens (Kaplan et al. 2020; FACTS F21)"));
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
    if (w.globalBatch() != null && w.globalBatch() > 0) {
      return (long) w.globalBatch();
    }
    if (w.perDeviceBatch() == null) {
      return null;
    }
    long accumulation = w.gradientAccumulation() == null ? 1 : w.gradientAccumulation();
    return (long) w.perDeviceBatch() * accumulation * run.deviceCount();
  }

  private double stopFactor(Run run) {
    return run.schedule() != null && run.schedule().earlyStopping() ? settings.earlyStopFraction() : 1.0;
  }

  /** The factors the range varies; everything else is the same in all three cases. */
  private record Scenario(double mfuFactor, double utilisation, double lifetimeYears) {}

  private Scenario central() {
    return new Scenario(1.0, settings.utilisation(), settings.hardwareLifetimeYears());
  }

  /** Low footprint: lighter load, better MFU, longer-lived hardware. */
  private Scenario low() {
    return new Scenario(1.25, Math.min(settings.utilisation(), LOW_UTILISATION), Math.max(settings.hardwareLifetimeYears(), 6));
  }

  /** High footprint: devices at TDP, worse MFU, hardware replaced sooner. */
  private Scenario high() {
    return new Scenario(0.75, 1.0, Math.min(settings.hardwareLifetimeYears(), 3));
  }

  private record Figures3(double hours, double powerKw, double energy, double operational, double embodied) {
    double total() {
      return operational + embodied;
    }
  }

  private Figures3 compute(Run run, Work work, Scenario scenario, Placement place) {
    // A stated or default duration is the run's length whatever the MFU: only 6·N·D hours move with it.
    double mfuFactor = work.basis() == HoursBasis.COMPUTED ? scenario.mfuFactor() : 1.0;
    Hardware hw = hardware(run, mfuFactor);
    double relative = factors.relativeWork(run, work.basis() == HoursBasis.COMPUTED).factor();
    double flops = work.basis() == HoursBasis.STATED
        ? work.plannedTrainFlops() * relative
        : (work.plannedTrainFlops() * relative + (work.evalFlops() == null ? 0 : work.evalFlops())) * stopFactor(run);
    boolean reserved = run.stage() == dev.carbonlens.model.Stage.INFERENCE && work.basis() != HoursBasis.COMPUTED
        && work.reservedFlopsPerSecond() > 0;
    double hours = flops / ((reserved ? work.reservedFlopsPerSecond() : hw.devices() * hw.flopsPerSecond())
        * SECONDS_PER_HOUR);
    double powerKw = systemWatts(hw.spec(), scenario.utilisation()) / 1000;
    double energy = hw.devices() * powerKw * hours * place.pue().value();
    double operational = energy * place.intensity().value() / 1000;
    double embodied = hw.devices() * hw.spec().embodiedKgCO2e() * hours / (scenario.lifetimeYears() * HOURS_PER_YEAR);
    return new Figures3(hours, powerKw, energy, operational, embodied);
  }

  /** Accelerator draw (idle + u × (TDP − idle)) plus its share of the host. */
  private double systemWatts(AcceleratorSpec spec, double utilisation) {
    return deviceWatts(spec, utilisation) * (1 + settings.hostOverheadFraction());
  }

  private static double deviceWatts(AcceleratorSpec spec, double utilisation) {
    double idle = idleWatts(spec);
    return idle + utilisation * (spec.tdpWatts() - idle);
  }

  private static double idleWatts(AcceleratorSpec spec) {
    return spec.idleWatts() != null ? spec.idleWatts() : IDLE_SHARE_OF_TDP * spec.tdpWatts();
  }

  private Footprint footprint(Run run, Work work) {
    Placement place = placement(run);
    Figures3 mid = compute(run, work, central(), place);
    Figures3 lo = compute(run, work, low(), place);
    Figures3 hi = compute(run, work, high(), place);
    Hardware hw = hardware(run, 1.0);
    AcceleratorSpec spec = hw.spec();

    List<Assumption> assumptions = new ArrayList<>(hw.assumptions());
    assumptions.addAll(work.assumptions());
    assumptions.addAll(factors.relativeWork(run, work.basis() == HoursBasis.COMPUTED).assumptions());
    if (work.basis() != HoursBasis.STATED && stopFactor(run) < 1) {
      assumptions.add(new Assumption("early stopping", "training assumed to stop after "
          + Figures.percent(settings.earlyStopFraction()) + " of the planned schedule",
          "CarbonLens default, not a published figure: the real point depends on the validation curve"));
    }
    if (work.basis() == HoursBasis.COMPUTED) {
      assumptions.add(new Assumption("hours", Figures.format(mid.hours()), "compute / (devices x effective throughput)"));
    }
    if (run.stage() == dev.carbonlens.model.Stage.INFERENCE) {
      assumptions.add(new Assumption("serving", "devices counted as reserved for the whole period",
          "SCI counts reserved hardware, busy or idle"));
    }
    double idle = idleWatts(spec);
    assumptions.add(new Assumption("power", Figures.format(mid.powerKw() * 1000) + " W per device = ("
        + Figures.format(idle) + " W idle + " + Figures.format(settings.utilisation()) + " x (" + Figures.format(spec.tdpWatts())
        + " W TDP - idle)) x (1 + " + Figures.format(settings.hostOverheadFraction()) + " host)",
        "TDP: " + spec.specSource() + "; idle: "
            + (spec.idleWatts() != null ? "Cloud Carbon Footprint / Teads min watts"
                : "11.5 % of TDP, the CCF/Teads min/max ratio for A100, V100 and T4")
            + "; utilisation 1.0 counts TDP as Luccioni et al. 2022 (BLOOM) do; host: Patterson et al. 2021 "
            + "(330 W measured per 300 W V100)"));
    assumptions.add(new Assumption("PUE", Figures.format(place.pue().value()), place.pue().source() + ", " + place.pue().year()));
    assumptions.add(new Assumption("grid intensity", Figures.format(place.intensity().value()) + " gCO2e/kWh",
        place.intensity().source() + ", " + place.intensity().year()));
    assumptions.add(new Assumption("embodied", Figures.format(spec.embodiedKgCO2e()) + " kgCO2e per device over "
        + Figures.format(settings.hardwareLifetimeYears()) + " years",
        spec.embodiedSource() + "; lifetime: Cloud Carbon Footprint and Impact Framework default (FACTS F10)"));
    assumptions.add(new Assumption("range", Figures.format(lo.total()) + "-" + Figures.format(hi.total()) + " kgCO2e",
        "low: utilisation " + Figures.format(low().utilisation()) + ", MFU +25 %, " + Figures.format(low().lifetimeYears())
            + "-year lifetime; high: utilisation 1, MFU -25 %, " + Figures.format(high().lifetimeYears())
            + "-year lifetime (lifetimes: FACTS F10; MFU and utilisation bands: CarbonLens)"));
    assumptions.add(new Assumption("boundary", "accelerators and their share of the host",
        "networking beyond the host, storage and the building are not counted, except through PUE"));
    Footprint.PerTokens perTokens = perThousandTokens(run, spec, mid, place, assumptions);
    return new Footprint(spec.id(), hw.devices(), mid.powerKw(), mid.hours(), work.basis(), place.pue().value(),
        place.intensity().value(), mid.energy(), mid.operational(), mid.embodied(),
        Math.min(lo.total(), mid.total()), Math.max(hi.total(), mid.total()),
        Math.min(lo.energy(), mid.energy()), Math.max(hi.energy(), mid.energy()),
        perTokens, List.copyOf(assumptions));
  }

  /**
   * Serving: one device serves `t` tokens a second, so 1,000 tokens take 1000 / (t × 3600) of a
   * device-hour, with that hour's energy (power × PUE) and share of embodied carbon.
   */
  private Footprint.PerTokens perThousandTokens(Run run, AcceleratorSpec spec, Figures3 mid, Placement place,
      List<Assumption> assumptions) {
    Double tps = settings.servingTokensPerSecond();
    if (run.stage() != dev.carbonlens.model.Stage.INFERENCE || tps == null) {
      return null;
    }
    double deviceHours = 1000 / (tps * SECONDS_PER_HOUR);
    double energyKWh = mid.powerKw() * place.pue().value() * deviceHours;
    double embodiedKg = spec.embodiedKgCO2e() * deviceHours / (settings.hardwareLifetimeYears() * HOURS_PER_YEAR);
    double grams = energyKWh * place.intensity().value() + embodiedKg * 1000;
    assumptions.add(new Assumption("throughput served", Figures.format(tps) + " tokens/s per device",
        "set by the user from their own benchmark"));
    return new Footprint.PerTokens(energyKWh * 1000, grams, tps);
  }

  private record Hardware(AcceleratorSpec spec, int devices, double flopsPerSecond, List<Assumption> assumptions) {}

  private Hardware hardware(Run run) {
    return hardware(run, 1.0);
  }

  private Hardware hardware(Run run, double mfuFactor) {
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
    var tf32 = run.option(dev.carbonlens.model.Options.TF32);
    boolean cudaCoresOnly = precision == Precision.FP32 && tf32 != null && tf32.isFalse()
        && spec.tensorCores() && spec.tf32Tflops() != null && spec.fp32Tflops() != null;
    double tflops = effectiveTflops(spec, precision, mfuFactor, assumptions, cudaCoresOnly);
    return new Hardware(spec, devices, tflops * 1e12, assumptions);
  }

  /** Peak at the run's precision times MFU; fp32 on tensor-core parts is the mixed peak / speedup. */
  private double effectiveTflops(AcceleratorSpec spec, Precision precision, double mfuFactor, List<Assumption> assumptions,
      boolean cudaCoresOnly) {
    Double reduced = reducedPeak(spec, precision);
    double peak;
    String how;
    if (cudaCoresOnly) {
      // TF32 explicitly off: fp32 matmuls run on the CUDA cores, not the tensor cores.
      peak = spec.fp32Tflops();
      how = "fp32 on CUDA cores: TF32 is turned off in the config";
    } else if (precision == Precision.FP32 || reduced == null || !spec.tensorCores()) {
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
    MfuDefaults.Mfu mfu = settings.mfu() != null
        ? new MfuDefaults.Mfu(settings.mfu(), "set by the user")
        : MfuDefaults.forArchitecture(spec.architecture());
    double utilisation = Math.min(1.0, mfu.value() * mfuFactor);
    double effective = peak * utilisation;
    assumptions.add(new Assumption("throughput", Figures.format(effective) + " TFLOPS per device",
        Figures.format(peak) + " TFLOPS peak (" + how + ") x MFU " + Figures.format(utilisation) + " (" + mfu.source() + ")"));
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

  /** Where the electricity comes from: the run's region, else the default location, else the world average. */
  private Placement placement(Run run) {
    Placement base = basePlacement(run);
    SourcedValue pue = settings.pueOverride() == null ? base.pue()
        : new SourcedValue(settings.pueOverride(), "set by the user", base.pue().year());
    return new Placement(pue, base.intensity());
  }

  private Placement basePlacement(Run run) {
    if (run.region() != null) {
      return regionPlacement(run.region().spec(), "");
    }
    String location = settings.defaultLocation();
    if (location != null && !location.isBlank()) {
      int colon = location.indexOf(':');
      if (colon > 0) {
        Optional<RegionSpec> region = reference.region(location.substring(0, colon), location.substring(colon + 1));
        if (region.isPresent()) {
          return regionPlacement(region.get(), " (default location)");
        }
      } else {
        Optional<CountrySpec> country = reference.country(location);
        if (country.isPresent()) {
          CountrySpec c = country.get();
          String provider = run.provider();
          SourcedValue pue = provider == null ? reference.onPremPue() : reference.providerPue(provider);
          return new Placement(pue, new SourcedValue(c.gridIntensity(),
              c.name() + " (default location): " + c.source(), c.year()));
        }
      }
      throw new IllegalArgumentException("unknown default location: " + location
          + " (a country code such as FR, or provider:region such as aws:us-east-1)");
    }
    SourcedValue world = reference.worldAverageIntensity();
    SourcedValue intensity = new SourcedValue(world.value(),
        "world average (the config names no region): " + world.source(), world.year());
    String provider = run.provider();
    SourcedValue pue = provider == null ? reference.onPremPue() : reference.providerPue(provider);
    return new Placement(pue, intensity);
  }

  private Placement regionPlacement(RegionSpec r, String note) {
    SourcedValue pue = new SourcedValue(r.pue(), r.pueSource(), r.pueYear());
    SourcedValue average = new SourcedValue(r.gridIntensity(), r.gridSource() + " for " + r.key() + note, r.gridYear());
    return new Placement(pue, gridSignal(r, average));
  }

  /** The marginal figure where the settings ask for it and the region has one; the average otherwise. */
  private SourcedValue gridSignal(RegionSpec r, SourcedValue average) {
    if (settings.gridSignal() != GridSignal.MARGINAL) {
      return average;
    }
    if (r.marginalIntensity() != null) {
      return new SourcedValue(r.marginalIntensity(), "marginal: " + r.marginalSource() + " for " + r.key(),
          r.marginalYear());
    }
    return new SourcedValue(average.value(), average.source() + " (average: no marginal figure for this region)",
        average.year());
  }
}
