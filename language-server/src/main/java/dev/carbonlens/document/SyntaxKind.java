package dev.carbonlens.document;

/** The surface syntax a document was parsed as. */
public enum SyntaxKind {
  YAML,
  JSON,
  /** Python source, analysed by the code analysers rather than as a document tree. */
  PYTHON,
  /** Java source, likewise. */
  JAVA,
  /** A Drools rule file: checked for syntax and rule metadata, never analysed for runs. */
  DRL
}
