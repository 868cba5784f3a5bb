package dev.carbonlens.engine;

import dev.carbonlens.model.AcceleratorChoice;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.RegionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.RegionSpec;

/**
 * What a rule proposes instead of the choice it flags. Rules only say what to change; the estimator
 * prices `estimate(run) - estimate(applyTo(run))`, and each format's writer turns the change into
 * text edits.
 */
public sealed interface ProposedChange {

  /** A short imperative title, e.g. "Use bf16 mixed precision". */
  String title();

  /** The same run with this change made. */
  Run applyTo(Run run);

  record UsePrecision(Precision precision) implements ProposedChange {
    @Override
    public String title() {
      return "Use " + precision.label() + " mixed precision";
    }

    @Override
    public Run applyTo(Run run) {
      SourceRange where = run.precision() == null ? run.range() : run.precision().range();
      return run.withPrecision(new PrecisionChoice(precision, true, where));
    }
  }

  record MoveToRegion(RegionSpec region) implements ProposedChange {
    @Override
    public String title() {
      return "Run in " + region.id() + " (" + region.displayName() + ")";
    }

    @Override
    public Run applyTo(Run run) {
      SourceRange where = run.region() == null ? run.range() : run.region().range();
      return run.withRegion(new RegionChoice(region, region.id(), where));
    }
  }

  record UseAccelerator(AcceleratorSpec accelerator) implements ProposedChange {
    @Override
    public String title() {
      return "Use " + accelerator.id();
    }

    @Override
    public Run applyTo(Run run) {
      SourceRange where = run.accelerator() == null ? run.range() : run.accelerator().range();
      return run.withAccelerator(new AcceleratorChoice(accelerator, accelerator.id(), where));
    }
  }

  record AddEarlyStopping() implements ProposedChange {
    @Override
    public String title() {
      return "Stop early when the validation metric stops improving";
    }

    @Override
    public Run applyTo(Run run) {
      return run.schedule() == null ? run : run.withSchedule(run.schedule().withEarlyStopping(true));
    }
  }

  record EvaluateEvery(long steps) implements ProposedChange {
    @Override
    public String title() {
      return "Evaluate every " + steps + " steps";
    }

    @Override
    public Run applyTo(Run run) {
      SourceRange where = run.evaluation() == null ? run.range() : run.evaluation().range();
      return run.withEvaluation(new Evaluation("steps", steps, where));
    }
  }

  /** Keeps only the last checkpoints; changes storage, not compute, so it has no energy price. */
  record KeepCheckpoints(int keepLast) implements ProposedChange {
    @Override
    public String title() {
      return "Keep only the last " + keepLast + " checkpoints";
    }

    @Override
    public Run applyTo(Run run) {
      var ckpt = run.checkpointing();
      return ckpt == null ? run : run.withCheckpointing(
          new dev.carbonlens.model.Checkpointing(ckpt.strategy(), ckpt.everySteps(), keepLast, ckpt.range()));
    }
  }

  /**
   * Sets one named setting ({@link dev.carbonlens.model.Options}). Priced only for the settings the
   * estimator models (TF32, gradient checkpointing); for the others the finding's savings are null.
   */
  record SetOption(String name, String value, String title) implements ProposedChange {
    @Override
    public Run applyTo(Run run) {
      return run.withOption(name, value);
    }
  }

  /** Replace full fine-tuning with LoRA adapters of this rank. */
  record UseLora(int rank) implements ProposedChange {
    @Override
    public String title() {
      return "Fine-tune with LoRA (rank " + rank + ") instead of all weights";
    }

    @Override
    public Run applyTo(Run run) {
      SourceRange where = run.fineTuning() == null ? run.range() : run.fineTuning().range();
      return run.withFineTuning(new dev.carbonlens.model.FineTuning("lora", rank, where));
    }
  }

  /** Keep the parameter-efficient method, with a smaller adapter rank. */
  record UseLoraRank(int rank) implements ProposedChange {
    @Override
    public String title() {
      return "Use LoRA rank " + rank;
    }

    @Override
    public Run applyTo(Run run) {
      var ft = run.fineTuning();
      return ft == null ? run : run.withFineTuning(new dev.carbonlens.model.FineTuning(ft.method(), rank, ft.range()));
    }
  }

  /** A smaller model for the same task and data. */
  record UseModel(String id, double billionParameters) implements ProposedChange {
    @Override
    public String title() {
      return "Use " + id + " (" + dev.carbonlens.estimate.Figures.format(billionParameters) + "B parameters)";
    }

    @Override
    public Run applyTo(Run run) {
      SourceRange where = run.model() == null ? run.range() : run.model().range();
      return run.withModel(new dev.carbonlens.model.ModelChoice(id, billionParameters, billionParameters,
          "proposed", where));
    }
  }

  /** The compute-optimal model size and token count reaching the same loss (Hoffmann et al. 2022). */
  record TrainComputeOptimal(double billionParameters, double tokens) implements ProposedChange {
    @Override
    public String title() {
      return "Train a " + dev.carbonlens.estimate.Figures.format(billionParameters) + "B model on "
          + dev.carbonlens.estimate.Figures.format(tokens / 1e9) + "B tokens (compute-optimal for the same loss)";
    }

    @Override
    public Run applyTo(Run run) {
      SourceRange where = run.model() == null ? run.range() : run.model().range();
      var w = run.workload();
      return run.withModel(new dev.carbonlens.model.ModelChoice(run.model() == null ? "model" : run.model().id(),
              billionParameters, billionParameters, "compute-optimal size", where))
          .withWorkload(new dev.carbonlens.model.Workload(w.trainSamples(), w.evalSamples(), w.sequenceLength(),
              w.perDeviceBatch(), w.gradientAccumulation(), Math.round(tokens), w.globalBatch()));
    }
  }

  /** Random search with this trial budget instead of the whole grid (Bergstra and Bengio 2012). */
  record SearchRandomly(long trials) implements ProposedChange {
    @Override
    public String title() {
      return "Search randomly with " + trials + " trials instead of the full grid";
    }

    @Override
    public Run applyTo(Run run) {
      var sw = run.sweep();
      return sw == null ? run : run.withSweep(new dev.carbonlens.model.Sweep("random", sw.combinations(), trials,
          sw.earlyTermination(), sw.range()));
    }
  }

  /** Stop unpromising trials early (Hyperband / ASHA / median stopping). */
  record AddEarlyTermination() implements ProposedChange {
    @Override
    public String title() {
      return "Stop unpromising trials early (Hyperband)";
    }

    @Override
    public Run applyTo(Run run) {
      var sw = run.sweep();
      return sw == null ? run : run.withSweep(new dev.carbonlens.model.Sweep(sw.method(), sw.combinations(),
          sw.trials(), true, sw.range()));
    }
  }

  /** Serve the weights in another dtype or quantisation (`bfloat16`, `awq`, `fp8`). */
  record ServeWeightsAs(String dtype, String quantization) implements ProposedChange {
    @Override
    public String title() {
      return quantization != null ? "Serve " + quantization + "-quantised weights" : "Serve weights in " + dtype;
    }

    @Override
    public Run applyTo(Run run) {
      return run.withServing(dev.carbonlens.model.Serving.of(run).withWeights(dtype, quantization));
    }
  }

  /** Let the server batch up to this many concurrent sequences. */
  record BatchRequests(int maxBatch) implements ProposedChange {
    @Override
    public String title() {
      return "Batch up to " + maxBatch + " concurrent requests";
    }

    @Override
    public Run applyTo(Run run) {
      return run.withServing(dev.carbonlens.model.Serving.of(run).withMaxBatch(maxBatch));
    }
  }

  /** Run on this many accelerators. */
  record UseDevices(int count) implements ProposedChange {
    @Override
    public String title() {
      return "Use " + count + (count == 1 ? " accelerator" : " accelerators");
    }

    @Override
    public Run applyTo(Run run) {
      SourceRange where = run.devices() == null ? run.range() : run.devices().range();
      return run.withDevices(new dev.carbonlens.model.DeviceCount(count, "proposed", where));
    }
  }

  /** Run a recurring job this many times a day (e.g. 1: daily). */
  record RunTimesADay(double runsPerDay, String expression) implements ProposedChange {
    @Override
    public String title() {
      return runsPerDay == 1 ? "Retrain once a day (" + expression + ")"
          : "Run " + dev.carbonlens.estimate.Figures.format(runsPerDay) + " times a day (" + expression + ")";
    }

    @Override
    public Run applyTo(Run run) {
      var rec = run.recurrence();
      SourceRange where = rec == null ? run.range() : rec.range();
      return run.withRecurrence(new dev.carbonlens.model.Recurrence(expression, runsPerDay, where));
    }
  }
}
