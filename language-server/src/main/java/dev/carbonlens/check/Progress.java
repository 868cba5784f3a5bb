package dev.carbonlens.check;

/** Where `check` reports how far it has got on a long run; NONE says nothing. */
public interface Progress {
  Progress NONE = new Progress() {};

  default void start(int files) {}

  /** Called from the analysing threads, once per file. */
  default void fileDone() {}

  default void finish() {}
}
