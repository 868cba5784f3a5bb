package dev.carbonlens.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The config files under the paths given to `check`, in a stable order. */
public final class SourceFiles {
  private static final Set<String> SKIPPED_DIRS = Set.of(".git", "node_modules", "target", "build", ".venv", "venv",
      "__pycache__", ".m2", ".gradle", ".tox", ".mypy_cache", ".pytest_cache");
  private static final Set<String> EXTENSIONS = Set.of(".yaml", ".yml", ".json", ".jsonc", ".py", ".java");

  private SourceFiles() {}

  /** A file to check: where it is, and how it is named in reports (as given, joined with forward slashes). */
  public record SourceFile(Path path, String reportedName) {}

  public static List<SourceFile> collect(List<String> arguments) {
    List<SourceFile> files = new ArrayList<>();
    for (String argument : arguments) {
      Path root = Path.of(argument);
      if (!Files.exists(root)) {
        throw new IllegalArgumentException("no such file or folder: " + argument);
      }
      if (Files.isRegularFile(root)) {
        files.add(new SourceFile(root, forwardSlashes(argument)));
        continue;
      }
      String prefix = forwardSlashes(argument);
      prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
      List<SourceFile> found = new ArrayList<>();
      walk(root, prefix, found);
      found.sort((a, b) -> a.reportedName().compareTo(b.reportedName()));
      files.addAll(found);
    }
    return files;
  }

  /** A folder's .gitignore and the folder it applies from. */
  private record IgnoreScope(Path folder, GitIgnore rules) {}

  private static void walk(Path root, String prefix, List<SourceFile> out) {
    java.util.Deque<IgnoreScope> scopes = new java.util.ArrayDeque<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (!dir.equals(root) && (SKIPPED_DIRS.contains(dir.getFileName().toString()) || isIgnored(scopes, dir, true))) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          Path gitignore = dir.resolve(".gitignore");
          if (Files.isRegularFile(gitignore)) {
            scopes.push(new IgnoreScope(dir, GitIgnore.read(gitignore)));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
          if (!scopes.isEmpty() && scopes.peek().folder().equals(dir)) {
            scopes.pop();
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile() && isConfig(file) && !isIgnored(scopes, file, false)) {
            String relative = forwardSlashes(root.relativize(file).toString());
            out.add(new SourceFile(file, prefix.isEmpty() || prefix.equals(".") ? relative : prefix + "/" + relative));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The nearest .gitignore that speaks about the path decides, as in git. */
  private static boolean isIgnored(java.util.Deque<IgnoreScope> scopes, Path path, boolean isFolder) {
    for (IgnoreScope scope : scopes) {
      String relative = forwardSlashes(scope.folder().relativize(path).toString());
      Boolean verdict = scope.rules().ignored(relative, isFolder);
      if (verdict != null) {
        return verdict;
      }
    }
    return false;
  }

  static boolean isConfig(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  /**
   * A path as reports write it: forward slashes. Only the platform's own separator is turned: on Linux and macOS a
   * backslash is an ordinary character of a file name and stays.
   */
  static String forwardSlashes(String path) {
    return java.io.File.separatorChar == '\\' ? path.replace('\\', '/') : path;
  }
}
