package dev.carbonlens.document;

/** The surface syntax a document was parsed as. */
public enum SyntaxKind {
  YAML,
  JSON
}
