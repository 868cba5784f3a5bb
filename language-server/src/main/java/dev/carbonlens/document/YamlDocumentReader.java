package dev.carbonlens.document;

import dev.carbonlens.limits.AnalysisLimits;
import dev.carbonlens.limits.Budget;
import dev.carbonlens.limits.BudgetedReader;
import dev.carbonlens.limits.LimitNotice;
import dev.carbonlens.model.SourceRange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML through SnakeYAML's node API (composer), converted to {@link DocNode}s with UTF-16 ranges.
 *
 * <p>Positions: SnakeYAML marks count code points; each mark's code point index is turned into a
 * UTF-16 offset (adding one for every supplementary character before it) and then into an LSP
 * line/column with {@link LineIndex}, so lines break exactly where LSP breaks them.
 *
 * <p>After a syntax error the first error is reported; the text is then re-parsed with the
 * offending line blanked (a few times at most) so that the rest of the file still yields a tree
 * for analysis while the user is typing.
 */
final class YamlDocumentReader {

  /**
   * SnakeYAML's own alias guard, set high: real files (a grid of 300 variants merging shared anchors)
   * use hundreds of aliases, and the expansion check below is what stops "billion laughs".
   */
  static final int MAX_ALIASES_FOR_COLLECTIONS = 20_000;
  static final int CODE_POINT_LIMIT = 3 * 1024 * 1024;
  static final int NESTING_DEPTH_LIMIT = 100;
  /** A document may expand (through aliases and merges) to this many nodes plus 10 per written node. */
  static final long EXPANSION_ALLOWANCE = 100_000;
  private static final int RECOVERY_ATTEMPTS = 5;

  private YamlDocumentReader() {}

  static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS);
    options.setCodePointLimit(CODE_POINT_LIMIT);
    options.setNestingDepthLimit(NESTING_DEPTH_LIMIT);
    options.setAllowDuplicateKeys(true);
    options.setAllowRecursiveKeys(false);
    options.setProcessComments(false);
    return options;
  }

  /** Parses a YAML stream; adds roots, problems and the notices of limits it ran into. */
  static void read(String text, LineIndex lines, List<DocNode> roots, List<ParseProblem> problems,
      List<LimitNotice> notices) {
    if (text.length() > CODE_POINT_LIMIT && text.codePointCount(0, text.length()) > CODE_POINT_LIMIT) {
      notices.add(new LimitNotice(LimitNotice.YAML_CODE_POINTS, "Not analysed: the YAML is longer than "
          + CODE_POINT_LIMIT + " code points, the most CarbonLens reads.", AnalysisLimits.firstLine(text)));
      return;
    }
    Attempt first = new Attempt(text, lines);
    first.run();
    problems.addAll(first.problems);
    notices.addAll(first.notices);
    if (first.syntaxError == null) {
      roots.addAll(first.roots);
      return;
    }
    // Recovery: blank the offending line and parse again, for a tree of the rest of the file.
    Attempt best = first;
    Attempt latest = first;
    char[] chars = text.toCharArray();
    MarkedYAMLException error = first.syntaxError;
    Set<Integer> blanked = new java.util.HashSet<>();
    for (int i = 0; i < RECOVERY_ATTEMPTS && error != null; i++) {
      int line = lineToBlank(error, latest, lines, blanked);
      if (line < 0) {
        break;
      }
      blanked.add(line);
      for (int o = lines.lineStart(line), end = lines.lineEnd(line); o < end; o++) {
        chars[o] = ' ';
      }
      Attempt next = new Attempt(new String(chars), lines);
      next.run();
      latest = next;
      if (next.roots.size() >= best.roots.size()) {
        best = next;
      }
      error = next.syntaxError;
      if (next.fatal) {
        break;
      }
    }
    roots.addAll(best.roots);
  }

  private static int lineToBlank(
      MarkedYAMLException e, Attempt attempt, LineIndex lines, Set<Integer> blanked) {
    int line = -1;
    if (e.getProblemMark() != null) {
      line = lines.lineOf(attempt.offset(e.getProblemMark()));
      if (lines.lineText(line).isBlank() || blanked.contains(line)) {
        line = -1;
      }
    }
    if (line < 0 && e.getContextMark() != null) {
      line = lines.lineOf(attempt.offset(e.getContextMark()));
      if (lines.lineText(line).isBlank() || blanked.contains(line)) {
        line = -1;
      }
    }
    return line;
  }

  /** One parse of one (possibly blanked) text. */
  private static final class Attempt {
    final String text;
    final LineIndex lines;
    /** Code point indices of the supplementary characters of the text, ascending. */
    final int[] supplementary;
    final List<DocNode> roots = new ArrayList<>();
    final List<ParseProblem> problems = new ArrayList<>();
    final List<LimitNotice> notices = new ArrayList<>();
    MarkedYAMLException syntaxError;
    boolean fatal;

    // Per document: converted nodes with their UTF-16 spans; IN_PROGRESS while converting.
    private final Map<Node, Converted> memo;
    private final ArrayDeque<AliasEvent> aliases = new ArrayDeque<>();
    private int aliasesSeen;
    /** UTF-16 end offset of the slot last converted (an alias' own end for an alias). */
    private int slotEnd;
    private int suppHint;
    private final Budget budget = Budget.current();
    private int converted;

    Attempt(String text, LineIndex lines) {
      this.text = text;
      this.lines = lines;
      this.supplementary = supplementaryIndices(text);
      this.memo = new IdentityHashMap<>(Math.max(32, text.length() / 12));
    }

    void run() {
      LoaderOptions options = loaderOptions();
      TrackingParser parser = new TrackingParser(
          new ParserImpl(new StreamReader(new BudgetedReader(text, budget)), options), aliases);
      Composer composer = new Composer(parser, new Resolver(), options);
      try {
        while (composer.checkNode()) {
          Node node = composer.getNode();
          if (node != null && !isEmptyDocument(node)) {
            DocNode root = convertDocument(node);
            if (root != null) {
              roots.add(root);
            }
          }
          memo.clear();
          aliases.clear();
          aliasesSeen = 0;
        }
      } catch (MarkedYAMLException e) {
        syntaxError = e;
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        int offset = mark != null ? offset(mark) : lastEventOffset(parser);
        problems.add(new ParseProblem(message(e), problemRange(offset)));
      } catch (ReaderException e) {
        fatal = true;
        problems.add(new ParseProblem(
            e.getMessage(), problemRange(utf16(Math.max(0, e.getPosition())))));
      } catch (YAMLException e) {
        fatal = true;
        SourceRange at = problemRange(lastEventOffset(parser));
        String message = String.valueOf(e.getMessage());
        // SnakeYAML's own limits (LoaderOptions) say so only in their messages.
        if (message.startsWith("Nesting Depth exceeded")) {
          notices.add(tooDeep(at));
        } else if (message.startsWith("Number of aliases")) {
          notices.add(new LimitNotice(LimitNotice.ALIAS_EXPANSION, "Not analysed: the document uses more than "
              + MAX_ALIASES_FOR_COLLECTIONS + " aliases of collections.", at));
        } else {
          problems.add(new ParseProblem(message, at));
        }
      } catch (StackOverflowError e) {
        fatal = true;
        notices.add(tooDeep(problemRange(lastEventOffset(parser))));
      }
    }

    private static LimitNotice tooDeep(SourceRange at) {
      return new LimitNotice(LimitNotice.NESTING_DEPTH, "Not analysed: the YAML nests deeper than "
          + NESTING_DEPTH_LIMIT + " levels, the most CarbonLens reads.", at);
    }

    private int lastEventOffset(TrackingParser parser) {
      Event last = parser.last;
      return last == null || last.getStartMark() == null ? 0 : offset(last.getStartMark());
    }

    private static String message(MarkedYAMLException e) {
      String problem = e.getProblem();
      String context = e.getContext();
      if (problem == null || problem.isBlank()) {
        return context == null ? "YAML syntax error" : context;
      }
      return context == null || context.isBlank() ? problem : problem + " (" + context + ")";
    }

    /** From an offset to the end of its line, or one character where the line ends there. */
    private SourceRange problemRange(int offset) {
      int o = Math.max(0, Math.min(offset, text.length()));
      int line = lines.lineOf(o);
      int column = o - lines.lineStart(line);
      int end = lines.lineEnd(line);
      int lineStart = lines.lineStart(line);
      if (end > o) {
        return new SourceRange(line, column, line, end - lineStart);
      }
      // At the line break or the end of the text: the line's last character (nothing on an empty line), as a
      // range past the line's end would point at no text in a report.
      int last = Math.max(lineStart, end - 1);
      return new SourceRange(line, last - lineStart, line, end - lineStart);
    }

    private static boolean isEmptyDocument(Node node) {
      return node instanceof org.yaml.snakeyaml.nodes.ScalarNode s
          && Tag.NULL.equals(s.getTag())
          && s.getValue().isEmpty();
    }

    private DocNode convertDocument(Node node) {
      DocNode root;
      try {
        root = convert(node);
      } catch (StackOverflowError e) {
        notices.add(tooDeep(problemRange(offset(node.getStartMark()))));
        return null;
      }
      if (aliasesSeen == 0) {
        return root; // a tree, not a DAG: nothing to expand
      }
      // Refuse documents that aliases blow up ("billion laughs"): consumers walk trees.
      long limit = EXPANSION_ALLOWANCE + 10L * memo.size();
      Map<DocNode, Long> sizes = new IdentityHashMap<>();
      DocNode[] culprit = new DocNode[1];
      long expanded = expandedSize(root, sizes, limit, culprit);
      if (expanded > limit) {
        DocNode at = culprit[0] != null ? culprit[0] : root;
        notices.add(new LimitNotice(LimitNotice.ALIAS_EXPANSION,
            "Not analysed: aliases expand this document to more than " + limit
                + " nodes (a \"billion laughs\" document?).",
            at.range()));
        return null;
      }
      return root;
    }

    private static long expandedSize(
        DocNode node, Map<DocNode, Long> sizes, long limit, DocNode[] culprit) {
      Long known = sizes.get(node);
      if (known != null) {
        return known;
      }
      long size = 1;
      if (node instanceof MappingNode m) {
        for (Entry e : m.entries()) {
          size = Math.min(Long.MAX_VALUE / 4, size + 1 + expandedSize(e.value(), sizes, limit, culprit));
        }
      } else if (node instanceof SequenceNode s) {
        for (DocNode item : s.items()) {
          size = Math.min(Long.MAX_VALUE / 4, size + expandedSize(item, sizes, limit, culprit));
        }
      }
      if (size > limit && culprit[0] == null) {
        culprit[0] = node;
      }
      sizes.put(node, size);
      return size;
    }

    /** Converts a node in a slot of its parent; sets {@link #slotEnd}. */
    private DocNode convert(Node node) {
      if ((++converted & 0xFFF) == 0) {
        budget.check(); // SnakeYAML has read the whole document by now: the reader no longer asks
      }
      Converted done = memo.get(node);
      if (done == IN_PROGRESS) {
        int end = aliasEnd(offset(node.getEndMark() != null ? node.getEndMark() : node.getStartMark()));
        int start = offset(node.getStartMark());
        problems.add(new ParseProblem(
            "recursive alias: a node cannot contain itself", lines.range(start, start + 1)));
        slotEnd = end;
        return new ScalarNode(null, false, lines.range(start, start));
      }
      if (done != null) {
        slotEnd = aliasEnd(done.end);
        return done.node;
      }
      memo.put(node, IN_PROGRESS);
      DocNode result;
      int start;
      int end;
      if (node instanceof org.yaml.snakeyaml.nodes.ScalarNode s) {
        end = offset(s.getEndMark());
        start = contentStart(offset(s.getStartMark()), end);
        DumperOptions.ScalarStyle style = s.getScalarStyle();
        if (style == DumperOptions.ScalarStyle.LITERAL || style == DumperOptions.ScalarStyle.FOLDED) {
          // A block scalar's end mark lies after its trailing line breaks.
          while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
          }
        }
        end = Math.max(start, end);
        String value = Tag.NULL.equals(s.getTag()) ? null : s.getValue();
        boolean quoted = style != DumperOptions.ScalarStyle.PLAIN;
        result = new ScalarNode(value, quoted, lines.range(start, end));
      } else if (node instanceof org.yaml.snakeyaml.nodes.SequenceNode s) {
        start = contentStart(offset(s.getStartMark()), offset(s.getEndMark()));
        List<DocNode> items = new ArrayList<>(s.getValue().size());
        int last = start;
        for (Node item : s.getValue()) {
          items.add(convert(item));
          last = Math.max(last, slotEnd);
        }
        end = Math.max(start, isFlow(s.getFlowStyle()) ? offset(s.getEndMark()) : last);
        result = new SequenceNode(items, lines.range(start, end));
      } else {
        org.yaml.snakeyaml.nodes.MappingNode m = (org.yaml.snakeyaml.nodes.MappingNode) node;
        start = contentStart(offset(m.getStartMark()), offset(m.getEndMark()));
        int[] last = {start};
        List<Entry> entries = convertEntries(m, last);
        end = Math.max(start, isFlow(m.getFlowStyle()) ? offset(m.getEndMark()) : last[0]);
        result = new MappingNode(entries, lines.range(start, end));
      }
      memo.put(node, new Converted(result, start, end));
      slotEnd = end;
      return result;
    }

    /** When the node just met was an alias, its slot ends where the alias is written. */
    private int aliasEnd(int fallback) {
      AliasEvent alias = aliases.pollFirst();
      aliasesSeen++;
      return alias != null && alias.getEndMark() != null ? offset(alias.getEndMark()) : fallback;
    }

    private List<Entry> convertEntries(org.yaml.snakeyaml.nodes.MappingNode m, int[] last) {
      List<Entry> order = new ArrayList<>(m.getValue().size());
      Map<String, Entry> explicit = new HashMap<>();
      Map<String, Entry> merged = new HashMap<>();
      for (NodeTuple tuple : m.getValue()) {
        Node keyNode = tuple.getKeyNode();
        DocNode key = convert(keyNode);
        last[0] = Math.max(last[0], slotEnd);
        DocNode value = convert(tuple.getValueNode());
        last[0] = Math.max(last[0], slotEnd);
        if (keyNode instanceof org.yaml.snakeyaml.nodes.ScalarNode && Tag.MERGE.equals(keyNode.getTag())) {
          for (MappingNode source : mergeSources(value)) {
            for (Entry e : source.entries()) {
              if (!merged.containsKey(e.name())) {
                Entry inherited = e.inherited() ? e : new Entry(e.key(), e.value(), true);
                merged.put(e.name(), inherited);
                order.add(inherited);
              }
            }
          }
          continue;
        }
        ScalarNode keyScalar = key instanceof ScalarNode s ? s : new ScalarNode(
            sourceText(key), false, key.range());
        Entry entry = new Entry(keyScalar, value, false);
        explicit.put(entry.name(), entry);
        order.add(entry);
      }
      List<Entry> entries = new ArrayList<>(order.size());
      for (Entry e : order) {
        if (e.inherited()) {
          if (!explicit.containsKey(e.name()) && merged.get(e.name()) == e) {
            entries.add(e);
          }
        } else if (explicit.get(e.name()) == e) {
          entries.add(e);
        }
      }
      return entries;
    }

    private List<MappingNode> mergeSources(DocNode value) {
      if (value instanceof MappingNode m) {
        return List.of(m);
      }
      List<MappingNode> sources = new ArrayList<>();
      if (value instanceof SequenceNode s) {
        for (DocNode item : s.items()) {
          if (item instanceof MappingNode m) {
            sources.add(m);
          } else {
            problems.add(new ParseProblem(
                "a merge key (<<) list may hold only mappings", item.range()));
          }
        }
      } else {
        problems.add(new ParseProblem(
            "a merge key (<<) needs a mapping or a list of mappings", value.range()));
      }
      return sources;
    }

    private String sourceText(DocNode node) {
      int start = lines.lineStart(node.range().startLine()) + node.range().startColumn();
      int end = lines.lineStart(node.range().endLine()) + node.range().endColumn();
      String s = text.substring(Math.min(start, end), end).strip();
      return s.length() > 200 ? s.substring(0, 200) : s;
    }

    /** Skips node properties (anchor {@code &a}, tag {@code !!str}) written before the content. */
    private int contentStart(int start, int end) {
      int o = start;
      int n = Math.min(end, text.length());
      while (o < n && (text.charAt(o) == '&' || text.charAt(o) == '!')) {
        while (o < n && !isSpace(text.charAt(o)) && ",[]{}".indexOf(text.charAt(o)) < 0) {
          o++;
        }
        while (o < n) {
          char c = text.charAt(o);
          if (isSpace(c)) {
            o++;
          } else if (c == '#') {
            while (o < n && text.charAt(o) != '\n' && text.charAt(o) != '\r') {
              o++;
            }
          } else {
            break;
          }
        }
      }
      return o;
    }

    private static boolean isSpace(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isFlow(DumperOptions.FlowStyle style) {
      return style == DumperOptions.FlowStyle.FLOW;
    }

    int offset(Mark mark) {
      return utf16(mark.getIndex());
    }

    /** UTF-16 offset of a code point index. */
    int utf16(int codePointIndex) {
      if (supplementary.length == 0) {
        return Math.min(codePointIndex, text.length());
      }
      // before = number of supplementary characters at code point indices < codePointIndex
      int h = suppHint;
      int before;
      if ((h == 0 || supplementary[h - 1] < codePointIndex)
          && (h == supplementary.length || supplementary[h] >= codePointIndex)) {
        before = h;
      } else {
        int i = java.util.Arrays.binarySearch(supplementary, codePointIndex);
        before = i >= 0 ? i : -i - 1;
        suppHint = before;
      }
      return Math.min(codePointIndex + before, text.length());
    }

    private static int[] supplementaryIndices(String text) {
      int n = text.length();
      int[] found = null;
      int count = 0;
      int cp = 0;
      for (int i = 0; i < n; i++, cp++) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
          if (found == null) {
            found = new int[16];
          } else if (count == found.length) {
            found = java.util.Arrays.copyOf(found, count * 2);
          }
          found[count++] = cp;
          i++;
        }
      }
      return found == null ? new int[0] : java.util.Arrays.copyOf(found, count);
    }
  }

  private record Converted(DocNode node, int start, int end) {}

  private static final Converted IN_PROGRESS = new Converted(null, 0, 0);

  /** Passes events through, remembering the last one and every alias event in order. */
  private static final class TrackingParser implements Parser {
    private final Parser delegate;
    private final ArrayDeque<AliasEvent> aliases;
    Event last;

    TrackingParser(Parser delegate, ArrayDeque<AliasEvent> aliases) {
      this.delegate = delegate;
      this.aliases = aliases;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
      return delegate.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
      return delegate.peekEvent();
    }

    @Override
    public Event getEvent() {
      Event event = delegate.getEvent();
      last = event;
      if (event instanceof AliasEvent alias) {
        aliases.addLast(alias);
      }
      return event;
    }
  }
}
