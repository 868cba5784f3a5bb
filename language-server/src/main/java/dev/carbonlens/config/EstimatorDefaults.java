package dev.carbonlens.config;

import dev.carbonlens.cli.EstimatorOptions;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.estimate.GridSignal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * The estimator `defaults` that editor settings and `.carbonlens.yaml` share: one meaning and one check
 * for each key, whichever of them writes it. Each setter throws IllegalArgumentException with what is
 * wrong and records nothing; {@link #build()} applies what was accepted on top of a base.
 */
public final class EstimatorDefaults {
  /** The numeric keys and the estimator setting each sets. */
  public static final Map<String, BiConsumer<EstimatorSettings.Builder, Double>> NUMBERS = numbers();
  /** Every key `defaults` may hold. */
  public static final Set<String> KEYS = keys();

  private final List<UnaryOperator<EstimatorSettings.Builder>> steps = new ArrayList<>();

  /** `gcp:europe-west1`, or `europe-west1` with a provider, or a country code such as FR. */
  public void region(String provider, String region, String setting) {
    String location = provider != null && !region.contains(":") && region.length() > 3 ? provider + ":" + region : region;
    EstimatorOptions.checkLocation(location, setting);
    steps.add(b -> b.defaultLocation(location));
  }

  public void gridSignal(String signal) {
    GridSignal g = switch (signal.toLowerCase(Locale.ROOT)) {
      case "average" -> GridSignal.AVERAGE;
      case "marginal" -> GridSignal.MARGINAL;
      default -> throw new IllegalArgumentException("expected average or marginal, got " + signal);
    };
    steps.add(b -> b.gridSignal(g));
  }

  public void accelerator(String name, String setting) {
    EstimatorOptions.checkAccelerator(name, setting);
    steps.add(b -> b.defaultAccelerator(name));
  }

  /** A numeric default, checked against the estimator's own ranges by building it onto the defaults. */
  public void number(String key, double value) {
    BiConsumer<EstimatorSettings.Builder, Double> set = NUMBERS.get(key);
    if (set == null) {
      throw new IllegalArgumentException("unknown numeric default: " + key);
    }
    EstimatorSettings.Builder probe = EstimatorSettings.defaults().toBuilder();
    set.accept(probe, value);
    probe.build(); // throws with the estimator's message when out of range
    steps.add(b -> {
      set.accept(b, value);
      return b;
    });
  }

  public UnaryOperator<EstimatorSettings> build() {
    List<UnaryOperator<EstimatorSettings.Builder>> accepted = List.copyOf(steps);
    return base -> {
      EstimatorSettings.Builder b = base.toBuilder();
      accepted.forEach(step -> step.apply(b));
      return b.build();
    };
  }

  private static Map<String, BiConsumer<EstimatorSettings.Builder, Double>> numbers() {
    Map<String, BiConsumer<EstimatorSettings.Builder, Double>> m = new LinkedHashMap<>();
    m.put("pue", EstimatorSettings.Builder::pueOverride);
    m.put("hours", EstimatorSettings.Builder::defaultHours);
    m.put("utilisation", EstimatorSettings.Builder::utilisation);
    m.put("hostOverhead", EstimatorSettings.Builder::hostOverheadFraction);
    m.put("mfu", EstimatorSettings.Builder::mfu);
    m.put("hardwareLifetime", EstimatorSettings.Builder::hardwareLifetimeYears);
    m.put("servingThroughput", EstimatorSettings.Builder::servingTokensPerSecond);
    return java.util.Collections.unmodifiableMap(m); // in this order: problems are reported in it
  }

  private static Set<String> keys() {
    Set<String> keys = new TreeSet<>(numbers().keySet());
    keys.addAll(List.of("provider", "region", "gridSignal", "accelerator"));
    return Set.copyOf(keys);
  }
}
