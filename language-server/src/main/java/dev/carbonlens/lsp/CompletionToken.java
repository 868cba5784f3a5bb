package dev.carbonlens.lsp;

import java.util.Optional;

/**
 * The value being typed at the cursor, read from its line alone, so that half-typed text such as
 * {@code region: "us-} (which does not parse) still has a value to complete. {@code start}/{@code end}:
 * the value's text (inside its quotes, {@code end} exclusive and before a closing quote); {@code quote}:
 * the opening quote ({@code 0} when unquoted); {@code closed}: whether the closing quote is written;
 * {@code lead}: the line before the value (and before its opening quote).
 */
record CompletionToken(int start, int end, int cursor, char quote, boolean closed, String lead) {

  /** Where the value's source begins: its opening quote, or its first character. */
  int valueStart() {
    return quote == 0 ? start : start - 1;
  }

  /** Just past the value's source: after its closing quote when written. */
  int valueEnd() {
    return quote != 0 && closed ? end + 1 : end;
  }

  /**
   * The value under the cursor; empty inside a comment. YAML: a quote opens a value only where a value can
   * begin (after a blank, {@code [}, {@code {} or {@code ,}), and {@code :} ends a value only before a blank
   * or the line end, so {@code A100:8} is one value. JSON: {@code :} always separates.
   */
  static Optional<CompletionToken> at(String text, int cursor, boolean json) {
    int c = Math.max(0, Math.min(cursor, text.length()));
    char quote = 0;
    int quoteAt = -1;
    for (int i = 0; i < c; i++) {
      char ch = text.charAt(i);
      if (quote == 0) {
        if (startsComment(text, i, json)) {
          return Optional.empty(); // the cursor lies after a comment marker
        }
        if ((ch == '"' || ch == '\'') && (json || i == 0 || opensValue(text.charAt(i - 1)))) {
          quote = ch;
          quoteAt = i;
        }
      } else if (ch == '\\' && quote == '"') {
        i++;
      } else if (ch == quote) {
        if (quote == '\'' && !json && i + 1 < c && text.charAt(i + 1) == '\'') {
          i++; // '' is an escaped quote inside a YAML single-quoted scalar
        } else {
          quote = 0;
        }
      }
    }
    if (quote != 0) {
      int close = closingQuote(text, c, quote, json);
      int end = close >= 0 ? close : extend(text, c, json);
      return Optional.of(new CompletionToken(quoteAt + 1, end, c, quote, close >= 0, text.substring(0, quoteAt)));
    }
    int start = c;
    while (start > 0 && !isStop(text, start - 1, json)) {
      start--;
    }
    return Optional.of(new CompletionToken(start, extend(text, c, json), c, (char) 0, false,
        text.substring(0, start)));
  }

  private static boolean startsComment(String text, int i, boolean json) {
    char ch = text.charAt(i);
    if (json) {
      return ch == '/' && i + 1 < text.length() && (text.charAt(i + 1) == '/' || text.charAt(i + 1) == '*');
    }
    return ch == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)));
  }

  private static boolean opensValue(char before) {
    return Character.isWhitespace(before) || before == '[' || before == '{' || before == ',';
  }

  /** The closing quote at or after {@code from}, or -1 when the line has none. */
  private static int closingQuote(String text, int from, char quote, boolean json) {
    for (int j = from; j < text.length(); j++) {
      char ch = text.charAt(j);
      if (ch == '\\' && quote == '"') {
        j++;
      } else if (ch == quote) {
        if (quote == '\'' && !json && j + 1 < text.length() && text.charAt(j + 1) == '\'') {
          j++;
        } else {
          return j;
        }
      }
    }
    return -1;
  }

  private static int extend(String text, int from, boolean json) {
    int end = from;
    while (end < text.length() && !isStop(text, end, json)) {
      end++;
    }
    return end;
  }

  /** Characters that end an unquoted value. */
  private static boolean isStop(String text, int i, boolean json) {
    char ch = text.charAt(i);
    if (Character.isWhitespace(ch) || ch == ',' || ch == '[' || ch == ']' || ch == '{' || ch == '}' || ch == '"'
        || ch == '\'') {
      return true;
    }
    if (ch == ':') {
      return json || i + 1 >= text.length() || Character.isWhitespace(text.charAt(i + 1));
    }
    return false;
  }
}
