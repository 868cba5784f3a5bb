package dev.carbonlens.analysis;

import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.RuleInfo;
import dev.carbonlens.model.Category;
import dev.carbonlens.model.Severity;
import dev.carbonlens.model.SourceRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsError;
import org.drools.drl.parser.DroolsParserException;
import org.drools.drl.parser.ParserError;

/**
 * Checks a team's `.drl` file the way an editor needs while it is being written: DRL syntax, and the
 * metadata every CarbonLens rule must carry (`@id`, `@category`, `@severity`, an id of its own).
 *
 * <p>Only the DRL parser runs: nothing is compiled and no code in the file is executed, so this is safe
 * in an untrusted workspace. Type errors in patterns and consequences appear when the rule is compiled.
 */
public final class RuleFileCheck {
  private RuleFileCheck() {}

  public static boolean isRuleFile(String file) {
    return file.toLowerCase(Locale.ROOT).endsWith(".drl");
  }

  public static List<ParseProblem> problems(String text, List<RuleInfo> builtIn) {
    return check(text, builtIn, Map.of()).problems();
  }

  /** What checking a file found, and the ids of its rules (for the next file's check). */
  public record Check(List<ParseProblem> problems, List<String> ruleIds) {}

  /**
   * As {@link #problems(String, List)}, also refusing ids other team rule files already use
   * ({@code usedElsewhere}: id → where, for the message).
   */
  public static Check check(String text, List<RuleInfo> builtIn, Map<String, String> usedElsewhere) {
    DrlParser parser = new DrlParser();
    PackageDescr pkg;
    try {
      pkg = parser.parse(false, text);
    } catch (DroolsParserException | RuntimeException e) {
      return new Check(List.of(new ParseProblem("DRL could not be parsed: " + e.getMessage(), lineRange(text, 1))),
          List.of());
    }
    List<ParseProblem> problems = new ArrayList<>();
    for (DroolsError error : parser.getErrors()) {
      problems.add(syntaxProblem(text, error));
    }
    if (pkg == null || parser.hasErrors()) {
      return new Check(problems, List.of()); // metadata of a half-parsed file would only repeat the syntax errors
    }
    if (!pkg.getRules().isEmpty() && pkg.getGlobals().stream().noneMatch(
        g -> g.getIdentifier().equals("findings") && g.getType().endsWith("FindingSink"))) {
      problems.add(new ParseProblem("Declare `global dev.carbonlens.engine.FindingSink findings;`: rules report"
          + " their findings through it.", lineRange(text, 1)));
    }
    Set<String> builtInIds = builtIn.stream().map(RuleInfo::id).collect(Collectors.toSet());
    Map<String, String> seen = new java.util.LinkedHashMap<>();
    for (RuleDescr rule : pkg.getRules()) {
      SourceRange at = lineRange(text, rule.getLine());
      String id = annotation(rule, "id");
      if (id == null || id.isBlank()) {
        problems.add(new ParseProblem("Rule '" + rule.getName() + "' has no @id(\"...\"): findings need a rule id.", at));
      } else if (builtInIds.contains(id)) {
        problems.add(new ParseProblem("Rule id " + id + " is a built-in CarbonLens rule; give team rules their own ids"
            + " (e.g. ACME-GPU-001).", at));
      } else if (usedElsewhere.containsKey(id)) {
        problems.add(new ParseProblem("Rule id " + id + " is already used in " + usedElsewhere.get(id) + ".", at));
      } else if (seen.putIfAbsent(id, rule.getName()) != null) {
        problems.add(new ParseProblem("Rule id " + id + " is already used by rule '" + seen.get(id) + "' in this file.", at));
      }
      String category = annotation(rule, "category");
      if (category == null) {
        problems.add(new ParseProblem("Rule '" + rule.getName() + "' has no @category(\"...\"); team rules usually use"
            + " \"policy\".", at));
      } else if (!isCategory(category)) {
        problems.add(new ParseProblem("Unknown @category(\"" + category + "\"): use one of " + categories() + ".", at));
      }
      String severity = annotation(rule, "severity");
      if (severity == null) {
        problems.add(new ParseProblem("Rule '" + rule.getName() + "' has no @severity(\"...\") (error, warning, info or"
            + " hint).", at));
      } else if (!isSeverity(severity)) {
        problems.add(new ParseProblem("Unknown @severity(\"" + severity + "\"): use error, warning, info or hint.", at));
      }
    }
    return new Check(problems, List.copyOf(seen.keySet()));
  }

  private static String annotation(RuleDescr rule, String name) {
    AnnotationDescr a = rule.getAnnotation(name);
    if (a == null) {
      return null;
    }
    Object value = a.getSingleValueStripped();
    return value == null ? null : value.toString().replace("\"", "").trim();
  }

  private static boolean isCategory(String label) {
    return java.util.Arrays.stream(Category.values())
        .anyMatch(c -> c != Category.PARSE && c.label().equals(label));
  }

  private static String categories() {
    return java.util.Arrays.stream(Category.values()).filter(c -> c != Category.PARSE).map(Category::label)
        .collect(Collectors.joining(", "));
  }

  private static boolean isSeverity(String label) {
    try {
      Severity.fromLabel(label);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static ParseProblem syntaxProblem(String text, DroolsError error) {
    String message = error.getMessage() == null ? "DRL syntax error"
        // the parser repeats the position in the text: `[ERR 102] Line 6:0 mismatched input ...`
        : error.getMessage().trim().replaceFirst("^\\[ERR \\d+\\] Line \\d+:\\d+\\s*", "");
    if (error instanceof ParserError p && p.getRow() > 0) {
      return new ParseProblem(message, pointRange(text, p.getRow(), p.getCol()));
    }
    int[] lines = error.getLines();
    return new ParseProblem(message, lineRange(text, lines != null && lines.length > 0 && lines[0] > 0 ? lines[0] : 1));
  }

  /** The whole of 1-based line {@code line} (clamped to the text). */
  public static SourceRange lineRange(String text, int line) {
    String[] lines = text.split("\n", -1);
    int index = Math.max(0, Math.min(line - 1, lines.length - 1));
    String content = lines[index].replaceFirst("\r$", "");
    return new SourceRange(index, 0, index, content.length());
  }

  /** From 0-based column {@code column} of 1-based line {@code line} to the end of that word. */
  static SourceRange pointRange(String text, int line, int column) {
    SourceRange whole = lineRange(text, line);
    String content = text.split("\n", -1)[whole.startLine()];
    int start = Math.max(0, Math.min(column, whole.endColumn()));
    int end = start;
    while (end < whole.endColumn() && !Character.isWhitespace(content.charAt(end))) {
      end++;
    }
    return new SourceRange(whole.startLine(), start, whole.startLine(), end == start ? whole.endColumn() : end);
  }
}
