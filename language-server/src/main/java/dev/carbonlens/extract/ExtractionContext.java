package dev.carbonlens.extract;

import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.reference.ReferenceData;

/** What an extractor needs besides the node it reads: the whole document and the reference tables. */
public record ExtractionContext(String file, ParsedDocument document, ReferenceData reference) {

  public ConfigEditor editor() {
    return new ConfigEditor(document);
  }
}
