package dev.carbonlens.code.python;

import dev.carbonlens.document.Utf8;
import dev.carbonlens.limits.Budget;
import dev.carbonlens.limits.LimitExceededException;
import dev.carbonlens.limits.LimitNotice;
import dev.carbonlens.model.SourceRange;
import java.util.LinkedHashMap;
import java.util.concurrent.CancellationException;
import org.treesitter.TSInputEdit;
import org.treesitter.TSInputEncoding;
import org.treesitter.TSLanguage;
import org.treesitter.TSParser;
import org.treesitter.TSPoint;
import org.treesitter.TSReader;
import org.treesitter.TSTree;
import org.treesitter.TSTreeCursor;

/**
 * The last syntax tree of each recently analysed file, so that the next version of the same file is
 * parsed incrementally: tree-sitter re-reads only the edited region (about 5 ms instead of 55 ms for
 * a 2,000-line script). The edit is found by diffing the two texts (common prefix and suffix), so
 * callers need not pass LSP change events down.
 *
 * <p>Limits: a parse stops when the analysis' {@link Budget} is spent (tree-sitter asks a progress callback
 * every few dozen bytes); a tree of more than {@link #MAX_SYNTAX_NODES} nodes is refused; and the cache keeps
 * at most {@code capacity} trees of together {@link #MAX_CACHED_CHARS} characters, since each holds native
 * memory in proportion to its text.
 */
final class ParsedTrees {
  /** Nodes one tree may have: about a 2 MB script of dense code. */
  static final int MAX_SYNTAX_NODES = 1_000_000;
  /**
   * Below this many characters the nodes are not counted: tree-sitter makes at most a few nodes per character,
   * so a text this short cannot come near the limit, and counting costs a JNI call per node.
   */
  static final int COUNT_NODES_ABOVE_CHARS = 256 * 1024;
  /** The texts of the cached trees together: bounds the native memory the cache holds. */
  static final long MAX_CACHED_CHARS = 8L * 1024 * 1024;
  private static final int READ_CHUNK_BYTES = 64 * 1024;

  private record Entry(String text, TSTree tree) {}

  private final int capacity;
  private final int maxNodes;
  private final int countNodesAboveChars;
  private final LinkedHashMap<String, Entry> recent;
  private long cachedChars;
  private final ThreadLocal<TSParser> parsers;

  ParsedTrees(TSLanguage language, int capacity) {
    this(language, capacity, MAX_SYNTAX_NODES, COUNT_NODES_ABOVE_CHARS);
  }

  /** With other node limits: tests reach the limit with a small text. */
  ParsedTrees(TSLanguage language, int capacity, int maxNodes, int countNodesAboveChars) {
    this.capacity = capacity;
    this.maxNodes = maxNodes;
    this.countNodesAboveChars = countNodesAboveChars;
    this.recent = new LinkedHashMap<>(Math.max(4, capacity * 2), 0.75f, true);
    this.parsers = ThreadLocal.withInitial(() -> {
      TSParser parser = new TSParser();
      parser.setLanguage(language);
      return parser;
    });
  }

  /**
   * The tree of {@code text}, re-using the previous tree of {@code key} when there is one.
   *
   * @throws LimitExceededException when the tree has more than the node limit
   */
  TSTree parse(String key, String text) {
    Entry previous;
    synchronized (recent) {
      previous = key == null ? null : recent.get(key);
    }
    TSTree tree;
    if (previous != null && previous.text().equals(text)) {
      return previous.tree();
    } else if (previous != null) {
      // Edit a copy: the previous tree may still back nodes of an analysis on another thread.
      TSTree base = previous.tree().copy();
      base.edit(editBetween(previous.text(), text));
      tree = parseWithin(base, text);
    } else {
      tree = parseWithin(null, text);
    }
    if (text.length() > countNodesAboveChars) {
      checkNodeCount(tree);
    }
    if (key != null && capacity > 0) {
      remember(key, new Entry(text, tree));
    }
    return tree;
  }

  /** Parses under the current budget: tree-sitter stops (and the budget says why) once it is spent. */
  private TSTree parseWithin(TSTree base, String text) {
    Budget budget = Budget.current();
    budget.check();
    byte[] bytes = Utf8.encode(text);
    TSReader reader = (buffer, offset, point) -> {
      int n = Math.min(buffer.length, bytes.length - offset);
      if (n <= 0) {
        return 0;
      }
      System.arraycopy(bytes, offset, buffer, 0, n);
      return n;
    };
    TSTree tree = parsers.get().parseWithOptions(new byte[READ_CHUNK_BYTES], base, reader,
        TSInputEncoding.TSInputEncodingUTF8, state -> budget.spent());
    if (tree == null) {
      budget.check(); // throws: the parse was stopped because the budget is spent
      throw new CancellationException("the parse was stopped");
    }
    return tree;
  }

  /** Counts the nodes depth first, giving up at the limit (the count costs a JNI call per node). */
  private void checkNodeCount(TSTree tree) {
    Budget budget = Budget.current();
    TSTreeCursor cursor = new TSTreeCursor(tree.getRootNode());
    long nodes = 1;
    while (true) {
      if (cursor.gotoFirstChild() || cursor.gotoNextSibling()) {
        nodes++;
      } else {
        boolean moved = false;
        while (cursor.gotoParent()) {
          if (cursor.gotoNextSibling()) {
            nodes++;
            moved = true;
            break;
          }
        }
        if (!moved) {
          return;
        }
      }
      if (nodes > maxNodes) {
        throw new LimitExceededException(new LimitNotice(LimitNotice.SYNTAX_NODES, "Not analysed: the Python"
            + " syntax tree has more than " + maxNodes + " nodes, the most CarbonLens reads.", SourceRange.NONE));
      }
      if ((nodes & 0x3FFF) == 0) {
        budget.check();
      }
    }
  }

  private void remember(String key, Entry entry) {
    synchronized (recent) {
      Entry replaced = recent.put(key, entry);
      cachedChars += entry.text().length() - (replaced == null ? 0 : replaced.text().length());
      var eldest = recent.entrySet().iterator();
      while ((recent.size() > capacity || cachedChars > MAX_CACHED_CHARS) && eldest.hasNext()) {
        Entry evicted = eldest.next().getValue();
        if (evicted == entry) {
          break; // the newest entry stays even when alone over the limit: the next edit of it is incremental
        }
        cachedChars -= evicted.text().length();
        eldest.remove();
      }
    }
  }

  /** The single edit turning {@code before} into {@code after}: what differs between their common prefix and suffix. */
  static TSInputEdit editBetween(String before, String after) {
    int prefix = 0;
    int max = Math.min(before.length(), after.length());
    while (prefix < max && before.charAt(prefix) == after.charAt(prefix)) {
      prefix++;
    }
    if (prefix > 0 && Character.isHighSurrogate(before.charAt(prefix - 1))) {
      prefix--; // never split a surrogate pair
    }
    int suffix = 0;
    int maxSuffix = max - prefix;
    while (suffix < maxSuffix
        && before.charAt(before.length() - 1 - suffix) == after.charAt(after.length() - 1 - suffix)) {
      suffix++;
    }
    if (suffix > 0 && Character.isLowSurrogate(before.charAt(before.length() - suffix))) {
      suffix--;
    }
    Position start = Position.at(before, prefix);
    Position oldEnd = start.advance(before, prefix, before.length() - suffix);
    Position newEnd = start.advance(after, prefix, after.length() - suffix);
    return new TSInputEdit(start.bytes(), oldEnd.bytes(), newEnd.bytes(), start.point(), oldEnd.point(),
        newEnd.point());
  }

  /** A UTF-8 byte offset with its row and byte column, as tree-sitter counts them. */
  private record Position(int bytes, int row, int column) {
    static Position at(String text, int charOffset) {
      return new Position(0, 0, 0).advance(text, 0, charOffset);
    }

    Position advance(String text, int from, int to) {
      int b = bytes;
      int r = row;
      int c = column;
      String span = text.substring(from, to);
      int lastNewline = span.lastIndexOf('\n');
      int length = utf8Length(span);
      if (lastNewline < 0) {
        return new Position(b + length, r, c + length);
      }
      int rows = (int) span.chars().filter(ch -> ch == '\n').count();
      int tail = utf8Length(span.substring(lastNewline + 1));
      return new Position(b + length, r + rows, tail);
    }

    TSPoint point() {
      return new TSPoint(row, column);
    }

    private static int utf8Length(String s) {
      return Math.toIntExact(Utf8.length(s));
    }
  }
}
