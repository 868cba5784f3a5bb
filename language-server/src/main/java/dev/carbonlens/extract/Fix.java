package dev.carbonlens.extract;

import java.util.List;

/** A quick fix: the edits that make a proposed change in this file's own syntax. */
public record Fix(String title, List<TextEdit> edits) {}
