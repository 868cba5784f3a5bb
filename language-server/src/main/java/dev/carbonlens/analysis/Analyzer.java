package dev.carbonlens.analysis;

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

  public Analyzer(ReferenceData reference, Extractors extractors, RuleEngine rules, Estimator estimator) {
    this(reference, extractors, SourceAnalysers.builtIn(), rules, estimator);
  }

  public Analyzer(ReferenceData reference, Extractors extractors, SourceAnalysers code, RuleEngine rules,
      Estimator estimator) {
    this(reference, extractors, code, rules, estimator, SeverityOverrides.NONE);
  }

  private Analyzer(ReferenceData reference, Extractors extractors, SourceAnalysers code, RuleEngine rules,
      Estimator estimator, SeverityOverrides severities) {
    this.reference = reference;
    this.extractors = extractors;
    this.code = code;
    this.rules = rules;
    this.estimator = estimator;
    this.severities = severities;
  }

  /** The same pipeline with the user's per-rule severities (and rules turned off). */
  public Analyzer withSeverities(SeverityOverrides value) {
    return new Analyzer(reference, extractors, code, rules, estimator, value);
  }

  /** The same pipeline pricing with other estimator settings (an editor's defaults); rules are not reloaded. */
  public Analyzer withEstimatorSettings(EstimatorSettings settings) {
    return settings.equals(estimator.settings()) ? this
        : new Analyzer(reference, extractors, code, rules, new Estimator(reference, settings), severities);
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

  /** Never throws for bad input: syntax errors come back as problems, and the rest is still analysed. */
  public FileAnalysis analyze(String file, String text) {
    return analyze(file, text, () -> false);
  }

  /**
   * As {@link #analyze(String, String)}, giving up between stages once {@code cancelled} says the
   * result is no longer wanted (the editor sent a newer version): throws {@link CancellationException}.
   */
  public FileAnalysis analyze(String file, String text, BooleanSupplier cancelled) {
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
      document = new ParsedDocument(file, syntaxOf(file), text, List.of(), result.problems());
      extracted = result.runs();
    } else if (isCode(file)) {
      // No analyser for this language: nothing to read, and no YAML parse errors for source code.
      document = new ParsedDocument(file, syntaxOf(file), text, List.of(), List.of());
      extracted = List.of();
    } else {
      document = DocumentParser.parse(file, text);
      checkpoint(cancelled);
      extracted = extractors.extract(file, document, reference);
    }
    checkpoint(cancelled);
    return priced(file, document, extracted, cancelled);
  }

  private static void checkpoint(BooleanSupplier cancelled) {
    if (cancelled.getAsBoolean()) {
      throw new CancellationException("a newer version of the document arrived");
    }
  }

  private static boolean isCode(String file) {
    String name = file.toLowerCase(java.util.Locale.ROOT);
    return name.endsWith(".py") || name.endsWith(".java");
  }

  private static SyntaxKind syntaxOf(String file) {
    return file.toLowerCase(java.util.Locale.ROOT).endsWith(".java") ? SyntaxKind.JAVA : SyntaxKind.PYTHON;
  }

  private FileAnalysis priced(String file, ParsedDocument document, List<ExtractedRun> extracted,
      BooleanSupplier cancelled) {
    Map<Run, ExtractedRun> byRun = new IdentityHashMap<>();
    List<Run> runs = new ArrayList<>();
    for (ExtractedRun e : extracted) {
      byRun.put(e.run(), e);
      runs.add(e.run());
    }
    List<ReportedFinding> findings = new ArrayList<>();
    List<SuppressedFinding> suppressed = new ArrayList<>();
    Suppressions ignores = Suppressions.of(document.text(), document.syntax());
    List<Finding> raised = rules.evaluate(runs, reference);
    checkpoint(cancelled);
    for (Finding finding : raised) {
      if (severities.isOff(finding.ruleId())) {
        continue;
      }
      Finding priced = estimator.savings(finding.run(), finding.change())
          .map(finding::withSavings).orElse(finding);
      priced = severities.severityOf(finding.ruleId()).map(priced::withSeverity).orElse(priced);
      Fix fix = byRun.get(finding.run()).fixes().fixFor(finding.change()).orElse(null);
      ReportedFinding reported = new ReportedFinding(priced, fix);
      Optional<Suppressions.Directive> ignore = ignores.find(finding.ruleId(), finding.range().startLine());
      if (ignore.isPresent()) {
        suppressed.add(new SuppressedFinding(reported, ignore.get()));
      } else {
        findings.add(reported);
      }
    }
    checkpoint(cancelled);
    List<RunEstimate> estimates = new ArrayList<>();
    for (Run run : runs) {
      List<ProposedChange> changes = findings.stream()
          .filter(f -> f.finding().run() == run)
          .map(f -> f.finding().change())
          .toList();
      estimates.add(new RunEstimate(run, estimator.estimate(run),
          changes.isEmpty() ? null : estimator.savings(run, changes).orElse(null)));
    }
    return new FileAnalysis(file, document, List.copyOf(estimates), List.copyOf(findings), List.copyOf(suppressed));
  }
}
