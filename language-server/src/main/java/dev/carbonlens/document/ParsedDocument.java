package dev.carbonlens.document;

import dev.carbonlens.limits.LimitNotice;
import java.util.List;
import java.util.Optional;

/**
 * The result of parsing one file. {@code roots}: one per YAML document of a multi-document stream
 * (empty documents skipped; JSON: exactly one, or none when the text is blank or has a syntax
 * error). {@code problems}: syntax errors. {@code notices}: limits that kept the file, or one of its
 * documents, from being analysed (size, nesting depth, alias expansion, time): information, not errors.
 */
public record ParsedDocument(
    String fileName, SyntaxKind syntax, String text, List<DocNode> roots,
    List<ParseProblem> problems, List<LimitNotice> notices) {

  public ParsedDocument {
    roots = List.copyOf(roots);
    problems = List.copyOf(problems);
    notices = List.copyOf(notices);
  }

  public ParsedDocument(String fileName, SyntaxKind syntax, String text, List<DocNode> roots,
      List<ParseProblem> problems) {
    this(fileName, syntax, text, roots, problems, List.of());
  }

  /** A file nothing was read from because of a limit: its text and the one notice saying why. */
  public static ParsedDocument notAnalysed(String fileName, SyntaxKind syntax, String text, LimitNotice notice) {
    return new ParsedDocument(fileName, syntax, text, List.of(), List.of(), List.of(notice));
  }

  public boolean hasErrors() {
    return !problems.isEmpty();
  }

  /** The first root, if any. */
  public Optional<DocNode> root() {
    return roots.isEmpty() ? Optional.empty() : Optional.of(roots.get(0));
  }

  /** The first root when it is a mapping (the usual shape of a config file). */
  public Optional<MappingNode> rootMapping() {
    return root().filter(MappingNode.class::isInstance).map(MappingNode.class::cast);
  }
}
