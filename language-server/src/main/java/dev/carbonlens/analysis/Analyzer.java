package dev.carbonlens.analysis;

import dev.carbonlens.config.ProjectConfig;
import dev.carbonlens.config.ProjectConfigParser;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.code.SourceAnalyser;
import dev.carbonlens.code.SourceAnalysers;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.document.SyntaxKind;
import dev.carbonlens.engine.Finding;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.estimate.Estimator;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.extract.ExtractedRun;
import dev.carbonlens.extract.Extractors;
import dev.carbonlens.extract.Fix;
import dev.carbonlens.limits.AnalysisLimits;
import dev.carbonlens.limits.Budget;
import dev.carbonlens.limits.BudgetExceededException;
import dev.carbonlens.limits.LimitExceededException;
import dev.carbonlens.limits.LimitNotice;
import dev.carbonlens.model.Run;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The one pipeline every front end runs, so the editor and `check` agree on a file:
 * parse → extract facts → rules → estimate → findings with savings and fixes.
 */
public final class Analyzer {
  private final ReferenceData reference;
  private final Extractors extractors;
  private final RuleEngine rules;
  private final Estimator estimator;
  private final SourceAnalysers code;
  private final SeverityOverrides severities;
  /** A team's own compiled rules, evaluated beside the catalog; null when there are none. */
  private final RuleEngine team;
  /** A team's declarative policies (thresholds and lists), evaluated beside the rules. */
  private final dev.carbonlens.policy.Policies policies;
  /** How large a file and how long an analysis may be: past them a notice replaces the analysis. */
  private final AnalysisLimits limits;

  public Analyzer(ReferenceData reference, Extractors extractors, RuleEngine rules, Estimator estimator) {
    this(reference, extractors, SourceAnalysers.builtIn(), rules, estimator);
  }

  public Analyzer(ReferenceData reference, Extractors extractors, SourceAnalysers code, RuleEngine rules,
      Estimator estimator) {
    this(reference, extractors, code, rules, estimator, SeverityOverrides.NONE, null, dev.carbonlens.policy.Policies.NONE,
        AnalysisLimits.CHECK);
  }

  private Analyzer(ReferenceData reference, Extractors extractors, SourceAnalysers code, RuleEngine rules,
      Estimator estimator, SeverityOverrides severities, RuleEngine team, dev.carbonlens.policy.Policies policies,
      AnalysisLimits limits) {
    this.reference = reference;
    this.extractors = extractors;
    this.code = code;
    this.rules = rules;
    this.estimator = estimator;
    this.severities = severities;
    this.team = team;
    this.policies = policies;
    this.limits = limits;
  }

  /** The same pipeline with the user's per-rule severities (and rules turned off). */
  public Analyzer withSeverities(SeverityOverrides value) {
    return new Analyzer(reference, extractors, code, rules, estimator, value, team, policies, limits);
  }

  /** The same pipeline pricing with other estimator settings (an editor's defaults); rules are not reloaded. */
  public Analyzer withEstimatorSettings(EstimatorSettings settings) {
    return settings.equals(estimator.settings()) ? this
        : new Analyzer(reference, extractors, code, rules, new Estimator(reference, settings), severities, team, policies, limits);
  }

  /** The same pipeline with a team's compiled rules beside the catalog (null: none). */
  public Analyzer withTeamRules(RuleEngine value) {
    return new Analyzer(reference, extractors, code, rules, estimator, severities, value, policies, limits);
  }

  /** The same pipeline with a team's declarative policies. */
  public Analyzer withPolicies(dev.carbonlens.policy.Policies value) {
    return new Analyzer(reference, extractors, code, rules, estimator, severities, team, value, limits);
  }

  /** The same pipeline under other limits (the editor's are tighter than `check`'s). */
  public Analyzer withLimits(AnalysisLimits value) {
    return value.equals(limits) ? this
        : new Analyzer(reference, extractors, code, rules, estimator, severities, team, policies, value);
  }

  public AnalysisLimits limits() {
    return limits;
  }

  public ReferenceData reference() {
    return reference;
  }

  public static Analyzer builtIn(EstimatorSettings settings) {
    ReferenceData reference = ReferenceData.builtIn();
    return new Analyzer(reference, Extractors.builtIn(), SourceAnalysers.builtIn(), RuleEngine.builtIn(),
        new Estimator(reference, settings));
  }

  public Estimator estimator() {
    return estimator;
  }

  public RuleEngine rules() {
    return rules;
  }

  /** The ids of the rules this pipeline runs (the team's too): what a project config may name. */
  public java.util.Set<String> ruleIds() {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    rules.rules().forEach(r -> ids.add(r.id()));
    if (team != null) {
      team.rules().forEach(r -> ids.add(r.id()));
    }
    return ids;
  }

  /**
   * Never throws for bad input: syntax errors come back as problems, and the rest is still analysed. A file over
   * a limit (size, time, nesting, aliases, syntax nodes) comes back with a notice saying which, and no findings.
   */
  public FileAnalysis analyze(String file, String text) {
    return analyze(file, text, () -> false);
  }

  /**
   * As {@link #analyze(String, String)}, giving up once {@code cancelled} says the result is no longer wanted
   * (the editor sent a newer version): throws {@link CancellationException}. The pipeline asks between stages,
   * and the parsers while they read.
   */
  public FileAnalysis analyze(String file, String text, BooleanSupplier cancelled) {
    Optional<LimitNotice> tooLarge = limits.sizeNotice(text);
    if (tooLarge.isPresent()) {
      return notAnalysed(file, text, tooLarge.get());
    }
    Budget budget = Budget.startingNow(limits.timeBudget(), cancelled);
    try {
      return budget.within(() -> analyzeWithin(file, text, budget));
    } catch (BudgetExceededException e) {
      return notAnalysed(file, text, AnalysisLimits.budgetNotice(e, text));
    } catch (LimitExceededException e) {
      return notAnalysed(file, text, e.notice());
    }
  }

  /**
   * The analysis of a file known to be over the size limit before it is read ({@code check} looks at the size
   * first, so a huge file is never loaded); empty when {@code bytes} is within the limit.
   */
  public Optional<FileAnalysis> tooLargeToRead(String file, long bytes) {
    return limits.sizeNotice(bytes, dev.carbonlens.model.SourceRange.NONE).map(n -> notAnalysed(file, "", n));
  }

  private FileAnalysis notAnalysed(String file, String text, LimitNotice notice) {
    SyntaxKind syntax = isCode(file) ? syntaxOf(file) : DocumentParser.syntaxOf(file, text);
    return new FileAnalysis(file, ParsedDocument.notAnalysed(file, syntax, text, notice), List.of(), List.of());
  }

  private FileAnalysis analyzeWithin(String file, String text, Budget budget) {
    if (ProjectConfig.isConfigFile(file)) {
      // A team's .carbonlens.yaml: its schema and reference-data problems, at their keys and values.
      ProjectConfigParser.Result config = ProjectConfigParser.parse(file, text, ruleIds());
      return new FileAnalysis(file, new ParsedDocument(file, SyntaxKind.YAML, text, List.of(), config.problems()),
          List.of(), List.of());
    }
    if (RuleFileCheck.isRuleFile(file)) {
      return new FileAnalysis(file, new ParsedDocument(file, SyntaxKind.DRL, text, List.of(),
          RuleFileCheck.problems(text, rules.rules())), List.of(), List.of());
    }
    ParsedDocument document;
    List<ExtractedRun> extracted;
    Optional<SourceAnalyser> analyser = code.forFile(file);
    if (analyser.isPresent()) {
      // Training code: the language's analyser finds the runs; the rest of the pipeline is the same.
      SourceAnalyser.Result result = analyser.get().analyse(file, text, reference);
      document = new ParsedDocument(file, syntaxOf(file), text, List.of(), result.problems(), result.notices());
      extracted = result.runs();
    } else if (isCode(file)) {
      // No analyser for this language: nothing to read, and no YAML parse errors for source code.
      document = new ParsedDocument(file, syntaxOf(file), text, List.of(), List.of());
      extracted = List.of();
    } else {
      document = DocumentParser.parse(file, text);
      budget.check();
      extracted = extractors.extract(file, document, reference);
    }
    budget.check();
    return priced(file, document, extracted, budget);
  }

  /**
   * The catalog's findings, the team's rules' and the policies', in text order; a failing team rule is
   * logged and never hides the others.
   */
  private List<Finding> evaluate(List<Run> runs) {
    List<Finding> all = new ArrayList<>(rules.evaluate(runs, reference));
    if (team != null && !runs.isEmpty()) {
      try {
        all.addAll(team.evaluate(runs, reference));
      } catch (RuntimeException e) {
        System.err.println("carbonlens: a team rule failed and was skipped: " + e);
      }
    }
    all.addAll(policies.evaluate(runs, reference, estimator::estimate));
    all.sort(java.util.Comparator.comparing((Finding f) -> f.range().startLine())
        .thenComparing(f -> f.range().startColumn()).thenComparing(Finding::ruleId));
    return all;
  }

  private static boolean isCode(String file) {
    String name = file.toLowerCase(java.util.Locale.ROOT);
    return name.endsWith(".py") || name.endsWith(".java");
  }

  private static SyntaxKind syntaxOf(String file) {
    return file.toLowerCase(java.util.Locale.ROOT).endsWith(".java") ? SyntaxKind.JAVA : SyntaxKind.PYTHON;
  }

  private FileAnalysis priced(String file, ParsedDocument document, List<ExtractedRun> extracted, Budget budget) {
    Map<Run, ExtractedRun> byRun = new IdentityHashMap<>();
    List<Run> runs = new ArrayList<>();
    for (ExtractedRun e : extracted) {
      byRun.put(e.run(), e);
      runs.add(e.run());
    }
    List<ReportedFinding> findings = new ArrayList<>();
    List<SuppressedFinding> suppressed = new ArrayList<>();
    Suppressions ignores = Suppressions.of(document.text(), document.syntax());
    List<Finding> raised = evaluate(runs);
    budget.check();
    for (Finding finding : raised) {
      budget.check();
      if (severities.isOff(finding.ruleId())) {
        continue;
      }
      // A policy such as a kgCO2e budget proposes no single change: nothing to price or fix.
      Finding priced = finding.change() == null ? finding : estimator.savings(finding.run(), finding.change())
          .map(finding::withSavings).orElse(finding);
      priced = severities.severityOf(finding.ruleId()).map(priced::withSeverity).orElse(priced);
      Fix fix = finding.change() == null ? null
          : byRun.get(finding.run()).fixes().fixFor(finding.change()).orElse(null);
      ReportedFinding reported = new ReportedFinding(priced, fix);
      Optional<Suppressions.Directive> ignore = ignores.find(finding.ruleId(), finding.range().startLine());
      if (ignore.isPresent()) {
        suppressed.add(new SuppressedFinding(reported, ignore.get()));
      } else {
        findings.add(reported);
      }
    }
    budget.check();
    List<RunEstimate> estimates = new ArrayList<>();
    for (Run run : runs) {
      List<ProposedChange> changes = findings.stream()
          .filter(f -> f.finding().run() == run)
          .map(f -> f.finding().change())
          .filter(java.util.Objects::nonNull)
          .toList();
      estimates.add(new RunEstimate(run, estimator.estimate(run),
          changes.isEmpty() ? null : estimator.savings(run, changes).orElse(null)));
    }
    return new FileAnalysis(file, document, List.copyOf(estimates), List.copyOf(findings), List.copyOf(suppressed));
  }
}
