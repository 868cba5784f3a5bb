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
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers for the DeepSpeed, Accelerate, W&B sweep and Hydra extractor tests: they call one
 * extractor directly, so they do not depend on the order of the built-in registry.
 */
final class ConfigFormatsTesting {
  private ConfigFormatsTesting() {}

  /** Every run the extractor reads from the documents it recognises. */
  static List<ExtractedRun> extractWith(ConfigExtractor extractor, String name, String text) {
    ParsedDocument doc = DocumentParser.parse(name, text);
    ExtractionContext context = new ExtractionContext(name, doc, ExtractTesting.REF);
    List<ExtractedRun> runs = new ArrayList<>();
    List<DocNode> roots = doc.roots();
    for (int i = 0; i < roots.size(); i++) {
      if (roots.get(i) instanceof MappingNode root && extractor.recognises(name, root)) {
        runs.addAll(extractor.extract(context, root, i));
      }
    }
    return runs;
  }

  /** The single run of a file that parses cleanly. */
  static Run runWith(ConfigExtractor extractor, String name, String text) {
    ParsedDocument doc = DocumentParser.parse(name, text);
    assertThat(doc.problems()).as("parse problems of " + name).isEmpty();
    List<ExtractedRun> runs = extractWith(extractor, name, text);
    assertThat(runs).as("runs in " + name).hasSize(1);
    return runs.get(0).run();
  }

  /** A test resource as text. */
  static String resource(String path) {
    try (InputStream in = ConfigFormatsTesting.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether any root mapping of the text is recognised by the extractor. */
  static boolean recognisesAnyRoot(ConfigExtractor extractor, String name, String text) {
    ParsedDocument doc = DocumentParser.parse(name, text);
    return doc.roots().stream().anyMatch(r -> r instanceof MappingNode m && extractor.recognises(name, m));
  }
}
