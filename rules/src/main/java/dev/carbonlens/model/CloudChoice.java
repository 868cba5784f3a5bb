package dev.carbonlens.model;

/** The cloud provider (`aws`, `gcp`, `azure`, ...) when the config names one. */
public record CloudChoice(String provider, SourceRange range) {}
