package dev.carbonlens.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.junit.jupiter.api.Test;

class OpenDocumentsTest {

  private static TextDocumentContentChangeEvent edit(int l1, int c1, int l2, int c2, String text) {
    return new TextDocumentContentChangeEvent(new Range(new Position(l1, c1), new Position(l2, c2)), text);
  }

  @Test
  void appliesIncrementalEditsInOrder() {
    OpenDocuments docs = new OpenDocuments();
    docs.open("u", 1, "a: 1\nb: 2\n");
    docs.change("u", 2, List.of(edit(1, 3, 1, 4, "20"), edit(0, 0, 0, 0, "# c\n")));
    assertThat(docs.get("u").orElseThrow().text()).isEqualTo("# c\na: 1\nb: 20\n");
    assertThat(docs.get("u").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void countsUtf16UnitsAndKeepsCrlf() {
    OpenDocuments docs = new OpenDocuments();
    docs.open("u", 1, "name: 𝔸x\r\nb: 2\r\n");
    // 𝔸 is two UTF-16 units: x is at character 8
    docs.change("u", 2, List.of(edit(0, 8, 0, 9, "y")));
    assertThat(docs.get("u").orElseThrow().text()).isEqualTo("name: 𝔸y\r\nb: 2\r\n");
    // a position past the end of a line clamps to the line end, before \r\n
    docs.change("u", 3, List.of(edit(1, 40, 1, 40, "!")));
    assertThat(docs.get("u").orElseThrow().text()).isEqualTo("name: 𝔸y\r\nb: 2!\r\n");
  }

  @Test
  void fullReplacementAndStaleVersions() {
    OpenDocuments docs = new OpenDocuments();
    docs.open("u", 5, "old");
    docs.change("u", 4, List.of(new TextDocumentContentChangeEvent("stale")));
    assertThat(docs.get("u").orElseThrow().text()).isEqualTo("old");
    docs.change("u", 6, List.of(new TextDocumentContentChangeEvent("new")));
    assertThat(docs.get("u").orElseThrow().text()).isEqualTo("new");
    assertThat(docs.change("other", 1, List.of())).isEmpty();
    docs.close("u");
    assertThat(docs.get("u")).isEmpty();
  }
}
