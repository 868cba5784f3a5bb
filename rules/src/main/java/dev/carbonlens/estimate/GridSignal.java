package dev.carbonlens.estimate;

/**
 * Which grid intensity prices electricity: the annual average of the grid's mix, or the marginal
 * intensity (the plant that answers an extra load). The SCI allows either; they can reverse advice
 * (FACTS F14), so a team chooses. Marginal falls back to average where a region has no figure.
 */
public enum GridSignal {
  AVERAGE,
  MARGINAL
}
