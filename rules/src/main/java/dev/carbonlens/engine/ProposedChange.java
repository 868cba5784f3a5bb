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
}
