package dev.carbonlens.analysis;

/** A finding silenced by a `carbonlens: ignore` comment, kept so that reports can count and list it. */
public record SuppressedFinding(ReportedFinding finding, Suppressions.Directive directive) {}
