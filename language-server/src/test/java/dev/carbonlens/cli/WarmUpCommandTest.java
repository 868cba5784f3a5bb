package dev.carbonlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The launcher records its class-data archive from this run: it must go through both front ends quietly. */
class WarmUpCommandTest {
  @Test
  void analysesTheSamplesAndRunsAnLspSessionWithoutPrinting() {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true));
      assertThat(Main.run("warm-up", "../samples")).isZero();
    } finally {
      System.setOut(out);
    }
    assertThat(captured.toString()).isEmpty();
  }
}
