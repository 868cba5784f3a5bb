package dev.carbonlens.model;

/** A run repeated on a schedule: the expression as written (cron, Azure recurrence) and runs per day. */
public record Recurrence(String expression, Double runsPerDay, SourceRange range) {}
