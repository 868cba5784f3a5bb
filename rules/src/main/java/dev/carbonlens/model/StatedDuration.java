package dev.carbonlens.model;

/** A wall-clock limit the config states for the run, in hours. */
public record StatedDuration(double hours, SourceRange range) {}
