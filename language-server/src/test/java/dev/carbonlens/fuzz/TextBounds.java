package dev.carbonlens.fuzz;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.LineIndex;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.extract.TextEdit;
import dev.carbonlens.model.SourceRange;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The contract every range the analysis hands an editor must keep: it lies within the text it was
 * read from (line below the line count, column at most that line's length, LSP's UTF-16 columns).
 * SourceRange's constructor already refuses negative or reversed ranges, so a range that exists is
 * well ordered; what is left to check is that it fits the text.
 */
public final class TextBounds {
  private final String text;
  private final LineIndex lines;

  public TextBounds(String text) {
    this.text = text;
    this.lines = new LineIndex(text);
  }

  /** Fails with the range, what it belongs to and the text's shape when the range does not fit. */
  public void check(SourceRange range, String what) {
    if (range == null) {
      throw new AssertionError(what + ": null range");
    }
    checkPosition(range.startLine(), range.startColumn(), range, what);
    checkPosition(range.endLine(), range.endColumn(), range, what);
  }

  private void checkPosition(int line, int column, SourceRange range, String what) {
    if (line >= lines.lineCount()) {
      throw new AssertionError(what + " " + range + ": line " + line + " but the text has " + lines.lineCount()
          + " lines");
    }
    int length = lines.lineEnd(line) - lines.lineStart(line);
    if (column > length) {
      throw new AssertionError(what + " " + range + ": column " + column + " but line " + line + " has " + length
          + " characters: " + quoted(lines.lineText(line)));
    }
  }

  public void checkProblems(List<ParseProblem> problems, String what) {
    for (ParseProblem p : problems) {
      if (p.message() == null || p.message().isBlank()) {
        throw new AssertionError(what + ": a problem without a message at " + p.range());
      }
      check(p.range(), what + " problem '" + p.message() + "'");
    }
  }

  /** Every node of a parsed tree; trees share subtrees through YAML aliases, so each node is visited once. */
  public void checkTree(DocNode root, String what) {
    Set<DocNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<DocNode> pending = new ArrayDeque<>(List.of(root));
    while (!pending.isEmpty()) {
      DocNode node = pending.pop();
      if (!seen.add(node)) {
        continue;
      }
      check(node.range(), what + " node");
      if (node instanceof MappingNode m) {
        for (Entry e : m.entries()) {
          check(e.key().range(), what + " key '" + e.name() + "'");
          check(e.range(), what + " entry '" + e.name() + "'");
          pending.push(e.value());
        }
      } else if (node instanceof SequenceNode s) {
        s.items().forEach(pending::push);
      }
    }
  }

  /**
   * Edits of one quick fix: each within the text, none overlapping another (an editor refuses overlapping
   * edits), and applying them gives a text (checked by doing it).
   */
  public void checkEdits(List<TextEdit> edits, String what) {
    List<int[]> spans = new ArrayList<>();
    for (TextEdit e : edits) {
      check(e.range(), what + " edit");
      if (e.newText() == null) {
        throw new AssertionError(what + ": an edit with null text at " + e.range());
      }
      spans.add(new int[] {offset(e.range().startLine(), e.range().startColumn()),
          offset(e.range().endLine(), e.range().endColumn())});
    }
    spans.sort(Comparator.comparingInt((int[] s) -> s[0]).thenComparingInt(s -> s[1]));
    for (int i = 1; i < spans.size(); i++) {
      if (spans.get(i)[0] < spans.get(i - 1)[1]) {
        throw new AssertionError(what + ": overlapping edits " + edits);
      }
    }
  }

  /**
   * Every {@link SourceRange} reachable from a result through record components, lists, maps and
   * optionals (runs, their choices, findings, fixes). Reflection keeps this in step with the model:
   * a choice added to Run tomorrow is checked without touching the fuzz targets.
   */
  public void checkAllRanges(Object result, String what) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object> pending = new ArrayDeque<>();
    pushUnlessNull(pending, result);
    while (!pending.isEmpty()) {
      Object o = pending.pop();
      if (!seen.add(o)) {
        continue;
      }
      if (o instanceof SourceRange r) {
        check(r, what + " range");
      } else if (o instanceof DocNode) {
        continue; // parsed trees: checkTree's job, and large
      } else if (o instanceof Collection<?> c) {
        c.forEach(item -> pushUnlessNull(pending, item));
      } else if (o instanceof Map<?, ?> m) {
        m.values().forEach(value -> pushUnlessNull(pending, value));
      } else if (o instanceof Optional<?> opt) {
        opt.ifPresent(pending::push);
      } else if (o.getClass().isRecord() && o.getClass().getName().startsWith("dev.carbonlens.")) {
        for (RecordComponent c : o.getClass().getRecordComponents()) {
          pushUnlessNull(pending, componentValue(o, c)); // a null choice: the config does not say
        }
      }
    }
  }

  private static void pushUnlessNull(Deque<Object> pending, Object o) {
    if (o != null) {
      pending.push(o);
    }
  }

  private static Object componentValue(Object record, RecordComponent c) {
    try {
      c.getAccessor().setAccessible(true);
      return c.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + c, e);
    }
  }

  private int offset(int line, int column) {
    return lines.lineStart(line) + column;
  }

  public String text() {
    return text;
  }

  private static String quoted(String s) {
    String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return "\"" + shown.replace("\r", "\\r").replace("\t", "\\t") + "\"";
  }
}
