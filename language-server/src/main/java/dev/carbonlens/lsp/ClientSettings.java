package dev.carbonlens.lsp;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.carbonlens.analysis.SeverityOverrides;
import dev.carbonlens.config.EstimatorDefaults;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.limits.AnalysisLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What an editor sets, in `initializationOptions` or `workspace/didChangeConfiguration` (whole, or under a
 * `carbonlens` key as VS Code sends it):
 *
 * <pre>
 * { "defaults": { "provider": "gcp", "region": "europe-west1", "pue": 1.2, "gridSignal": "marginal",
 *                 "accelerator": "H100-SXM", "hours": 24, "utilisation": 0.8, "hostOverhead": 0.1,
 *                 "mfu": 0.4, "hardwareLifetime": 4, "servingThroughput": 1500 },
 *   "severity": { "CL-PREC-001": "info" },
 *   "rules": { "CL-ES-001": false },
 *   "debounceMs": 30,
 *   "limits": { "maxFileSizeKB": 2048, "timeBudgetMs": 2000 },
 *   "trustWorkspaceRules": true }
 * </pre>
 *
 * `trustWorkspaceRules` lets the server compile and run the workspace's team DRL rules: the VS Code
 * client sets it from Workspace Trust; other editors leave it off unless the user turns it on.
 *
 * A bad entry is skipped with a message for the user; the others still apply. Defaults apply on top of
 * the `carbonlens lsp` command line, so a team's launcher settings stay unless the editor overrides them.
 *
 * @param defaults the estimator defaults the editor changes, applied to the server's own
 * @param severities per-rule severities, rules turned off included
 * @param debounceMs how long to wait after an edit that arrives while the document is being analysed
 * @param limits the largest file analysed and how long one analysis may take (past them: a notice)
 * @param trustWorkspaceRules whether the workspace's team DRL rules may be compiled and run
 * @param problems what was skipped and why, for the user
 */
record ClientSettings(UnaryOperator<EstimatorSettings> defaults, SeverityOverrides severities, int debounceMs,
    AnalysisLimits limits, boolean trustWorkspaceRules, List<String> problems) {

  static final int DEFAULT_DEBOUNCE_MS = 30;
  /** The most an editor may ask for: 64 MB files, one minute per analysis. */
  static final int MAX_FILE_SIZE_KB = 64 * 1024;
  static final int MAX_TIME_BUDGET_MS = 60_000;
  static final ClientSettings NONE = new ClientSettings(s -> s, SeverityOverrides.NONE, DEFAULT_DEBOUNCE_MS,
      AnalysisLimits.EDITOR, false, List.of());

  static ClientSettings parse(Object options) {
    JsonObject json = section(options);
    if (json == null) {
      return NONE;
    }
    List<String> problems = new ArrayList<>();
    UnaryOperator<EstimatorSettings> defaults = defaults(json, problems);
    Map<String, String> levels = new LinkedHashMap<>();
    if (json.has("severity")) {
      if (json.get("severity").isJsonObject()) {
        for (var e : json.getAsJsonObject("severity").entrySet()) {
          String level = text(e.getValue());
          accept(problems, "severity " + e.getKey(), () -> {
            new SeverityOverrides(Map.of(e.getKey(), level)); // validates the level
            levels.put(e.getKey(), level);
          });
        }
      } else {
        problems.add("severity: expected an object of rule id to level");
      }
    }
    if (json.has("rules")) {
      if (json.get("rules").isJsonObject()) {
        for (var e : json.getAsJsonObject("rules").entrySet()) {
          JsonElement on = e.getValue();
          if (on.isJsonPrimitive() && on.getAsJsonPrimitive().isBoolean()) {
            if (!on.getAsBoolean()) {
              levels.put(e.getKey(), SeverityOverrides.OFF); // off wins over a severity for the same rule
            }
          } else {
            problems.add("rules " + e.getKey() + ": expected true or false");
          }
        }
      } else {
        problems.add("rules: expected an object of rule id to true/false");
      }
    }
    int debounce = DEFAULT_DEBOUNCE_MS;
    if (json.has("debounceMs")) {
      try {
        debounce = json.get("debounceMs").getAsInt();
        if (debounce < 0 || debounce > 5_000) {
          problems.add("debounceMs: expected 0 to 5000, got " + debounce);
          debounce = DEFAULT_DEBOUNCE_MS;
        }
      } catch (RuntimeException e) {
        problems.add("debounceMs: expected a number of milliseconds");
      }
    }
    AnalysisLimits limits = limits(json, problems);
    boolean trust = false;
    if (json.has("trustWorkspaceRules")) {
      JsonElement t = json.get("trustWorkspaceRules");
      if (t.isJsonPrimitive() && t.getAsJsonPrimitive().isBoolean()) {
        trust = t.getAsBoolean();
      } else {
        problems.add("trustWorkspaceRules: expected true or false");
      }
    }
    return new ClientSettings(defaults, new SeverityOverrides(levels), debounce, limits, trust,
        List.copyOf(problems));
  }

  private static AnalysisLimits limits(JsonObject json, List<String> problems) {
    AnalysisLimits limits = AnalysisLimits.EDITOR;
    if (!json.has("limits")) {
      return limits;
    }
    if (!json.get("limits").isJsonObject()) {
      problems.add("limits: expected an object");
      return limits;
    }
    JsonObject given = json.getAsJsonObject("limits");
    Integer kb = wholeNumber(given, "maxFileSizeKB", 1, MAX_FILE_SIZE_KB, problems);
    if (kb != null) {
      limits = limits.withMaxFileBytes(kb * 1024L);
    }
    Integer ms = wholeNumber(given, "timeBudgetMs", 100, MAX_TIME_BUDGET_MS, problems);
    if (ms != null) {
      limits = limits.withTimeBudget(java.time.Duration.ofMillis(ms));
    }
    return limits;
  }

  /** {@code limits.key} as a whole number within bounds; null (with a problem when present) otherwise. */
  private static Integer wholeNumber(JsonObject json, String key, int min, int max, List<String> problems) {
    if (!json.has(key)) {
      return null;
    }
    JsonElement value = json.get(key);
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
      double number = value.getAsDouble();
      if (number == Math.rint(number) && number >= min && number <= max) {
        return (int) number;
      }
    }
    problems.add("limits." + key + ": expected a whole number from " + min + " to " + max + ", got " + value);
    return null;
  }

  /** VS Code nests its section under `carbonlens`; other clients send the object itself. */
  private static final java.util.Set<String> KEYS =
      java.util.Set.of("defaults", "severity", "rules", "debounceMs", "limits", "trustWorkspaceRules");

  /**
   * Whether a `workspace/didChangeConfiguration` payload is meant for us: a `carbonlens` section or one of
   * our keys. Some clients (Eglot) send an empty or foreign object right after connecting; taking that as
   * "all settings removed" would wipe the initialization options.
   */
  static boolean addressesCarbonLens(Object settings) {
    if (!(settings instanceof JsonObject json)) {
      return false;
    }
    return json.has("carbonlens") || json.keySet().stream().anyMatch(KEYS::contains);
  }

  private static JsonObject section(Object options) {
    if (!(options instanceof JsonObject json)) {
      return null;
    }
    if (json.has("carbonlens") && json.get("carbonlens").isJsonObject()) {
      return json.getAsJsonObject("carbonlens");
    }
    return json;
  }

  private static UnaryOperator<EstimatorSettings> defaults(JsonObject json, List<String> problems) {
    if (!json.has("defaults")) {
      return s -> s;
    }
    if (!json.get("defaults").isJsonObject()) {
      problems.add("defaults: expected an object");
      return s -> s;
    }
    JsonObject d = json.getAsJsonObject("defaults");
    EstimatorDefaults defaults = new EstimatorDefaults();
    String provider = d.has("provider") ? text(d.get("provider")).toLowerCase(Locale.ROOT) : null;
    if (d.has("region")) {
      accept(problems, "defaults.region", () -> defaults.region(provider, text(d.get("region")), "defaults.region"));
    }
    if (d.has("pue")) { // where settings UIs list it: beside the region
      accept(problems, "defaults.pue", () -> defaults.number("pue", number(d.get("pue"))));
    }
    if (d.has("gridSignal")) {
      accept(problems, "defaults.gridSignal", () -> defaults.gridSignal(text(d.get("gridSignal"))));
    }
    if (d.has("accelerator")) {
      accept(problems, "defaults.accelerator",
          () -> defaults.accelerator(text(d.get("accelerator")), "defaults.accelerator"));
    }
    for (String key : EstimatorDefaults.NUMBERS.keySet()) {
      if (d.has(key) && !key.equals("pue")) {
        accept(problems, "defaults." + key, () -> defaults.number(key, number(d.get(key))));
      }
    }
    return defaults.build();
  }

  private static double number(JsonElement value) {
    try {
      return value.getAsDouble();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("expected a number, got " + value);
    }
  }

  private static String text(JsonElement e) {
    return e.isJsonPrimitive() ? e.getAsString().trim() : e.toString();
  }

  private static void accept(List<String> problems, String what, Runnable apply) {
    try {
      apply.run();
    } catch (IllegalArgumentException e) {
      problems.add(what + ": " + e.getMessage());
    }
  }
}
