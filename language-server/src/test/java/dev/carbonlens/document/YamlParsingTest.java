package dev.carbonlens.document;

import static dev.carbonlens.document.Texts.root;
import static dev.carbonlens.document.Texts.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.model.SourceRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlParsingTest {

  @Test
  void blockMappingKeysAndValuesHaveExactRanges() {
    String text = "model:\n  name: llama-3  # comment\n  lr: 1e-4\n  path: \"out/dir\"\n  tag: 'x'\n";
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.problems()).isEmpty();
    assertThat(doc.syntax()).isEqualTo(SyntaxKind.YAML);
    MappingNode model = root(doc).mapping("model").orElseThrow();
    Entry name = model.entry("name").orElseThrow();
    assertThat(name.key().range()).isEqualTo(SourceRange.of(1, 2, 1, 6));
    assertThat(name.value().range()).isEqualTo(SourceRange.of(1, 8, 1, 15));
    assertThat(name.range()).isEqualTo(SourceRange.of(1, 2, 1, 15));
    assertThat(((ScalarNode) name.value()).value()).isEqualTo("llama-3");
    assertThat(((ScalarNode) name.value()).quoted()).isFalse();
    ScalarNode path = model.scalar("path").orElseThrow();
    assertThat(path.value()).isEqualTo("out/dir");
    assertThat(path.quoted()).isTrue();
    assertThat(path.range()).isEqualTo(SourceRange.of(3, 8, 3, 17));
    assertThat(slice(doc, model.scalar("tag").orElseThrow())).isEqualTo("'x'");
    assertThat(model.scalar("lr").orElseThrow().asNumber().getAsDouble()).isEqualTo(1e-4);
    // A block mapping spans its first key to the end of its last value.
    assertThat(model.range()).isEqualTo(SourceRange.of(1, 2, 4, 10));
    assertThat(root(doc).range()).isEqualTo(SourceRange.of(0, 0, 4, 10));
    assertThat(root(doc).getPath("model", "lr")).isPresent();
    assertThat(root(doc).getPath("model", "nope")).isEmpty();
    assertThat(root(doc).getPath("model", "lr", "x")).isEmpty();
  }

  @Test
  void flowStyleRanges() {
    String text = "opt: {name: adamw, betas: [0.9, 0.999]}\nlist: [a, 'b', \"c\"]\n";
    ParsedDocument doc = DocumentParser.parse("c.yml", text);
    assertThat(doc.problems()).isEmpty();
    MappingNode opt = root(doc).mapping("opt").orElseThrow();
    assertThat(slice(doc, opt)).isEqualTo("{name: adamw, betas: [0.9, 0.999]}");
    SequenceNode betas = (SequenceNode) opt.get("betas").orElseThrow();
    assertThat(betas.range()).isEqualTo(SourceRange.of(0, 26, 0, 38));
    assertThat(betas.items()).hasSize(2);
    assertThat(betas.items().get(1).range()).isEqualTo(SourceRange.of(0, 32, 0, 37));
    assertThat(opt.entry("name").orElseThrow().key().range()).isEqualTo(SourceRange.of(0, 6, 0, 10));
    SequenceNode list = (SequenceNode) root(doc).get("list").orElseThrow();
    assertThat(list.items()).extracting(n -> slice(doc, n)).containsExactly("a", "'b'", "\"c\"");
    assertThat(list.items()).extracting(n -> ((ScalarNode) n).value()).containsExactly("a", "b", "c");
  }

  @Test
  void blockSequencesAndBlockScalars() {
    String text = "steps:\n  - name: a\n    run: |\n      echo hi\n      echo there\n\n  - plain\nnext: 1\n";
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.problems()).isEmpty();
    SequenceNode steps = (SequenceNode) root(doc).get("steps").orElseThrow();
    assertThat(steps.items()).hasSize(2);
    assertThat(slice(doc, steps)).startsWith("- name: a").endsWith("- plain");
    ScalarNode run = ((MappingNode) steps.items().get(0)).scalar("run").orElseThrow();
    assertThat(run.value()).isEqualTo("echo hi\necho there\n");
    assertThat(run.quoted()).isTrue();
    assertThat(slice(doc, run)).isEqualTo("|\n      echo hi\n      echo there");
    assertThat(steps.items().get(1).range()).isEqualTo(SourceRange.of(6, 4, 6, 9));
  }

  @Test
  void nullsAndEmptyValues() {
    String text = "a:\nb: ~\nc: null\nd: 'null'\ne: Null\n";
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    MappingNode m = root(doc);
    assertThat(m.scalar("a").orElseThrow().isNull()).isTrue();
    assertThat(m.scalar("a").orElseThrow().range()).isEqualTo(SourceRange.of(0, 2, 0, 2));
    assertThat(m.scalar("b").orElseThrow().isNull()).isTrue();
    assertThat(m.scalar("c").orElseThrow().isNull()).isTrue();
    assertThat(m.scalar("d").orElseThrow().value()).isEqualTo("null");
    assertThat(m.scalar("e").orElseThrow().isNull()).isTrue();
    assertThat(m.scalar("a").orElseThrow().text()).isEmpty();
  }

  @Test
  void multiDocumentStreamGivesOneRootPerDocument() {
    String text = "---\na: 1\n---\n# only a comment\n---\nb: 2\n...\n---\n- x\n";
    ParsedDocument doc = DocumentParser.parse("k8s.yaml", text);
    assertThat(doc.problems()).isEmpty();
    assertThat(doc.roots()).hasSize(3);
    assertThat(((MappingNode) doc.roots().get(1)).scalar("b").orElseThrow().range())
        .isEqualTo(SourceRange.of(5, 3, 5, 4));
    assertThat(doc.roots().get(2)).isInstanceOf(SequenceNode.class);
  }

  @Test
  void emptyAndCommentOnlyTexts() {
    assertThat(DocumentParser.parse("x", "").roots()).isEmpty();
    assertThat(DocumentParser.parse("x", "").problems()).isEmpty();
    assertThat(DocumentParser.parse("x", "").syntax()).isEqualTo(SyntaxKind.YAML);
    assertThat(DocumentParser.parse("x.yaml", "# nothing\n\n").roots()).isEmpty();
    assertThat(DocumentParser.parse("x.yaml", "---\n").roots()).isEmpty();
    assertThat(DocumentParser.parse("x.yaml", null).roots()).isEmpty();
  }

  @Test
  void scalarRootAndCrLf() {
    String text = "a: 1\r\nb:\r\n  c: \"two\"\r\n  d: [1, 2]\r\n";
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.problems()).isEmpty();
    MappingNode b = root(doc).mapping("b").orElseThrow();
    assertThat(b.scalar("c").orElseThrow().range()).isEqualTo(SourceRange.of(2, 5, 2, 10));
    assertThat(b.get("d").orElseThrow().range()).isEqualTo(SourceRange.of(3, 5, 3, 11));
    assertThat(b.range()).isEqualTo(SourceRange.of(2, 2, 3, 11));
    assertThat(DocumentParser.parse("s.yaml", "hello").roots().get(0))
        .isEqualTo(new ScalarNode("hello", false, SourceRange.of(0, 0, 0, 5)));
  }

  @Test
  void columnsCountUtf16CodeUnits() {
    // 𝔸 is one code point but two UTF-16 code units; so is the emoji.
    String text = "name: \"𝔸𝔸\" # 🚀\nx: {k: '🚀', v: 3}\nnote: 🚀 rocket\nafter: 1\n";
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.problems()).isEmpty();
    MappingNode m = root(doc);
    assertThat(m.scalar("name").orElseThrow().range()).isEqualTo(SourceRange.of(0, 6, 0, 12));
    MappingNode x = m.mapping("x").orElseThrow();
    assertThat(x.scalar("k").orElseThrow().range()).isEqualTo(SourceRange.of(1, 7, 1, 11));
    assertThat(x.entry("v").orElseThrow().key().range()).isEqualTo(SourceRange.of(1, 13, 1, 14));
    assertThat(x.scalar("v").orElseThrow().range()).isEqualTo(SourceRange.of(1, 16, 1, 17));
    assertThat(x.range()).isEqualTo(SourceRange.of(1, 3, 1, 18));
    assertThat(slice(doc, m.scalar("note").orElseThrow())).isEqualTo("🚀 rocket");
    assertThat(m.scalar("after").orElseThrow().range()).isEqualTo(SourceRange.of(3, 7, 3, 8));
  }

  @Test
  void duplicateKeysKeepTheLast() {
    String text = "lr: 1\nepochs: 3\nlr: 2\n";
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.problems()).isEmpty();
    MappingNode m = root(doc);
    assertThat(m.entries()).extracting(Entry::name).containsExactly("epochs", "lr");
    assertThat(m.scalar("lr").orElseThrow().asLong().getAsLong()).isEqualTo(2);
    assertThat(m.scalar("lr").orElseThrow().range()).isEqualTo(SourceRange.of(2, 4, 2, 5));
  }

  @Test
  void nodePropertiesAreNotPartOfTheRange() {
    String text = "a: !!str 5\nb: &x 7\nc: !!float 1\n";
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    MappingNode m = root(doc);
    assertThat(m.scalar("a").orElseThrow().range()).isEqualTo(SourceRange.of(0, 9, 0, 10));
    assertThat(m.scalar("a").orElseThrow().value()).isEqualTo("5");
    assertThat(m.scalar("b").orElseThrow().range()).isEqualTo(SourceRange.of(1, 6, 1, 7));
  }

  @Test
  void complexKeysBecomeTextKeys() {
    String text = "? [a, b]\n: pair\nplain: 1\n";
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.problems()).isEmpty();
    assertThat(root(doc).entries()).extracting(Entry::name).containsExactly("[a, b]", "plain");
  }

  @Test
  void largeDocumentParsesQuickly() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      sb.append("section_").append(i).append(":\n")
          .append("  learning_rate: 1.0e-4\n")
          .append("  name: \"run ").append(i).append("\"\n")
          .append("  layers: [1, 2, 3, 4]\n")
          .append("  enabled: true\n");
    }
    String text = sb.toString(); // 2,000 lines
    for (int i = 0; i < 20; i++) {
      DocumentParser.parse("big.yaml", text); // warm up
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      long t0 = System.nanoTime();
      ParsedDocument doc = DocumentParser.parse("big.yaml", text);
      best = Math.min(best, System.nanoTime() - t0);
      assertThat(doc.problems()).isEmpty();
      assertThat(root(doc).entries()).hasSize(400);
    }
    // About 11 ms warm on an idle 2-core machine; the bound is generous because test machines
    // are shared, but still catches anything quadratic.
    assertThat(best / 1_000_000).isLessThan(500);
  }

  @Test
  void rootHelpers() {
    ParsedDocument doc = DocumentParser.parse("c.yaml", "a: 1\n");
    assertThat(doc.root()).isPresent();
    assertThat(doc.rootMapping().orElseThrow().containsKey("a")).isTrue();
    assertThat(doc.hasErrors()).isFalse();
    assertThat(List.of(doc.rootMapping().orElseThrow().size())).containsExactly(1);
  }
}
