package dev.carbonlens.bench;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParserConfiguration;
import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.code.SourceAnalyser;
import dev.carbonlens.code.SourceAnalysers;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.engine.Finding;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.estimate.Estimator;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.extract.ExtractedRun;
import dev.carbonlens.extract.Extractors;
import dev.carbonlens.model.Run;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.treesitter.TSParser;
import org.treesitter.TreeSitterPython;

/**
 * Each stage of {@link Analyzer#analyze(String, String)} on its own, through the public calls the pipeline
 * makes, for a small and a large document of each kind ({@link Documents}), and the whole pipeline for
 * comparison. Every stage starts from the previous stage's output, computed once in the set-up.
 *
 * <ul>
 *   <li>{@code parse}: YAML/JSON {@link DocumentParser#parse}; Python the tree-sitter parse the analyser makes
 *       (a fresh {@code TSParser.parseString}, no previous tree); Java JavaParser at language level RAW, as
 *       {@code JavaAnalyser} configures it. (The code analysers' parse is not public: these are the same
 *       library calls.)</li>
 *   <li>{@code extract}: YAML/JSON {@link Extractors#extract} over the parsed document; Python/Java
 *       {@link SourceAnalyser#analyse}, which parses and extracts in one public call (extraction alone is
 *       about {@code extract − parse}).</li>
 *   <li>{@code rules}: {@link RuleEngine#evaluate} of the built-in catalog over the extracted runs.</li>
 *   <li>{@code estimate}: what the pipeline prices: the savings of each finding's change, then each run's
 *       footprint and the savings of all its findings' changes together.</li>
 *   <li>{@code analyze}: the whole {@link Analyzer#analyze}, as {@code check} runs it on a file.</li>
 * </ul>
 *
 * <p>The Python analyser keeps the last trees of recently seen file names for incremental re-parsing; the
 * code benchmarks give every call a new file name so that each one parses afresh, as {@code check} does
 * (the editor's incremental case is {@code PythonAnalysisBenchmark} in the language server's tests).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PipelineBenchmark {

  @Param({"yaml-small", "yaml-large", "json-small", "json-large", "python-small", "python-large", "java-small",
      "java-large"})
  public String doc;

  private String fileName;
  private String stem;
  private String extension;
  private String text;
  private Kind kind;

  private Analyzer analyzer;
  private ReferenceData reference;
  private Extractors extractors;
  private RuleEngine rules;
  private Estimator estimator;
  private SourceAnalyser analyser;
  private TSParser python;

  private ParsedDocument parsed;
  private List<Run> runs;
  private List<Finding> findings;
  private long calls;

  private enum Kind { CONFIG, PYTHON, JAVA }

  @Setup(Level.Trial)
  public void setUp() {
    Documents.Document d = Documents.get(doc);
    fileName = d.fileName();
    text = d.text();
    int dot = fileName.lastIndexOf('.');
    stem = fileName.substring(0, dot);
    extension = fileName.substring(dot);
    String lower = fileName.toLowerCase(Locale.ROOT);
    kind = lower.endsWith(".py") ? Kind.PYTHON : lower.endsWith(".java") ? Kind.JAVA : Kind.CONFIG;

    analyzer = Analyzer.builtIn(EstimatorSettings.defaults());
    reference = analyzer.reference();
    rules = analyzer.rules();
    estimator = analyzer.estimator();
    extractors = Extractors.builtIn();
    analyser = SourceAnalysers.builtIn().forFile(fileName).orElse(null);
    python = new TSParser();
    python.setLanguage(new TreeSitterPython());

    List<ExtractedRun> extracted;
    if (kind == Kind.CONFIG) {
      parsed = DocumentParser.parse(fileName, text);
      extracted = extractors.extract(fileName, parsed, reference);
    } else {
      extracted = analyser.analyse(fileName, text, reference).runs();
    }
    runs = extracted.stream().map(ExtractedRun::run).toList();
    findings = rules.evaluate(runs, reference);
    // A document the pipeline reads nothing from would time nothing: fail rather than report it.
    if (runs.isEmpty() || findings.isEmpty()) {
      throw new IllegalStateException(doc + ": " + runs.size() + " runs, " + findings.size() + " findings");
    }
  }

  /** A name never seen before, so the Python analyser has no previous tree of it. */
  private String freshName() {
    return stem + "-" + (calls++) + extension;
  }

  @Benchmark
  public Object parse() {
    return switch (kind) {
      case CONFIG -> DocumentParser.parse(fileName, text);
      case PYTHON -> python.parseString(null, text);
      case JAVA -> new JavaParser(new ParserConfiguration()
          .setLanguageLevel(ParserConfiguration.LanguageLevel.RAW)).parse(text);
    };
  }

  @Benchmark
  public Object extract() {
    return kind == Kind.CONFIG ? extractors.extract(fileName, parsed, reference)
        : analyser.analyse(freshName(), text, reference);
  }

  @Benchmark
  public List<Finding> rules() {
    return rules.evaluate(runs, reference);
  }

  @Benchmark
  public void estimate(Blackhole bh) {
    for (Finding f : findings) {
      if (f.change() != null) {
        bh.consume(estimator.savings(f.run(), f.change()));
      }
    }
    for (Run run : runs) {
      List<ProposedChange> changes = new ArrayList<>();
      for (Finding f : findings) {
        if (f.run() == run && f.change() != null) {
          changes.add(f.change());
        }
      }
      bh.consume(estimator.estimate(run));
      if (!changes.isEmpty()) {
        Optional<?> savings = estimator.savings(run, changes);
        bh.consume(savings);
      }
    }
  }

  /** Longer warm-up: the whole pipeline has the most code for the JIT to compile (all the stages' and Drools'). */
  @Benchmark
  @Warmup(iterations = 6, time = 1)
  public FileAnalysis analyze() {
    return analyzer.analyze(kind == Kind.CONFIG ? fileName : freshName(), text);
  }
}
