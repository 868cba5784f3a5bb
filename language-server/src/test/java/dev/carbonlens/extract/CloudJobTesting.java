package dev.carbonlens.extract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.model.Run;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Helpers for the SageMaker, Vertex AI and Azure ML extractor tests (these run the three extractors alone). */
final class CloudJobTesting {
  static final List<ConfigExtractor> CLOUD_JOBS =
      List.of(new SageMakerExtractor(), new VertexExtractor(), new AzureMlExtractor());
  static final Extractors EXTRACTORS = new Extractors(CLOUD_JOBS);

  private CloudJobTesting() {}

  static List<ExtractedRun> extractAll(String name, String text) {
    ParsedDocument doc = DocumentParser.parse(name, text);
    assertThat(doc.problems()).as("parse problems of " + name).isEmpty();
    return EXTRACTORS.extract(name, doc, ExtractTesting.REF);
  }

  static Run run(String name, String text) {
    List<ExtractedRun> runs = extractAll(name, text);
    assertThat(runs).as("runs in " + name).hasSize(1);
    return runs.get(0).run();
  }

  static String fixture(String path) {
    try (InputStream in = CloudJobTesting.class.getResourceAsStream("/extract/" + path)) {
      assertThat(in).as("fixture " + path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
