package dev.carbonlens.model;

/** How often the run logs metrics, in steps. */
public record Logging(Long everySteps, SourceRange range) {}
