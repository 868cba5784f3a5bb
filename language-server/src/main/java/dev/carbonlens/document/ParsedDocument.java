package dev.carbonlens.document;

import java.util.List;
import java.util.Optional;

/**
 * The result of parsing one file. {@code roots}: one per YAML document of a multi-document stream
 * (empty documents skipped; JSON: exactly one, or none when the text is blank or has a syntax
 * error). {@code problems}: syntax errors and refused documents.
 */
public record ParsedDocument(
    String fileName, SyntaxKind syntax, String text, List<DocNode> roots,
    List<ParseProblem> problems) {

  public ParsedDocument {
    roots = List.copyOf(roots);
    problems = List.copyOf(problems);
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
