package dev.carbonlens.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every real configuration file of the shared corpus parses without a problem. */
class CorpusTest {

  /** Walks up from the working directory to the first folder with a shared/corpus inside. */
  static Path corpus() {
    return dev.carbonlens.testing.SharedFolders.corpus();
  }

  @Test
  void everyCorpusFileParsesWithoutProblems() throws IOException {
    Path corpus = corpus();
    assumeTrue(corpus != null, "shared/corpus not found above " + Path.of("").toAbsolutePath());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(corpus)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().matches(".*\\.(ya?ml|jsonc?)$"))
          .sorted()
          .collect(Collectors.toList());
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      ParsedDocument doc = DocumentParser.parse(file.getFileName().toString(), text);
      assertThat(doc.problems()).as(file.toString()).isEmpty();
      assertThat(doc.roots()).as(file.toString()).isNotEmpty();
      assertThat(doc.syntax()).as(file.toString())
          .isEqualTo(file.toString().contains(".json") ? SyntaxKind.JSON : SyntaxKind.YAML);
    }
  }
}
