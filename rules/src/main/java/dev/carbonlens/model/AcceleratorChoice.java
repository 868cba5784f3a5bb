package dev.carbonlens.model;

import dev.carbonlens.reference.AcceleratorSpec;

/** The accelerator a run asks for, as written (`written`) and as resolved in the reference table. */
public record AcceleratorChoice(AcceleratorSpec spec, String written, SourceRange range) {}
