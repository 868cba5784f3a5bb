package dev.carbonlens.check;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.SeverityOverrides;
import dev.carbonlens.cli.EstimatorOptions;
import dev.carbonlens.config.ProjectSettings;
import dev.carbonlens.config.RuleFolderLoader;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.model.Severity;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `carbonlens check`: the CI front end, with the options and exit codes of the report-format spec. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check training and serving configs and report carbon-heavy choices with estimated savings.")
public final class CheckCommand implements Callable<Integer> {

  enum Format { text, json }

  enum FailOn { error, warning, info, never }

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders (walked recursively).")
  List<String> paths;

  @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--fail-on", defaultValue = "warning",
      description = "Exit 1 when a finding is at or above: error, warning, info or never (default: ${DEFAULT-VALUE}).")
  FailOn failOn;

  @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
  Path output;

  @Option(names = "--severity", paramLabel = "RULE=LEVEL",
      description = "Change a rule's severity: error, warning, info, hint, or off to turn it off (repeatable).")
  List<String> severities = new ArrayList<>();

  @Mixin
  EstimatorOptions estimator = new EstimatorOptions();

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Project config for every PATH (default: the nearest .carbonlens.yaml above each file).")
  Path config;

  @Option(names = "--rules", paramLabel = "DIR",
      description = "Team rules: the .drl files and policy .yaml files below DIR (repeatable). DRL rules run"
          + " Java: give only folders you trust.")
  List<Path> ruleFolders = new java.util.ArrayList<>();

  @Option(names = "--trust-workspace-rules",
      description = "Also compile and run the .drl files in the ruleFolders of each .carbonlens.yaml (they run"
          + " Java). Without it only their policy .yaml files load, and a note says what was skipped.")
  boolean trustWorkspaceRules;

  @Override
  public Integer call() throws IOException {
    SeverityOverrides overrides;
    try {
      java.util.Map<String, String> levels = new java.util.LinkedHashMap<>();
      for (String s : severities) {
        var e = SeverityOverrides.parse(s);
        levels.put(e.getKey(), e.getValue());
      }
      overrides = new SeverityOverrides(levels);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--severity: " + e.getMessage());
    }
    for (Path folder : ruleFolders) {
      if (!Files.isDirectory(folder)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rules: no such folder: " + folder);
      }
    }
    if (config != null && !Files.isRegularFile(config)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--config: no such file: " + config);
    }
    EstimatorSettings commandLine = estimator.settings();
    Analyzer builtIn = Analyzer.builtIn(commandLine);
    Analyzer analyzer = builtIn;
    dev.carbonlens.policy.Policies commandLinePolicies = dev.carbonlens.policy.Policies.NONE;
    if (!ruleFolders.isEmpty()) {
      TeamRuleSet team = TeamRuleSet.load(ruleFolders, analyzer);
      if (!team.problems().isEmpty()) {
        java.io.PrintWriter err = spec.commandLine().getErr();
        team.problems().forEach(err::println);
        err.flush();
        return 2; // a team rule that does not load would silently check less than the team asked for
      }
      analyzer = team.applyTo(analyzer);
      commandLinePolicies = team.policies().policies();
    }
    ProjectSettings project = new ProjectSettings(analyzer.withSeverities(overrides), config, overrides,
        fromFile -> withCommandLine(fromFile, commandLine), commandLinePolicies,
        workspaceRules(builtIn, commandLinePolicies));
    List<SourceFiles.SourceFile> files = SourceFiles.collect(paths);
    List<String> problems = project.problems(files.stream().map(SourceFiles.SourceFile::path).toList());
    if (!problems.isEmpty()) {
      // A config we cannot trust would give figures nobody asked for: stop, as for any usage error.
      java.io.PrintWriter err = spec.commandLine().getErr();
      problems.forEach(err::println);
      err.flush();
      return 2;
    }
    List<SourceFiles.SourceFile> checked = files.stream().filter(f -> !project.ignored(f.path())).toList();
    CheckResult result = check(f -> project.analyzerFor(f.path()), checked);
    String report = format == Format.json
        ? JsonReport.render(result)
        : TextReport.render(result, output == null && System.console() != null && System.getenv("NO_COLOR") == null);
    if (output != null) {
      Files.writeString(output, report, StandardCharsets.UTF_8);
    } else {
      System.out.print(report);
      System.out.flush();
    }
    if (failOn == FailOn.never) {
      return 0;
    }
    return result.failsAt(Severity.fromLabel(failOn.name().toLowerCase(Locale.ROOT))) ? 1 : 0;
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

  /** Reads and analyses each file with one pipeline (no project config). */
  static CheckResult check(Analyzer analyzer, List<SourceFiles.SourceFile> files) {
    return check(file -> analyzer, files);
  }

  /** Reads and analyses each file; a file that cannot be read is reported and the rest go on. */
  static CheckResult check(java.util.function.Function<SourceFiles.SourceFile, Analyzer> analyzers,
      List<SourceFiles.SourceFile> files) {
    List<FileAnalysis> analysed = new ArrayList<>();
    List<CheckResult.UnreadableFile> unreadable = new ArrayList<>();
    for (SourceFiles.SourceFile file : files) {
      String text;
      try {
        byte[] bytes = Files.readAllBytes(file.path());
        text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        unreadable.add(new CheckResult.UnreadableFile(file.reportedName(), "not UTF-8 text"));
        continue;
      } catch (IOException e) {
        unreadable.add(new CheckResult.UnreadableFile(file.reportedName(), "cannot read: " + e.getMessage()));
        continue;
      }
      analysed.add(analyzers.apply(file).analyze(file.reportedName(), text));
    }
    return new CheckResult(List.copyOf(analysed), List.copyOf(unreadable));
  }
}
