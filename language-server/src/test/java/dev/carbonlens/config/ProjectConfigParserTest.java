package dev.carbonlens.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.engine.RuleInfo;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.estimate.GridSignal;
import dev.carbonlens.model.SourceRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** `.carbonlens.yaml`: what it sets, and every kind of mistake at its exact place with its message. */
class ProjectConfigParserTest {
  private static final Set<String> RULE_IDS = RuleEngine.builtIn().rules().stream().map(RuleInfo::id)
      .collect(Collectors.toSet());

  private static ProjectConfigParser.Result parse(String... lines) {
    return ProjectConfigParser.parse(".carbonlens.yaml", String.join("\n", lines) + "\n", RULE_IDS);
  }

  /** One problem: its message and its range as startLine:startColumn-endLine:endColumn (0-based). */
  private static void assertOnlyProblem(ProjectConfigParser.Result result, String range, String message) {
    assertThat(result.problems()).extracting(p -> p.range().toString(), ParseProblem::message)
        .containsExactly(tuple(range, message));
  }

  @Test
  void theSampleTeamConfigIsValidAndSetsEverythingItSays() throws Exception {
    Path sample = Path.of("../samples/project-config/.carbonlens.yaml");
    ProjectConfigParser.Result result = ProjectConfigParser.parse(sample.toString(),
        Files.readString(sample, StandardCharsets.UTF_8), RULE_IDS);

    assertThat(result.problems()).isEmpty();
    EstimatorSettings settings = result.config().settings(EstimatorSettings.defaults());
    assertThat(settings.defaultLocation()).isEqualTo("gcp:europe-west1");
    assertThat(settings.gridSignal()).isEqualTo(GridSignal.AVERAGE);
    assertThat(settings.defaultAccelerator()).isEqualTo("A100-SXM4-40GB");
    assertThat(settings.defaultHours()).isEqualTo(24.0);
    assertThat(settings.hardwareLifetimeYears()).isEqualTo(5.0);
    assertThat(result.config().severities().levels())
        .isEqualTo(Map.of("CL-CKPT-001", "info", "CL-SCHED-001", "off"));
    assertThat(result.config().ignore()).containsExactly("experiments/old/**");
    assertThat(result.config().policies().policies()).extracting(p -> p.id() + " " + p.severity().label())
        .containsExactly("TEAM-GPU-001 error");
    assertThat(result.config().ruleFolders()).isEmpty();
  }

  @Test
  void everyDefaultSetsItsEstimatorSetting() {
    ProjectConfigParser.Result result = parse(
        "version: 1",
        "defaults:",
        "  region: FR",
        "  pue: 1.3",
        "  gridSignal: marginal",
        "  accelerator: H100-SXM",
        "  hours: 72",
        "  utilisation: 0.7",
        "  hostOverhead: 0.2",
        "  mfu: 0.35",
        "  hardwareLifetime: 6",
        "  servingThroughput: 1500");

    assertThat(result.problems()).isEmpty();
    EstimatorSettings s = result.config().settings(EstimatorSettings.defaults());
    assertThat(s.defaultLocation()).isEqualTo("FR");
    assertThat(s.pueOverride()).isEqualTo(1.3);
    assertThat(s.gridSignal()).isEqualTo(GridSignal.MARGINAL);
    assertThat(s.defaultAccelerator()).isEqualTo("H100-SXM");
    assertThat(s.defaultHours()).isEqualTo(72.0);
    assertThat(s.utilisation()).isEqualTo(0.7);
    assertThat(s.hostOverheadFraction()).isEqualTo(0.2);
    assertThat(s.mfu()).isEqualTo(0.35);
    assertThat(s.hardwareLifetimeYears()).isEqualTo(6.0);
    assertThat(s.servingTokensPerSecond()).isEqualTo(1500.0);
  }

  @Test
  void aRegionWithoutColonBelongsToTheProviderAndAProviderColonRegionStandsAlone() {
    assertThat(parse("defaults:", "  provider: aws", "  region: eu-north-1").config()
        .settings(EstimatorSettings.defaults()).defaultLocation()).isEqualTo("aws:eu-north-1");
    assertThat(parse("defaults:", "  provider: aws", "  region: gcp:europe-west1").config()
        .settings(EstimatorSettings.defaults()).defaultLocation()).isEqualTo("gcp:europe-west1");
  }

  @Test
  void offIsASeverityAndRulesFalseTurnsARuleOffOverItsSeverity() {
    ProjectConfigParser.Result result = parse(
        "severity:",
        "  CL-PREC-001: off",
        "  CL-ES-001: hint",
        "  CL-HW-001: error",
        "rules:",
        "  CL-HW-001: false",
        "  CL-REG-001: true");

    assertThat(result.problems()).isEmpty();
    assertThat(result.config().severities().levels())
        .isEqualTo(Map.of("CL-PREC-001", "off", "CL-ES-001", "hint", "CL-HW-001", "off"));
  }

  @Test
  void anEmptyFileAsksForNothing() {
    ProjectConfigParser.Result result = ProjectConfigParser.parse(".carbonlens.yaml", "# nothing yet\n", RULE_IDS);
    assertThat(result.problems()).isEmpty();
    assertThat(result.config()).isSameAs(ProjectConfig.NONE);
  }

  @Test
  void unknownTopLevelKeyIsReportedAtTheKey() {
    assertOnlyProblem(parse("version: 1", "policy: strict"),
        "1:0-1:6", "unknown key 'policy' (expected version, defaults, severity, rules, ignore, policies, ruleFolders)");
  }

  @Test
  void unknownDefaultIsReportedAtTheKeyWithTheKeysAllowed() {
    assertOnlyProblem(parse("defaults:", "  hours: 12", "  cpus: 4"),
        "2:2-2:6", "defaults: unknown key 'cpus' (expected provider, region, pue, gridSignal, accelerator, hours,"
            + " utilisation, hostOverhead, mfu, hardwareLifetime, servingThroughput)");
  }

  @Test
  void wrongTypeIsReportedAtTheValue() {
    assertOnlyProblem(parse("defaults:", "  hours: lots"), "1:9-1:13", "defaults.hours: expected a number, got 'lots'");
    assertOnlyProblem(parse("defaults: 4"), "0:10-0:11", "defaults: expected a mapping, got 4");
    assertOnlyProblem(parse("ignore: old/**"), "0:8-0:14", "ignore: expected a list, got 'old/**'");
    assertOnlyProblem(parse("rules:", "  CL-ES-002: maybe"), "1:13-1:18", "rules.CL-ES-002: expected true or false, got 'maybe'");
    assertOnlyProblem(parse("- a", "- b"), "0:0-1:3", "expected a mapping, got a list");
  }

  @Test
  void quotedNumbersAreStrings() {
    assertOnlyProblem(parse("defaults:", "  pue: \"1.2\""), "1:7-1:12", "defaults.pue: expected a number, got '1.2'");
  }

  @Test
  void outOfRangeNumbersNameTheBound() {
    assertOnlyProblem(parse("defaults:", "  pue: 0.9"), "1:7-1:10", "defaults.pue: expected at least 1, got 0.9");
    assertOnlyProblem(parse("defaults:", "  pue: 3.5"), "1:7-1:10", "defaults.pue: expected at most 3, got 3.5");
    assertOnlyProblem(parse("defaults:", "  mfu: 0"), "1:7-1:8", "defaults.mfu: expected more than 0, got 0");
    assertOnlyProblem(parse("defaults:", "  utilisation: 1.5"), "1:15-1:18",
        "defaults.utilisation: expected at most 1, got 1.5");
  }

  @Test
  void badEnumValuesListTheChoices() {
    assertOnlyProblem(parse("defaults:", "  gridSignal: peak"), "1:14-1:18",
        "defaults.gridSignal: expected one of average, marginal, got 'peak'");
    assertOnlyProblem(parse("severity:", "  CL-PREC-001: loud"), "1:15-1:19",
        "severity.CL-PREC-001: expected one of error, warning, info, hint, off, got 'loud'");
    assertOnlyProblem(parse("version: 2"), "0:9-0:10", "version: expected 1, got 2");
  }

  @Test
  void unknownRuleIdsAreReportedAtTheirKey() {
    assertOnlyProblem(parse("severity:", "  CL-NOPE-001: info"), "1:2-1:13",
        "severity: unknown rule id CL-NOPE-001 (`carbonlens rules` lists the rules)");
    assertOnlyProblem(parse("rules:", "  CL-NOPE-002: false"), "1:2-1:13",
        "rules: unknown rule id CL-NOPE-002 (`carbonlens rules` lists the rules)");
    assertOnlyProblem(parse("severity:", "  cl-prec-001: info"), "1:2-1:13",
        "severity: 'cl-prec-001' is not a rule id (rule ids look like CL-PREC-001)");
  }

  @Test
  void unknownRegionAndAcceleratorAreReportedAtTheValue() {
    assertOnlyProblem(parse("defaults:", "  provider: gcp", "  region: mars-1"), "2:10-2:16",
        "unknown defaults.region: gcp:mars-1 (a country code such as FR, or provider:region such as aws:us-east-1)");
    assertOnlyProblem(parse("defaults:", "  accelerator: Z9000"), "1:15-1:20",
        "unknown accelerator for defaults.accelerator: Z9000");
  }

  @Test
  void aBadGlobIsReportedAtTheItem() {
    assertOnlyProblem(parse("ignore:", "  - 'a/[b'", "  - b/**"), "1:4-1:10", "ignore[0]: not a glob: Missing ']");
    assertOnlyProblem(parse("ignore:", "  - 3"), "1:4-1:5", "ignore[0]: expected a string, got 3");
  }

  @Test
  void yamlSyntaxErrorsComeBackAsTheParserReportsThem() {
    ProjectConfigParser.Result result = parse("defaults:", "  pue: [1.2", "severity: {}");
    assertThat(result.problems()).hasSize(1);
    assertThat(result.problems().get(0).range().startLine()).isEqualTo(2);
    assertThat(result.config()).isSameAs(ProjectConfig.NONE);
  }

  @Test
  void problemsComeInTextOrderAndGoodEntriesStillApply() {
    ProjectConfigParser.Result result = parse(
        "colour: green",
        "defaults:",
        "  pue: 0.5",
        "  hours: 12",
        "severity:",
        "  CL-NOPE-001: info",
        "  CL-PREC-001: info");

    assertThat(result.problems()).extracting(ParseProblem::range)
        .containsExactly(SourceRange.of(0, 0, 0, 6), SourceRange.of(2, 7, 2, 10), SourceRange.of(5, 2, 5, 13));
    assertThat(result.config().settings(EstimatorSettings.defaults()).defaultHours()).isEqualTo(12.0);
    assertThat(result.config().settings(EstimatorSettings.defaults()).pueOverride()).isNull();
    assertThat(result.config().severities().levels()).isEqualTo(Map.of("CL-PREC-001", "info"));
  }

  @Test
  void ignoreGlobsMatchPathsBelowTheConfigFolder() {
    ProjectConfig config = parse("ignore:", "  - experiments/old/**", "  - '*.draft.yaml'").config();

    assertThat(config.ignores("experiments/old/run.yaml")).isTrue();
    assertThat(config.ignores("experiments/old/2023/run.yaml")).isTrue();
    assertThat(config.ignores("experiments/new/run.yaml")).isFalse();
    assertThat(config.ignores("train.draft.yaml")).isTrue();
    assertThat(config.ignores("jobs/train.draft.yaml")).isFalse(); // `*` stays within one folder
  }

  private static ProjectConfigParser.Result parseIn(Path folder, String... lines) {
    return ProjectConfigParser.parse(folder.resolve(".carbonlens.yaml").toString(), String.join("\n", lines) + "\n",
        RULE_IDS);
  }

  @Test
  void policiesAreReadWithTheirProblemsAmongTheConfigsInLineOrder() {
    ProjectConfigParser.Result result = parse(
        "defaults:",
        "  pue: 0.5",
        "policies:",
        "  - id: TEAM-GRID-001",
        "    maxGridIntensity: 300",
        "  - id: CL-PREC-001",
        "    maxDevices: 8",
        "ignore: [a/**]");

    assertThat(result.problems()).extracting(p -> p.range().toString(), ParseProblem::message).containsExactly(
        tuple("1:7-1:10", "defaults.pue: expected at least 1, got 0.5"),
        tuple("5:8-5:19", "`CL-PREC-001` is already taken (a built-in rule, a team rule or another policy); give the policy an id of its own"));
    assertThat(result.config().policies().policies()).extracting(p -> p.id()).containsExactly("TEAM-GRID-001");
    assertThat(result.config().ignore()).containsExactly("a/**");
  }

  @Test
  void aPolicyListOfTheWrongShapeIsOneProblemFromThePolicyParser() {
    ProjectConfigParser.Result result = parse("policies: strict");

    assertOnlyProblem(result, "0:10-0:16", "`policies` must be a list of policies, each a mapping with an `id`");
    assertThat(result.config().policies().isEmpty()).isTrue();
  }

  @Test
  void ruleFoldersResolveAgainstTheConfigsFolder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve(".carbonlens/rules"));
    Files.createDirectories(dir.resolve("policies"));

    ProjectConfigParser.Result result = parseIn(dir, "ruleFolders:", "  - .carbonlens/rules", "  - ./policies/");

    assertThat(result.problems()).isEmpty();
    assertThat(result.config().ruleFolders()).containsExactly(
        dir.toAbsolutePath().normalize().resolve(".carbonlens/rules"), dir.toAbsolutePath().normalize().resolve("policies"));
  }

  @Test
  void ruleFoldersThatLeaveTheConfigsFolderOrDoNotExistAreRefusedAtTheirItem(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path team = Files.createDirectories(dir.resolve("team"));
    Path outside = Files.createDirectories(dir.resolve("elsewhere"));
    Files.createSymbolicLink(team.resolve("linked"), outside);

    ProjectConfigParser.Result result = parseIn(team,
        "ruleFolders:",
        "  - ../elsewhere",
        "  - linked",
        "  - rules/missing",
        "  - .",
        "  - /etc");

    assertThat(result.problems()).extracting(p -> p.range().toString(), ParseProblem::message).containsExactly(
        tuple("1:4-1:16", "ruleFolders[0]: '../elsewhere' is outside the config's folder; rule folders must lie below it"),
        tuple("2:4-2:10", "ruleFolders[1]: 'linked' leads outside the config's folder through a link"),
        tuple("3:4-3:17", "ruleFolders[2]: no such folder: rules/missing"),
        tuple("4:4-4:5", "ruleFolders[3]: '.' is the config's own folder; name a folder below it, e.g. .carbonlens/rules"),
        tuple("5:4-5:8", "ruleFolders[4]: '/etc' is outside the config's folder; rule folders must lie below it"));
    assertThat(result.config().ruleFolders()).isEmpty();
  }

  @Test
  void ruleFoldersMustBeAListOfNames() {
    assertOnlyProblem(parse("ruleFolders: rules"), "0:13-0:18", "ruleFolders: expected a list, got 'rules'");
  }
}
