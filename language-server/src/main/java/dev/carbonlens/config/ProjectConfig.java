package dev.carbonlens.config;

import dev.carbonlens.analysis.SeverityOverrides;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.policy.Policies;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a `.carbonlens.yaml` asks for.
 *
 * @param defaults applies the file's estimator defaults on top of other settings
 * @param severities per-rule levels, rules turned off included
 * @param ignore globs of paths relative to the file's folder that `check` skips
 * @param policies the team's declarative policies written in the file (data: always applied)
 * @param ruleFolders absolute, normalised folders below the file's folder holding team `.drl` rules
 *     and policy YAML (DRL runs only where the user trusts it)
 */
public record ProjectConfig(UnaryOperator<EstimatorSettings> defaults, SeverityOverrides severities, List<String> ignore,
    Policies policies, List<Path> ruleFolders) {
  /** The file name looked up above each checked file. */
  public static final String FILE_NAME = ".carbonlens.yaml";

  public static final ProjectConfig NONE = new ProjectConfig(s -> s, SeverityOverrides.NONE, List.of(), Policies.NONE,
      List.of());

  public ProjectConfig {
    ignore = List.copyOf(ignore);
    ruleFolders = List.copyOf(ruleFolders);
  }

  /** {@code base} with the file's defaults applied. */
  public EstimatorSettings settings(EstimatorSettings base) {
    return defaults.apply(base);
  }

  /** Whether {@code relative} (a path below the config's folder, `/`-separated) matches an ignore glob. */
  public boolean ignores(String relative) {
    Path path = Path.of(relative);
    for (String glob : ignore) {
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
      if (matcher.matches(path)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code file} names a project config (a path or a bare name; `/` or `\` separated). */
  public static boolean isConfigFile(String file) {
    String normal = file.replace('\\', '/');
    return normal.equals(FILE_NAME) || normal.endsWith("/" + FILE_NAME);
  }
}
