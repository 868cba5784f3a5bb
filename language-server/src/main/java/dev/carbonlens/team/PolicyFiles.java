package dev.carbonlens.team;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.policy.Policies;
import dev.carbonlens.policy.Policy;
import dev.carbonlens.reference.ReferenceData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The declarative policies of rule folders: every `.yaml`/`.yml` file below a folder whose top level
 * has `policies:`. Policies are data, not code, so they load whether or not a workspace is trusted.
 *
 * @param policies all folders' policies together (ids unique across files)
 * @param problems by file, each at its key or value
 */
public record PolicyFiles(Policies policies, Map<Path, List<ParseProblem>> problems) {

  public static final PolicyFiles NONE = new PolicyFiles(Policies.NONE, Map.of());

  public static PolicyFiles load(List<Path> folders, ReferenceData reference, Set<String> takenIds) {
    return load(folders, reference, takenIds, Map.of());
  }

  /** As {@link #load(List, ReferenceData, Set)}, with an editor's unsaved text in place of some files. */
  public static PolicyFiles load(List<Path> folders, ReferenceData reference, Set<String> takenIds,
      Map<Path, String> overrides) {
    List<Policy> all = new ArrayList<>();
    Map<Path, List<ParseProblem>> problems = new LinkedHashMap<>();
    Set<String> taken = new HashSet<>(takenIds);
    for (Path folder : folders) {
      for (Path file : TeamRules.filesBelow(folder, ".yaml", ".yml")) {
        String text = overrides.containsKey(file) ? overrides.get(file) : read(file);
        ParsedDocument document = DocumentParser.parse(file.toString(), text);
        DocNode policiesNode = document.roots().stream()
            .filter(MappingNode.class::isInstance).map(MappingNode.class::cast)
            .map(root -> root.get("policies").orElse(null))
            .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (policiesNode == null) {
          if (!document.problems().isEmpty() && text.contains("policies")) {
            problems.put(file, document.problems()); // a policy file that does not parse
          }
          continue;
        }
        // An id taken by the catalog, a team DRL rule or an earlier policy file is refused here.
        Policies parsed = Policies.parse(policiesNode, reference, taken);
        parsed.policies().forEach(p -> taken.add(p.id()));
        all.addAll(parsed.policies());
        if (!parsed.problems().isEmpty()) {
          problems.put(file, parsed.problems());
        }
      }
    }
    return new PolicyFiles(new Policies(List.copyOf(all), List.of()), Map.copyOf(problems));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
