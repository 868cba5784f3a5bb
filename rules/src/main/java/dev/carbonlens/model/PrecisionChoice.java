package dev.carbonlens.model;

/**
 * The run's precision. `stated` is false when the config leaves it to the framework's default (then
 * `range` is where the setting would go).
 */
public record PrecisionChoice(Precision precision, boolean stated, SourceRange range) {}
