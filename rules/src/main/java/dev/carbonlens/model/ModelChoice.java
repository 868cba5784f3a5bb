package dev.carbonlens.model;

/** The model a run trains or serves; parameters in billions when known. */
public record ModelChoice(String id, Double billionParameters, SourceRange range) {}
