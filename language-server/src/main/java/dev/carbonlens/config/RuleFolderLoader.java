package dev.carbonlens.config;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.policy.Policies;
import dev.carbonlens.team.PolicyFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads what a config's `ruleFolders` hold onto its pipeline. The front end decides what it trusts
 * (DRL runs Java), so it supplies the loader; {@link #POLICIES_ONLY} reads only the policy files.
 */
@FunctionalInterface
public interface RuleFolderLoader {

  /**
   * @param teamRules compiled team DRL to run instead of the base pipeline's, or null to keep the base's
   * @param policies every policy file the pipeline should apply: the base's own (the command line's
   *     rule folders) and these folders', ids unique across them
   * @param problems `path:line:col: message` lines; any of them stops the check
   */
  record Loaded(RuleEngine teamRules, Policies policies, List<String> problems) {
    public Loaded {
      problems = List.copyOf(problems);
    }
  }

  /**
   * @param base the pipeline the config starts from (its rule ids are taken)
   * @param takenIds further ids the folders' policies may not take: the config's own policies
   */
  Loaded load(List<Path> folders, Analyzer base, Set<String> takenIds);

  /** Policy YAML only (data, never code); the folders' DRL is not read. */
  RuleFolderLoader POLICIES_ONLY = (folders, base, takenIds) -> policyFiles(folders, base, takenIds, Policies.NONE);

  /** The policy files of {@code folders} after {@code already} (policies the pipeline applies anyway). */
  static Loaded policyFiles(List<Path> folders, Analyzer base, Set<String> takenIds, Policies already) {
    Set<String> taken = new TreeSet<>(base.ruleIds());
    taken.addAll(takenIds);
    already.policies().forEach(p -> taken.add(p.id()));
    PolicyFiles files = PolicyFiles.load(folders, base.reference(), taken);
    List<dev.carbonlens.policy.Policy> all = new ArrayList<>(already.policies());
    all.addAll(files.policies().policies());
    List<String> problems = new ArrayList<>();
    files.problems().forEach((file, list) -> list.forEach(p -> problems.add(ProjectSettings.line(file.toString(), p))));
    return new Loaded(null, new Policies(all, List.of()), problems);
  }
}
