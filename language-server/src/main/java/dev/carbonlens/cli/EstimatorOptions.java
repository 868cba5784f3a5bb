package dev.carbonlens.cli;

import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.estimate.GridSignal;
import dev.carbonlens.reference.ReferenceData;
import picocli.CommandLine.Option;

/** The estimator's settings as command-line options; anything not given keeps its documented default. */
public final class EstimatorOptions {

  @Option(names = "--default-hours", paramLabel = "HOURS",
      description = "Run length assumed when a config neither states nor lets us derive one (default: 24).")
  Double defaultHours;

  @Option(names = "--default-accelerator", paramLabel = "NAME",
      description = "Accelerator assumed when a config names none (default: A100-SXM4-40GB).")
  String defaultAccelerator;

  @Option(names = "--default-location", paramLabel = "WHERE",
      description = "Where runs without a region run: a country code (FR, USA) or provider:region (aws:us-east-1)."
          + " Default: world-average grid.")
  String defaultLocation;

  @Option(names = "--pue", paramLabel = "PUE", description = "Use this PUE instead of the region's or provider's.")
  Double pue;

  @Option(names = "--grid-signal", paramLabel = "SIGNAL",
      description = "average (default) or marginal grid intensity; marginal falls back to average where unknown.")
  GridSignal gridSignal;

  @Option(names = "--utilisation", paramLabel = "U",
      description = "Average device load between idle and TDP, 0-1 (default: 1, i.e. TDP).")
  Double utilisation;

  @Option(names = "--host-overhead", paramLabel = "FRACTION",
      description = "Host power as a share of accelerator power (default: 0.1).")
  Double hostOverhead;

  @Option(names = "--mfu", paramLabel = "MFU",
      description = "Model FLOPs utilisation for every accelerator (default: by generation).")
  Double mfu;

  @Option(names = "--hardware-lifetime", paramLabel = "YEARS",
      description = "Years over which embodied carbon is amortised (default: 4).")
  Double hardwareLifetime;

  @Option(names = "--serving-throughput", paramLabel = "TOKENS_PER_S",
      description = "Tokens per second one accelerator serves (from your benchmark): adds energy and CO2e per 1,000 tokens to serving runs.")
  Double servingThroughput;

  /** The defaults with the options given applied; rejects unknown names and out-of-range values. */
  public EstimatorSettings settings() {
    EstimatorSettings.Builder b = EstimatorSettings.defaults().toBuilder();
    if (defaultHours != null) {
      b.defaultHours(defaultHours);
    }
    if (defaultAccelerator != null) {
      checkAccelerator(defaultAccelerator, "--default-accelerator");
      b.defaultAccelerator(defaultAccelerator);
    }
    if (defaultLocation != null) {
      checkLocation(defaultLocation, "--default-location");
      b.defaultLocation(defaultLocation);
    }
    if (pue != null) {
      b.pueOverride(pue);
    }
    if (gridSignal != null) {
      b.gridSignal(gridSignal);
    }
    if (utilisation != null) {
      b.utilisation(utilisation);
    }
    if (hostOverhead != null) {
      b.hostOverheadFraction(hostOverhead);
    }
    if (mfu != null) {
      b.mfu(mfu);
    }
    if (hardwareLifetime != null) {
      b.hardwareLifetimeYears(hardwareLifetime);
    }
    if (servingThroughput != null) {
      b.servingTokensPerSecond(servingThroughput);
    }
    return b.build();
  }

  /** Rejects an accelerator the reference table does not know; {@code setting} names it in the message. */
  public static void checkAccelerator(String accelerator, String setting) {
    if (ReferenceData.builtIn().accelerator(accelerator).isEmpty()) {
      throw new IllegalArgumentException("unknown accelerator for " + setting + ": " + accelerator);
    }
  }

  /** Rejects a location that is neither a known `provider:region` nor a country code. */
  public static void checkLocation(String location, String setting) {
    ReferenceData ref = ReferenceData.builtIn();
    int colon = location.indexOf(':');
    boolean known = colon > 0
        ? ref.region(location.substring(0, colon), location.substring(colon + 1)).isPresent()
        : ref.country(location).isPresent();
    if (!known) {
      throw new IllegalArgumentException("unknown " + setting + ": " + location
          + " (a country code such as FR, or provider:region such as aws:us-east-1)");
    }
  }
}
