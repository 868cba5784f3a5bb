package dev.carbonlens.estimate;

import dev.carbonlens.model.FineTuning;
import dev.carbonlens.model.Option;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Serving;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Sweep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How much work a run does relative to one plain pass of its training (or one reserved serving
 * deployment), from the choices that scale it: LoRA instead of full fine-tuning, activation
 * recomputation, the trials of a sweep, several runs a day, and for serving the tokens each device
 * can deliver. The estimator multiplies its base compute by this factor, so a change to any of
 * these choices is priced by the ratio of the two factors and nothing else.
 */
final class WorkFactors {
  /** The settings whose change the estimator can price (others: savings null). */
  static final Set<String> MODELLED_OPTIONS = Set.of(Options.TF32, Options.GRADIENT_CHECKPOINTING);

  /**
   * Backward without weight gradients: LoRA keeps the frozen weights' activation gradients (2·N·D)
   * and skips their weight gradients (2·N·D) of the 6·N·D (Kaplan et al. 2020, sec. 2.1).
   */
  static final double FROZEN_BASE_SHARE = 4.0 / 6.0;
  /** Recomputing activations costs one more forward pass: 8·N·D instead of 6·N·D (Chen et al. 2016). */
  static final double RECOMPUTATION = 8.0 / 6.0;
  /** Width/depth of a transformer from its size: N ≈ 12·L·d² with d ≈ 128·L (Kaplan et al. 2020, table 1 / fig. 5). */
  static final double ASPECT_RATIO = 128;
  /** LoRA on the four attention projections (q, k, v, o), as the LoRA paper's widest setting. */
  static final int ADAPTED_MATRICES_PER_LAYER = 4;
  /**
   * Concurrent sequences up to which decoding stays memory-bound, so throughput grows with the
   * batch: the roofline ridge of current GPUs is above 100 (A100: 312 TFLOPS / 2 TB/s ≈ 156 FLOPs
   * per byte; Pope et al. 2022, Yuan et al. 2024); 64 leaves room for KV-cache traffic.
   */
  static final int MEMORY_BOUND_BATCH = 64;

  private final EstimatorSettings settings;

  WorkFactors(EstimatorSettings settings) {
    this.settings = settings;
  }

  record Factor(double factor, List<Assumption> assumptions) {}

  /**
   * @param computed true when the base compute is 6·N·D, which already counts the parameters; else
   *     the base is a duration, and a model of another size scales it by the parameter ratio
   */
  Factor relativeWork(Run run, boolean computed) {
    List<Assumption> assumptions = new ArrayList<>();
    double factor = 1;
    if (run.stage() == Stage.INFERENCE) {
      factor /= servingCapacity(run, assumptions);
      return new Factor(factor, assumptions);
    }
    if (!computed && run.model() != null && run.model().billionParameters() != null) {
      factor *= run.model().billionParameters();
    }
    FineTuning ft = run.fineTuning();
    if (ft != null && ft.isParameterEfficient() && isLowRank(ft)) {
      double adapterShare = adapterShare(run, ft, assumptions);
      factor *= FROZEN_BASE_SHARE + adapterShare;
      assumptions.add(new Assumption("fine-tuning", ft.method() + ": compute x " + Figures.format(FROZEN_BASE_SHARE + adapterShare),
          "frozen weights need activation gradients but no weight gradients: 4 of the 6 FLOPs per parameter"
              + " and token (Kaplan et al. 2020); adapters add 6 x their own parameters"
              + (ft.method().toLowerCase(Locale.ROOT).contains("q") ? "; 4-bit dequantisation overhead not counted" : "")));
    }
    Option recompute = run.option(Options.GRADIENT_CHECKPOINTING);
    if (recompute != null && recompute.isTrue()) {
      factor *= RECOMPUTATION;
      assumptions.add(new Assumption("gradient checkpointing", "compute x " + Figures.format(RECOMPUTATION),
          "activations recomputed in the backward pass: one more forward, 8 instead of 6 FLOPs per parameter"
              + " and token (Chen et al. 2016)"));
    }
    Sweep sweep = run.sweep();
    if (sweep != null && sweep.plannedTrials() != null && sweep.plannedTrials() > 1) {
      double trials = sweep.plannedTrials();
      factor *= trials;
      String how = sweep.trials() != null ? "trial budget as written" : "every combination of the grid";
      if (sweep.earlyTermination()) {
        factor *= settings.earlyStopFraction();
        how += "; with early termination each trial assumed to run " + Figures.percent(settings.earlyStopFraction())
            + " of its schedule (CarbonLens default, as for early stopping)";
      }
      assumptions.add(new Assumption("trials", Figures.format(trials), how));
    }
    if (run.recurrence() != null && run.recurrence().runsPerDay() != null && run.recurrence().runsPerDay() > 1) {
      double perDay = run.recurrence().runsPerDay();
      factor *= perDay;
      assumptions.add(new Assumption("recurrence", Figures.format(perDay) + " runs a day (" + run.recurrence().expression() + ")",
          "a job run several times a day is estimated for one day of runs"));
    }
    return new Factor(factor, assumptions);
  }

  private static boolean isLowRank(FineTuning ft) {
    String m = ft.method().toLowerCase(Locale.ROOT);
    return m.contains("lora") || m.contains("dora") || m.equals("peft") || m.contains("adapter") || m.contains("loha")
        || m.contains("lokr");
  }

  /** Adapter parameters over model parameters: r·d²/16 over 12·d³/128, i.e. 2·r / (3·d). */
  private static double adapterShare(Run run, FineTuning ft, List<Assumption> assumptions) {
    if (ft.loraRank() == null || run.model() == null || run.model().totalBillionParameters() == null) {
      return 0;
    }
    double n = run.model().totalBillionParameters() * 1e9;
    double width = Math.cbrt(ASPECT_RATIO * n / 12);
    double share = 2.0 * ft.loraRank() / (3 * width);
    assumptions.add(new Assumption("adapters", Figures.percent(share) + " of the model's parameters at rank " + ft.loraRank(),
        "2 x rank x width x " + ADAPTED_MATRICES_PER_LAYER + " matrices x layers, width " + Math.round(width)
            + " from N = 12 x layers x width^2 with width = 128 x layers (Kaplan et al. 2020)"));
    return share;
  }

  /**
   * Tokens a device serves, relative to 16-bit weights at a batch that keeps decoding memory-bound:
   * decode reads every weight once per step, so throughput scales with 1 / bytes per weight and,
   * below the roofline ridge, with the number of sequences batched together.
   */
  private static double servingCapacity(Run run, List<Assumption> assumptions) {
    Serving sv = run.serving();
    if (sv == null) {
      return 1;
    }
    double bytes = bytesPerWeight(sv);
    int batch = sv.maxBatch() == null || sv.maxBatch() < 1 ? MEMORY_BOUND_BATCH : Math.min(sv.maxBatch(), MEMORY_BOUND_BATCH);
    double capacity = (2.0 / bytes) * ((double) batch / MEMORY_BOUND_BATCH);
    if (capacity != 1) {
      assumptions.add(new Assumption("serving throughput", "x " + Figures.format(capacity)
          + " of 16-bit weights at a full batch (" + Figures.format(bytes) + " bytes per weight, up to " + batch
          + " sequences at once)", "decoding is memory-bound: each step reads every weight once, so tokens per"
              + " device-hour scale with 1 / bytes per weight and with the batch up to " + MEMORY_BOUND_BATCH
              + " (roofline: Pope et al. 2022; Yuan et al. 2024); the same traffic needs proportionally fewer device-hours"));
    }
    return capacity;
  }

  static double bytesPerWeight(Serving sv) {
    String q = sv.quantization() == null ? "" : sv.quantization().toLowerCase(Locale.ROOT);
    if (q.contains("awq") || q.contains("gptq") || q.contains("4bit") || q.contains("bitsandbytes-nf4")
        || q.contains("nf4") || q.contains("int4") || q.contains("marlin") || q.contains("exl2")) {
      return 0.5;
    }
    if (q.contains("fp8") || q.contains("int8") || q.contains("8bit") || q.contains("eetq") || q.contains("bitsandbytes")
        || q.contains("squeezellm") || q.contains("smoothquant")) {
      return 1;
    }
    String d = sv.dtype() == null ? "" : sv.dtype().toLowerCase(Locale.ROOT);
    if (d.contains("32")) {
      return 4;
    }
    return 2;
  }
}
