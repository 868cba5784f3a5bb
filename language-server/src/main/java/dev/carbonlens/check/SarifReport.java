package dev.carbonlens.check;

import com.contrastsecurity.sarif.ArtifactChange;
import com.contrastsecurity.sarif.ArtifactContent;
import com.contrastsecurity.sarif.ArtifactLocation;
import com.contrastsecurity.sarif.Location;
import com.contrastsecurity.sarif.Message;
import com.contrastsecurity.sarif.MultiformatMessageString;
import com.contrastsecurity.sarif.PartialFingerprints;
import com.contrastsecurity.sarif.PhysicalLocation;
import com.contrastsecurity.sarif.PropertyBag;
import com.contrastsecurity.sarif.Region;
import com.contrastsecurity.sarif.Replacement;
import com.contrastsecurity.sarif.ReportingConfiguration;
import com.contrastsecurity.sarif.ReportingDescriptor;
import com.contrastsecurity.sarif.Result;
import com.contrastsecurity.sarif.Run;
import com.contrastsecurity.sarif.SarifSchema210;
import com.contrastsecurity.sarif.Suppression;
import com.contrastsecurity.sarif.Tool;
import com.contrastsecurity.sarif.ToolComponent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.analysis.SuppressedFinding;
import dev.carbonlens.analysis.Suppressions;
import dev.carbonlens.cli.Version;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.Finding;
import dev.carbonlens.engine.RuleDocs;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.engine.RuleInfo;
import dev.carbonlens.extract.Fix;
import dev.carbonlens.extract.TextEdit;
import dev.carbonlens.limits.LimitNotice;
import dev.carbonlens.model.Category;
import dev.carbonlens.model.Severity;
import dev.carbonlens.model.SourceRange;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers, built from the
 * java-sarif object model (generated from the SARIF schema) so that its shape follows the schema.
 * One run; `tool.driver.rules` lists exactly the rules that produced a result, and results point at
 * them by `ruleId` and `ruleIndex`. Parse errors are results of the `parse` rule; findings silenced by
 * `carbonlens: ignore` comments are results with an `inSource` suppression (shown as dismissed).
 * `run.properties.runs` carries the estimated footprint of every run, as the JSON report's `runs`.
 */
public final class SarifReport {
  /** What `$schema` names: the schema GitHub and editors recognise for SARIF 2.1.0. */
  public static final String SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
  /** The base that relative artifact URIs are resolved against: the root of the checked sources. */
  public static final String SOURCE_ROOT = "%SRCROOT%";
  /** The rule id of parse errors and unreadable files (category `parse` in the report format). */
  public static final String PARSE_RULE_ID = "parse";
  /** The rule id of limit notices: a file over a size, time or nesting limit, not analysed (category `parse`). */
  public static final String LIMIT_RULE_ID = "limit";

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .addMixIn(Result.class, ResultLevel.class)
      .addMixIn(ReportingConfiguration.class, ConfigurationLevel.class)
      .addMixIn(Region.class, RegionStartColumn.class)
      .enable(SerializationFeature.INDENT_OUTPUT);

  // java-sarif's classes leave out values equal to SARIF's defaults (level "warning", startColumn 1);
  // a reader of the report should not need the spec to know a finding's level or column.
  private abstract static class ResultLevel {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Result.Level level;
  }

  private abstract static class ConfigurationLevel {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    ReportingConfiguration.Level level;
  }

  private abstract static class RegionStartColumn {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Integer startColumn;
  }

  /** A baseline that knows no finding: no result gets a `baselineState`. */
  public static final Function<ReportedFinding, String> NO_BASELINE = finding -> null;

  private final RuleDescriptors rules;
  private final Function<ReportedFinding, String> baselineState;
  private final List<Result> results = new ArrayList<>();

  private SarifReport(Collection<RuleInfo> teamRules, Function<ReportedFinding, String> baselineState) {
    this.rules = new RuleDescriptors(teamRules);
    this.baselineState = baselineState;
  }

  /** The report with built-in rule metadata only (team rules are described from their findings). */
  public static String render(CheckResult result) {
    return render(result, List.of(), NO_BASELINE);
  }

  /**
   * The report.
   *
   * @param teamRules the team's DRL rules as loaded (names for their descriptors); may be empty
   * @param baselineState per finding (also suppressed ones): "new", "unchanged", "updated" or "absent"
   *     as SARIF defines them, or null for no `baselineState`
   */
  public static String render(CheckResult result, Collection<RuleInfo> teamRules,
      Function<ReportedFinding, String> baselineState) {
    SarifReport report = new SarifReport(teamRules, baselineState);
    SarifSchema210 log = report.log(result);
    try {
      return MAPPER.writeValueAsString(log) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private SarifSchema210 log(CheckResult result) {
    ArrayNode footprints = MAPPER.createArrayNode();
    for (FileAnalysis file : result.files()) {
      for (ParseProblem p : file.problems()) {
        results.add(parseResult(file.file(), p.message(), p.range()));
      }
      for (LimitNotice n : file.notices()) {
        results.add(limitResult(file.file(), n));
      }
      Map<ReportedFinding, String> fingerprints = FindingFingerprints.of(file);
      for (ReportedFinding f : file.findings()) {
        results.add(findingResult(file.file(), f, fingerprints.get(f)));
      }
      List<ReportedFinding> silenced = file.suppressed().stream().map(SuppressedFinding::finding).toList();
      // Their own occurrence count: the fingerprints of the findings still reported stay as baselines see them.
      Map<ReportedFinding, String> silencedFingerprints = FindingFingerprints.of(file.document().text(), silenced);
      for (SuppressedFinding s : file.suppressed()) {
        Result r = findingResult(file.file(), s.finding(), silencedFingerprints.get(s.finding()));
        results.add(r.withSuppressions(Set.of(suppression(file.file(), s.directive()))));
      }
      for (RunEstimate run : file.runs()) {
        footprints.add(JsonReport.run(run));
      }
    }
    for (CheckResult.UnreadableFile u : result.unreadable()) {
      results.add(parseResult(u.file(), u.message(), null));
    }
    ToolComponent driver = new ToolComponent()
        .withName("carbonlens")
        .withVersion(Version.VERSION)
        .withSemanticVersion(Version.VERSION)
        .withRules(rules.descriptors());
    Run run = new Run()
        .withTool(new Tool().withDriver(driver))
        .withColumnKind(Run.ColumnKind.UTF_16_CODE_UNITS) // SourceRange columns count UTF-16 code units
        .withResults(results)
        .withProperties(new PropertyBag().withAdditionalProperty("runs", footprints));
    return new SarifSchema210()
        .with$schema(URI.create(SCHEMA_URI))
        .withVersion(SarifSchema210.Version._2_1_0)
        .withRuns(List.of(run));
  }

  private Result findingResult(String file, ReportedFinding reported, String fingerprint) {
    Finding f = reported.finding();
    PropertyBag properties = new PropertyBag().withAdditionalProperty("category", f.category().label());
    if (f.savings() != null) {
      properties.withAdditionalProperty("savings", JsonReport.savings(f.savings()));
    }
    Result result = new Result()
        .withRuleId(f.ruleId())
        .withRuleIndex(rules.indexOf(f))
        .withLevel(level(f.severity()))
        .withMessage(new Message().withText(message(f)))
        .withLocations(List.of(location(file, f.range())))
        .withProperties(properties);
    if (fingerprint != null) {
      result.withPartialFingerprints(new PartialFingerprints().withAdditionalProperty(FindingFingerprints.SARIF_KEY,
          fingerprint));
    }
    reported.fixIfAny().ifPresent(fix -> result.withFixes(Set.of(fix(file, fix))));
    String state = baselineState.apply(reported);
    if (state != null) {
      result.withBaselineState(Result.BaselineState.fromValue(state));
    }
    return result;
  }

  /** The finding's message with the savings as the text report words them, when they were estimated. */
  private static String message(Finding f) {
    return f.savings() == null ? f.message() : f.message() + TextReport.savings(f.savings());
  }

  /** A parse error at its range; an unreadable file (null range) at its first line. */
  private Result parseResult(String file, String message, SourceRange range) {
    Region region = range == null ? new Region().withStartLine(1).withStartColumn(1) : region(range);
    return new Result()
        .withRuleId(PARSE_RULE_ID)
        .withRuleIndex(rules.parseIndex())
        .withLevel(Result.Level.ERROR)
        .withMessage(new Message().withText(message))
        .withLocations(List.of(new Location().withPhysicalLocation(
            new PhysicalLocation().withArtifactLocation(artifact(file)).withRegion(region))))
        .withProperties(new PropertyBag().withAdditionalProperty("category", Category.PARSE.label()));
  }

  /** A limit notice: a note (not an error) at the file's first line, with the limit's name in its properties. */
  private Result limitResult(String file, LimitNotice notice) {
    return new Result()
        .withRuleId(LIMIT_RULE_ID)
        .withRuleIndex(rules.limitIndex())
        .withLevel(Result.Level.NOTE)
        .withMessage(new Message().withText(notice.message()))
        .withLocations(List.of(location(file, notice.range())))
        .withProperties(new PropertyBag().withAdditionalProperty("category", Category.PARSE.label())
            .withAdditionalProperty("limit", notice.limit()));
  }

  private static Suppression suppression(String file, Suppressions.Directive directive) {
    Suppression s = new Suppression()
        .withKind(Suppression.Kind.IN_SOURCE)
        .withLocation(new Location().withPhysicalLocation(new PhysicalLocation()
            .withArtifactLocation(artifact(file))
            .withRegion(new Region().withStartLine(directive.line() + 1))))
        .withProperties(new PropertyBag().withAdditionalProperty("suppressedBy",
            directive.wholeFile() ? "ignore-file" : "ignore"));
    return directive.reason().isBlank() ? s : s.withJustification(directive.reason());
  }

  private static com.contrastsecurity.sarif.Fix fix(String file, Fix fix) {
    List<Replacement> replacements = new ArrayList<>();
    for (TextEdit edit : fix.edits()) {
      replacements.add(new Replacement()
          .withDeletedRegion(region(edit.range()))
          .withInsertedContent(new ArtifactContent().withText(edit.newText())));
    }
    return new com.contrastsecurity.sarif.Fix()
        .withDescription(new Message().withText(fix.title()))
        .withArtifactChanges(Set.of(new ArtifactChange().withArtifactLocation(artifact(file))
            .withReplacements(replacements)));
  }

  private static Location location(String file, SourceRange range) {
    return new Location().withPhysicalLocation(
        new PhysicalLocation().withArtifactLocation(artifact(file)).withRegion(region(range)));
  }

  /** 1-based lines and columns; SARIF's endColumn is exclusive, as the report format's is. */
  static Region region(SourceRange range) {
    return new Region()
        .withStartLine(Positions.line(range))
        .withStartColumn(Positions.column(range))
        .withEndLine(Positions.endLine(range))
        .withEndColumn(Positions.endColumn(range));
  }

  static Result.Level level(Severity severity) {
    return switch (severity) {
      case ERROR -> Result.Level.ERROR;
      case WARNING -> Result.Level.WARNING;
      case INFO, HINT -> Result.Level.NOTE;
    };
  }

  /**
   * The file as reported, as a URI reference: relative paths stay relative (to {@link #SOURCE_ROOT}),
   * absolute ones become `file:` URIs; spaces, `%` and non-ASCII characters are percent-encoded.
   */
  static ArtifactLocation artifact(String file) {
    String path = SourceFiles.forwardSlashes(file);
    boolean drive = path.matches("[A-Za-z]:/.*");
    if (path.startsWith("/") || drive) {
      return new ArtifactLocation().withUri("file://" + encode(drive ? "/" + path : path));
    }
    while (path.startsWith("./")) {
      path = path.substring(2);
    }
    // A colon in the first segment would read as a scheme ("a:b.yaml"): RFC 3986 asks for "./" before it.
    String firstSegment = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
    if (firstSegment.contains(":")) {
      path = "./" + path;
    }
    return new ArtifactLocation().withUri(encode(path)).withUriBaseId(SOURCE_ROOT);
  }

  /** java.net.URI's multi-argument constructor quotes what a path may not hold (and `%` always). */
  private static String encode(String path) {
    try {
      return new URI(null, null, path, null, null).toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a path: " + path, e);
    }
  }

  /**
   * `tool.driver.rules`: one descriptor per rule id, in the order the ids first produce a result, so
   * that the list holds no rule that did not fire and `ruleIndex` is the position in it.
   */
  private static final class RuleDescriptors {
    private final Map<String, RuleInfo> known = new LinkedHashMap<>();
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final List<ReportingDescriptor> descriptors = new ArrayList<>();

    RuleDescriptors(Collection<RuleInfo> teamRules) {
      RuleEngine.builtIn().rules().forEach(r -> known.put(r.id(), r));
      teamRules.forEach(r -> known.putIfAbsent(r.id(), r));
    }

    int indexOf(Finding f) {
      return index.computeIfAbsent(f.ruleId(), id -> add(descriptor(f)));
    }

    int parseIndex() {
      return index.computeIfAbsent(PARSE_RULE_ID, id -> add(parseDescriptor()));
    }

    int limitIndex() {
      return index.computeIfAbsent(LIMIT_RULE_ID, id -> add(limitDescriptor()));
    }

    /** A LinkedHashSet keeps the order, which ruleIndex depends on. */
    Set<ReportingDescriptor> descriptors() {
      return new LinkedHashSet<>(descriptors);
    }

    private int add(ReportingDescriptor descriptor) {
      descriptors.add(descriptor);
      return descriptors.size() - 1;
    }

    private ReportingDescriptor descriptor(Finding first) {
      String id = first.ruleId();
      RuleInfo info = known.get(id);
      Severity defaultSeverity = info != null ? info.severity() : first.severity();
      ReportingDescriptor d = described(id, info, first)
          .withDefaultConfiguration(new ReportingConfiguration().withLevel(configurationLevel(defaultSeverity)));
      return d.withProperties(categoryProperties(first.category()));
    }

    /** A built-in rule by its docs page; a team rule or policy by its name and its finding's message. */
    private static ReportingDescriptor described(String id, RuleInfo info, Finding first) {
      ReportingDescriptor d = new ReportingDescriptor().withId(id);
      var page = RuleDocs.markdown(id);
      if (page.isPresent()) {
        String markdown = page.get().strip();
        String flags = RuleDocs.sections(markdown).getOrDefault("What it flags", first.message());
        return d.withName(info != null ? info.name() : id)
            .withShortDescription(text(RuleDocs.title(id).orElse(info != null ? info.name() : id)))
            .withFullDescription(new MultiformatMessageString().withText(oneParagraph(flags)).withMarkdown(flags))
            .withHelp(new MultiformatMessageString().withText(markdown).withMarkdown(markdown));
      }
      String name = info != null ? info.name() : "Team rule " + id;
      return d.withName(name)
          .withShortDescription(text(name))
          .withFullDescription(text(first.message()))
          .withHelp(new MultiformatMessageString().withText(first.message()).withMarkdown(first.message()));
    }

    private static ReportingDescriptor parseDescriptor() {
      String help = "CarbonLens could not read this file, or part of it: a syntax error, a .carbonlens.yaml or"
          + " team rule file that does not check, or a file that is not UTF-8 text. Choices in what could not be"
          + " read are not checked; fix the error at the given position and check again.";
      return new ReportingDescriptor()
          .withId(PARSE_RULE_ID)
          .withName("File could not be parsed")
          .withShortDescription(text("The file could not be parsed or read"))
          .withFullDescription(text(help))
          .withHelp(new MultiformatMessageString().withText(help).withMarkdown(help))
          .withDefaultConfiguration(new ReportingConfiguration().withLevel(ReportingConfiguration.Level.ERROR))
          .withProperties(categoryProperties(Category.PARSE));
    }

    private static ReportingDescriptor limitDescriptor() {
      String help = "CarbonLens did not analyse this file (or one document of it) because it is over one of its"
          + " limits: file size, analysis time, nesting depth, YAML alias expansion or syntax-tree size. The file is"
          + " not wrong; its choices are simply not checked. The message names the limit and the setting that"
          + " raises it (docs/reliability.md lists them all).";
      return new ReportingDescriptor()
          .withId(LIMIT_RULE_ID)
          .withName("File not analysed (over a limit)")
          .withShortDescription(text("The file was not analysed: it is over a size, time or nesting limit"))
          .withFullDescription(text(help))
          .withHelp(new MultiformatMessageString().withText(help).withMarkdown(help))
          .withDefaultConfiguration(new ReportingConfiguration().withLevel(ReportingConfiguration.Level.NOTE))
          .withProperties(categoryProperties(Category.PARSE));
    }

    private static PropertyBag categoryProperties(Category category) {
      return new PropertyBag()
          .withTags(new LinkedHashSet<>(List.of("carbon", category.label())))
          .withAdditionalProperty("category", category.label());
    }

    private static ReportingConfiguration.Level configurationLevel(Severity severity) {
      return ReportingConfiguration.Level.fromValue(level(severity).value());
    }

    private static MultiformatMessageString text(String value) {
      return new MultiformatMessageString().withText(value);
    }

    /** Plain text for viewers that do not render Markdown: the paragraph on one line. */
    private static String oneParagraph(String markdown) {
      return markdown.replaceAll("\\s*\\R\\s*", " ").strip();
    }
  }
}
