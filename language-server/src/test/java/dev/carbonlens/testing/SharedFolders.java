package dev.carbonlens.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the folders that sit beside the checkout in CI (../shared/corpus), wherever tests run from. */
public final class SharedFolders {
  private SharedFolders() {}

  /** The first `relative` folder found walking up from the working directory; null when there is none. */
  public static Path above(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** ../shared/corpus, or null when it is not there (tests then skip and say so). */
  public static Path corpus() {
    return above("shared/corpus");
  }
}
