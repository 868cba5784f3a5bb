package dev.carbonlens.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.reference.ReferenceData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shared corpus of real configs: each of the three formats' folders is read as that format. */
class CorpusExtractionTest {
  private static final Map<String, String> FORMAT_OF_FOLDER = Map.of(
      "hf_training_args", "huggingface",
      "skypilot", "skypilot",
      "lightning", "lightning");

  /** Walks up from the working directory to the first folder with a shared/corpus inside. */
  static Path corpus() {
    return dev.carbonlens.testing.SharedFolders.corpus();
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".md") && !p.getFileName().toString().endsWith(".tsv"))
          .sorted().toList();
    }
  }

  @Test
  void formatFoldersAreRecognisedAndExtracted() throws IOException {
    Path corpus = corpus();
    assumeTrue(corpus != null, "shared/corpus not found above " + Path.of("").toAbsolutePath());
    List<String> unrecognised = new ArrayList<>();
    int checked = 0;
    for (var folder : FORMAT_OF_FOLDER.entrySet()) {
      Path dir = corpus.resolve(folder.getKey());
      assumeTrue(Files.isDirectory(dir), "no corpus folder " + dir);
      for (Path file : files(dir)) {
        String name = file.getFileName().toString();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        ParsedDocument doc = DocumentParser.parse(name, text);
        assertThat(doc.problems()).as(name).isEmpty();
        List<ExtractedRun> runs = new ArrayList<>();
        assertThatCode(() -> runs.addAll(Extractors.builtIn().extract(name, doc, ReferenceData.builtIn())))
            .as(name).doesNotThrowAnyException();
        if (runs.isEmpty()) {
          unrecognised.add(folder.getKey() + "/" + name);
          continue;
        }
        assertThat(runs).as(name).allSatisfy(r -> assertThat(r.run().format()).isEqualTo(folder.getValue()));
        checked++;
      }
    }
    assertThat(unrecognised).as("corpus files not recognised as their format").isEmpty();
    assertThat(checked).isPositive();
  }

  @Test
  void everyCorpusFileGoesThroughTheAnalyzer() throws IOException {
    Path corpus = corpus();
    assumeTrue(corpus != null, "shared/corpus not found above " + Path.of("").toAbsolutePath());
    Analyzer analyzer = Analyzer.builtIn(EstimatorSettings.defaults());
    List<Path> all = files(corpus);
    assertThat(all).isNotEmpty();
    for (Path file : all) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String name = corpus.relativize(file).toString().replace('\\', '/');
      FileAnalysis[] result = new FileAnalysis[1];
      assertThatCode(() -> result[0] = analyzer.analyze(name, text)).as(name).doesNotThrowAnyException();
      assertThat(result[0].file()).isEqualTo(name);
      for (var estimate : result[0].runs()) {
        assertThat(estimate.footprint().totalKgCO2e()).as(name).isFinite().isNotNegative();
      }
    }
  }
}
