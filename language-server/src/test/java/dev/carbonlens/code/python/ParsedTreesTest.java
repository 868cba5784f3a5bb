package dev.carbonlens.code.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carbonlens.document.Utf8;
import dev.carbonlens.limits.LimitExceededException;
import dev.carbonlens.limits.LimitNotice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.treesitter.TSInputEdit;

class ParsedTreesTest {

  @Test
  void anEditIsWhatLiesBetweenTheCommonPrefixAndSuffix() {
    TSInputEdit edit = ParsedTrees.editBetween("a = 1\nb = 2\n", "a = 1\nb = 22\n");
    assertThat(edit.getStartByte()).isEqualTo(11);
    assertThat(edit.getOldEndByte()).isEqualTo(11);
    assertThat(edit.getNewEndByte()).isEqualTo(12);
    assertThat(edit.getStartPoint().getRow()).isEqualTo(1);
    assertThat(edit.getStartPoint().getColumn()).isEqualTo(5);
    assertThat(edit.getNewEndPoint().getColumn()).isEqualTo(6);
  }

  @Test
  void offsetsAndColumnsAreUtf8Bytes() {
    // "x = 'é" is 6 chars but 7 bytes; the inserted é is 2 bytes.
    TSInputEdit edit = ParsedTrees.editBetween("x = 'é'\n", "x = 'éé'\n");
    assertThat(edit.getStartByte()).isEqualTo(7);
    assertThat(edit.getOldEndByte()).isEqualTo(7);
    assertThat(edit.getNewEndByte()).isEqualTo(9);
    assertThat(edit.getStartPoint().getColumn()).isEqualTo(7);
    assertThat(edit.getNewEndPoint().getColumn()).isEqualTo(9);
  }

  @Test
  void aDeletedLineMovesTheOldEndDownARow() {
    TSInputEdit edit = ParsedTrees.editBetween("a = 1\nb = 2\nc = 3\n", "a = 1\nc = 3\n");
    assertThat(edit.getStartByte()).isEqualTo(6);
    assertThat(edit.getOldEndByte()).isEqualTo(12);
    assertThat(edit.getNewEndByte()).isEqualTo(6);
    assertThat(edit.getOldEndPoint().getRow()).isEqualTo(2);
    assertThat(edit.getOldEndPoint().getColumn()).isZero();
    assertThat(edit.getNewEndPoint().getRow()).isEqualTo(1);
  }

  @Test
  void aSurrogatePairIsNeverSplit() {
    // The two emoji share their high surrogate; the edit must start before it.
    TSInputEdit edit = ParsedTrees.editBetween("s = '😀'\n", "s = '😁'\n");
    assertThat(edit.getStartByte()).isEqualTo(5);
    assertThat(edit.getOldEndByte()).isEqualTo(9);
    assertThat(edit.getNewEndByte()).isEqualTo(9);
  }

  /** Incremental re-parsing must give exactly the tree a fresh parse gives, edit after edit. */
  @Test
  void incrementalTreesMatchFreshOnesThroughRandomEdits() throws IOException {
    String text = Files.readString(Path.of("../samples/code/hf-llama2-7b-full-finetune-fp32.py"));
    ParsedTrees cached = new ParsedTrees(PyFile.LANGUAGE, 4);
    ParsedTrees fresh = new ParsedTrees(PyFile.LANGUAGE, 0);
    String[] inserts = {"x", "(", ")", "\n", "    ", "é", "😀", "\"", "def f(:\n", ", num_train_epochs=3"};
    Random random = new Random(7);
    cached.parse("train.py", text);
    for (int i = 0; i < 150; i++) {
      int at = random.nextInt(text.length() + 1);
      if (at > 0 && at < text.length() && Character.isLowSurrogate(text.charAt(at))) {
        at--;
      }
      if (random.nextBoolean() && at < text.length()) {
        int end = Math.min(text.length(), at + 1 + random.nextInt(12));
        if (end < text.length() && Character.isLowSurrogate(text.charAt(end))) {
          end++;
        }
        text = text.substring(0, at) + text.substring(end);
      } else {
        text = text.substring(0, at) + inserts[random.nextInt(inserts.length)] + text.substring(at);
      }
      String incremental = cached.parse("train.py", text).getRootNode().toString();
      String expected = fresh.parse(null, text).getRootNode().toString();
      assertThat(incremental).as("tree after edit %d", i).isEqualTo(expected);
    }
  }

  @Test
  void aTreeOverTheNodeLimitIsRefusedWithANoticeAndNotCached() {
    ParsedTrees trees = new ParsedTrees(PyFile.LANGUAGE, 4, 50, 0);
    String dense = "x = [" + "1, ".repeat(30) + "]\n"; // module, statement, assignment, list, 30 ints, 29 commas...
    assertThatThrownBy(() -> trees.parse("dense.py", dense)).isInstanceOfSatisfying(LimitExceededException.class,
        e -> {
          assertThat(e.notice().limit()).isEqualTo(LimitNotice.SYNTAX_NODES);
          assertThat(e.notice().message())
              .isEqualTo("Not analysed: the Python syntax tree has more than 50 nodes, the most CarbonLens reads.");
        });
    assertThat(trees.parse("small.py", "x = [1, 2]\n").getRootNode().getEndByte()).isEqualTo(11);
  }

  @Test
  void theCacheKeepsTheNewestTreeButBoundsTheTextItHolds() {
    ParsedTrees trees = new ParsedTrees(PyFile.LANGUAGE, 2);
    String a = "a = 1\n";
    var first = trees.parse("a.py", a);
    assertThat(trees.parse("a.py", a)).isSameAs(first); // unchanged text: the cached tree itself
    trees.parse("b.py", "b = 2\n");
    trees.parse("c.py", "c = 3\n"); // capacity 2: a.py is evicted
    assertThat(trees.parse("a.py", a)).isNotSameAs(first);
  }

  @Test
  void lonelySurrogatesKeepEveryLaterOffsetInPlace() {
    // a lone surrogate is 3 bytes (U+FFFD) in the bytes tree-sitter reads, as in the offset maps
    assertThat(Utf8.encode("\uD83Dx")).containsExactly(0xEF - 256, 0xBF - 256, 0xBD - 256, 'x');
    assertThat(Utf8.length("\uD83Dx")).isEqualTo(4L);
    assertThat(Utf8.encode("😀")).hasSize(4);
    var tree = new ParsedTrees(PyFile.LANGUAGE, 0).parse(null, "s = '\uD83D'\nt = 1\n");
    assertThat(tree.getRootNode().getEndByte()).isEqualTo((int) Utf8.length("s = '\uD83D'\nt = 1\n"));
  }
}
