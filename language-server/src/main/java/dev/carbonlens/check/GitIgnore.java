package dev.carbonlens.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The patterns of one `.gitignore` file, matched against paths relative to its folder: comments,
 * negation (`!`), folder-only patterns (`dir/`), anchored patterns (`/build`, `a/b`), `*`, `?` and
 * `**`. Later patterns win, as in git. Character classes are taken literally.
 */
final class GitIgnore {
  private record Rule(Pattern pattern, boolean negated, boolean folderOnly) {}

  private final List<Rule> rules;

  private GitIgnore(List<Rule> rules) {
    this.rules = rules;
  }

  static GitIgnore read(Path file) {
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new GitIgnore(List.of()); // unreadable: ignore nothing rather than fail the check
    }
  }

  static GitIgnore parse(List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean negated = line.startsWith("!");
      if (negated) {
        line = line.substring(1);
      }
      boolean folderOnly = line.endsWith("/");
      if (folderOnly) {
        line = line.substring(0, line.length() - 1);
      }
      boolean anchored = line.startsWith("/") || line.contains("/");
      if (line.startsWith("/")) {
        line = line.substring(1);
      }
      if (line.isEmpty()) {
        continue;
      }
      String regex = (anchored ? "" : "(?:.*/)?") + globToRegex(line);
      rules.add(new Rule(Pattern.compile(regex), negated, folderOnly));
    }
    return new GitIgnore(List.copyOf(rules));
  }

  /** Whether a path (relative to this file's folder, `/`-separated) is ignored; null when no rule speaks. */
  Boolean ignored(String relativePath, boolean isFolder) {
    Boolean verdict = null;
    for (Rule rule : rules) {
      if (rule.folderOnly() && !isFolder) {
        continue;
      }
      if (rule.pattern().matcher(relativePath).matches()) {
        verdict = !rule.negated();
      }
    }
    return verdict;
  }

  private static String globToRegex(String glob) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
          out.append(slashAfter ? "(?:.*/)?" : ".*");
          i += slashAfter ? 2 : 1;
        } else {
          out.append("[^/]*");
        }
      } else if (c == '?') {
        out.append("[^/]");
      } else {
        out.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return out.toString();
  }
}
