package dev.carbonlens.check;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.SeverityOverrides;
import dev.carbonlens.cli.EstimatorOptions;
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
    Analyzer analyzer = Analyzer.builtIn(estimator.settings()).withSeverities(overrides);
    CheckResult result = check(analyzer, SourceFiles.collect(paths));
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

  /** Reads and analyses each file; a file that cannot be read is reported and the rest go on. */
  static CheckResult check(Analyzer analyzer, List<SourceFiles.SourceFile> files) {
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
      analysed.add(analyzer.analyze(file.reportedName(), text));
    }
    return new CheckResult(List.copyOf(analysed), List.copyOf(unreadable));
  }
}
