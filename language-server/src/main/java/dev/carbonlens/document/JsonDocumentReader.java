package dev.carbonlens.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.carbonlens.limits.Budget;
import dev.carbonlens.limits.BudgetedReader;
import dev.carbonlens.limits.LimitNotice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON (and JSONC: comments, trailing commas, single quotes, unquoted names, NaN/Infinity) through
 * Jackson's streaming parser. Token starts come from Jackson's char offsets (UTF-16); token ends
 * are found by scanning the text from the start (Jackson reads strings lazily, so its current
 * location after a token is not the token's end).
 *
 * <p>On a syntax error inside the top-level value no root is returned (only the problem); an
 * error after a complete top-level value keeps that value as the root.
 */
final class JsonDocumentReader {

  static final int NESTING_DEPTH_LIMIT = 100;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
      .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
      .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
      .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
      .enable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
      .streamReadConstraints(
          StreamReadConstraints.builder().maxNestingDepth(NESTING_DEPTH_LIMIT).build())
      .build();

  private final String text;
  private final LineIndex lines;
  private final JsonParser parser;

  private JsonDocumentReader(String text, LineIndex lines, JsonParser parser) {
    this.text = text;
    this.lines = lines;
    this.parser = parser;
  }

  static void read(String text, LineIndex lines, List<DocNode> roots, List<ParseProblem> problems,
      List<LimitNotice> notices) {
    try (JsonParser parser = FACTORY.createParser(new BudgetedReader(text, Budget.current()))) {
      JsonDocumentReader reader = new JsonDocumentReader(text, lines, parser);
      try {
        JsonToken first = parser.nextToken();
        if (first == null) {
          return; // blank or comments only
        }
        roots.add(reader.value(first));
        JsonToken extra = parser.nextToken();
        if (extra != null) {
          int o = reader.tokenStart();
          problems.add(new ParseProblem(
              "unexpected content after the top-level JSON value", reader.problemRange(o)));
        }
      } catch (StreamConstraintsException e) {
        // Jackson's limits (only nesting depth is set below its defaults), at the bracket one level too deep.
        roots.clear();
        notices.add(new LimitNotice(LimitNotice.NESTING_DEPTH, "Not analysed: the JSON nests deeper than "
            + NESTING_DEPTH_LIMIT + " levels, the most CarbonLens reads.", reader.problemRange(reader.tokenStart())));
      }
    } catch (JsonProcessingException e) {
      JsonDocumentReader at = new JsonDocumentReader(text, lines, null);
      String message = cleanMessage(e.getOriginalMessage());
      problems.add(new ParseProblem(message,
          at.problemRange(at.tokenStartBefore(at.offsetOf(e.getLocation()), message))));
    } catch (IOException | RuntimeException e) {
      Budget.rethrowIfStop(e);
      JsonDocumentReader at = new JsonDocumentReader(text, lines, null);
      problems.add(new ParseProblem(
          "JSON could not be read: " + e.getMessage(), at.problemRange(0)));
    }
  }

  private DocNode value(JsonToken token) throws IOException {
    int start = tokenStart();
    switch (token) {
      case START_OBJECT: {
        List<Entry> order = new ArrayList<>();
        Map<String, Entry> byName = new HashMap<>();
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_OBJECT) {
          if (t != JsonToken.FIELD_NAME) {
            throw new IllegalStateException("unexpected token " + t);
          }
          int keyStart = tokenStart();
          String name = parser.currentName();
          boolean quotedKey = keyStart < text.length()
              && (text.charAt(keyStart) == '"' || text.charAt(keyStart) == '\'');
          int keyEnd = quotedKey ? stringEnd(keyStart) : literalEnd(keyStart);
          ScalarNode key = new ScalarNode(name, quotedKey, lines.range(keyStart, keyEnd));
          DocNode v = value(parser.nextToken());
          Entry entry = new Entry(key, v, false);
          byName.put(name, entry); // duplicate keys: the last wins, as in json.load
          order.add(entry);
        }
        List<Entry> entries = new ArrayList<>(order.size());
        for (Entry e : order) {
          if (byName.get(e.name()) == e) {
            entries.add(e);
          }
        }
        return new MappingNode(entries, lines.range(start, tokenStart() + 1));
      }
      case START_ARRAY: {
        List<DocNode> items = new ArrayList<>();
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
          items.add(value(t));
        }
        return new SequenceNode(items, lines.range(start, tokenStart() + 1));
      }
      case VALUE_STRING:
        return new ScalarNode(parser.getText(), true, lines.range(start, stringEnd(start)));
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return new ScalarNode(parser.getText(), false, lines.range(start, literalEnd(start)));
      case VALUE_TRUE:
        return new ScalarNode("true", false, lines.range(start, literalEnd(start)));
      case VALUE_FALSE:
        return new ScalarNode("false", false, lines.range(start, literalEnd(start)));
      case VALUE_NULL:
        return new ScalarNode(null, false, lines.range(start, literalEnd(start)));
      default:
        throw new IllegalStateException("unexpected token " + token);
    }
  }

  private int tokenStart() {
    return offsetOf(parser.currentTokenLocation());
  }

  private int offsetOf(JsonLocation location) {
    if (location == null) {
      return 0;
    }
    long chars = location.getCharOffset();
    if (chars >= 0) {
      return (int) Math.min(chars, text.length());
    }
    if (location.getLineNr() > 0) {
      return lines.offsetOf(location.getLineNr() - 1, Math.max(0, location.getColumnNr() - 1));
    }
    return 0;
  }

  /** End (exclusive) of a quoted string starting at {@code start}. */
  private int stringEnd(int start) {
    char quote = text.charAt(start);
    int n = text.length();
    for (int i = start + 1; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == quote) {
        return i + 1;
      }
    }
    return n;
  }

  /** End (exclusive) of a number, literal or unquoted name starting at {@code start}. */
  private int literalEnd(int start) {
    int n = text.length();
    int i = start;
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || ",:]}/#".indexOf(c) >= 0) {
        break;
      }
      i++;
    }
    return Math.max(i, Math.min(start + 1, n));
  }

  private dev.carbonlens.model.SourceRange problemRange(int offset) {
    int o = Math.max(0, Math.min(offset, text.length()));
    int line = lines.lineOf(o);
    int column = o - lines.lineStart(line);
    int end = lines.lineEnd(line);
    int lineStart = lines.lineStart(line);
    if (end > o) {
      return new dev.carbonlens.model.SourceRange(line, column, line, end - lineStart);
    }
    // At the line break or the end of the text: the line's last character (nothing on an empty line), as a
    // range past the line's end would point at no text in a report.
    int last = Math.max(lineStart, end - 1);
    return new dev.carbonlens.model.SourceRange(line, last - lineStart, line, end - lineStart);
  }

  private static final Pattern SOURCE_LOCATION =
      Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]");
  private static final Pattern UNRECOGNIZED_TOKEN = Pattern.compile("^Unrecognized token '([^']*)'");

  private static String cleanMessage(String message) {
    if (message == null || message.isBlank()) {
      return "JSON syntax error";
    }
    return SOURCE_LOCATION.matcher(message.strip()).replaceAll("line $1, column $2");
  }

  /** Jackson reports an unrecognized token after its end: point at its start instead. */
  private int tokenStartBefore(int offset, String message) {
    Matcher m = UNRECOGNIZED_TOKEN.matcher(message);
    if (m.find()) {
      String token = m.group(1);
      int start = offset - token.length();
      if (!token.isEmpty() && start >= 0 && text.startsWith(token, start)) {
        return start;
      }
    }
    return offset;
  }
}
