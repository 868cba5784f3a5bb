package dev.carbonlens.document;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** Reading scalar text as booleans and numbers, YAML 1.1/1.2 and JSON style. */
final class Scalars {

  private static final Pattern DECIMAL = Pattern.compile(
      "[-+]?(?:[0-9][0-9_]*(?:\\.[0-9_]*)?|\\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?");
  private static final Pattern HEX = Pattern.compile("[-+]?0x[0-9a-fA-F_]+");
  private static final Pattern OCTAL = Pattern.compile("[-+]?0o[0-7_]+");
  private static final Pattern BINARY = Pattern.compile("[-+]?0b[01_]+");
  private static final Pattern INF = Pattern.compile("[-+]?(?:\\.inf|\\.Inf|\\.INF|Infinity)");
  private static final Pattern NAN = Pattern.compile("\\.nan|\\.NaN|\\.NAN|NaN");

  private Scalars() {}

  static Boolean parseBoolean(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "true": case "yes": case "on":
        return Boolean.TRUE;
      case "false": case "no": case "off":
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  static OptionalDouble parseDouble(String raw) {
    String s = raw.strip();
    if (s.isEmpty() || s.length() > 400) {
      return OptionalDouble.empty();
    }
    if (DECIMAL.matcher(s).matches()) {
      String clean = s.replace("_", "");
      if (!hasDigit(clean)) {
        return OptionalDouble.empty();
      }
      try {
        return OptionalDouble.of(Double.parseDouble(clean));
      } catch (NumberFormatException e) {
        return OptionalDouble.empty();
      }
    }
    BigInteger radix = parseRadix(s);
    if (radix != null) {
      return OptionalDouble.of(radix.doubleValue());
    }
    if (INF.matcher(s).matches()) {
      return OptionalDouble.of(s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }
    if (NAN.matcher(s).matches()) {
      return OptionalDouble.of(Double.NaN);
    }
    return OptionalDouble.empty();
  }

  static OptionalLong parseLong(String raw) {
    String s = raw.strip();
    if (s.isEmpty() || s.length() > 400) {
      return OptionalLong.empty();
    }
    try {
      if (DECIMAL.matcher(s).matches()) {
        String clean = s.replace("_", "");
        if (!hasDigit(clean)) {
          return OptionalLong.empty();
        }
        if (clean.endsWith(".")) {
          clean = clean + "0";
        }
        if (clean.startsWith(".") || clean.startsWith("-.") || clean.startsWith("+.")) {
          clean = clean.replaceFirst("\\.", "0.");
        }
        BigDecimal d = new BigDecimal(clean);
        // Reject absurd exponents before asking for an exact long.
        if (d.signum() != 0 && d.precision() - d.scale() > 20) {
          return OptionalLong.empty();
        }
        d = d.stripTrailingZeros();
        if (d.scale() > 0) {
          return OptionalLong.empty();
        }
        return OptionalLong.of(d.longValueExact());
      }
      BigInteger radix = parseRadix(s);
      if (radix != null && radix.bitLength() < 64) {
        return OptionalLong.of(radix.longValue());
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  private static BigInteger parseRadix(String s) {
    int radix;
    if (HEX.matcher(s).matches()) {
      radix = 16;
    } else if (OCTAL.matcher(s).matches()) {
      radix = 8;
    } else if (BINARY.matcher(s).matches()) {
      radix = 2;
    } else {
      return null;
    }
    boolean negative = s.startsWith("-");
    int prefixEnd = s.indexOf(radix == 16 ? 'x' : radix == 8 ? 'o' : 'b') + 1;
    String digits = s.substring(prefixEnd).replace("_", "");
    if (digits.isEmpty()) {
      return null;
    }
    BigInteger v = new BigInteger(digits, radix);
    return negative ? v.negate() : v;
  }

  private static boolean hasDigit(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        return true;
      }
    }
    return false;
  }
}
