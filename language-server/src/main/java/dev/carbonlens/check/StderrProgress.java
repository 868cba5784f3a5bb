package dev.carbonlens.check;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * "carbonlens: 350/1000 files" on one terminal line, redrawn at most ten times a second and wiped at the
 * end, for runs long enough to wonder about. Only on a terminal: CI logs get the report alone.
 */
final class StderrProgress implements Progress {
  /** Runs shorter than this say nothing, so a quick check never flickers. */
  private static final long QUIET_NANOS = 1_000_000_000L;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream err;
  private final java.util.function.LongSupplier clock;
  private final AtomicInteger done = new AtomicInteger();
  private volatile int total;
  private volatile long started;
  private volatile long lastDrawn;
  private volatile boolean drawn;

  StderrProgress(PrintStream err) {
    this(err, System::nanoTime);
  }

  StderrProgress(PrintStream err, java.util.function.LongSupplier nanoClock) {
    this.err = err;
    this.clock = nanoClock;
  }

  /** A progress line on an interactive terminal, never under CI (whose logs would keep every redraw). */
  static Progress forTerminal() {
    return System.console() != null && System.getenv("CI") == null ? new StderrProgress(System.err) : Progress.NONE;
  }

  @Override
  public void start(int files) {
    total = files;
    started = clock.getAsLong();
  }

  @Override
  public void fileDone() {
    int n = done.incrementAndGet();
    long now = clock.getAsLong();
    if (now - started < QUIET_NANOS || now - lastDrawn < REDRAW_NANOS) {
      return;
    }
    synchronized (this) {
      if (now - lastDrawn < REDRAW_NANOS) {
        return;
      }
      lastDrawn = now;
      drawn = true;
      err.print("\rcarbonlens: " + n + "/" + total + " files");
      err.flush();
    }
  }

  @Override
  public synchronized void finish() {
    if (drawn) {
      err.print("\r\u001b[2K");
      err.flush();
    }
  }
}
