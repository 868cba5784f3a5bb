package dev.carbonlens.extract;

import dev.carbonlens.model.SourceRange;

/** Replace `range` (0-based, UTF-16, end exclusive) with `newText`; an empty range inserts. */
public record TextEdit(SourceRange range, String newText) {}
