package dev.carbonlens.code.python;

import dev.carbonlens.extract.TextEdit;
import java.util.List;
import java.util.Optional;
import org.treesitter.TSNode;

/**
 * Writes a keyword argument into a call the way a person would: replace the value where the
 * argument is written, otherwise add it after the last argument (on its own line, with the
 * siblings' indentation, when the call spans several lines).
 */
final class CallEditor {
  private CallEditor() {}

  /** Python source for a value: booleans as True/False, numbers as they are, strings quoted. */
  static String render(Object value) {
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof Number) {
      return String.valueOf(value);
    }
    return "\"" + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static TextEdit set(PyFile file, PyFile.Call call, String name, Object value) {
    Optional<PyFile.Arg> existing = file.kwarg(call, name);
    if (existing.isPresent()) {
      return new TextEdit(file.range(existing.get().value()), render(value));
    }
    return insert(file, call, name + "=" + render(value));
  }

  static TextEdit insert(PyFile file, PyFile.Call call, String argument) {
    TSNode list = call.argsNode();
    int close = file.offset(list.getEndByte()) - 1;
    List<PyFile.Arg> args = file.args(call);
    if (args.isEmpty() || close < 0 || file.text.charAt(close) != ')') {
      int at = Math.max(file.offset(list.getStartByte()) + 1, close);
      return new TextEdit(file.at(Math.min(at, file.text.length())), argument);
    }
    TSNode last = args.get(args.size() - 1).value();
    int lastEnd = file.offset(last.getEndByte());
    // A trailing comma after the last argument (before the closing parenthesis, comments aside).
    int comma = -1;
    for (int i = lastEnd; i < close; i++) {
      char c = file.text.charAt(i);
      if (c == ',') {
        comma = i;
        break;
      }
      if (c == '#') {
        break;
      }
    }
    int lastLine = file.lines.lineOf(lastEnd);
    boolean multiLine = file.lines.lineOf(close) != lastLine;
    if (!multiLine) {
      return comma >= 0
          ? new TextEdit(file.at(comma + 1), " " + argument)
          : new TextEdit(file.at(lastEnd), ", " + argument);
    }
    String indent = indentOf(file, args.get(args.size() - 1));
    return comma >= 0
        ? new TextEdit(file.at(comma + 1), "\n" + indent + argument + ",")
        : new TextEdit(file.at(lastEnd), ",\n" + indent + argument);
  }

  /** The leading whitespace of the line the argument starts on. */
  private static String indentOf(PyFile file, PyFile.Arg arg) {
    TSNode first = arg.nameNode() != null ? arg.nameNode() : arg.value();
    int start = file.offset(first.getStartByte());
    int line = file.lines.lineOf(start);
    String text = file.lines.lineText(line);
    int i = 0;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return text.substring(0, i);
  }
}
