package dev.carbonlens.rules;

import dev.carbonlens.model.FineTuning;
import dev.carbonlens.model.Run;
import dev.carbonlens.reference.AcceleratorSpec;

/**
 * The accelerator memory a training run's model states take, for the utilization rules: enough to
 * tell a model that clearly leaves memory to spare, never an exact budget (activations, buffers and
 * fragmentation come on top).
 *
 * <p>Mixed-precision Adam keeps 16 bytes per parameter: 16-bit weights (2) and gradients (2), and
 * fp32 master weights, momentum and variance (4 + 4 + 4) (Rajbhandari et al. 2020, ZeRO, sec. 3.1).
 * Under LoRA and other adapters the frozen weights dominate: 2 bytes per parameter in 16 bits (the
 * adapters and their optimizer states are a fraction of a percent of the model).
 */
public final class TrainingMemory {
  /** Bytes per parameter of mixed-precision Adam training (ZeRO, sec. 3.1). */
  public static final double FULL_TRAINING_BYTES = 16;
  /** Bytes per parameter of frozen 16-bit weights under parameter-efficient fine-tuning. */
  public static final double FROZEN_WEIGHT_BYTES = 2;

  /**
   * A stated token budget from which a run is pretraining at scale (100B tokens: about a week of 8
   * A100s even for a 1B model at 6·N·D), where many devices buy wall-clock time no single node gives.
   */
  public static final long PRETRAINING_TOKENS = 100_000_000_000L;

  private TrainingMemory() {}

  /** All parameters of the model in billions (every expert of a mixture sits in memory), else null. */
  public static Double parametersB(Run run) {
    if (run.model() == null) {
      return null;
    }
    Double total = run.model().totalBillionParameters();
    return total != null ? total : run.model().billionParameters();
  }

  /** GB of weights, gradients and optimizer states on one device without sharding; null when the size is unknown. */
  public static Double statesGb(Run run) {
    Double b = parametersB(run);
    if (b == null) {
      return null;
    }
    FineTuning ft = run.fineTuning();
    boolean adapters = ft != null && ft.isParameterEfficient() && !"freeze".equals(ft.method());
    return b * (adapters ? FROZEN_WEIGHT_BYTES : FULL_TRAINING_BYTES);
  }

  /** GB of full mixed-precision Adam states spread over every device (ZeRO-3 sharding); null when unknown. */
  public static Double shardedStatesGb(Run run) {
    Double b = parametersB(run);
    return b == null ? null : b * FULL_TRAINING_BYTES / run.deviceCount();
  }

  /** GB of memory of one device: the named accelerator's, else the smallest current training GPU's ({@code floor}). */
  public static double memoryGb(Run run, AcceleratorSpec floor) {
    return run.accelerator() != null ? run.accelerator().spec().memoryGb() : floor.memoryGb();
  }

  /** "0.1B" / "7B": a model size for messages. */
  public static String size(Run run) {
    Double b = parametersB(run);
    return b == null ? "?" : dev.carbonlens.estimate.Figures.format(b) + "B";
  }

  /** "1.8 GB": a figure in GB for messages. */
  public static String gb(Double value) {
    return value == null ? "?" : dev.carbonlens.estimate.Figures.format(value) + " GB";
  }
}
