package dev.carbonlens.document;

import static dev.carbonlens.document.Texts.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.carbonlens.model.SourceRange;
import org.junit.jupiter.api.Test;

class YamlErrorTest {

  @Test
  void mappingValueInPlainScalarIsReportedAtTheColon() {
    String text = "model: x\nlr: 0.1\na: b: c\nepochs: 3\n";
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.problems()).hasSize(1);
    ParseProblem p = doc.problems().get(0);
    assertThat(p.message()).contains("mapping values are not allowed here");
    assertThat(p.range()).isEqualTo(SourceRange.of(2, 4, 2, 7));
    // Recovery: the rest of the file is still there for analysis.
    assertThat(doc.roots()).hasSize(1);
    assertThat(root(doc).scalar("epochs").orElseThrow().value()).isEqualTo("3");
    assertThat(root(doc).scalar("lr").orElseThrow().range()).isEqualTo(SourceRange.of(1, 4, 1, 7));
  }

  @Test
  void halfTypedYamlDoesNotThrow() {
    String text = "training_args:\n  bf16: tru\n  output_dir";
    assertThatCode(() -> DocumentParser.parse("c.yaml", text)).doesNotThrowAnyException();
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.hasErrors()).isTrue();
    assertThat(doc.problems().get(0).range().startLine()).isEqualTo(2);
    assertThat(root(doc).getPath("training_args", "bf16")).isPresent();
    ScalarNode bf16 = (ScalarNode) root(doc).getPath("training_args", "bf16").orElseThrow();
    assertThat(bf16.asBoolean()).isEmpty();
  }

  @Test
  void documentsBeforeAnErrorAreKept() {
    String text = "a: 1\n---\nb: [1, 2\n";
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.hasErrors()).isTrue();
    assertThat(doc.roots()).isNotEmpty();
    assertThat(((MappingNode) doc.roots().get(0)).scalar("a")).isPresent();
  }

  @Test
  void badIndentationAndTabs() {
    for (String text : new String[] {
        "a:\n  b: 1\n c: 2\n",
        "a:\n\tb: 1\n",
        "a: 'unterminated\n",
        "a: \"x\" y\n",
        "[1, 2\n",
        "{a: 1\n",
        "- a\nb: 1\n",
        "a: *missing\n",
        "a: &x\n",
        "\u0000\u0001",
        "key: \ud800 lone\n",
        ":\n",
        "? \n",
        "%YAML 9.9\n---\na: 1\n",
    }) {
      assertThatCode(() -> DocumentParser.parse("c.yaml", text))
          .as(text).doesNotThrowAnyException();
    }
    ParsedDocument tab = DocumentParser.parse("c.yaml", "a:\n\tb: 1\n");
    assertThat(tab.hasErrors()).isTrue();
    assertThat(tab.problems().get(0).range().startLine()).isEqualTo(1);
    ParsedDocument undefined = DocumentParser.parse("c.yaml", "a: *missing\n");
    assertThat(undefined.problems().get(0).message()).contains("undefined alias");
    assertThat(undefined.problems().get(0).range()).isEqualTo(SourceRange.of(0, 3, 0, 11));
  }

  @Test
  void problemAtEndOfLineIsOneCharacterWide() {
    ParsedDocument doc = DocumentParser.parse("c.yaml", "a: [1, 2");
    assertThat(doc.hasErrors()).isTrue();
    SourceRange r = doc.problems().get(0).range();
    assertThat(r.endColumn() - r.startColumn()).isLessThanOrEqualTo(1);
  }

  @Test
  void errorColumnsAreUtf16() {
    ParsedDocument doc = DocumentParser.parse("c.yaml", "x: 1\n𝔸: b: c\n");
    assertThat(doc.problems().get(0).range().startLine()).isEqualTo(1);
    assertThat(doc.problems().get(0).range().startColumn()).isEqualTo(5);
  }

  @Test
  void recoveryKeepsUtf16RangesAndHandlesSeveralErrors() {
    ParsedDocument doc = DocumentParser.parse("c.yaml", "𝔸: b: c\nz: '🚀'\nd: e: f\ng: 1\n");
    assertThat(doc.problems()).hasSize(1);
    assertThat(doc.problems().get(0).range().startLine()).isZero();
    assertThat(root(doc).scalar("z").orElseThrow().range()).isEqualTo(SourceRange.of(1, 3, 1, 7));
    assertThat(root(doc).scalar("g").orElseThrow().range()).isEqualTo(SourceRange.of(3, 3, 3, 4));
    assertThat(root(doc).entry("d")).isEmpty();
  }
}
