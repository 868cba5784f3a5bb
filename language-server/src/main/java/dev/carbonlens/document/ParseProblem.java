package dev.carbonlens.document;

import dev.carbonlens.model.SourceRange;

/** A syntax error (or a refused document, e.g. alias expansion too large) at a place in the text. */
public record ParseProblem(String message, SourceRange range) {}
