package dev.carbonlens.model;

import dev.carbonlens.reference.RegionSpec;

/** The region a run is placed in, as written and as resolved in the reference table. */
public record RegionChoice(RegionSpec spec, String written, SourceRange range) {}
