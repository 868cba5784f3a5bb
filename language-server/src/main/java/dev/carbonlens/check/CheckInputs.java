package dev.carbonlens.check;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.SeverityOverrides;
import dev.carbonlens.cli.EstimatorOptions;
import dev.carbonlens.config.ProjectSettings;
import dev.carbonlens.config.RuleFolderLoader;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.limits.AnalysisLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What to check and with which assumptions: the paths, estimator options, severities, project config and
 * team rules shared by `check` and `report`, and the parallel walk over the files that both run.
 */
public final class CheckInputs {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders (walked recursively).")
  List<String> paths;

  @Option(names = "--severity", paramLabel = "RULE=LEVEL",
      description = "Change a rule's severity: error, warning, info, hint, or off to turn it off (repeatable).")
  List<String> severities = new ArrayList<>();

  @Mixin
  EstimatorOptions estimator = new EstimatorOptions();

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Project config for every PATH (default: the nearest .carbonlens.yaml above each file).")
  Path config;

  @Option(names = "--rules", paramLabel = "DIR",
      description = "Team rules: the .drl files and policy .yaml files below DIR (repeatable). DRL rules run"
          + " Java: give only folders you trust.")
  List<Path> ruleFolders = new ArrayList<>();

  @Option(names = "--trust-workspace-rules",
      description = "Also compile and run the .drl files in the ruleFolders of each .carbonlens.yaml (they run"
          + " Java). Without it only their policy .yaml files load, and a note says what was skipped.")
  boolean trustWorkspaceRules;

  @Option(names = "--max-file-size", paramLabel = "KB",
      description = "Files larger than this are not analysed; each gets an info notice instead (default: 2048 KB).")
  Integer maxFileSizeKb;

  @Option(names = "--time-budget", paramLabel = "MS",
      description = "Stop analysing a file after this many milliseconds, with an info notice (default: 30000;"
          + " 0: no limit).")
  Integer timeBudgetMs;

  @Option(names = "--jobs", paramLabel = "N",
      description = "Files analysed at once (default: the number of processors).")
  Integer jobs;

  /** The team DRL rules that loaded (from --rules and trusted rule folders), for reports that name them. */
  private final List<dev.carbonlens.engine.RuleInfo> teamRules = new ArrayList<>();

  public List<dev.carbonlens.engine.RuleInfo> teamRules() {
    return List.copyOf(teamRules);
  }

  /**
   * Collects and analyses the files. Empty when the inputs themselves are wrong (a team rule or project
   * config that does not load): the problems are on stderr and the command exits 2.
   */
  public Optional<CheckResult> run(Progress progress) {
    SeverityOverrides overrides;
    try {
      java.util.Map<String, String> levels = new java.util.LinkedHashMap<>();
      for (String s : severities) {
        var e = SeverityOverrides.parse(s);
        levels.put(e.getKey(), e.getValue());
      }
      overrides = new SeverityOverrides(levels);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--severity: " + e.getMessage());
    }
    for (Path folder : ruleFolders) {
      if (!Files.isDirectory(folder)) {
        throw new ParameterException(spec.commandLine(), "--rules: no such folder: " + folder);
      }
    }
    if (config != null && !Files.isRegularFile(config)) {
      throw new ParameterException(spec.commandLine(), "--config: no such file: " + config);
    }
    if (jobs != null && jobs < 1) {
      throw new ParameterException(spec.commandLine(), "--jobs: must be 1 or more");
    }
    if (maxFileSizeKb != null && maxFileSizeKb < 1) {
      throw new ParameterException(spec.commandLine(), "--max-file-size: must be 1 KB or more");
    }
    if (timeBudgetMs != null && timeBudgetMs < 0) {
      throw new ParameterException(spec.commandLine(), "--time-budget: must be 0 (no limit) or more");
    }
    EstimatorSettings commandLine = estimator.settings();
    Analyzer builtIn = Analyzer.builtIn(commandLine).withLimits(limits());
    Analyzer analyzer = builtIn;
    dev.carbonlens.policy.Policies commandLinePolicies = dev.carbonlens.policy.Policies.NONE;
    if (!ruleFolders.isEmpty()) {
      TeamRuleSet team = TeamRuleSet.load(ruleFolders, analyzer);
      if (!team.problems().isEmpty()) {
        // a team rule that does not load would silently check less than the team asked for
        printProblems(team.problems());
        return Optional.empty();
      }
      analyzer = team.applyTo(analyzer);
      teamRules.addAll(team.rules().rules());
      commandLinePolicies = team.policies().policies();
    }
    ProjectSettings project = new ProjectSettings(analyzer.withSeverities(overrides), config, overrides,
        fromFile -> withCommandLine(fromFile, commandLine), commandLinePolicies,
        workspaceRules(builtIn, commandLinePolicies));
    List<SourceFiles.SourceFile> files = SourceFiles.collect(paths);
    List<String> problems = project.problems(files.stream().map(SourceFiles.SourceFile::path).toList());
    if (!problems.isEmpty()) {
      // A config we cannot trust would give figures nobody asked for: stop, as for any usage error.
      printProblems(problems);
      return Optional.empty();
    }
    List<SourceFiles.SourceFile> checked = files.stream().filter(f -> !project.ignored(f.path())).toList();
    // ProjectSettings caches per folder and is not thread-safe: pick each file's analyzer first.
    List<Analyzer> analyzers = checked.stream().map(f -> project.analyzerFor(f.path())).toList();
    int threads = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
    return Optional.of(check(i -> analyzers.get(i), checked, threads, progress));
  }

  private void printProblems(List<String> problems) {
    PrintWriter err = spec.commandLine().getErr();
    problems.forEach(err::println);
    err.flush();
  }

  /**
   * A config's `ruleFolders`: policy YAML always (data); DRL only with --trust-workspace-rules, since a
   * cloned repository's rules would otherwise run its Java on the checking machine.
   */
  private RuleFolderLoader workspaceRules(Analyzer builtIn, dev.carbonlens.policy.Policies commandLinePolicies) {
    java.util.Set<Path> noted = new java.util.HashSet<>();
    return (folders, base, takenIds) -> {
      if (trustWorkspaceRules) {
        // compiled with the --rules folders, so that ids stay unique across all of them
        List<Path> all = new ArrayList<>(ruleFolders);
        all.addAll(folders);
        TeamRuleSet team = TeamRuleSet.load(all, builtIn, takenIds);
        teamRules.addAll(team.rules().rules());
        return new RuleFolderLoader.Loaded(team.rules().engine().orElse(null), team.policies().policies(),
            team.problems());
      }
      java.io.PrintWriter err = spec.commandLine().getErr();
      for (Path folder : folders) {
        long count = drlFiles(folder);
        if (count > 0 && noted.add(folder)) {
          err.println("carbonlens: " + count + " team rule file(s) in " + shown(folder)
              + " not loaded: pass --trust-workspace-rules to run them");
        }
      }
      err.flush();
      return RuleFolderLoader.policyFiles(folders, base, takenIds, commandLinePolicies);
    };
  }

  private static long drlFiles(Path folder) {
    try (java.util.stream.Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".drl") && Files.isRegularFile(p)).count();
    } catch (IOException e) {
      return 0;
    }
  }

  /** A folder relative to the working folder when below it, as the other messages name files. */
  private static String shown(Path folder) {
    Path here = Path.of("").toAbsolutePath();
    return (folder.startsWith(here) ? here.relativize(folder) : folder).toString().replace('\\', '/');
  }

  /** The estimator options given on the command line win over a project config's defaults. */
  private EstimatorSettings withCommandLine(EstimatorSettings fromFile, EstimatorSettings commandLine) {
    picocli.CommandLine.ParseResult given = spec.commandLine().getParseResult();
    EstimatorSettings.Builder b = fromFile.toBuilder();
    if (given.hasMatchedOption("--default-hours")) {
      b.defaultHours(commandLine.defaultHours());
    }
    if (given.hasMatchedOption("--default-accelerator")) {
      b.defaultAccelerator(commandLine.defaultAccelerator());
    }
    if (given.hasMatchedOption("--default-location")) {
      b.defaultLocation(commandLine.defaultLocation());
    }
    if (given.hasMatchedOption("--pue")) {
      b.pueOverride(commandLine.pueOverride());
    }
    if (given.hasMatchedOption("--grid-signal")) {
      b.gridSignal(commandLine.gridSignal());
    }
    if (given.hasMatchedOption("--utilisation")) {
      b.utilisation(commandLine.utilisation());
    }
    if (given.hasMatchedOption("--host-overhead")) {
      b.hostOverheadFraction(commandLine.hostOverheadFraction());
    }
    if (given.hasMatchedOption("--mfu")) {
      b.mfu(commandLine.mfu());
    }
    if (given.hasMatchedOption("--hardware-lifetime")) {
      b.hardwareLifetimeYears(commandLine.hardwareLifetimeYears());
    }
    if (given.hasMatchedOption("--serving-throughput")) {
      b.servingTokensPerSecond(commandLine.servingTokensPerSecond());
    }
    return b.build();
  }

  /**
   * Reads and analyses the files on `threads` threads; the result keeps the files' order whatever the
   * order they finish in. A file that cannot be read is reported and the rest go on.
   */
  static CheckResult check(Function<Integer, Analyzer> analyzers, List<SourceFiles.SourceFile> files, int threads,
      Progress progress) {
    Object[] outcomes = new Object[files.size()];
    progress.start(files.size());
    if (threads <= 1 || files.size() < 2) {
      for (int i = 0; i < files.size(); i++) {
        outcomes[i] = analyse(analyzers.apply(i), files.get(i));
        progress.fileDone();
      }
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, files.size()), runnable -> {
        Thread t = new Thread(runnable, "carbonlens-check");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
          int index = i;
          futures.add(pool.submit(() -> {
            Object outcome = analyse(analyzers.apply(index), files.get(index));
            progress.fileDone();
            return outcome;
          }));
        }
        for (int i = 0; i < futures.size(); i++) {
          outcomes[i] = futures.get(i).get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      } finally {
        pool.shutdownNow();
      }
    }
    progress.finish();
    List<FileAnalysis> analysed = new ArrayList<>();
    List<CheckResult.UnreadableFile> unreadable = new ArrayList<>();
    for (Object outcome : outcomes) {
      if (outcome instanceof FileAnalysis a) {
        analysed.add(a);
      } else {
        unreadable.add((CheckResult.UnreadableFile) outcome);
      }
    }
    return new CheckResult(List.copyOf(analysed), List.copyOf(unreadable));
  }

  /** `check`'s limits with the command line's changes. */
  private AnalysisLimits limits() {
    AnalysisLimits limits = AnalysisLimits.CHECK;
    if (maxFileSizeKb != null) {
      limits = limits.withMaxFileBytes(maxFileSizeKb * 1024L);
    }
    if (timeBudgetMs != null) {
      limits = limits.withTimeBudget(timeBudgetMs == 0 ? null : Duration.ofMillis(timeBudgetMs));
    }
    return limits;
  }

  /** One file: its analysis, or why it could not be read. */
  private static Object analyse(Analyzer analyzer, SourceFiles.SourceFile file) {
    String text;
    try {
      Optional<FileAnalysis> tooLarge = analyzer.tooLargeToRead(file.reportedName(), Files.size(file.path()));
      if (tooLarge.isPresent()) {
        return tooLarge.get();
      }
      byte[] bytes = Files.readAllBytes(file.path());
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return new CheckResult.UnreadableFile(file.reportedName(), "not UTF-8 text");
    } catch (IOException e) {
      return new CheckResult.UnreadableFile(file.reportedName(), "cannot read: " + e.getMessage());
    }
    try {
      return analyzer.analyze(file.reportedName(), text);
    } catch (RuntimeException | StackOverflowError e) {
      // A bug met on one file is that file's error, not the end of the whole check.
      return new CheckResult.UnreadableFile(file.reportedName(), "could not be analysed (a CarbonLens bug: " + e + ")");
    }
  }
}
