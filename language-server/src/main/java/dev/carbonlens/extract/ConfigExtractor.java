package dev.carbonlens.extract;

import dev.carbonlens.document.MappingNode;
import java.util.List;

/** Reads one config format into runs. One implementation per format; detection is by content. */
public interface ConfigExtractor {

  /** The format's name in reports (`huggingface`, `skypilot`, `lightning`). */
  String format();

  /** True when this document root looks like this format. */
  boolean recognises(String fileName, MappingNode root);

  List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex);
}
