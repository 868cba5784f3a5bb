package dev.carbonlens.extract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.model.Run;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Helpers for the Axolotl, LLaMA-Factory and torchtune tests: they call their extractor directly,
 * so they hold whatever the registry's order is.
 */
final class FineTuneTesting {
  private FineTuneTesting() {}

  static String fixture(String path) {
    try (InputStream in = FineTuneTesting.class.getResourceAsStream("/extract/" + path)) {
      assertThat(in).as("fixture " + path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses, checks the extractor recognises the first root, and extracts its single run. */
  static ExtractedRun extractedWith(ConfigExtractor extractor, String name, String text) {
    ParsedDocument doc = DocumentParser.parse(name, text);
    assertThat(doc.problems()).as("parse problems of " + name).isEmpty();
    MappingNode root = doc.rootMapping().orElseThrow();
    assertThat(extractor.recognises(name, root)).as(extractor.format() + " recognises " + name).isTrue();
    List<ExtractedRun> runs = extractor.extract(new ExtractionContext(name, doc, ExtractTesting.REF), root, 0);
    assertThat(runs).as("runs in " + name).hasSize(1);
    return runs.get(0);
  }

  static Run runWith(ConfigExtractor extractor, String name, String text) {
    return extractedWith(extractor, name, text).run();
  }

  /** The registry as it will be: the three formats before HuggingFace, after SkyPilot and Lightning. */
  static Extractors registry() {
    return new Extractors(List.of(new SkyPilotExtractor(), new LightningExtractor(), new AxolotlExtractor(),
        new LlamaFactoryExtractor(), new TorchtuneExtractor(), new HuggingFaceExtractor()));
  }

  static Path corpus() {
    return dev.carbonlens.testing.SharedFolders.corpus();
  }

  /** Every corpus file (README and MANIFEST aside), sorted. */
  static List<Path> corpusFiles(Path corpus) {
    try (Stream<Path> walk = Files.walk(corpus)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".md") && !p.getFileName().toString().endsWith(".tsv"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<MappingNode> rootMappings(ParsedDocument doc) {
    List<MappingNode> roots = new ArrayList<>();
    for (DocNode root : doc.roots()) {
      if (root instanceof MappingNode m) {
        roots.add(m);
      }
    }
    return roots;
  }
}
