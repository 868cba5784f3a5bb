package dev.carbonlens.report;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.check.CheckResult;
import dev.carbonlens.estimate.EstimatorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in-process, and analyses sample files the way `check` does, for the report tests. */
final class ReportTesting {
  static final String SAMPLES = "../samples";
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());

  private ReportTesting() {}

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
