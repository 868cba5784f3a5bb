package dev.carbonlens.document;

import static dev.carbonlens.document.Texts.root;
import static dev.carbonlens.document.Texts.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.carbonlens.model.SourceRange;
import org.junit.jupiter.api.Test;

class JsonParsingTest {

  private static final String DS = String.join("\n",
      "{",
      "  \"train_batch_size\": 32,",
      "  \"bf16\": {\"enabled\": true},",
      "  \"optimizer\": {",
      "    \"type\": \"AdamW\",",
      "    \"params\": {\"lr\": 1e-4, \"betas\": [0.9, 0.999], \"eps\": null}",
      "  }",
      "}",
      "");

  @Test
  void keysAndValuesHaveExactRanges() {
    ParsedDocument doc = DocumentParser.parse("ds_config.json", DS);
    assertThat(doc.syntax()).isEqualTo(SyntaxKind.JSON);
    assertThat(doc.problems()).isEmpty();
    assertThat(doc.roots()).hasSize(1);
    MappingNode m = root(doc);
    assertThat(m.range()).isEqualTo(SourceRange.of(0, 0, 7, 1));
    Entry tbs = m.entry("train_batch_size").orElseThrow();
    assertThat(tbs.key().range()).isEqualTo(SourceRange.of(1, 2, 1, 20));
    assertThat(tbs.key().quoted()).isTrue();
    assertThat(tbs.value().range()).isEqualTo(SourceRange.of(1, 22, 1, 24));
    assertThat(tbs.range()).isEqualTo(SourceRange.of(1, 2, 1, 24));
    assertThat(((ScalarNode) tbs.value()).asLong().getAsLong()).isEqualTo(32);
    MappingNode bf16 = m.mapping("bf16").orElseThrow();
    assertThat(slice(doc, bf16)).isEqualTo("{\"enabled\": true}");
    assertThat(bf16.scalar("enabled").orElseThrow().asBoolean()).contains(true);
    assertThat(slice(doc, bf16.scalar("enabled").orElseThrow())).isEqualTo("true");
    MappingNode opt = m.mapping("optimizer").orElseThrow();
    assertThat(opt.range()).isEqualTo(SourceRange.of(3, 15, 6, 3));
    ScalarNode type = opt.scalar("type").orElseThrow();
    assertThat(type.value()).isEqualTo("AdamW");
    assertThat(type.quoted()).isTrue();
    assertThat(type.range()).isEqualTo(SourceRange.of(4, 12, 4, 19));
    MappingNode params = (MappingNode) m.getPath("optimizer", "params").orElseThrow();
    ScalarNode lr = params.scalar("lr").orElseThrow();
    assertThat(lr.value()).isEqualTo("1e-4");
    assertThat(lr.quoted()).isFalse();
    assertThat(lr.range()).isEqualTo(SourceRange.of(5, 21, 5, 25));
    assertThat(lr.asNumber().getAsDouble()).isEqualTo(1e-4);
    SequenceNode betas = (SequenceNode) params.get("betas").orElseThrow();
    assertThat(slice(doc, betas)).isEqualTo("[0.9, 0.999]");
    assertThat(betas.items()).extracting(n -> slice(doc, n)).containsExactly("0.9", "0.999");
    assertThat(params.scalar("eps").orElseThrow().isNull()).isTrue();
    assertThat(slice(doc, params.scalar("eps").orElseThrow())).isEqualTo("null");
  }

  @Test
  void jsoncCommentsTrailingCommasSingleQuotes() {
    String text = "// DeepSpeed\n{\n  /* block */ 'fp16': {enabled: false,},\n  \"x\": [1, 2,], # no\n}";
    ParsedDocument doc = DocumentParser.parse("ds.jsonc", text.replace(" # no", ""));
    assertThat(doc.problems()).isEmpty();
    MappingNode m = root(doc);
    Entry fp16 = m.entry("fp16").orElseThrow();
    assertThat(slice(doc, fp16.key())).isEqualTo("'fp16'");
    Entry enabled = ((MappingNode) fp16.value()).entry("enabled").orElseThrow();
    assertThat(slice(doc, enabled.key())).isEqualTo("enabled");
    assertThat(enabled.key().quoted()).isFalse();
    assertThat(((SequenceNode) m.get("x").orElseThrow()).items()).hasSize(2);
  }

  @Test
  void escapesNonBmpAndCrLf() {
    String text = "{\r\n  \"name\": \"a\\\"b𝔸\",\r\n  \"🚀\": 1.5\r\n}\r\n";
    ParsedDocument doc = DocumentParser.parse("c.json", text);
    assertThat(doc.problems()).isEmpty();
    MappingNode m = root(doc);
    ScalarNode name = m.scalar("name").orElseThrow();
    assertThat(name.value()).isEqualTo("a\"b𝔸");
    assertThat(name.range()).isEqualTo(SourceRange.of(1, 10, 1, 18));
    Entry rocket = m.entry("🚀").orElseThrow();
    assertThat(rocket.key().range()).isEqualTo(SourceRange.of(2, 2, 2, 6));
    assertThat(rocket.value().range()).isEqualTo(SourceRange.of(2, 8, 2, 11));
    assertThat(m.range()).isEqualTo(SourceRange.of(0, 0, 3, 1));
  }

  @Test
  void missingCommaIsAProblemAtTheNextKey() {
    String text = "{\n  \"a\": 1\n  \"b\": 2\n}\n";
    ParsedDocument doc = DocumentParser.parse("c.json", text);
    assertThat(doc.roots()).isEmpty();
    assertThat(doc.problems()).hasSize(1);
    assertThat(doc.problems().get(0).message()).contains("comma");
    assertThat(doc.problems().get(0).range()).isEqualTo(SourceRange.of(2, 2, 2, 8));
  }

  @Test
  void otherJsonErrors() {
    ParsedDocument bad = DocumentParser.parse("c.json", "{\"a\": tru}");
    assertThat(bad.problems().get(0).range().startColumn()).isEqualTo(6);
    ParsedDocument unclosed = DocumentParser.parse("c.json", "{\"a\": [1,\n");
    assertThat(unclosed.hasErrors()).isTrue();
    assertThat(unclosed.problems().get(0).message()).doesNotContain("REDACTED");
    ParsedDocument extra = DocumentParser.parse("c.json", "{} {}");
    assertThat(extra.hasErrors()).isTrue();
    assertThat(extra.roots()).hasSize(1);
    String deep = "[".repeat(500) + "]".repeat(500);
    ParsedDocument tooDeep = DocumentParser.parse("c.json", deep);
    assertThat(tooDeep.hasErrors()).as("a limit, not an error in the file").isFalse();
    assertThat(tooDeep.notices()).extracting(n -> n.limit()).containsExactly("nesting-depth");
    for (String t : new String[] {"{", "}", "[1,,2]", "\"abc", "{'a' 1}", "nul", "\u0000"}) {
      assertThatCode(() -> DocumentParser.parse("c.json", t)).as(t).doesNotThrowAnyException();
      assertThat(DocumentParser.parse("c.json", t).hasErrors()).as(t).isTrue();
    }
  }

  @Test
  void duplicateKeysKeepTheLast() {
    ParsedDocument doc = DocumentParser.parse("c.json", "{\"a\": 1, \"b\": 2, \"a\": 3}");
    assertThat(root(doc).entries()).extracting(Entry::name).containsExactly("b", "a");
    assertThat(root(doc).scalar("a").orElseThrow().value()).isEqualTo("3");
  }

  @Test
  void blankAndScalarJson() {
    ParsedDocument blank = DocumentParser.parse("c.json", "  \n// only\n");
    assertThat(blank.roots()).isEmpty();
    assertThat(blank.problems()).isEmpty();
    ParsedDocument scalar = DocumentParser.parse("c.json", " \"x\" ");
    assertThat(scalar.roots().get(0)).isEqualTo(new ScalarNode("x", true, SourceRange.of(0, 1, 0, 4)));
  }

  @Test
  void syntaxIsChosenByNameThenContent() {
    assertThat(DocumentParser.syntaxOf("a.json", "x: 1")).isEqualTo(SyntaxKind.JSON);
    assertThat(DocumentParser.syntaxOf("A.JSONC", "")).isEqualTo(SyntaxKind.JSON);
    assertThat(DocumentParser.syntaxOf("a.yaml", "{}")).isEqualTo(SyntaxKind.YAML);
    assertThat(DocumentParser.syntaxOf("a.yml", "[1]")).isEqualTo(SyntaxKind.YAML);
    assertThat(DocumentParser.syntaxOf("config", "  \n {\"a\": 1}")).isEqualTo(SyntaxKind.JSON);
    assertThat(DocumentParser.syntaxOf("config", "[1]")).isEqualTo(SyntaxKind.JSON);
    assertThat(DocumentParser.syntaxOf("config", "a: 1")).isEqualTo(SyntaxKind.YAML);
    assertThat(DocumentParser.syntaxOf("config", "")).isEqualTo(SyntaxKind.YAML);
    assertThat(DocumentParser.syntaxOf(null, null)).isEqualTo(SyntaxKind.YAML);
    assertThat(DocumentParser.syntaxOf("x.txt", "// c\n{}")).isEqualTo(SyntaxKind.JSON);
    assertThat(DocumentParser.parse("config", "{\"a\": 1}").syntax()).isEqualTo(SyntaxKind.JSON);
  }
}
