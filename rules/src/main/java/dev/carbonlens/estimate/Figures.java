package dev.carbonlens.estimate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Formats figures for people: three significant digits, no exponent, no trailing zeros. */
public final class Figures {
  private Figures() {}

  public static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return String.valueOf(value);
    }
    if (value == 0) {
      return "0";
    }
    if (Math.abs(value) >= 1000) {
      return grouped(value);
    }
    // valueOf reads the shortest decimal that is the double (Double.toString): exact enough for three
    // digits, and several times cheaper than the double's full binary expansion (this runs for every
    // figure of every assumption).
    BigDecimal rounded = BigDecimal.valueOf(value).round(THREE_DIGITS);
    return rounded.stripTrailingZeros().toPlainString();
  }

  // Half up on the decimal a person would write (1.185 -> 1.19, 70.55 -> 70.6), as by hand.
  private static final MathContext THREE_DIGITS = new MathContext(3, RoundingMode.HALF_UP);
  private static final MathContext SIX_DIGITS = new MathContext(6, RoundingMode.HALF_UP);

  /** Whole units with thousands separators, rounded half up as `%,.0f` does ("12,346"). */
  private static String grouped(double value) {
    long whole = Math.round(Math.abs(value));
    String digits = Long.toString(whole);
    StringBuilder out = new StringBuilder(digits.length() + digits.length() / 3 + 1);
    if (value < 0) {
      out.append('-');
    }
    int head = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
    out.append(digits, 0, head);
    for (int i = head; i < digits.length(); i += 3) {
      out.append(',').append(digits, i, i + 3);
    }
    return out.toString();
  }

  public static String percent(double fraction) {
    return Math.round(fraction * 100) + "%";
  }

  /** Rounds for machine-readable reports: enough digits to check the arithmetic, no noise. */
  public static double round(double value) {
    if (value == 0 || Double.isNaN(value) || Double.isInfinite(value)) {
      return value;
    }
    return BigDecimal.valueOf(value).round(SIX_DIGITS).doubleValue();
  }
}
