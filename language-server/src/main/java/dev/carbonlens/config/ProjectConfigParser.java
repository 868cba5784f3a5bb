package dev.carbonlens.config;

import dev.carbonlens.analysis.SeverityOverrides;
import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.document.SyntaxKind;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.policy.Policies;
import dev.carbonlens.reference.ReferenceData;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a `.carbonlens.yaml`: syntax (our YAML parser, for exact positions), then the JSON Schema, then
 * what the schema cannot know (rule ids, regions and accelerators of the reference tables). Never throws
 * on bad input: every problem comes back at the key or value it is about.
 */
public final class ProjectConfigParser {

  /** The config and every problem found; entries with problems are left out of the config. */
  public record Result(ProjectConfig config, List<ParseProblem> problems) {
    public boolean hasProblems() {
      return !problems.isEmpty();
    }
  }

  /** Every key `defaults` understands; the schema must list exactly these. */
  public static final Set<String> DEFAULTS_KEYS = EstimatorDefaults.KEYS;

  private ProjectConfigParser() {}

  /** Parses {@code text}; {@code ruleIds} are the rule ids a severity or rules entry may name. */
  public static Result parse(String fileName, String text, Set<String> ruleIds) {
    return parse(fileName, text, ruleIds, ruleIds, ReferenceData.builtIn());
  }

  /**
   * As {@link #parse(String, String, Set)}; {@code takenIds} are the ids a policy may not take (the
   * rules' and any policies loaded beside the file), and `ruleFolders` resolve against the folder of
   * {@code fileName}.
   */
  public static Result parse(String fileName, String text, Set<String> ruleIds, Set<String> takenIds,
      ReferenceData reference) {
    ParsedDocument document = DocumentParser.parse(fileName, text, SyntaxKind.YAML);
    if (document.hasErrors()) {
      return new Result(ProjectConfig.NONE, document.problems());
    }
    if (document.root().isEmpty()) {
      return new Result(ProjectConfig.NONE, List.of()); // an empty file asks for nothing
    }
    DocNode root = document.root().get();
    ConfigTree tree = ConfigTree.of(root);
    List<ParseProblem> problems = new ArrayList<>();
    Set<String> invalid = new HashSet<>();
    for (ConfigSchema.Violation v : ConfigSchema.validate(tree)) {
      if (v.pointer().equals(POLICIES) || v.pointer().startsWith(POLICIES + "/")) {
        continue; // the policy parser reports these itself, each with a message about policies
      }
      problems.add(v.problem());
      invalid.add(v.pointer());
    }
    ProjectConfig config = ProjectConfig.NONE;
    if (root instanceof MappingNode top) {
      Reader reader = new Reader(ruleIds, invalid, problems, folderOf(fileName));
      config = new ProjectConfig(reader.defaults(top), reader.severities(top), reader.ignore(top),
          reader.policies(top, reference, takenIds), reader.ruleFolders(top));
    }
    problems.sort(Comparator.comparingInt((ParseProblem p) -> p.range().startLine())
        .thenComparingInt(p -> p.range().startColumn()));
    return new Result(config, List.copyOf(problems));
  }

  private static final String POLICIES = "/policies";

  /** The absolute folder of the config, or null for a name that is no path (an editor's untitled file). */
  private static Path folderOf(String fileName) {
    try {
      return Path.of(fileName).toAbsolutePath().normalize().getParent();
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /**
   * Builds the config from entries the schema accepted, adding the checks that need reference data.
   *
   * @param folder the config's folder, against which `ruleFolders` resolve (null: unknown)
   */
  private record Reader(Set<String> ruleIds, Set<String> invalid, List<ParseProblem> problems, Path folder) {

    private boolean valid(String pointer) {
      return invalid.stream().noneMatch(bad -> pointer.equals(bad) || pointer.startsWith(bad + "/") || bad.isEmpty());
    }

    UnaryOperator<EstimatorSettings> defaults(MappingNode top) {
      MappingNode d = top.mapping("defaults").orElse(null);
      if (d == null || !valid("/defaults")) {
        return s -> s;
      }
      EstimatorDefaults defaults = new EstimatorDefaults();
      String provider = text(d, "provider");
      ScalarNode region = scalar(d, "region");
      if (region != null) {
        check(region.range(), () -> defaults.region(provider, region.text().trim(), "defaults.region"));
      }
      String signal = text(d, "gridSignal");
      if (signal != null) {
        defaults.gridSignal(signal); // the schema admits only average and marginal
      }
      ScalarNode accelerator = scalar(d, "accelerator");
      if (accelerator != null) {
        check(accelerator.range(), () -> defaults.accelerator(accelerator.text().trim(), "defaults.accelerator"));
      }
      for (String key : EstimatorDefaults.NUMBERS.keySet()) {
        ScalarNode node = scalar(d, key);
        if (node != null && node.asNumber().isPresent()) {
          check(node.range(), () -> defaults.number(key, node.asNumber().getAsDouble()));
        }
      }
      return defaults.build();
    }

    SeverityOverrides severities(MappingNode top) {
      Map<String, String> levels = new LinkedHashMap<>();
      for (Entry e : entries(top, "severity")) {
        if (knownRule("severity", e)) {
          levels.put(e.name(), ((ScalarNode) e.value()).text().trim());
        }
      }
      for (Entry e : entries(top, "rules")) {
        if (knownRule("rules", e) && e.value() instanceof ScalarNode s && "false".equalsIgnoreCase(s.text().trim())) {
          levels.put(e.name(), SeverityOverrides.OFF); // off wins over a severity for the same rule
        }
      }
      return new SeverityOverrides(levels);
    }

    List<String> ignore(MappingNode top) {
      List<String> globs = new ArrayList<>();
      SequenceNode list = top.sequence("ignore").orElse(null);
      if (list == null || !valid("/ignore")) {
        return globs;
      }
      for (int i = 0; i < list.size(); i++) {
        if (!(list.items().get(i) instanceof ScalarNode s) || !valid("/ignore/" + i)) {
          continue;
        }
        String glob = s.text().trim();
        int index = i;
        if (check(s.range(), () -> {
          try {
            FileSystems.getDefault().getPathMatcher("glob:" + glob);
          } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("ignore[" + index + "]: not a glob: " + e.getDescription());
          }
        })) {
          globs.add(glob);
        }
      }
      return globs;
    }

    /** The `policies` list, read by the policy parser; its problems join the file's. */
    Policies policies(MappingNode top, ReferenceData reference, Set<String> takenIds) {
      return top.get("policies").map(node -> {
        Policies parsed = Policies.parse(node, reference, takenIds);
        problems.addAll(parsed.problems());
        return parsed;
      }).orElse(Policies.NONE);
    }

    /** The `ruleFolders` that exist and lie below the config's folder, also once links are followed. */
    List<Path> ruleFolders(MappingNode top) {
      List<Path> folders = new ArrayList<>();
      SequenceNode list = top.sequence("ruleFolders").orElse(null);
      if (list == null || !valid("/ruleFolders") || folder == null) {
        return folders;
      }
      for (int i = 0; i < list.size(); i++) {
        if (!(list.items().get(i) instanceof ScalarNode s) || !valid("/ruleFolders/" + i)) {
          continue;
        }
        String written = s.text().trim();
        String where = "ruleFolders[" + i + "]: ";
        check(s.range(), () -> folders.add(ruleFolder(written, where)));
      }
      return folders;
    }

    /** Rule folders hold code a user may trust: one that leaves the team's folder would run someone else's. */
    private Path ruleFolder(String written, String where) {
      Path resolved;
      try {
        resolved = folder.resolve(written).normalize();
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(where + "'" + written + "' is not a path");
      }
      if (!resolved.startsWith(folder)) {
        throw new IllegalArgumentException(where + "'" + written
            + "' is outside the config's folder; rule folders must lie below it");
      }
      if (resolved.equals(folder)) {
        throw new IllegalArgumentException(where + "'" + written
            + "' is the config's own folder; name a folder below it, e.g. .carbonlens/rules");
      }
      if (!Files.isDirectory(resolved)) {
        throw new IllegalArgumentException(where + "no such folder: " + written);
      }
      try {
        if (!resolved.toRealPath().startsWith(folder.toRealPath())) {
          throw new IllegalArgumentException(where + "'" + written
              + "' leads outside the config's folder through a link");
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(where + "cannot read " + written + ": " + e.getMessage());
      }
      return resolved;
    }

    /** The entries of a valid `severity`/`rules` mapping that the schema accepted. */
    private List<Entry> entries(MappingNode top, String key) {
      MappingNode m = top.mapping(key).orElse(null);
      if (m == null || !valid("/" + key)) {
        return List.of();
      }
      return m.entries().stream().filter(e -> valid("/" + key + "/" + e.name())).toList();
    }

    private boolean knownRule(String section, Entry e) {
      if (ruleIds.contains(e.name())) {
        return true;
      }
      problems.add(new ParseProblem(section + ": unknown rule id " + e.name()
          + " (`carbonlens rules` lists the rules)", e.key().range()));
      return false;
    }

    private ScalarNode scalar(MappingNode d, String key) {
      return valid("/defaults/" + key) ? d.scalar(key).filter(s -> !s.isNull()).orElse(null) : null;
    }

    private String text(MappingNode d, String key) {
      ScalarNode s = scalar(d, key);
      return s == null ? null : s.text().trim().toLowerCase(Locale.ROOT);
    }

    private boolean check(SourceRange at, Runnable probe) {
      try {
        probe.run();
        return true;
      } catch (IllegalArgumentException e) {
        problems.add(new ParseProblem(e.getMessage(), at));
        return false;
      }
    }
  }
}
