package dev.carbonlens.reference;

/** A default figure with where it comes from. */
public record SourcedValue(double value, String source, int year) {
}
