package dev.carbonlens.estimate;

/** One figure an estimate rests on, with where it comes from: shown on hover and in reports. */
public record Assumption(String what, String value, String source) {
  @Override
  public String toString() {
    return source == null || source.isBlank() ? what + ": " + value : what + ": " + value + " (" + source + ")";
  }
}
