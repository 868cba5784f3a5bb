package dev.carbonlens.testing;

/** Texts built to hurt a parser, shared by the tests that feed them to the pipeline and to the server. */
public final class HostileTexts {
  private HostileTexts() {}

  /** "Billion laughs": ten anchors, each a list of nine aliases of the one before, 9^9 strings once expanded. */
  public static String aliasBomb() {
    StringBuilder bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      bomb.append(c).append(": &").append(c).append(" [").append(("*" + (char) (c - 1) + ", ").repeat(8))
          .append('*').append((char) (c - 1)).append("]\n");
    }
    return bomb.toString();
  }
}
