package dev.carbonlens.check;

import dev.carbonlens.model.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `carbonlens check`: the CI front end, with the options and exit codes of the report-format spec. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check training and serving configs and report carbon-heavy choices with estimated savings.")
public final class CheckCommand implements Callable<Integer> {

  enum Format { text, json, sarif, gitlab }

  enum FailOn { error, warning, info, never }

  @Mixin
  CheckInputs inputs = new CheckInputs();

  @Option(names = "--format", defaultValue = "text",
      description = "text, json, sarif (SARIF 2.1.0), or gitlab (GitLab code quality) (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--fail-on", defaultValue = "warning",
      description = "Exit 1 when a finding is at or above: error, warning, info or never (default: ${DEFAULT-VALUE}).")
  FailOn failOn;

  @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
  Path output;

  @Option(names = "--baseline", paramLabel = "FILE",
      description = "Findings recorded in FILE (by --write-baseline) are reported but do not fail the check;"
          + " only new ones do. Matched by rule and line text, so moved lines still match.")
  Path baseline;

  @Option(names = "--write-baseline", paramLabel = "FILE",
      description = "Record every current finding in FILE as accepted, and exit 0 unless the check itself"
          + " fails. Commit FILE and pass it to --baseline.")
  Path writeBaseline;

  /** SARIF's `baselineState` of each finding when a baseline was given; none otherwise. */
  private static java.util.function.Function<dev.carbonlens.analysis.ReportedFinding, String> baselineStates(
      CheckResult result) {
    if (result.baseline() == Baseline.Comparison.NONE) {
      return SarifReport.NO_BASELINE;
    }
    java.util.Set<dev.carbonlens.analysis.ReportedFinding> reported = java.util.Collections.newSetFromMap(
        new java.util.IdentityHashMap<>());
    result.findings().forEach(reported::add);
    // suppressed findings are not compared with the baseline: they carry no state
    return f -> !reported.contains(f) ? null : result.baseline().isUnchanged(f) ? "unchanged" : "new";
  }

  @Override
  public Integer call() throws IOException {
    Baseline accepted = null;
    if (baseline != null) {
      if (!Files.isRegularFile(baseline)) {
        throw new picocli.CommandLine.ParameterException(inputs.spec.commandLine(), "--baseline: no such file: "
            + baseline + " (create it with --write-baseline)");
      }
      try {
        accepted = Baseline.read(baseline);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(inputs.spec.commandLine(), "--baseline: " + e.getMessage());
      }
    }
    Optional<CheckResult> checked = inputs.run(StderrProgress.forTerminal());
    if (checked.isEmpty()) {
      return 2;
    }
    CheckResult result = checked.get();
    if (accepted != null) {
      result = result.withBaseline(accepted.compare(result, baseline));
    }
    String report = switch (format) {
      case json -> JsonReport.render(result);
      case sarif -> SarifReport.render(result, inputs.teamRules(), baselineStates(result));
      case gitlab -> CodeQualityReport.render(result);
      case text -> TextReport.render(result, output == null && System.console() != null && System.getenv("NO_COLOR") == null);
    };
    if (output != null) {
      Files.writeString(output, report, StandardCharsets.UTF_8);
    } else {
      System.out.print(report);
      System.out.flush();
    }
    if (writeBaseline != null) {
      Baseline.of(result, writeBaseline).write(writeBaseline);
      System.err.println("carbonlens: wrote " + result.findings().count() + " finding(s) to " + writeBaseline);
      return 0;
    }
    if (failOn == FailOn.never) {
      return 0;
    }
    return result.failsAt(Severity.fromLabel(failOn.name().toLowerCase(Locale.ROOT))) ? 1 : 0;
  }
}
