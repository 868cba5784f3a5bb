package dev.carbonlens.extract;

import dev.carbonlens.model.Run;

/** A run read from a document, with the means to write fixes back into that document. */
public record ExtractedRun(Run run, FixWriter fixes) {}
