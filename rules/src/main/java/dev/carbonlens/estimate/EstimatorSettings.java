package dev.carbonlens.estimate;

/**
 * The estimator's defaults: every one is shown as an assumption whenever it is used, and each can
 * be overridden (command line, server settings, later .carbonlens.yaml).
 *
 * @param defaultAccelerator used when the config names none
 * @param defaultLocation where a run without a region is assumed to run: a cloud region as
 *     `provider:region` (`aws:us-east-1`) or a country code (`FR`, `USA`); null: world average
 * @param utilisation average load between idle and TDP: power = idle + u × (TDP − idle); 1.0
 *     counts TDP, as Luccioni et al. 2022 (BLOOM) and Green Algorithms do
 * @param hostOverheadFraction host CPUs, memory, NICs and fans as a share of accelerator power
 *     (Patterson et al. 2021: 330 W measured per 300 W V100 for GPT-3, i.e. +10 %)
 * @param mfu model FLOPs utilisation; null: by accelerator generation (see {@link MfuDefaults})
 * @param mixedPrecisionSpeedup fp32 time / mixed-precision time on tensor-core GPUs (NVIDIA AMP
 *     docs: up to 3x; FACTS F17 central 1.5-2x)
 * @param hardwareLifetimeYears embodied carbon amortisation period (CCF and IF: 4 years, FACTS F10)
 * @param pueOverride a PUE to use instead of the region's or provider's; null: theirs
 * @param gridSignal average or marginal grid intensity
 * @param defaultHours run length when the config neither states nor lets us derive one
 * @param earlyStopFraction share of planned training that runs when early stopping is on
 * @param evalSetFraction eval set size as a share of the training set when not stated
 *     (transformers' run_clm.py default validation_split_percentage = 5)
 * @param servingTokensPerSecond tokens one accelerator serves per second, from the user's own
 *     benchmark; null: no per-token figures (configs do not state throughput)
 */
public record EstimatorSettings(
    String defaultAccelerator,
    String defaultLocation,
    double utilisation,
    double hostOverheadFraction,
    Double mfu,
    double mixedPrecisionSpeedup,
    double hardwareLifetimeYears,
    Double pueOverride,
    GridSignal gridSignal,
    double defaultHours,
    double earlyStopFraction,
    double evalSetFraction,
    Double servingTokensPerSecond) {

  public EstimatorSettings {
    check(utilisation > 0 && utilisation <= 1, "utilisation must be in (0, 1]");
    check(hostOverheadFraction >= 0 && hostOverheadFraction <= 2, "host overhead must be in [0, 2]");
    check(mfu == null || (mfu > 0 && mfu <= 1), "MFU must be in (0, 1]");
    check(mixedPrecisionSpeedup >= 1, "mixed-precision speed-up must be at least 1");
    check(hardwareLifetimeYears > 0, "hardware lifetime must be positive");
    check(pueOverride == null || (pueOverride >= 1 && pueOverride <= 3), "PUE must be in [1, 3]");
    check(defaultHours > 0, "default hours must be positive");
    check(earlyStopFraction > 0 && earlyStopFraction <= 1, "early-stop fraction must be in (0, 1]");
    check(evalSetFraction >= 0 && evalSetFraction <= 1, "eval-set fraction must be in [0, 1]");
    check(servingTokensPerSecond == null || servingTokensPerSecond > 0, "serving throughput must be positive");
    if (gridSignal == null) {
      gridSignal = GridSignal.AVERAGE;
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  public static EstimatorSettings defaults() {
    return new EstimatorSettings("A100-SXM4-40GB", null, 1.0, 0.10, null, 2.0, 4.0, null,
        GridSignal.AVERAGE, 24.0, 0.5, 0.05, null);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes a few settings, keeping the rest. */
  public static final class Builder {
    private String defaultAccelerator;
    private String defaultLocation;
    private double utilisation;
    private double hostOverheadFraction;
    private Double mfu;
    private double mixedPrecisionSpeedup;
    private double hardwareLifetimeYears;
    private Double pueOverride;
    private GridSignal gridSignal;
    private double defaultHours;
    private double earlyStopFraction;
    private double evalSetFraction;
    private Double servingTokensPerSecond;

    private Builder(EstimatorSettings s) {
      defaultAccelerator = s.defaultAccelerator;
      defaultLocation = s.defaultLocation;
      utilisation = s.utilisation;
      hostOverheadFraction = s.hostOverheadFraction;
      mfu = s.mfu;
      mixedPrecisionSpeedup = s.mixedPrecisionSpeedup;
      hardwareLifetimeYears = s.hardwareLifetimeYears;
      pueOverride = s.pueOverride;
      gridSignal = s.gridSignal;
      defaultHours = s.defaultHours;
      earlyStopFraction = s.earlyStopFraction;
      evalSetFraction = s.evalSetFraction;
      servingTokensPerSecond = s.servingTokensPerSecond;
    }

    public Builder defaultAccelerator(String v) { defaultAccelerator = v; return this; }
    public Builder defaultLocation(String v) { defaultLocation = v; return this; }
    public Builder utilisation(double v) { utilisation = v; return this; }
    public Builder hostOverheadFraction(double v) { hostOverheadFraction = v; return this; }
    public Builder mfu(Double v) { mfu = v; return this; }
    public Builder mixedPrecisionSpeedup(double v) { mixedPrecisionSpeedup = v; return this; }
    public Builder hardwareLifetimeYears(double v) { hardwareLifetimeYears = v; return this; }
    public Builder pueOverride(Double v) { pueOverride = v; return this; }
    public Builder gridSignal(GridSignal v) { gridSignal = v; return this; }
    public Builder defaultHours(double v) { defaultHours = v; return this; }
    public Builder earlyStopFraction(double v) { earlyStopFraction = v; return this; }
    public Builder evalSetFraction(double v) { evalSetFraction = v; return this; }
    public Builder servingTokensPerSecond(Double v) { servingTokensPerSecond = v; return this; }

    public EstimatorSettings build() {
      return new EstimatorSettings(defaultAccelerator, defaultLocation, utilisation, hostOverheadFraction, mfu,
          mixedPrecisionSpeedup, hardwareLifetimeYears, pueOverride, gridSignal, defaultHours, earlyStopFraction,
          evalSetFraction, servingTokensPerSecond);
    }
  }

  public EstimatorSettings withDefaultHours(double hours) {
    return toBuilder().defaultHours(hours).build();
  }

  public EstimatorSettings withDefaultAccelerator(String accelerator) {
    return toBuilder().defaultAccelerator(accelerator).build();
  }
}
