package dev.carbonlens.limits;

import java.io.Reader;

/**
 * A string read through a {@link Reader} that checks the current {@link Budget} at each read: the parsers that pull
 * their text in chunks (SnakeYAML reads 1,024 characters at a time, JavaParser a buffer's worth) then stop when
 * the analysis has to, at the cost of a clock read per chunk.
 */
public final class BudgetedReader extends Reader {
  private final String text;
  private final Budget budget;
  private int next;

  public BudgetedReader(String text, Budget budget) {
    this.text = text;
    this.budget = budget;
  }

  @Override
  public int read(char[] buffer, int offset, int length) {
    budget.check();
    if (next >= text.length()) {
      return -1;
    }
    int n = Math.min(length, text.length() - next);
    text.getChars(next, next + n, buffer, offset);
    next += n;
    return n;
  }

  @Override
  public void close() {
    // a string holds nothing to release
  }
}
