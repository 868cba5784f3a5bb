package dev.carbonlens.analysis;

import dev.carbonlens.estimate.Footprint;
import dev.carbonlens.estimate.Savings;
import dev.carbonlens.model.Run;

/**
 * A recognised run, its estimated footprint as written, and what applying all of its findings'
 * changes together would save (null when none can be priced).
 */
public record RunEstimate(Run run, Footprint footprint, Savings allFindingsSavings) {}
