package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.LineIndex;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.model.SourceRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arguments of shell commands written inside a config (SkyPilot `run:`, a container's
 * `command`/`args`, an Azure ML `command:`), each with its exact position in the document, and
 * their flags read as settings: `--num_train_epochs 30`, `--fp16`, `--mixed_precision=bf16` and
 * `key=value` overrides (torchtune, Hydra) all become named values a reader can use like config keys.
 * Flag names are normalised: leading dashes dropped, `-` read as `_`, lower case.
 */
public final class CommandArgs implements Settings {

  /** One shell word, unquoted, and where it is written. */
  public record Token(String text, SourceRange range) {}

  private static final Pattern OVERRIDE = Pattern.compile("[+~]?[A-Za-z_][\\w.\\-]*=.*");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?(e-?\\d+)?");
  private static final Pattern SHORT_FLAG = Pattern.compile("-([A-Za-z][A-Za-z_]+)(?:=(.*))?");
  private static final Pattern INTEGER = Pattern.compile("\\d+");

  private final List<Token> tokens;
  private final Map<String, Setting> flags;

  private CommandArgs(List<Token> tokens) {
    this.tokens = List.copyOf(tokens);
    this.flags = readFlags(this.tokens);
  }

  public static final CommandArgs NONE = new CommandArgs(List.of());

  /** A script or command line written as one scalar (block, plain or quoted). */
  public static CommandArgs of(ScalarNode script, ParsedDocument document) {
    if (script == null || script.isNull()) {
      return NONE;
    }
    LineIndex lines = new LineIndex(document.text());
    SourceRange r = script.range();
    int start = lines.offsetOf(r.startLine(), r.startColumn());
    int end = lines.offsetOf(r.endLine(), r.endColumn());
    String text = document.text();
    if (end <= start || end > text.length()) {
      return NONE;
    }
    char first = text.charAt(start);
    if (first == '|' || first == '>') {
      int newline = text.indexOf('\n', start);
      start = newline < 0 || newline >= end ? end : newline + 1; // skip the block indicator line
    } else if (script.quoted() && (first == '"' || first == '\'') && end - start >= 2) {
      start++;
      end--;
    }
    return new CommandArgs(tokenize(text, start, end, lines));
  }

  /** A container's `command`/`args` list: each item is an argument, or a whole command line (`sh -c "..."`). */
  public static CommandArgs of(SequenceNode items, ParsedDocument document) {
    List<Token> all = new ArrayList<>();
    for (DocNode item : items.items()) {
      if (item instanceof ScalarNode s && !s.isNull()) {
        if (s.text().trim().contains(" ") || s.text().contains("\n")) {
          all.addAll(of(s, document).tokens);
        } else {
          all.add(new Token(s.text(), s.range()));
        }
      }
    }
    return new CommandArgs(all);
  }

  /** A command given either as a scalar or as a list. */
  public static CommandArgs of(DocNode node, ParsedDocument document) {
    if (node instanceof ScalarNode s) {
      return of(s, document);
    }
    if (node instanceof SequenceNode seq) {
      return of(seq, document);
    }
    return NONE;
  }

  /** Several commands read together (e.g. a container's `command` then its `args`). */
  public static CommandArgs concat(CommandArgs... parts) {
    List<Token> all = new ArrayList<>();
    for (CommandArgs p : parts) {
      all.addAll(p.tokens);
    }
    return new CommandArgs(all);
  }

  public List<Token> tokens() {
    return tokens;
  }

  public boolean isEmpty() {
    return tokens.isEmpty();
  }

  /** Whether any argument contains this text (case-insensitive): `vllm`, `torchrun`, `train.py`. */
  public boolean mentions(String fragment) {
    String f = fragment.toLowerCase(Locale.ROOT);
    return tokens.stream().anyMatch(t -> t.text().toLowerCase(Locale.ROOT).contains(f));
  }

  /** The first argument containing this text. */
  public Optional<Token> find(String fragment) {
    String f = fragment.toLowerCase(Locale.ROOT);
    return tokens.stream().filter(t -> t.text().toLowerCase(Locale.ROOT).contains(f)).findFirst();
  }

  @Override
  public Optional<Setting> get(String name) {
    return Optional.ofNullable(flags.get(normalise(name)));
  }

  @Override
  public boolean has(String name) {
    return flags.containsKey(normalise(name));
  }

  @Override
  public Set<String> names() {
    return flags.keySet();
  }

  static String normalise(String name) {
    String n = name;
    while (n.startsWith("-")) {
      n = n.substring(1);
    }
    if (n.startsWith("+") || n.startsWith("~")) {
      n = n.substring(1); // Hydra's add/remove override prefixes
    }
    return n.replace('-', '_').toLowerCase(Locale.ROOT);
  }

  private static Map<String, Setting> readFlags(List<Token> tokens) {
    Map<String, Setting> flags = new LinkedHashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      String text = t.text();
      boolean dashed = text.startsWith("--") && text.length() > 2;
      boolean override = !text.startsWith("-") && OVERRIDE.matcher(text).matches() && !text.contains("://");
      if (!dashed && !override) {
        shortFlag(tokens, i, flags);
        continue;
      }
      int eq = text.indexOf('=');
      if (eq > 0) {
        String name = normalise(text.substring(0, eq));
        SourceRange inside = inside(t);
        SourceRange key = sub(inside, 0, eq);
        SourceRange value = sub(inside, eq + 1, text.length());
        flags.putIfAbsent(name, new Setting(name, text.substring(eq + 1), false, key, value));
      } else if (dashed) {
        String name = normalise(text);
        Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
        boolean takesValue = next != null && (!next.text().startsWith("-") || NUMBER.matcher(next.text()).matches())
            && !OVERRIDE.matcher(next.text()).matches();
        if (takesValue) {
          flags.putIfAbsent(name, new Setting(name, next.text(), false, t.range(), next.range()));
          i++;
        } else {
          flags.putIfAbsent(name, new Setting(name, "true", false, t.range(), t.range()));
        }
      }
    }
    return flags;
  }

  /**
   * A short option of two or more letters with a count, as CLIs alias long ones (`vllm serve -tp 4`,
   * `-pp=2`): read under its own name. One-letter options (`-c`, `-m`) and non-numeric values are left
   * alone, as they are usually the shell's or Python's.
   */
  private static void shortFlag(List<Token> tokens, int i, Map<String, Setting> flags) {
    Token t = tokens.get(i);
    Matcher m = SHORT_FLAG.matcher(t.text());
    if (!m.matches()) {
      return;
    }
    String name = m.group(1).toLowerCase(Locale.ROOT);
    if (m.group(2) != null) {
      if (INTEGER.matcher(m.group(2)).matches()) {
        int eq = t.text().indexOf('=');
        flags.putIfAbsent(name, new Setting(name, m.group(2), false, sub(inside(t), 0, eq),
            sub(inside(t), eq + 1, t.text().length())));
      }
      return;
    }
    Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
    if (next != null && INTEGER.matcher(next.text()).matches()) {
      flags.putIfAbsent(name, new Setting(name, next.text(), false, t.range(), next.range()));
    }
  }

  /**
   * Where a one-line token's text is written: inside its quotes when the whole word is quoted
   * (`"--max-num-seqs=1"` as a list item), so that offsets into the text are offsets into the range.
   */
  private static SourceRange inside(Token t) {
    SourceRange r = t.range();
    if (r.startLine() == r.endLine() && r.endColumn() - r.startColumn() == t.text().length() + 2) {
      return new SourceRange(r.startLine(), r.startColumn() + 1, r.endLine(), r.endColumn() - 1);
    }
    return r;
  }

  /** Part of a single-line token's range (offsets into the token's text). */
  private static SourceRange sub(SourceRange whole, int from, int to) {
    if (whole.startLine() != whole.endLine()) {
      return whole;
    }
    int width = whole.endColumn() - whole.startColumn();
    int s = Math.min(from, width);
    int e = Math.min(to, width);
    return new SourceRange(whole.startLine(), whole.startColumn() + s, whole.endLine(), whole.startColumn() + e);
  }

  /** Shell words of text[start, end): quotes group and are dropped, `\`-newline joins, `#` starts a comment. */
  static List<Token> tokenize(String text, int start, int end, LineIndex lines) {
    List<Token> out = new ArrayList<>();
    int i = start;
    while (i < end) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
        i++;
        continue;
      }
      if (c == '\\' && i + 1 < end && (text.charAt(i + 1) == '\n' || text.charAt(i + 1) == '\r')) {
        i += 2;
        continue;
      }
      if (c == '#') {
        while (i < end && text.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      int tokenStart = i;
      StringBuilder word = new StringBuilder();
      while (i < end) {
        char d = text.charAt(i);
        if (Character.isWhitespace(d) || d == ';' || d == '|' || d == '&' || d == ')') {
          break;
        }
        if (d == '\\' && i + 1 < end) {
          if (text.charAt(i + 1) == '\n') {
            break;
          }
          word.append(text.charAt(i + 1));
          i += 2;
          continue;
        }
        if (d == '"' || d == '\'') {
          int close = text.indexOf(d, i + 1);
          if (close < 0 || close >= end) {
            close = end;
          }
          word.append(text, i + 1, close);
          i = Math.min(close + 1, end);
          continue;
        }
        word.append(d);
        i++;
      }
      if (word.length() > 0) {
        out.add(new Token(word.toString(), lines.range(tokenStart, i)));
      }
    }
    return out;
  }
}
