package dev.carbonlens.estimate;

/**
 * The estimator's defaults: every one is shown as an assumption whenever it is used, and each can
 * be overridden (command line, server settings, later .carbonlens.yaml).
 *
 * @param defaultAccelerator used when the config names none (an assumption, shown as such)
 * @param powerLoadFactor average draw as a fraction of TDP; 1.0 follows Luccioni et al. 2022
 *     (BLOOM) and Green Algorithms, which count TDP: an upper bound
 * @param modelFlopsUtilisation fraction of peak reached in training (FACTS F23: 0.3-0.4 for modern
 *     LLM stacks)
 * @param mixedPrecisionSpeedup fp32 time / mixed-precision time on tensor-core GPUs (NVIDIA AMP docs:
 *     up to 3x; FACTS F17 central 1.5-2x)
 * @param hardwareLifetimeYears embodied carbon amortisation period (CCF and IF: 4 years, FACTS F10)
 * @param defaultHours run length when the config neither states nor lets us derive one
 * @param earlyStopFraction share of planned training that runs when early stopping is on
 * @param evalSetFraction eval set size as a share of the training set when not stated
 *     (transformers' run_clm.py default validation_split_percentage = 5)
 */
public record EstimatorSettings(
    String defaultAccelerator,
    double powerLoadFactor,
    double modelFlopsUtilisation,
    double mixedPrecisionSpeedup,
    double hardwareLifetimeYears,
    double defaultHours,
    double earlyStopFraction,
    double evalSetFraction) {

  public static EstimatorSettings defaults() {
    return new EstimatorSettings("A100-SXM4-40GB", 1.0, 0.35, 2.0, 4.0, 24.0, 0.5, 0.05);
  }

  public EstimatorSettings withDefaultHours(double hours) {
    return new EstimatorSettings(defaultAccelerator, powerLoadFactor, modelFlopsUtilisation,
        mixedPrecisionSpeedup, hardwareLifetimeYears, hours, earlyStopFraction, evalSetFraction);
  }

  public EstimatorSettings withDefaultAccelerator(String accelerator) {
    return new EstimatorSettings(accelerator, powerLoadFactor, modelFlopsUtilisation,
        mixedPrecisionSpeedup, hardwareLifetimeYears, defaultHours, earlyStopFraction, evalSetFraction);
  }
}
