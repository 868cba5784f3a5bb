package dev.carbonlens.report;

import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.check.CheckInputs;
import dev.carbonlens.check.CheckResult;
import dev.carbonlens.check.Progress;
import dev.carbonlens.reference.ReferenceData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * `carbonlens report`: the same analysis as `check`, written for people rather than CI: an HTML page for
 * reviewers, or a Hugging Face model card's CO2 block for one training run. Exit 0, or 2 for a usage or
 * tool error; findings do not fail a report.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write a self-contained HTML report of the estimated footprint and findings (--html FILE), or"
        + " the Hugging Face model card co2_eq_emissions block for one training run (--model-card).")
public final class ReportCommand implements Callable<Integer> {

  @Mixin
  CheckInputs inputs = new CheckInputs();

  @ArgGroup(exclusive = true, multiplicity = "1")
  Kind kind;

  /** Exactly one kind of report per call. */
  static final class Kind {
    @Option(names = "--html", paramLabel = "FILE", required = true,
        description = "Write the HTML report to FILE (one page: inline CSS and SVG charts, nothing fetched).")
    Path html;

    @Option(names = "--model-card", required = true,
        description = "Print the model card CO2 metadata (YAML front matter) and a methodology paragraph.")
    boolean modelCard;
  }

  @Option(names = "--run", paramLabel = "N",
      description = "With --model-card: which training run, when the PATHs hold several (the error lists them).")
  Integer run;

  @Option(names = "--output", paramLabel = "FILE",
      description = "With --model-card: write it to FILE instead of stdout.")
  Path output;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (kind.html != null && (run != null || output != null)) {
      throw new ParameterException(spec.commandLine(), (run != null ? "--run" : "--output")
          + " applies to --model-card only (--html takes the file to write)");
    }
    Optional<CheckResult> checked = inputs.run(Progress.NONE);
    if (checked.isEmpty()) {
      return 2;
    }
    if (kind.html != null) {
      Files.writeString(kind.html, HtmlReport.render(checked.get()), StandardCharsets.UTF_8);
      return 0;
    }
    return modelCard(checked.get());
  }

  private int modelCard(CheckResult result) throws IOException {
    RunEstimate chosen;
    try {
      chosen = TrainingRunChoice.choose(result, run);
    } catch (TrainingRunChoice.NoSingleRun e) {
      PrintWriter err = spec.commandLine().getErr();
      err.print("carbonlens: " + e.getMessage() + (e.getMessage().endsWith("\n") ? "" : "\n"));
      err.flush();
      return 2;
    }
    String card = ModelCard.render(chosen, ReferenceData.builtIn());
    if (output != null) {
      Files.writeString(output, card, StandardCharsets.UTF_8);
    } else {
      System.out.print(card);
      System.out.flush();
    }
    return 0;
  }
}
