package dev.carbonlens.config;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.SeverityOverrides;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.policy.Policies;
import dev.carbonlens.policy.Policy;
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
import java.util.Set;
import java.util.TreeSet;
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
  private final Policies commandLinePolicies;
  private final RuleFolderLoader ruleFolders;
  private final ConfigLocator locator = new ConfigLocator();
  private final Map<Path, ProjectConfigParser.Result> loaded = new LinkedHashMap<>();
  private final Map<Path, Analyzer> analyzers = new HashMap<>();
  private final Map<Path, Optional<RuleFolderLoader.Loaded>> teams = new HashMap<>();

  /**
   * @param base the pipeline with the command line's estimator settings, used where no config applies
   * @param explicit the `--config` file, or null to look for the nearest config
   * @param commandLineSeverities `--severity` levels, which win over the config's
   * @param commandLineOverFile applies the estimator options given on the command line over a config's settings
   */
  public ProjectSettings(Analyzer base, Path explicit, SeverityOverrides commandLineSeverities,
      UnaryOperator<EstimatorSettings> commandLineOverFile) {
    this(base, explicit, commandLineSeverities, commandLineOverFile, Policies.NONE, RuleFolderLoader.POLICIES_ONLY);
  }

  /**
   * @param commandLinePolicies the policies {@code base} applies (`--rules`): a config's own come after them
   * @param ruleFolders loads a config's `ruleFolders` (what it runs is the caller's call)
   */
  public ProjectSettings(Analyzer base, Path explicit, SeverityOverrides commandLineSeverities,
      UnaryOperator<EstimatorSettings> commandLineOverFile, Policies commandLinePolicies,
      RuleFolderLoader ruleFolders) {
    this.commandLinePolicies = commandLinePolicies;
    this.ruleFolders = ruleFolders;
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
    for (var e : List.copyOf(loaded.entrySet())) {
      for (ParseProblem p : e.getValue().problems()) {
        lines.add(line(display(e.getKey()), p));
      }
      if (!e.getValue().hasProblems()) {
        team(e.getKey()).ifPresent(team -> lines.addAll(team.problems()));
      }
    }
    return lines;
  }

  /** `path:line:col: message`, 1-based, as compilers print them. */
  static String line(String path, ParseProblem p) {
    return path + ":" + (p.range().startLine() + 1) + ":" + (p.range().startColumn() + 1) + ": " + p.message();
  }

  /** What the config's `ruleFolders` hold, loaded once; empty when it names none. */
  private Optional<RuleFolderLoader.Loaded> team(Path config) {
    Optional<RuleFolderLoader.Loaded> known = teams.get(config);
    if (known == null) {
      ProjectConfig project = load(config).config();
      Set<String> inline = new TreeSet<>();
      project.policies().policies().forEach(p -> inline.add(p.id()));
      known = project.ruleFolders().isEmpty() ? Optional.empty()
          : Optional.of(ruleFolders.load(project.ruleFolders(), base, inline));
      teams.put(config, known);
    }
    return known;
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
      Analyzer analyzer = base.withEstimatorSettings(settings).withSeverities(new SeverityOverrides(levels));
      Optional<RuleFolderLoader.Loaded> team = team(path);
      if (team.isPresent() && team.get().teamRules() != null) {
        analyzer = analyzer.withTeamRules(team.get().teamRules());
      }
      // Policies are data, so a config's always apply: after those of the rule folders.
      List<Policy> policies = new ArrayList<>(team.map(t -> t.policies()).orElse(commandLinePolicies).policies());
      policies.addAll(project.policies().policies());
      return analyzer.withPolicies(new Policies(policies, List.of()));
    });
  }

  private ProjectConfigParser.Result load(Path config) {
    return loaded.computeIfAbsent(config, path -> {
      try {
        String text = Files.readString(path, StandardCharsets.UTF_8);
        Set<String> taken = new TreeSet<>(base.ruleIds());
        commandLinePolicies.policies().forEach(p -> taken.add(p.id()));
        return ProjectConfigParser.parse(path.toString(), text, base.ruleIds(), taken, base.reference());
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
