package dev.carbonlens.team;

import dev.carbonlens.analysis.RuleFileCheck;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.engine.RuleInfo;
import dev.carbonlens.engine.TeamRuleCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A team's own DRL rules, loaded from rule folders: every `.drl` file below each folder is checked
 * (syntax, metadata, ids) and the good ones compiled together into one engine. A file with problems
 * is left out and its problems kept for the editor and `check`; the other files still load.
 *
 * <p>Compiling and running DRL runs its author's Java: only folders the user trusts reach {@link #load}.
 * Files are read only inside their folder: links that lead out of it are skipped.
 *
 * @param engine the compiled team rules; empty when there are none (or none compiled)
 * @param problems by file, each at its line
 */
public record TeamRules(Optional<RuleEngine> engine, Map<Path, List<ParseProblem>> problems, List<Path> files) {

  public static final TeamRules NONE = new TeamRules(Optional.empty(), Map.of(), List.of());

  public List<RuleInfo> rules() {
    return engine.map(RuleEngine::rules).orElse(List.of());
  }

  public boolean hasProblems() {
    return problems.values().stream().anyMatch(p -> !p.isEmpty());
  }

  /** Loads every `.drl` below the folders, as they are on disk, except where {@code overrides} gives newer text. */
  public static TeamRules load(List<Path> folders, List<RuleInfo> builtIn, Map<Path, String> overrides) {
    List<Path> files = new ArrayList<>();
    for (Path folder : folders) {
      files.addAll(filesBelow(folder, ".drl"));
    }
    Map<Path, List<ParseProblem>> problems = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    Map<String, Path> byName = new LinkedHashMap<>();
    Map<Path, String> texts = new LinkedHashMap<>();
    Map<String, String> usedIds = new java.util.HashMap<>(); // ids of the files accepted so far: one rule per id
    for (Path file : files) {
      String text = overrides.containsKey(file) ? overrides.get(file) : read(file);
      texts.put(file, text);
      RuleFileCheck.Check checked = RuleFileCheck.check(text, builtIn, usedIds);
      List<ParseProblem> found = checked.problems();
      if (found.isEmpty()) {
        checked.ruleIds().forEach(id -> usedIds.put(id, file.getFileName().toString()));
        sources.put(file.toString(), text);
        byName.put(file.toString(), file);
      } else {
        problems.put(file, found);
      }
    }
    // Files the compiler rejects are left out and the rest compiled again, so one broken rule file
    // never disables a team's other rules.
    TeamRuleCompiler.Result compiled = TeamRuleCompiler.compile(sources);
    for (int round = 0; !compiled.problems().isEmpty() && round < 3; round++) {
      for (TeamRuleCompiler.Problem p : compiled.problems()) {
        Path file = p.file() == null ? null : byName.get(p.file());
        Path at = file != null ? file : files.get(0);
        String message = file != null ? p.message() : p.message() + " (while compiling the team rules together)";
        problems.computeIfAbsent(at, k -> new ArrayList<>()).add(
            new ParseProblem(message, RuleFileCheck.lineRange(texts.get(at), Math.max(p.line(), 1))));
        sources.remove(at.toString());
      }
      compiled = TeamRuleCompiler.compile(sources);
    }
    Map<Path, List<ParseProblem>> frozen = new LinkedHashMap<>();
    problems.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return new TeamRules(compiled.engine(), frozen, List.copyOf(files));
  }

  /** Every file below {@code folder} with one of the extensions whose real path stays inside it, sorted. */
  static List<Path> filesBelow(Path folder, String... extensions) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try {
      Path root = folder.toRealPath();
      try (Stream<Path> walk = Files.walk(folder)) {
        return walk.filter(p -> java.util.Arrays.stream(extensions).anyMatch(p.getFileName().toString()::endsWith))
            .filter(Files::isRegularFile)
            .filter(p -> inside(root, p))
            .map(p -> p.toAbsolutePath().normalize())
            .sorted()
            .toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read rule folder " + folder, e);
    }
  }

  private static boolean inside(Path root, Path file) {
    try {
      return file.toRealPath().startsWith(root);
    } catch (IOException e) {
      return false;
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
