package dev.carbonlens.code.python;

import dev.carbonlens.document.LineIndex;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.document.Utf8;
import dev.carbonlens.model.SourceRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.treesitter.TSLanguage;
import org.treesitter.TSNode;
import org.treesitter.TSTree;
import org.treesitter.TreeSitterPython;

/**
 * One Python file parsed once with tree-sitter. The text is scanned for the calls, loops and names
 * that matter, and only those nodes are looked up in the tree (a handful of JNI calls each).
 * Tree-sitter positions are UTF-8 byte offsets; everything leaving this class is UTF-16.
 */
final class PyFile {
  static final TSLanguage LANGUAGE = new TreeSitterPython();
  /** Parses without keeping anything (no key). */
  private static final ParsedTrees FRESH = new ParsedTrees(LANGUAGE, 0);
  private static final int MAX_DEPTH = 8;
  /** `name(`: where a call may be; only the names some reader wants are looked up in the tree. */
  /** `for` starting a statement (comprehensions are not training loops). */
  private static final Pattern FOR = Pattern.compile("(?m)^[ \\t]*(for)\\b");

  /** A call: `fn` is its callee as written (`torch.cuda.amp.autocast`), `name` the last segment. */
  record Call(TSNode node, int start, int end, String fn, String name, TSNode fnNode, TSNode argsNode) {
    boolean contains(int s, int e) {
      return start <= s && e <= end;
    }
  }

  /** One argument: `name` null for a positional one. */
  record Arg(String name, TSNode nameNode, TSNode value) {}

  /** `for left in right:` */
  record ForLoop(TSNode node, int start, int end, TSNode left, TSNode right) {}

  /**
   * A value followed to what gives it: `text` is the literal's value (strings unquoted), `node` the
   * literal (or the expression when it cannot be followed), `kind` the literal's node type.
   */
  record Value(String text, boolean quoted, String kind, TSNode node) {
    boolean isString() {
      return "string".equals(kind);
    }
  }

  final String text;
  final LineIndex lines;
  private final int[] byteToChar;
  private final int[] charToByte;
  private final TSNode root;
  final List<Call> calls = new ArrayList<>();
  final List<ForLoop> loops = new ArrayList<>();
  private final Map<String, Optional<TSNode>> constants = new HashMap<>();
  private final Map<String, TSNode> argparseDefaults = new HashMap<>();
  private final Map<Long, List<Arg>> argsCache = new HashMap<>();
  final ParseProblem problem;
  @SuppressWarnings("unused")
  private final TSTree tree; // keeps the native tree alive while its nodes are in use

  PyFile(String source, Set<String> callNames) {
    this(source, null, callNames, null);
  }

  /** Parses through {@code trees} under {@code key}, so a new version of the same file re-parses only its edit. */
  PyFile(String source, String key, Set<String> callNames, ParsedTrees trees) {
    this.text = source;
    this.lines = new LineIndex(source);
    this.byteToChar = byteToChar(source);
    this.charToByte = charToByte(source);
    this.tree = (trees == null ? FRESH : trees).parse(key, source);
    this.root = tree.getRootNode();
    this.problem = firstProblem(root);
    readCalls(callNames);
    readLoops();
    readArgparse();
  }

  /**
   * Finds the calls by their text first and asks the tree only about those: walking or querying
   * the whole tree through JNI costs as much as parsing it, and a training script holds a few
   * dozen calls that matter among thousands.
   */
  private void readCalls(Set<String> callNames) {
    // From each `(` back over blanks to the name before it: far fewer steps than matching every
    // identifier of the file (the same calls as the pattern `name[ \t]*\(`).
    for (int open = text.indexOf('('); open >= 0; open = text.indexOf('(', open + 1)) {
      int j = open - 1;
      while (j >= 0 && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
        j--;
      }
      int nameEnd = j + 1;
      while (j >= 0 && isNameChar(text.charAt(j))) {
        j--;
      }
      int nameStart = j + 1;
      while (nameStart < nameEnd && Character.isDigit(text.charAt(nameStart))) {
        nameStart++;
      }
      if (nameStart == nameEnd) {
        continue;
      }
      String name = text.substring(nameStart, nameEnd);
      if (!callNames.contains(name) || !worthLookingUp(name, nameStart)) {
        continue;
      }
      // The smallest node spanning the callee's last name and its `(` is the call itself.
      int from = charToByte[nameStart];
      int paren = charToByte[open];
      TSNode call = root.getDescendantForByteRange(from, paren + 1);
      if (!call.isNull() && call.getType().equals("call")) {
        Call c = callOf(call);
        if (c != null && c.name().equals(name)) {
          calls.add(c);
        }
      }
    }
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  /** `.to(` and `.step(` are everywhere; only a cast to a 16-bit type or an optimizer's step matters. */
  private boolean worthLookingUp(String name, int at) {
    if (!name.equals("to") && !name.equals("step")) {
      return true;
    }
    int line = lines.lineOf(at);
    String lineText = text.substring(lines.lineStart(line), lines.lineEnd(line));
    if (name.equals("to")) {
      return lineText.contains("16") || lineText.contains("half") || lineText.contains("dtype");
    }
    String before = lineText.substring(0, Math.min(lineText.length(), at - lines.lineStart(line)))
        .toLowerCase(java.util.Locale.ROOT);
    return before.contains("optim") || before.contains("opt.") || before.contains("scaler");
  }

  /** The call record of a `call` node, else null. */
  Call callOf(TSNode call) {
    if (call == null || call.isNull() || !call.getType().equals("call")) {
      return null;
    }
    TSNode fn = call.getChildByFieldName("function");
    TSNode args = call.getChildByFieldName("arguments");
    if (fn.isNull() || args.isNull()) {
      return null;
    }
    String fnText = text(fn);
    int dot = fnText.lastIndexOf('.');
    return new Call(call, call.getStartByte(), call.getEndByte(), fnText, fnText.substring(dot + 1).trim(), fn, args);
  }

  private void readLoops() {
    Matcher m = FOR.matcher(text);
    while (m.find()) {
      int at = charToByte[m.start(1)];
      TSNode keyword = root.getDescendantForByteRange(at, at + 3);
      if (keyword.isNull() || !keyword.getType().equals("for")) {
        continue;
      }
      TSNode loop = keyword.getParent();
      if (loop.isNull() || !loop.getType().equals("for_statement")) {
        continue;
      }
      TSNode left = loop.getChildByFieldName("left");
      TSNode right = loop.getChildByFieldName("right");
      if (!left.isNull() && !right.isNull()) {
        loops.add(new ForLoop(loop, loop.getStartByte(), loop.getEndByte(), left, right));
      }
    }
  }

  /** What `name = value` assigns, module level first; found on demand (most names are never followed). */
  private TSNode constant(String name) {
    return constants.computeIfAbsent(name, this::findConstant).orElse(null);
  }

  private Optional<TSNode> findConstant(String name) {
    Matcher m = Pattern.compile("(?m)^([ \\t]*)(" + Pattern.quote(name) + ")[ \\t]*(?::[^=\\n]*)?=(?!=)").matcher(text);
    TSNode first = null;
    while (m.find()) {
      int at = charToByte[m.start(2)];
      TSNode id = root.getNamedDescendantForByteRange(at, charToByte[m.end(2)]);
      if (id.isNull() || !id.getType().equals("identifier")) {
        continue;
      }
      TSNode assignment = id.getParent();
      if (assignment.isNull() || !assignment.getType().equals("assignment")) {
        continue;
      }
      TSNode right = assignment.getChildByFieldName("right");
      if (right.isNull() || assignment.getChildByFieldName("left").getStartByte() != id.getStartByte()) {
        continue;
      }
      if (m.group(1).isEmpty()) {
        return Optional.of(right); // a module constant
      }
      first = first == null ? right : first;
    }
    return Optional.ofNullable(first);
  }

  /** `parser.add_argument("--num-epochs", type=int, default=300)` gives `args.num_epochs` the value 300. */
  private void readArgparse() {
    for (Call call : calls) {
      if (!call.name().equals("add_argument")) {
        continue;
      }
      String dest = null;
      TSNode def = null;
      String action = null;
      for (Arg arg : args(call)) {
        if (arg.name() == null) {
          String flag = stringLiteral(arg.value());
          if (flag != null && (dest == null || flag.startsWith("--"))) {
            dest = flag.replaceFirst("^-+", "").replace('-', '_');
          }
        } else if (arg.name().equals("dest")) {
          dest = stringLiteral(arg.value());
        } else if (arg.name().equals("default")) {
          def = arg.value();
        } else if (arg.name().equals("action")) {
          action = stringLiteral(arg.value());
        }
      }
      if (dest == null || dest.isEmpty()) {
        continue;
      }
      if (def != null) {
        argparseDefaults.putIfAbsent(dest, def);
      } else if ("store_true".equals(action) || "store_false".equals(action)) {
        argparseDefaults.putIfAbsent(dest, call.argsNode()); // marker: value from the action
        storeActions.put(dest, "store_true".equals(action) ? "False" : "True");
      }
    }
  }

  private final Map<String, String> storeActions = new HashMap<>();

  private String stringLiteral(TSNode node) {
    if (node == null || !node.getType().equals("string")) {
      return null;
    }
    return unquote(text(node));
  }

  // ---------------------------------------------------------------- arguments and values

  List<Arg> args(Call call) {
    return argsCache.computeIfAbsent((long) call.start() << 32 | call.end(), k -> readArgs(call.argsNode()));
  }

  private List<Arg> readArgs(TSNode argumentList) {
    List<Arg> out = new ArrayList<>();
    if (!argumentList.getType().equals("argument_list")) {
      return out;
    }
    int n = argumentList.getNamedChildCount();
    for (int i = 0; i < n; i++) {
      TSNode child = argumentList.getNamedChild(i);
      String type = child.getType();
      if (type.equals("keyword_argument")) {
        TSNode name = child.getChildByFieldName("name");
        TSNode value = child.getChildByFieldName("value");
        if (!name.isNull() && !value.isNull()) {
          out.add(new Arg(text(name), name, value));
        }
      } else if (!type.equals("comment") && !type.equals("list_splat") && !type.equals("dictionary_splat")) {
        out.add(new Arg(null, null, child));
      }
    }
    return out;
  }

  /** True when the call passes `*args` or `**kwargs`: any argument may be in them. */
  boolean hasSplat(Call call) {
    TSNode list = call.argsNode();
    int n = list.getNamedChildCount();
    for (int i = 0; i < n; i++) {
      String type = list.getNamedChild(i).getType();
      if (type.equals("list_splat") || type.equals("dictionary_splat")) {
        return true;
      }
    }
    return false;
  }

  /** The keyword argument `name`, when written. */
  Optional<Arg> kwarg(Call call, String name) {
    for (Arg a : args(call)) {
      if (name.equals(a.name())) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  Optional<TSNode> positional(Call call, int index) {
    int i = 0;
    for (Arg a : args(call)) {
      if (a.name() == null) {
        if (i++ == index) {
          return Optional.of(a.value());
        }
      }
    }
    return Optional.empty();
  }

  /** The keyword argument, else the positional one at `index` (-1: keyword only). */
  Optional<TSNode> arg(Call call, String name, int index) {
    Optional<Arg> kw = kwarg(call, name);
    if (kw.isPresent()) {
      return Optional.of(kw.get().value());
    }
    return index < 0 ? Optional.empty() : positional(call, index);
  }

  /** Follows names to module constants and `args.x` to argparse defaults. */
  Value resolve(TSNode node) {
    return resolve(node, 0);
  }

  private Value resolve(TSNode node, int depth) {
    String type = node.getType();
    String written = text(node);
    switch (type) {
      case "string":
        return new Value(unquote(written), true, type, node);
      case "integer", "float", "true", "false", "none":
        return new Value(written, false, type, node);
      case "unary_operator":
        if (written.matches("-\\s*[0-9][0-9_.eE+-]*")) {
          return new Value(written.replaceAll("\\s", ""), false, written.contains(".") ? "float" : "integer", node);
        }
        break;
      case "parenthesized_expression":
        if (node.getNamedChildCount() == 1 && depth < MAX_DEPTH) {
          return resolve(node.getNamedChild(0), depth + 1);
        }
        break;
      case "identifier":
        TSNode target = constant(written);
        if (target != null && depth < MAX_DEPTH && target.getStartByte() != node.getStartByte()) {
          return resolve(target, depth + 1);
        }
        break;
      case "attribute":
        int dot = written.lastIndexOf('.');
        String object = written.substring(0, dot).trim();
        String field = written.substring(dot + 1).trim();
        if (object.matches("[A-Za-z_][A-Za-z_0-9]*") && argparseDefaults.containsKey(field) && depth < MAX_DEPTH) {
          String stored = storeActions.get(field);
          if (stored != null) {
            return new Value(stored, false, stored.equals("True") ? "true" : "false", node);
          }
          return resolve(argparseDefaults.get(field), depth + 1);
        }
        break;
      default:
        break;
    }
    return new Value(written, false, type, node);
  }

  /** An integer expression: literals, followed names and + - * between them. */
  Long intValue(TSNode node) {
    return intValue(node, 0);
  }

  private Long intValue(TSNode node, int depth) {
    if (depth > MAX_DEPTH) {
      return null;
    }
    Value v = resolve(node);
    if (v.kind().equals("integer")) {
      try {
        return Long.parseLong(v.text().replace("_", ""));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (v.kind().equals("binary_operator")) {
      TSNode op = v.node().getChildByFieldName("operator");
      TSNode left = v.node().getChildByFieldName("left");
      TSNode right = v.node().getChildByFieldName("right");
      if (op.isNull() || left.isNull() || right.isNull()) {
        return null;
      }
      Long l = intValue(left, depth + 1);
      Long r = intValue(right, depth + 1);
      if (l == null || r == null) {
        return null;
      }
      return switch (text(op)) {
        case "+" -> l + r;
        case "-" -> l - r;
        case "*" -> l * r;
        case "//" -> r == 0 ? null : l / r;
        default -> null;
      };
    }
    return null;
  }

  /** Elements of a list or tuple (followed through names); -1 when it is not one. */
  int length(TSNode node) {
    Value v = resolve(node);
    if (!v.kind().equals("list") && !v.kind().equals("tuple")) {
      return -1;
    }
    return items(v.node()).size();
  }

  /** The named children of a list, tuple or dictionary, without comments. */
  List<TSNode> items(TSNode container) {
    List<TSNode> out = new ArrayList<>();
    int n = container.getNamedChildCount();
    for (int i = 0; i < n; i++) {
      TSNode child = container.getNamedChild(i);
      if (!child.getType().equals("comment")) {
        out.add(child);
      }
    }
    return out;
  }

  /** A dictionary (followed through names), else null. */
  TSNode dictionary(TSNode node) {
    Value v = resolve(node);
    return v.kind().equals("dictionary") ? v.node() : null;
  }

  // ---------------------------------------------------------------- statements

  /** `torch.backends.cuda.matmul.allow_tf32 = False`: `target` as written, the node assigned to, and the value. */
  record Assignment(String target, TSNode left, TSNode right) {}

  /**
   * The assignments to an attribute whose last name is {@code name} (`x.y.name = value`), found by
   * their text and looked up one by one; a chained `a = b = value` gives each target the value.
   */
  List<Assignment> attributeAssignments(String name) {
    List<Assignment> out = new ArrayList<>();
    for (int at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length())) {
      TSNode id = root.getNamedDescendantForByteRange(charToByte[at], charToByte[at + name.length()]);
      if (id.isNull() || !id.getType().equals("identifier") || !text(id).equals(name)) {
        continue;
      }
      TSNode attribute = id.getParent();
      if (attribute.isNull() || !attribute.getType().equals("attribute")) {
        continue;
      }
      TSNode assignment = attribute.getParent();
      if (assignment.isNull() || !assignment.getType().equals("assignment")) {
        continue;
      }
      TSNode left = assignment.getChildByFieldName("left");
      if (left.isNull() || left.getStartByte() != attribute.getStartByte() || left.getEndByte() != attribute.getEndByte()) {
        continue;
      }
      TSNode right = assignment.getChildByFieldName("right");
      while (!right.isNull() && right.getType().equals("assignment")) {
        right = right.getChildByFieldName("right");
      }
      if (!right.isNull()) {
        out.add(new Assignment(text(attribute).replaceAll("\\s", ""), attribute, right));
      }
    }
    return out;
  }

  /**
   * True when nothing as written keeps the node from running: every `if`/`elif` it sits under has a
   * condition that is true as written (`if True:`, `if USE_GC:` with `USE_GC = True`, `if
   * __name__ == "__main__":`), every `else` one that is false, and likewise for `a if cond else b`.
   * A condition that cannot be followed to a value (`if args.profile:` with `store_true`, `if rank
   * == 0:`) makes the node conditional: not evidence that it runs.
   */
  boolean unconditional(TSNode node) {
    TSNode child = node;
    TSNode parent = node.getParent();
    for (int depth = 0; depth < 64 && !parent.isNull(); depth++) {
      switch (parent.getType()) {
        case "if_statement" -> {
          TSNode condition = parent.getChildByFieldName("condition");
          if (same(parent.getChildByFieldName("consequence"), child)) {
            if (truth(condition) != Boolean.TRUE) {
              return false;
            }
          } else if (!same(condition, child) && !takenAsAlternative(parent, child)) {
            return false;
          }
        }
        case "elif_clause" -> {
          if (same(parent.getChildByFieldName("consequence"), child)
              && truth(parent.getChildByFieldName("condition")) != Boolean.TRUE) {
            return false;
          }
        }
        case "conditional_expression" -> {
          if (parent.getNamedChildCount() == 3) {
            Boolean truth = truth(parent.getNamedChild(1));
            if ((same(parent.getNamedChild(0), child) && truth != Boolean.TRUE)
                || (same(parent.getNamedChild(2), child) && truth != Boolean.FALSE)) {
              return false;
            }
          }
        }
        default -> {
          // other statements and expressions run whenever their parent does
        }
      }
      child = parent;
      parent = parent.getParent();
    }
    return true;
  }

  /** An `elif`/`else` branch is taken when the `if` and every `elif` before it are false as written. */
  private boolean takenAsAlternative(TSNode ifStatement, TSNode branch) {
    if (truth(ifStatement.getChildByFieldName("condition")) != Boolean.FALSE) {
      return false;
    }
    int n = ifStatement.getNamedChildCount();
    for (int i = 0; i < n; i++) {
      TSNode sibling = ifStatement.getNamedChild(i);
      if (same(sibling, branch)) {
        return true;
      }
      if (sibling.getType().equals("elif_clause")
          && truth(sibling.getChildByFieldName("condition")) != Boolean.FALSE) {
        return false;
      }
    }
    return true;
  }

  private static boolean same(TSNode a, TSNode b) {
    return !a.isNull() && !b.isNull() && a.getStartByte() == b.getStartByte() && a.getEndByte() == b.getEndByte();
  }

  /** A condition's value as written: literals, followed names and flags, `not`, `and`, `or`; null when unknown. */
  private Boolean truth(TSNode condition) {
    if (condition.isNull()) {
      return null;
    }
    String written = text(condition).replaceAll("\\s", "");
    if (written.equals("__name__==\"__main__\"") || written.equals("__name__=='__main__'")) {
      return Boolean.TRUE;
    }
    switch (condition.getType()) {
      case "not_operator" -> {
        Boolean inner = truth(condition.getChildByFieldName("argument"));
        return inner == null ? null : !inner;
      }
      case "boolean_operator" -> {
        Boolean left = truth(condition.getChildByFieldName("left"));
        Boolean right = truth(condition.getChildByFieldName("right"));
        boolean and = text(condition.getChildByFieldName("operator")).equals("and");
        if (and) {
          return Boolean.FALSE.equals(left) || Boolean.FALSE.equals(right) ? Boolean.FALSE
              : Boolean.TRUE.equals(left) && Boolean.TRUE.equals(right) ? Boolean.TRUE : null;
        }
        return Boolean.TRUE.equals(left) || Boolean.TRUE.equals(right) ? Boolean.TRUE
            : Boolean.FALSE.equals(left) && Boolean.FALSE.equals(right) ? Boolean.FALSE : null;
      }
      case "parenthesized_expression" -> {
        return condition.getNamedChildCount() == 1 ? truth(condition.getNamedChild(0)) : null;
      }
      default -> {
        Value v = resolve(condition);
        return switch (v.kind()) {
          case "true" -> Boolean.TRUE;
          case "false", "none" -> Boolean.FALSE;
          case "integer" -> !v.text().replace("_", "").matches("-?0+");
          default -> null;
        };
      }
    }
  }

  /**
   * The whole lines of the statement that is exactly this expression (`model.gradient_checkpointing_enable()`
   * on its own line), when deleting them leaves valid code; else null (another statement on the line,
   * or the only statement of its block).
   */
  SourceRange removableStatement(TSNode expression) {
    TSNode statement = expression.getParent();
    if (statement.isNull() || !statement.getType().equals("expression_statement")
        || statement.getNamedChildCount() != 1) {
      return null;
    }
    TSNode block = statement.getParent();
    if (block.isNull()) {
      return null;
    }
    if (block.getType().equals("block")) {
      int statements = 0;
      for (int i = 0; i < block.getNamedChildCount(); i++) {
        if (!block.getNamedChild(i).getType().equals("comment")) {
          statements++;
        }
      }
      if (statements < 2) {
        return null;
      }
    }
    int start = offset(statement.getStartByte());
    int end = offset(statement.getEndByte());
    int line = lines.lineOf(start);
    int endLine = lines.lineOf(end);
    if (!text.substring(lines.lineStart(line), start).isBlank()) {
      return null;
    }
    String rest = text.substring(end, lines.lineEnd(endLine)).strip();
    if (!rest.isEmpty() && !rest.startsWith("#")) {
      return null;
    }
    return endLine + 1 < lines.lineCount()
        ? lines.range(lines.lineStart(line), lines.lineStart(endLine + 1))
        : lines.range(lines.lineStart(line), lines.lineEnd(endLine));
  }

  // ---------------------------------------------------------------- positions

  int offset(int byteOffset) {
    return byteToChar[Math.max(0, Math.min(byteOffset, byteToChar.length - 1))];
  }

  String text(TSNode node) {
    return text.substring(offset(node.getStartByte()), offset(node.getEndByte()));
  }

  SourceRange range(TSNode node) {
    return lines.range(offset(node.getStartByte()), offset(node.getEndByte()));
  }

  SourceRange range(TSNode from, TSNode to) {
    return lines.range(offset(from.getStartByte()), offset(to.getEndByte()));
  }

  SourceRange at(int utf16Offset) {
    return lines.range(utf16Offset, utf16Offset);
  }

  /** UTF-8 byte offset → UTF-16 offset, for every byte offset of the text (and its end). */
  private static int[] byteToChar(String s) {
    int bytes = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      bytes += Utf8.length(s, i);
      if (Character.isHighSurrogate(s.charAt(i)) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      }
    }
    int[] map = new int[bytes + 1];
    int b = 0;
    for (int i = 0; i < n; i++) {
      int len = Utf8.length(s, i);
      for (int k = 0; k < len; k++) {
        map[b + k] = i;
      }
      b += len;
      if (len == 4) {
        i++;
      }
    }
    map[bytes] = n;
    return map;
  }

  /** UTF-16 offset → UTF-8 byte offset (the low half of a surrogate pair maps past the pair). */
  private static int[] charToByte(String s) {
    int n = s.length();
    int[] map = new int[n + 1];
    int b = 0;
    for (int i = 0; i < n; i++) {
      map[i] = b;
      int len = Utf8.length(s, i);
      if (len == 4) {
        map[i + 1] = b + 4;
        i++;
      }
      b += len;
    }
    map[n] = b;
    return map;
  }


  static String unquote(String literal) {
    int i = 0;
    while (i < literal.length() && Character.isLetter(literal.charAt(i))) {
      i++;
    }
    String body = literal.substring(i);
    for (String q : new String[] {"\"\"\"", "'''", "\"", "'"}) {
      if (body.startsWith(q) && body.endsWith(q) && body.length() >= 2 * q.length()) {
        return body.substring(q.length(), body.length() - q.length());
      }
    }
    return body;
  }

  // ---------------------------------------------------------------- syntax errors

  /** The first ERROR or MISSING node in document order, found by descending only where errors are. */
  private ParseProblem firstProblem(TSNode root) {
    if (!root.hasError()) {
      return null;
    }
    TSNode node = root;
    for (int guard = 0; guard < 10_000; guard++) {
      if (node.isMissing() || node.isError()) {
        break;
      }
      TSNode next = null;
      int n = node.getChildCount();
      for (int i = 0; i < n; i++) {
        TSNode child = node.getChild(i);
        if (child.isMissing() || child.isError() || child.hasError()) {
          next = child;
          break;
        }
      }
      if (next == null) {
        break;
      }
      node = next;
    }
    int start = offset(node.getStartByte());
    if (node.isMissing()) {
      return new ParseProblem("Syntax error: missing " + node.getType(), at(start));
    }
    int end = Math.min(offset(node.getEndByte()), lines.lineEnd(lines.lineOf(start)));
    String snippet = text.substring(start, Math.max(start, end)).strip();
    if (snippet.length() > 30) {
      snippet = snippet.substring(0, 30) + "...";
    }
    return new ParseProblem(snippet.isEmpty() ? "Syntax error" : "Syntax error near `" + snippet + "`",
        lines.range(start, Math.max(start, end)));
  }
}
