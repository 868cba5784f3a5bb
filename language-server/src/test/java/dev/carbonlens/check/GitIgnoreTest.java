package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitIgnoreTest {

  @Test
  void patternsFollowGitsRules() {
    GitIgnore g = GitIgnore.parse(List.of(
        "# comment", "", "*.log", "/dist", "out/", "docs/**/draft.yaml", "secret?.json", "!keep.log", "**/cache"));
    assertThat(g.ignored("a.log", false)).isTrue();
    assertThat(g.ignored("deep/b.log", false)).isTrue();
    assertThat(g.ignored("keep.log", false)).isFalse(); // later negation wins
    assertThat(g.ignored("dist", true)).isTrue();
    assertThat(g.ignored("sub/dist", true)).isNull(); // anchored to this folder
    assertThat(g.ignored("out", true)).isTrue();
    assertThat(g.ignored("out", false)).isNull(); // folder-only pattern
    assertThat(g.ignored("docs/a/b/draft.yaml", false)).isTrue();
    assertThat(g.ignored("docs/draft.yaml", false)).isTrue();
    assertThat(g.ignored("secret1.json", false)).isTrue();
    assertThat(g.ignored("secret12.json", false)).isNull();
    assertThat(g.ignored("x/y/cache", true)).isTrue();
    assertThat(g.ignored("train.yaml", false)).isNull();
  }

  @Test
  void checkWalksHonourNestedGitignores(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(".gitignore"), "generated/\n*.tmp.yaml\n");
    Files.createDirectories(dir.resolve("generated"));
    Files.createDirectories(dir.resolve("configs/old"));
    Files.writeString(dir.resolve("generated/a.yaml"), "x: 1\n");
    Files.writeString(dir.resolve("configs/b.tmp.yaml"), "x: 1\n");
    Files.writeString(dir.resolve("configs/train.yaml"), "x: 1\n");
    Files.writeString(dir.resolve("configs/.gitignore"), "old/\n!b.tmp.yaml\n");
    Files.writeString(dir.resolve("configs/old/c.yaml"), "x: 1\n");
    List<String> names = SourceFiles.collect(List.of(dir.toString())).stream()
        .map(f -> dir.relativize(f.path()).toString().replace('\\', '/')).toList();
    // configs/.gitignore re-includes b.tmp.yaml: the nearest file that speaks decides
    assertThat(names).containsExactly("configs/b.tmp.yaml", "configs/train.yaml");
  }
}
