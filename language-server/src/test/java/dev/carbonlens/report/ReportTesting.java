package dev.carbonlens.report;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.check.CheckResult;
import dev.carbonlens.cli.Main;
import dev.carbonlens.estimate.EstimatorSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in-process, and analyses sample files the way `check` does, for the report tests. */
final class ReportTesting {
  static final String SAMPLES = "../samples";
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());

  private ReportTesting() {}

  record Outcome(int exitCode, String stdout, String stderr) {}

  static Outcome run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Outcome(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** The built-in pipeline with default estimator settings over the files, named as given. */
  static CheckResult analyse(String... files) {
    List<FileAnalysis> analysed = new ArrayList<>();
    for (String file : files) {
      try {
        analysed.add(ANALYZER.analyze(file, Files.readString(Path.of(file))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new CheckResult(analysed, List.of());
  }
}
