package dev.carbonlens.extract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One extractor that throws never takes the other documents' runs with it. */
class ExtractorIsolationTest {

  /** Claims documents whose `name` is `broken` and fails on them, as a bug would. */
  private static final class Failing implements ConfigExtractor {
    @Override
    public String format() {
      return "failing";
    }

    @Override
    public boolean recognises(String fileName, MappingNode root) {
      return root.scalar("name").map(n -> n.value().equals("broken")).orElse(false);
    }

    @Override
    public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
      throw new IllegalStateException("a bug");
    }
  }

  @Test
  void aFailingExtractorCostsOnlyItsOwnDocument() {
    List<ConfigExtractor> all = new ArrayList<>();
    all.add(new Failing());
    all.add(new SkyPilotExtractor());
    Extractors extractors = new Extractors(all);
    String text = "name: broken\nresources:\n  accelerators: K80:4\nrun: python a.py\n---\n"
        + "name: fine\nresources:\n  accelerators: K80:4\nrun: python b.py\n";
    ParsedDocument document = DocumentParser.parse("jobs.yaml", text);
    List<ExtractedRun> runs = extractors.extract("jobs.yaml", document, ReferenceData.builtIn());
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).run().format()).isEqualTo("skypilot");
  }
}
