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

  enum Format { text, json }

  enum FailOn { error, warning, info, never }

  @Mixin
  CheckInputs inputs = new CheckInputs();

  @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--fail-on", defaultValue = "warning",
      description = "Exit 1 when a finding is at or above: error, warning, info or never (default: ${DEFAULT-VALUE}).")
  FailOn failOn;

  @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
  Path output;

  @Override
  public Integer call() throws IOException {
    Optional<CheckResult> checked = inputs.run(Progress.NONE);
    if (checked.isEmpty()) {
      return 2;
    }
    CheckResult result = checked.get();
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
}
