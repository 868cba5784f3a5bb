package dev.carbonlens.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.document.SyntaxKind;

/**
 * The document model on any text, as YAML and as JSON: it never throws, and every node, key, entry
 * and problem range lies within the text (these ranges become editor diagnostics and edits).
 */
class DocumentParserFuzzTest {

  @FuzzTest
  void parseYaml(byte[] data) {
    checkParse(FuzzInputs.text(data), SyntaxKind.YAML);
  }

  @FuzzTest
  void parseJson(byte[] data) {
    checkParse(FuzzInputs.text(data), SyntaxKind.JSON);
  }

  private static void checkParse(String text, SyntaxKind syntax) {
    ParsedDocument doc = DocumentParser.parse("fuzz", text, syntax);
    if (doc.syntax() != syntax || !doc.text().equals(text)) {
      throw new AssertionError("the document does not keep its syntax and text: " + doc.syntax());
    }
    TextBounds bounds = new TextBounds(text);
    bounds.checkProblems(doc.problems(), syntax.name());
    for (DocNode root : doc.roots()) {
      bounds.checkTree(root, syntax.name());
    }
    if (syntax == SyntaxKind.JSON && doc.roots().size() > 1) {
      throw new AssertionError("JSON has at most one root, got " + doc.roots().size());
    }
  }
}
