package dev.carbonlens.lsp;

import dev.carbonlens.document.LineIndex;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * A document cut down to what completion needs to know at one place, so that a long file costs no more to
 * complete in than a short one: the mappings and lists that enclose the place, with all their direct
 * children (the setting's siblings, such as SkyPilot's `cloud:` next to `region:`), and, for format
 * detection, the first {@value #CHILDREN} children of every block down to {@value #DEPTH} levels. YAML also
 * keeps only the document (of a `---` stream) holding the place. What is left out is blanked, so line and
 * column numbers stay those of the text. The result is only a shortcut: a caller that finds nothing in it
 * parses the whole text.
 */
final class CompletionOutline {
  private CompletionOutline() {}

  /** How deep detection looks: Vertex's `workerPoolSpecs[].machineSpec`, SageMaker's `ProductionVariants[]`. */
  static final int DEPTH = 3;
  /** Children kept per block away from the cursor: enough for the keys detection counts. */
  static final int CHILDREN = 16;

  /** One open line: its indentation level, whether it is kept, whether it encloses the cursor, its children so far. */
  private static final class Frame {
    final int level;
    final boolean kept;
    final boolean encloses;
    final int depth;
    int children;

    Frame(int level, boolean kept, boolean encloses, int depth) {
      this.level = level;
      this.kept = kept;
      this.encloses = encloses;
      this.depth = depth;
    }
  }

  /** YAML, by indentation: the enclosing blocks are the lines above the cursor's, each less indented. */
  static String yaml(String text, int cursorLine) {
    LineIndex lines = new LineIndex(text);
    int count = lines.lineCount();
    int first = cursorLine;
    while (first > 0 && !isDocumentMarker(line(text, lines, first - 1))) {
      first--;
    }
    int end = cursorLine + 1;
    while (end < count && !isDocumentMarker(line(text, lines, end))) {
      end++;
    }
    Set<Integer> enclosing = enclosing(text, lines, first, cursorLine);
    boolean[] keep = new boolean[count];
    Deque<Frame> open = new ArrayDeque<>();
    open.push(new Frame(-1, true, true, -1)); // the document itself
    for (int l = first; l < end; l++) {
      int level = level(line(text, lines, l));
      if (level < 0) {
        continue; // blank or comment
      }
      while (open.peek().level >= level) {
        open.pop();
      }
      Frame parent = open.peek();
      int depth = parent.depth + 1;
      boolean encloses = enclosing.contains(l);
      keep[l] = encloses || parent.kept && (parent.encloses || depth <= DEPTH && parent.children < CHILDREN);
      parent.children++;
      open.push(new Frame(level, keep[l], encloses, depth));
    }
    StringBuilder out = new StringBuilder(text.length() / 4);
    for (int l = 0; l < count; l++) {
      if (keep[l]) {
        out.append(text, lines.lineStart(l), lines.lineEnd(l));
      }
      out.append(text, lines.lineEnd(l), l + 1 < count ? lines.lineStart(l + 1) : text.length());
    }
    return out.toString();
  }

  /** The cursor's line and the lines that open the blocks around it: each less indented than the one below. */
  private static Set<Integer> enclosing(String text, LineIndex lines, int first, int cursorLine) {
    Set<Integer> out = new HashSet<>();
    out.add(cursorLine);
    int limit = Math.max(0, level(line(text, lines, cursorLine)));
    for (int l = cursorLine - 1; l >= first && limit > 0; l--) {
      int level = level(line(text, lines, l));
      if (level >= 0 && level < limit) {
        out.add(l);
        limit = level;
      }
    }
    return out;
  }

  private static String line(String text, LineIndex lines, int l) {
    return text.substring(lines.lineStart(l), lines.lineEnd(l));
  }

  /**
   * Twice the indentation, plus one for a list item (`- `), so that an item is inside the key above it at
   * the same indentation (`values:` over `- us-east1`); -1 for a blank or comment line.
   */
  static int level(String line) {
    int indent = 0;
    while (indent < line.length() && line.charAt(indent) == ' ') {
      indent++;
    }
    if (indent == line.length() || line.charAt(indent) == '#' || line.charAt(indent) == '\t') {
      return -1;
    }
    boolean item = line.charAt(indent) == '-' && (indent + 1 == line.length() || line.charAt(indent + 1) == ' ');
    return 2 * indent + (item ? 1 : 0);
  }

  private static boolean isDocumentMarker(String line) {
    return (line.startsWith("---") || line.startsWith("..."))
        && (line.length() == 3 || Character.isWhitespace(line.charAt(3)));
  }

  // ---------------------------------------------------------------------------------------------- JSON

  /** One open object or array: where it starts, how deep its members are, and the members read so far. */
  private static final class Container {
    final int start;
    final int depth;
    final java.util.List<int[]> members = new java.util.ArrayList<>();
    int memberStart = -1;
    int memberEnd = -1;

    Container(int start, int depth) {
      this.start = start;
      this.depth = depth;
    }

    void token(int from, int to) {
      if (memberStart < 0) {
        memberStart = from;
      }
      memberEnd = to;
    }

    /** A member ends at a comma (blanked with it, so that no comma is left leading) or at the closing bracket. */
    void endMember(int through) {
      if (memberStart >= 0) {
        members.add(new int[] {memberStart, memberEnd, through});
      }
      memberStart = -1;
    }
  }

  /**
   * JSON (with the comments and quotes the reader accepts), by brackets: a member of an object or array that
   * closes is blanked with its comma unless it holds {@code cursor}, its container holds the cursor, or it
   * is among the first members near the top. The trailing comma this may leave is one the reader accepts.
   */
  static String json(String text, int cursor) {
    char[] out = text.toCharArray();
    Deque<Container> open = new ArrayDeque<>();
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char ch = text.charAt(i);
      if (Character.isWhitespace(ch)) {
        continue;
      }
      if (ch == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
        while (i + 1 < n && text.charAt(i + 1) != '\n' && text.charAt(i + 1) != '\r') {
          i++;
        }
        continue;
      }
      if (ch == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int close = text.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 1;
        continue;
      }
      Container current = open.peek();
      if (ch == '{' || ch == '[') {
        if (current != null) {
          current.token(i, i + 1);
        }
        open.push(new Container(i, current == null ? 0 : current.depth + 1));
      } else if (ch == '}' || ch == ']') {
        if (current == null) {
          continue;
        }
        current.endMember(current.memberEnd);
        open.pop();
        blank(out, current, i, cursor);
        if (open.peek() != null) {
          open.peek().token(i, i + 1);
        }
      } else if (ch == ',' && current != null) {
        current.endMember(i + 1);
      } else if (ch == '"' || ch == '\'') {
        int j = i + 1;
        while (j < n && text.charAt(j) != ch) {
          j += text.charAt(j) == '\\' ? 2 : 1;
        }
        if (current != null) {
          current.token(i, Math.min(j + 1, n));
        }
        i = j;
      } else if (current != null) {
        current.token(i, i + 1);
      }
    }
    return new String(out);
  }

  private static void blank(char[] out, Container closed, int closeAt, int cursor) {
    boolean encloses = closed.start < cursor && cursor <= closeAt;
    for (int k = 0; k < closed.members.size(); k++) {
      int[] m = closed.members.get(k);
      boolean holdsCursor = m[0] <= cursor && cursor <= m[1];
      if (holdsCursor || encloses || closed.depth <= DEPTH && k < CHILDREN) {
        continue;
      }
      for (int c = m[0]; c < m[2]; c++) {
        if (out[c] != '\n' && out[c] != '\r') {
          out[c] = ' ';
        }
      }
    }
  }
}
