package dev.carbonlens.config;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.SeverityOverrides;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.estimate.EstimatorSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The project config that applies to each checked file (`--config FILE`, or the nearest
 * `.carbonlens.yaml` above it) and the pipeline it configures. Precedence, lowest first: built-in
 * defaults, the project config, the command line.
 */
public final class ProjectSettings {
  private final Analyzer base;
  private final Path explicit;
  private final String explicitName;
  private final SeverityOverrides commandLineSeverities;
  private final UnaryOperator<EstimatorSettings> commandLineOverFile;
  private final ConfigLocator locator = new ConfigLocator();
  private final Map<Path, ProjectConfigParser.Result> loaded = new LinkedHashMap<>();
  private final Map<Path, Analyzer> analyzers = new HashMap<>();

  /**
   * @param base the pipeline with the command line's estimator settings, used where no config applies
   * @param explicit the `--config` file, or null to look for the nearest config
   * @param commandLineSeverities `--severity` levels, which win over the config's
   * @param commandLineOverFile applies the estimator options given on the command line over a config's settings
   */
  public ProjectSettings(Analyzer base, Path explicit, SeverityOverrides commandLineSeverities,
      UnaryOperator<EstimatorSettings> commandLineOverFile) {
    this.base = base;
    this.explicit = explicit == null ? null : explicit.toAbsolutePath().normalize();
    this.explicitName = explicit == null ? null : explicit.toString().replace('\\', '/');
    this.commandLineSeverities = commandLineSeverities;
    this.commandLineOverFile = commandLineOverFile;
  }

  /** The config file that applies to {@code file}, if any. */
  public Optional<Path> configFor(Path file) {
    return explicit != null ? Optional.of(explicit) : locator.nearest(file);
  }

  /**
   * Reads every config that applies to one of {@code files} and returns its problems as
   * `path:line:col: message` (1-based; the path as given to `--config`, else relative to the working
   * folder when below it), in file order.
   */
  public List<String> problems(List<Path> files) {
    List<String> lines = new ArrayList<>();
    for (Path file : files) {
      configFor(file).ifPresent(this::load);
    }
    for (var e : loaded.entrySet()) {
      for (ParseProblem p : e.getValue().problems()) {
        lines.add(display(e.getKey()) + ":" + (p.range().startLine() + 1) + ":" + (p.range().startColumn() + 1)
            + ": " + p.message());
      }
    }
    return lines;
  }

  /** Whether the config that applies to {@code file} lists it under `ignore`. */
  public boolean ignored(Path file) {
    Optional<Path> config = configFor(file);
    if (config.isEmpty()) {
      return false;
    }
    Path folder = config.get().getParent();
    Path relative = folder.relativize(file.toAbsolutePath().normalize());
    return !relative.startsWith("..") && load(config.get()).config().ignores(relative.toString().replace('\\', '/'));
  }

  /** The pipeline for {@code file}: its config's defaults and severities under the command line's. */
  public Analyzer analyzerFor(Path file) {
    Optional<Path> config = configFor(file);
    if (config.isEmpty()) {
      return base;
    }
    return analyzers.computeIfAbsent(config.get(), path -> {
      ProjectConfig project = load(path).config();
      EstimatorSettings settings = commandLineOverFile.apply(project.settings(EstimatorSettings.defaults()));
      Map<String, String> levels = new LinkedHashMap<>(project.severities().levels());
      levels.putAll(commandLineSeverities.levels());
      return base.withEstimatorSettings(settings).withSeverities(new SeverityOverrides(levels));
    });
  }

  private ProjectConfigParser.Result load(Path config) {
    return loaded.computeIfAbsent(config, path -> {
      try {
        String text = Files.readString(path, StandardCharsets.UTF_8);
        return ProjectConfigParser.parse(path.toString(), text, base.ruleIds());
      } catch (IOException | java.io.UncheckedIOException e) {
        return new ProjectConfigParser.Result(ProjectConfig.NONE, List.of(new ParseProblem(
            "cannot read the project config: " + e.getMessage(), dev.carbonlens.model.SourceRange.NONE)));
      }
    });
  }

  private String display(Path config) {
    if (config.equals(explicit)) {
      return explicitName;
    }
    Path here = Path.of("").toAbsolutePath();
    return (config.startsWith(here) ? here.relativize(config) : config).toString().replace('\\', '/');
  }
}
