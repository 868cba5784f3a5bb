package dev.carbonlens.cli;

/** The tool's version as reported in JSON, SARIF and `--version`. */
public final class Version {
  public static final String VERSION = "0.1.0";

  private Version() {}
}
