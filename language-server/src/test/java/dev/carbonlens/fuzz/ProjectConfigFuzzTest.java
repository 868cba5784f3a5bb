package dev.carbonlens.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carbonlens.config.ProjectConfig;
import dev.carbonlens.config.ProjectConfigParser;
import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.document.SyntaxKind;
import dev.carbonlens.engine.Finding;
import dev.carbonlens.estimate.Estimator;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.extract.ExtractedRun;
import dev.carbonlens.extract.Extractors;
import dev.carbonlens.model.Run;
import dev.carbonlens.policy.Policies;
import dev.carbonlens.policy.Policy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A team's files: `.carbonlens.yaml` through ProjectConfigParser and a policy YAML file through
 * Policies.parse (the team/ loader's path). Neither throws; every problem lies within the text, in text
 * order for the config; the config it returns applies to the estimator settings; accepted policies have
 * unique ids that no rule takes, and they evaluate on real runs without throwing.
 */
class ProjectConfigFuzzTest {
  private static final Estimator ESTIMATOR = new Estimator(FuzzInputs.REFERENCE, EstimatorSettings.defaults());
  /** Runs of several formats and stages (training, serving, a sweep) from the samples, for the policies to judge. */
  private static final List<Run> RUNS = runsOf("skypilot/resnet-k80.yaml", "serving/vllm-gemma-2b-batch-1.yaml",
      "wandb-sweep/bert-glue-grid.yaml");

  @FuzzTest
  void projectConfig(byte[] data) {
    String text = FuzzInputs.text(data);
    ProjectConfigParser.Result result = ProjectConfigParser.parse(ProjectConfig.FILE_NAME, text,
        FuzzInputs.ruleIds());
    TextBounds bounds = new TextBounds(text);
    bounds.checkProblems(result.problems(), "config");
    checkInTextOrder(result.problems());
    ProjectConfig config = result.config();
    EstimatorSettings applied = config.settings(EstimatorSettings.defaults());
    if (applied == null) {
      throw new AssertionError("the config's settings are null");
    }
    config.ignores("train/config.yaml");
    checkPolicies(config.policies(), bounds);
    checkEvaluation(config.policies());
  }

  @FuzzTest
  void teamPolicies(byte[] data) {
    String text = FuzzInputs.text(data);
    ParsedDocument document = DocumentParser.parse("policies.yaml", text, SyntaxKind.YAML);
    DocNode node = document.rootMapping().flatMap(root -> root.get("policies"))
        .orElse(document.root().orElse(null));
    if (node == null) {
      return;
    }
    Policies policies = Policies.parse(node, FuzzInputs.REFERENCE, FuzzInputs.ruleIds());
    TextBounds bounds = new TextBounds(text);
    checkPolicies(policies, bounds);
    checkEvaluation(policies);
  }

  private static void checkPolicies(Policies policies, TextBounds bounds) {
    bounds.checkProblems(policies.problems(), "policies");
    Set<String> ids = new HashSet<>();
    Set<String> taken = new HashSet<>();
    FuzzInputs.ruleIds().forEach(id -> taken.add(id.toUpperCase(Locale.ROOT)));
    for (Policy p : policies.policies()) {
      String id = p.id().toUpperCase(Locale.ROOT);
      if (p.id().isBlank() || !ids.add(id) || taken.contains(id)) {
        throw new AssertionError("policy id '" + p.id() + "' is blank, repeated or a rule's: " + policies.policies());
      }
      if (p.limit() == null || p.severity() == null) {
        throw new AssertionError("policy " + p.id() + " has no limit or severity");
      }
    }
  }

  /** Findings (about the sample runs, not this text) come only from accepted policies, each with a message. */
  private static void checkEvaluation(Policies policies) {
    Set<String> ids = new HashSet<>();
    policies.policies().forEach(p -> ids.add(p.id()));
    for (Finding f : policies.evaluate(RUNS, FuzzInputs.REFERENCE, ESTIMATOR::estimate)) {
      if (!ids.contains(f.ruleId()) || f.message() == null || f.message().isBlank()) {
        throw new AssertionError("a policy finding from no accepted policy, or without a message: " + f);
      }
    }
  }

  private static void checkInTextOrder(List<ParseProblem> problems) {
    for (int i = 1; i < problems.size(); i++) {
      var a = problems.get(i - 1).range();
      var b = problems.get(i).range();
      if (b.startLine() < a.startLine() || (b.startLine() == a.startLine() && b.startColumn() < a.startColumn())) {
        throw new AssertionError("problems out of text order: " + problems);
      }
    }
  }

  private static List<Run> runsOf(String... resources) {
    List<Run> runs = new ArrayList<>();
    Extractors extractors = Extractors.builtIn();
    for (String name : resources) {
      String text = sample(name);
      ParsedDocument doc = DocumentParser.parse(name, text);
      for (ExtractedRun r : extractors.extract(name, doc, FuzzInputs.REFERENCE)) {
        runs.add(r.run());
      }
    }
    if (runs.size() < resources.length) {
      throw new IllegalStateException("expected a run per resource, got " + runs.size());
    }
    return List.copyOf(runs);
  }

  /** samples/ beside the modules (tests run in the module folder, as the other sample-reading tests do). */
  private static String sample(String name) {
    try {
      return Files.readString(Path.of("../samples", name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
