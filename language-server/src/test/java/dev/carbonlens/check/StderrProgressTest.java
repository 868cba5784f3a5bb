package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line: silent for quick runs, redrawn at most ten times a second, wiped at the end. */
class StderrProgressTest {
  private final AtomicLong now = new AtomicLong();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final StderrProgress progress = new StderrProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);

  @Test
  void aRunUnderASecondSaysNothing() {
    progress.start(1000);
    for (int i = 0; i < 1000; i++) {
      now.addAndGet(900_000); // 0.9 ms a file: 0.9 s in all
      progress.fileDone();
    }
    progress.finish();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aLongRunCountsFilesOnOneLineAndWipesItAtTheEnd() {
    progress.start(1000);
    for (int i = 0; i < 1000; i++) {
      now.addAndGet(5_000_000); // 5 ms a file: 5 s in all
      progress.fileDone();
    }
    String shown = bytes.toString(StandardCharsets.UTF_8);
    // first drawn after 1 s (file 200), then every 100 ms (20 files)
    assertThat(shown).startsWith("\rcarbonlens: 200/1000 files\rcarbonlens: 220/1000 files");
    assertThat(shown.split("\r", -1)).hasSize(1 + 41);
    progress.finish();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("\r\u001b[2K").doesNotContain("\n");
  }
}
