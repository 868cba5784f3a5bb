package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.carbonlens.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI recipes in docs/recipes and the pre-commit hook run their CarbonLens commands as written: the
 * options exist, the formats are produced, and the exit codes are the ones the recipe relies on. (The CI
 * services themselves cannot run here.)
 */
class CiRecipesTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of("..");
  private static final Pattern LAUNCHER = Pattern.compile("\"?\\S*carbonlens/carbonlens\"?\\s+(check\\b.*)");

  @TempDir
  Path dir;

  @Test
  void thePreCommitHookChecksTheStagedFilesWithTheLauncher() throws Exception {
    JsonNode hook = YAML.readTree(ROOT.resolve(".pre-commit-hooks.yaml").toFile()).get(0);
    assertThat(hook.get("id").asText()).isEqualTo("carbonlens");
    assertThat(hook.get("language").asText()).isEqualTo("script");
    List<String> entry = List.of(hook.get("entry").asText().split(" "));
    // a script hook's entry is a path inside the hook repository
    assertThat(ROOT.resolve(entry.get(0))).isExecutable();
    List<String> types = new ArrayList<>();
    hook.get("types_or").forEach(t -> types.add(t.asText()));
    assertThat(types).containsExactlyInAnyOrder("yaml", "json", "python", "java");

    // pre-commit appends the staged files' names to the entry
    Cli.Outcome dirty = runEntry(entry, "../samples/skypilot/resnet-k80.yaml", "../samples/code/MnistMlpDl4j.java");
    assertThat(dirty.exitCode()).as("warnings block the commit").isEqualTo(1);
    assertThat(dirty.stdout()).contains("CL-HW-001").contains("CL-PREC-001");
    Cli.Outcome clean = runEntry(entry, "../samples/huggingface/zephyr-7b-sft-bf16.yaml");
    assertThat(clean.exitCode()).as(clean.stdout()).isZero();
  }

  @Test
  void theGitHubWorkflowWritesSarifAndFailsOnlyOnFindingsNotInTheBaseline() throws Exception {
    JsonNode workflow = YAML.readTree(ROOT.resolve("docs/recipes/github-actions.yml").toFile());
    List<String> commands = new ArrayList<>();
    JsonNode steps = workflow.get("jobs").get("carbonlens").get("steps");
    steps.forEach(step -> {
      if (step.has("run")) {
        commands.addAll(carbonlensCommands(step.get("run").asText()));
      }
    });
    assertThat(commands).hasSize(1);
    assertThat(steps.findValuesAsText("uses")).contains("github/codeql-action/upload-sarif@v3");
    JsonNode upload = steps.get(steps.size() - 1);
    assertThat(upload.get("if").asText()).isEqualTo("always()");
    assertThat(upload.get("with").get("sarif_file").asText()).isEqualTo("carbonlens.sarif");

    Path baseline = dir.resolve("carbonlens-baseline.json");
    assertThat(Cli.run("check", "--write-baseline", baseline.toString(), "../samples").exitCode()).isZero();
    Cli.Outcome accepted = Cli.run(asRunHere(commands.get(0)));
    assertThat(accepted.exitCode()).as(accepted.stderr()).isZero();
    JsonNode sarif = JSON.readTree(dir.resolve("carbonlens.sarif").toFile());
    assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
    assertThat(sarif.get("runs").get(0).get("results").size()).isPositive();

    Files.writeString(baseline, "{\"version\": 1, \"findings\": []}");
    assertThat(Cli.run(asRunHere(commands.get(0))).exitCode()).as("a new finding fails the job").isEqualTo(1);
  }

  @Test
  void theGitLabJobWritesSarifAndACodeQualityReportForTheMergeRequest() throws Exception {
    JsonNode job = YAML.readTree(ROOT.resolve("docs/recipes/gitlab-ci.yml").toFile()).get("carbonlens");
    List<String> commands = new ArrayList<>();
    job.get("script").forEach(line -> commands.addAll(carbonlensCommands(line.asText())));
    assertThat(commands).hasSize(2);
    assertThat(job.get("artifacts").get("reports").get("codequality").asText()).isEqualTo("gl-code-quality.json");

    Files.writeString(dir.resolve("carbonlens-baseline.json"), "{\"version\": 1, \"findings\": []}");
    assertThat(Cli.run(asRunHere(commands.get(0))).exitCode()).as("SARIF only, never fails").isZero();
    assertThat(JSON.readTree(dir.resolve("carbonlens.sarif").toFile()).get("version").asText()).isEqualTo("2.1.0");
    assertThat(Cli.run(asRunHere(commands.get(1))).exitCode()).isEqualTo(1);

    JsonNode issues = JSON.readTree(dir.resolve("gl-code-quality.json").toFile());
    assertThat(issues.isArray()).isTrue();
    JsonNode k80 = null;
    for (JsonNode issue : issues) {
      assertThat(issue.get("fingerprint").asText()).matches("[0-9a-f]{32}");
      assertThat(issue.get("severity").asText()).isIn("info", "minor", "major", "critical", "blocker");
      if (issue.get("check_name").asText().equals("CL-HW-001")) {
        k80 = issue;
      }
    }
    assertThat(k80).isNotNull();
    assertThat(k80.get("location").get("path").asText()).isEqualTo("../samples/skypilot/resnet-k80.yaml");
    assertThat(k80.get("location").get("lines").get("begin").asInt()).isEqualTo(6);
    assertThat(k80.get("severity").asText()).isEqualTo("major");
    assertThat(k80.get("description").asText()).contains("K80").contains("saves ≈");
    long distinct = java.util.stream.StreamSupport.stream(issues.spliterator(), false)
        .map(i -> i.get("fingerprint").asText()).distinct().count();
    assertThat(distinct).as("GitLab tells issues apart by fingerprint").isEqualTo(issues.size());
  }

  private Cli.Outcome runEntry(List<String> entry, String... files) {
    List<String> args = new ArrayList<>(entry.subList(1, entry.size()));
    args.addAll(List.of(files));
    return Cli.run(args.toArray(String[]::new));
  }

  /** The `check ...` part of each line that starts the launcher, continuation lines folded. */
  private static List<String> carbonlensCommands(String script) {
    List<String> out = new ArrayList<>();
    for (String line : script.replace("\\\n", " ").split("\n")) {
      Matcher m = LAUNCHER.matcher(line.strip());
      if (m.matches()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** The recipe's arguments, with the repository (`.`) being the samples and files written to `dir`. */
  private String[] asRunHere(String command) {
    List<String> args = new ArrayList<>();
    String[] words = command.trim().split("\\s+");
    for (int i = 0; i < words.length; i++) {
      String word = words[i];
      if (word.equals(".") && i == words.length - 1) {
        args.add("../samples");
      } else if (i > 0 && (words[i - 1].equals("--output") || words[i - 1].equals("--baseline"))) {
        args.add(dir.resolve(word).toString());
      } else {
        args.add(word);
      }
    }
    return args.toArray(String[]::new);
  }
}
