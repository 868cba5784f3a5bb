package dev.carbonlens.document;

import static dev.carbonlens.document.Texts.root;
import static dev.carbonlens.document.Texts.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.carbonlens.limits.LimitNotice;
import dev.carbonlens.model.SourceRange;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class YamlAliasAndMergeTest {

  @Test
  void aliasResolvesToTheAnchoredSubtree() {
    String text = "defaults: &d\n  lr: 0.1\n  bf16: true\nrun1: *d\nlrs: [&x 3, *x]\n";
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.problems()).isEmpty();
    MappingNode m = root(doc);
    MappingNode defaults = m.mapping("defaults").orElseThrow();
    MappingNode run1 = m.mapping("run1").orElseThrow();
    assertThat(run1).isSameAs(defaults);
    assertThat(run1.scalar("lr").orElseThrow().range()).isEqualTo(SourceRange.of(1, 6, 1, 9));
    // The entry of an alias value covers its key only (the value lies elsewhere).
    assertThat(m.entry("run1").orElseThrow().range()).isEqualTo(SourceRange.of(3, 0, 3, 4));
    SequenceNode lrs = (SequenceNode) m.get("lrs").orElseThrow();
    assertThat(lrs.items().get(1)).isSameAs(lrs.items().get(0));
    assertThat(lrs.items().get(0).range()).isEqualTo(SourceRange.of(4, 9, 4, 10));
    // A block mapping ending with an alias ends where the alias is written.
    assertThat(m.range()).isEqualTo(SourceRange.of(0, 0, 4, 15));
  }

  @Test
  void singleMergeKeyInheritsEntriesAndExplicitKeysOverride() {
    String text = String.join("\n",
        "base: &base",
        "  lr: 0.1",
        "  epochs: 3",
        "run:",
        "  lr: 0.5",
        "  <<: *base",
        "  name: r",
        "");
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.problems()).isEmpty();
    MappingNode run = root(doc).mapping("run").orElseThrow();
    assertThat(run.entries()).extracting(Entry::name).containsExactly("lr", "epochs", "name");
    assertThat(run.entries()).extracting(Entry::inherited).containsExactly(false, true, false);
    assertThat(run.entry("<<")).isEmpty();
    assertThat(slice(doc, run.scalar("lr").orElseThrow())).isEqualTo("0.5");
    assertThat(run.scalar("lr").orElseThrow().range()).isEqualTo(SourceRange.of(4, 6, 4, 9));
    Entry epochs = run.entry("epochs").orElseThrow();
    assertThat(epochs.key().range()).isEqualTo(SourceRange.of(2, 2, 2, 8));
    assertThat(epochs.value().range()).isEqualTo(SourceRange.of(2, 10, 2, 11));
    assertThat(epochs.range()).isEqualTo(SourceRange.of(2, 2, 2, 11));
    assertThat(run.range()).isEqualTo(SourceRange.of(4, 2, 6, 9));
  }

  @Test
  void mergeListEarlierWins() {
    String text = String.join("\n",
        "a: &a {x: 1, y: 1}",
        "b: &b {y: 2, z: 2}",
        "c:",
        "  <<: [*a, *b]",
        "  z: 3",
        "");
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.problems()).isEmpty();
    MappingNode c = root(doc).mapping("c").orElseThrow();
    assertThat(c.entries()).extracting(Entry::name).containsExactly("x", "y", "z");
    assertThat(c.scalar("y").orElseThrow().value()).isEqualTo("1");
    assertThat(c.scalar("y").orElseThrow().range()).isEqualTo(SourceRange.of(0, 16, 0, 17));
    assertThat(c.scalar("z").orElseThrow().value()).isEqualTo("3");
    assertThat(c.entry("z").orElseThrow().inherited()).isFalse();
    assertThat(c.entry("x").orElseThrow().inherited()).isTrue();
    assertThat(c.range()).isEqualTo(SourceRange.of(3, 2, 4, 6));
  }

  @Test
  void nestedMergesWork() {
    String text = String.join("\n",
        "base: &base",
        "  optimizer: adamw",
        "  lr: 0.1",
        "mid: &mid",
        "  <<: *base",
        "  lr: 0.2",
        "  warmup: 10",
        "top:",
        "  <<: *mid",
        "  warmup: 20",
        "");
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.problems()).isEmpty();
    MappingNode mid = root(doc).mapping("mid").orElseThrow();
    assertThat(mid.entries()).extracting(Entry::name).containsExactly("optimizer", "lr", "warmup");
    assertThat(mid.entry("optimizer").orElseThrow().inherited()).isTrue();
    MappingNode top = root(doc).mapping("top").orElseThrow();
    assertThat(top.entries()).extracting(Entry::name).containsExactly("optimizer", "lr", "warmup");
    assertThat(top.entries()).extracting(Entry::inherited).containsExactly(true, true, false);
    assertThat(top.scalar("lr").orElseThrow().value()).isEqualTo("0.2");
    assertThat(top.scalar("lr").orElseThrow().range()).isEqualTo(SourceRange.of(5, 6, 5, 9));
    assertThat(top.scalar("optimizer").orElseThrow().range()).isEqualTo(SourceRange.of(1, 13, 1, 18));
    assertThat(top.scalar("warmup").orElseThrow().value()).isEqualTo("20");
  }

  @Test
  void mergeOfANonMappingIsAProblemNotACrash() {
    ParsedDocument doc = DocumentParser.parse("c.yaml", "a: 1\nb:\n  <<: 3\n  c: 1\n");
    assertThat(doc.problems()).hasSize(1);
    assertThat(doc.problems().get(0).range()).isEqualTo(SourceRange.of(2, 6, 2, 7));
    assertThat(root(doc).mapping("b").orElseThrow().entries()).extracting(Entry::name)
        .containsExactly("c");
  }

  @Test
  void recursiveAliasIsAProblemNotAHang() {
    ParsedDocument doc = DocumentParser.parse("c.yaml", "a: &a [1, *a]\n");
    assertThat(doc.problems()).isNotEmpty();
    assertThat(doc.problems().get(0).message()).contains("recursive");
  }

  @Test
  void billionLaughsIsRefusedQuickly() {
    String text = String.join("\n",
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]",
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]",
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]",
        "");
    ParsedDocument doc = assertTimeoutPreemptively(Duration.ofSeconds(2),
        () -> DocumentParser.parse("lol.yaml", text));
    // Not an error in the file: a limit of CarbonLens, said as a notice, and the document is not analysed.
    assertThat(doc.hasErrors()).isFalse();
    assertThat(doc.roots()).isEmpty();
    assertThat(doc.notices()).singleElement().satisfies(n -> {
      assertThat(n.limit()).isEqualTo(LimitNotice.ALIAS_EXPANSION);
      assertThat(n.message()).isEqualTo("Not analysed: aliases expand this document to more than 100280 nodes"
          + " (a \"billion laughs\" document?).");
      assertThat(n.range().startLine()).isEqualTo(5); // f: expands past the limit
    });
  }

  @Test
  void hundredsOfMergedAnchorsAreReadLikeAnyOtherFile() {
    // A sweep grid written the way people write one: 300 variants merging two shared anchors.
    StringBuilder sb = new StringBuilder("base: &base {lr: 0.0002, epochs: 3}\ndata: &data {path: imdb}\nvariants:\n");
    for (int i = 0; i < 300; i++) {
      sb.append("  v").append(i).append(": {<<: [*base, *data], seed: ").append(i).append("}\n");
    }
    ParsedDocument doc = DocumentParser.parse("grid.yaml", sb.toString());
    assertThat(doc.problems()).isEmpty();
    MappingNode variants = ((MappingNode) doc.roots().get(0)).mapping("variants").orElseThrow();
    assertThat(variants.entries()).hasSize(300);
    assertThat(variants.mapping("v299").orElseThrow().scalar("lr").orElseThrow().text()).isEqualTo("0.0002");
  }

  @Test
  void tooManyCollectionAliasesIsANotice() {
    StringBuilder sb = new StringBuilder("a: &a [1]\nb: [");
    for (int i = 0; i <= YamlDocumentReader.MAX_ALIASES_FOR_COLLECTIONS; i++) {
      sb.append(i == 0 ? "" : ",").append("*a");
    }
    sb.append("]\n");
    ParsedDocument doc = assertTimeoutPreemptively(Duration.ofSeconds(2),
        () -> DocumentParser.parse("c.yaml", sb.toString()));
    assertThat(doc.hasErrors()).isFalse();
    assertThat(doc.notices()).singleElement().satisfies(n -> {
      assertThat(n.limit()).isEqualTo(LimitNotice.ALIAS_EXPANSION);
      assertThat(n.message()).isEqualTo("Not analysed: the document uses more than 20000 aliases of collections.");
      assertThat(n.range().startLine()).isEqualTo(1);
    });
  }

  @Test
  void deepNestingIsANoticeAtWhereTheLimitWasReached() {
    String text = "a: " + "[".repeat(150) + "]".repeat(150) + "\n";
    ParsedDocument doc = DocumentParser.parse("c.yaml", text);
    assertThat(doc.hasErrors()).isFalse();
    assertThat(doc.roots()).isEmpty();
    assertThat(doc.notices()).singleElement().satisfies(n -> {
      assertThat(n.limit()).isEqualTo(LimitNotice.NESTING_DEPTH);
      assertThat(n.message()).isEqualTo("Not analysed: the YAML nests deeper than 100 levels, the most CarbonLens reads.");
      assertThat(n.range().startLine()).isZero();
    });
  }

  @Test
  void aYamlStreamOverTheCodePointLimitIsNotRead() {
    String text = "a: " + "x".repeat(YamlDocumentReader.CODE_POINT_LIMIT);
    ParsedDocument doc = DocumentParser.parse("long.yaml", text);
    assertThat(doc.roots()).isEmpty();
    assertThat(doc.problems()).isEmpty();
    assertThat(doc.notices()).extracting(LimitNotice::limit).containsExactly(LimitNotice.YAML_CODE_POINTS);
  }
}
