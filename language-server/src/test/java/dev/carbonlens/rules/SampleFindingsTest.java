package dev.carbonlens.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.estimate.EstimatorSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every finding on the bundled samples, by file, line, rule and category, against the reviewed list
 * in {@code sample-findings.txt}: a new finding, a lost one or a moved one fails with the difference.
 * Files listed as {@code <file> clean} must have none. To accept a reviewed change, rerun with
 * {@code -Dcarbonlens.updateSamples=true} and read the diff of the list before committing it.
 */
class SampleFindingsTest {
  private static final Path SAMPLES = Path.of("..", "samples");
  private static final Path EXPECTED = Path.of("src", "test", "resources", "sample-findings.txt");

  static List<String> actual() throws IOException {
    Analyzer analyzer = Analyzer.builtIn(EstimatorSettings.defaults());
    List<String> lines = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SAMPLES)) {
      // samples/policies holds team rules (DRL, policy YAML) for `check --rules`, not configs
      files = walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md"))
          .filter(p -> !p.startsWith(SAMPLES.resolve("policies"))).sorted().toList();
    }
    for (Path file : files) {
      String name = SAMPLES.relativize(file).toString().replace('\\', '/');
      FileAnalysis a = analyzer.analyze(name, Files.readString(file, StandardCharsets.UTF_8));
      if (a.findings().isEmpty()) {
        lines.add(name + " clean");
      }
      a.findings().stream()
          .map(f -> name + ":" + (f.finding().range().startLine() + 1) + " " + f.finding().ruleId() + " "
              + f.finding().category().label())
          .sorted()
          .forEach(lines::add);
    }
    return lines;
  }

  @Test
  void samplesGiveExactlyTheReviewedFindings() throws IOException {
    List<String> actual = actual();
    if (Boolean.getBoolean("carbonlens.updateSamples")) {
      Files.writeString(EXPECTED, String.join("\n", actual) + "\n", StandardCharsets.UTF_8);
    }
    List<String> expected = Files.readAllLines(EXPECTED, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(actual);
    List<String> unexpected = new ArrayList<>(actual);
    unexpected.removeAll(expected);
    assertThat(missing).as("expected findings that no longer appear").isEmpty();
    assertThat(unexpected).as("findings (or clean files) not in sample-findings.txt").isEmpty();
  }
}
