package dev.carbonlens.extract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.LineIndex;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.reference.ReferenceData;
import java.util.Comparator;
import java.util.List;

/** Helpers shared by the extractor tests: parse, extract, slice a range, apply edits. */
final class ExtractTesting {
  static final ReferenceData REF = ReferenceData.builtIn();

  private ExtractTesting() {}

  static List<ExtractedRun> extractAll(String name, String text) {
    ParsedDocument doc = DocumentParser.parse(name, text);
    assertThat(doc.problems()).as("parse problems of " + name).isEmpty();
    return Extractors.builtIn().extract(name, doc, REF);
  }

  /** The single run of a one-document file. */
  static ExtractedRun extracted(String name, String text) {
    List<ExtractedRun> runs = extractAll(name, text);
    assertThat(runs).as("runs in " + name).hasSize(1);
    return runs.get(0);
  }

  static Run run(String name, String text) {
    return extracted(name, text).run();
  }

  /** The text a range covers. */
  static String slice(String text, SourceRange r) {
    LineIndex lines = new LineIndex(text);
    int s = lines.lineStart(r.startLine()) + r.startColumn();
    int e = lines.lineStart(r.endLine()) + r.endColumn();
    return text.substring(s, e);
  }

  /** Applies non-overlapping edits, last first. */
  static String apply(String text, List<TextEdit> edits) {
    LineIndex lines = new LineIndex(text);
    StringBuilder out = new StringBuilder(text);
    List<TextEdit> ordered = edits.stream()
        .sorted(Comparator.comparingInt((TextEdit e) -> e.range().startLine())
            .thenComparingInt(e -> e.range().startColumn()).reversed())
        .toList();
    for (TextEdit e : ordered) {
      int s = lines.lineStart(e.range().startLine()) + e.range().startColumn();
      int end = lines.lineStart(e.range().endLine()) + e.range().endColumn();
      out.replace(s, end, e.newText());
    }
    return out.toString();
  }
}
