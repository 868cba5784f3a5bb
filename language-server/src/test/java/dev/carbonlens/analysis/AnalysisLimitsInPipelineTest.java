package dev.carbonlens.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carbonlens.code.SourceAnalysers;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.limits.AnalysisLimits;
import dev.carbonlens.limits.Budget;
import dev.carbonlens.limits.BudgetExceededException;
import dev.carbonlens.limits.LimitNotice;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.testing.HostileTexts;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * Each limit ends in one information notice and no findings, never an error, a hang or an exception; and the
 * time budget reaches inside every parser, not just the gaps between pipeline stages.
 */
class AnalysisLimitsInPipelineTest {
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());
  private static final String K80 = "resources:\n  infra: aws/ap-south-1\n  accelerators: K80:4\n"
      + "run: python train.py --epochs 90\n";

  @Test
  void aFileOverTheSizeLimitIsNotAnalysedAndSaysSo() {
    Analyzer small = ANALYZER.withLimits(AnalysisLimits.EDITOR.withMaxFileBytes(K80.length() - 1));
    FileAnalysis analysis = small.analyze("task.yaml", K80);
    assertThat(analysis.findings()).isEmpty();
    assertThat(analysis.runs()).isEmpty();
    assertThat(analysis.problems()).isEmpty();
    assertThat(analysis.notices()).singleElement().satisfies(n -> {
      assertThat(n.limit()).isEqualTo(LimitNotice.FILE_SIZE);
      assertThat(n.range()).isEqualTo(new SourceRange(0, 0, 0, 10));
      assertThat(n.message()).startsWith("Not analysed: the file is 90 bytes, over the 89 bytes limit");
    });
    // at the limit exactly, the file is analysed as usual
    assertThat(ANALYZER.withLimits(AnalysisLimits.EDITOR.withMaxFileBytes(K80.length())).analyze("task.yaml", K80)
        .findings()).extracting(f -> f.finding().ruleId()).containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");
  }

  @Test
  void theDefaultSizeLimitSkipsAFiveMegabyteLineAtOnce() {
    FileAnalysis analysis = ANALYZER.analyze("line.yaml", "a: " + "x".repeat(5_000_000));
    assertThat(analysis.notices()).extracting(LimitNotice::limit).containsExactly(LimitNotice.FILE_SIZE);
    assertThat(analysis.notices().get(0).message()).startsWith("Not analysed: the file is 4.8 MB, over the 2.0 MB");
  }

  @Test
  void aFileKnownToBeTooLargeBeforeReadingGetsTheSameNotice() {
    assertThat(ANALYZER.tooLargeToRead("huge.yaml", 3L * 1024 * 1024)).hasValueSatisfying(a -> {
      assertThat(a.notices()).extracting(LimitNotice::limit).containsExactly(LimitNotice.FILE_SIZE);
      assertThat(a.notices().get(0).range()).isEqualTo(SourceRange.NONE);
    });
    assertThat(ANALYZER.tooLargeToRead("small.yaml", 1024)).isEmpty();
  }

  @Test
  void anAnalysisPastItsBudgetEndsInANoticeForEveryKindOfFile() {
    Analyzer hurried = ANALYZER.withLimits(AnalysisLimits.EDITOR.withTimeBudget(Duration.ofMillis(100)));
    StringBuilder yaml = new StringBuilder();
    StringBuilder python = new StringBuilder();
    StringBuilder java = new StringBuilder("class A { void f() {\n");
    for (int i = 0; i < 60_000; i++) {
      yaml.append("k").append(i).append(": ").append(i).append('\n');
      python.append("x").append(i).append(" = foo(").append(i).append(")\n");
      java.append("int x").append(i).append(" = foo(").append(i).append(");\n");
    }
    java.append("}}\n");
    for (String[] file : new String[][] {{"big.yaml", yaml.toString()}, {"big.py", python.toString()},
        {"Big.java", java.toString()}}) {
      FileAnalysis analysis = hurried.analyze(file[0], file[1]);
      assertThat(analysis.notices()).as(file[0]).singleElement().satisfies(n -> {
        assertThat(n.limit()).isEqualTo(LimitNotice.TIME_BUDGET);
        assertThat(n.message()).isEqualTo("Not analysed: the analysis took longer than its 100 ms budget and was"
            + " stopped (setting limits.timeBudgetMs, or --time-budget for check).");
      });
      assertThat(analysis.findings()).isEmpty();
    }
  }

  @Test
  void everyParserStopsInsideItsParseWhenTheBudgetIsSpent() {
    Budget spent = Budget.startingNow(Duration.ofNanos(1), () -> false);
    long until = System.nanoTime() + 1_000_000;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    ReferenceData reference = ANALYZER.reference();
    SourceAnalysers code = SourceAnalysers.builtIn();
    // Not a parse problem, not a result: the stop signal itself, from inside each parser.
    assertThatThrownBy(() -> spent.within(() -> DocumentParser.parse("a.yaml", K80)))
        .isInstanceOf(BudgetExceededException.class);
    assertThatThrownBy(() -> spent.within(() -> DocumentParser.parse("a.json", "{\"a\": 1}")))
        .isInstanceOf(BudgetExceededException.class);
    assertThatThrownBy(() -> spent.within(() -> code.forFile("t.py").orElseThrow()
        .analyse("t.py", "import torch\nx = 1\n", reference))).isInstanceOf(BudgetExceededException.class);
    assertThatThrownBy(() -> spent.within(() -> code.forFile("T.java").orElseThrow()
        .analyse("T.java", "class T {}", reference))).isInstanceOf(BudgetExceededException.class);
  }

  @Test
  void anEditCancelsAParseInProgressNotJustBetweenStages() {
    Budget superseded = Budget.startingNow(null, () -> true);
    assertThatThrownBy(() -> superseded.within(() -> DocumentParser.parse("a.yaml", K80)))
        .isInstanceOf(CancellationException.class);
    assertThatThrownBy(() -> superseded.within(() -> SourceAnalysers.builtIn().forFile("t.py").orElseThrow()
        .analyse("t.py", "x = 1\n", ANALYZER.reference()))).isInstanceOf(CancellationException.class);
  }

  @Test
  void nestingAndAliasLimitsAreNoticesNotErrors() {
    FileAnalysis deepJson = ANALYZER.analyze("deep.json", "[".repeat(100_000) + "]".repeat(100_000));
    assertThat(deepJson.problems()).isEmpty();
    assertThat(deepJson.notices()).singleElement().satisfies(n -> {
      assertThat(n.limit()).isEqualTo(LimitNotice.NESTING_DEPTH);
      assertThat(n.message()).isEqualTo("Not analysed: the JSON nests deeper than 100 levels, the most CarbonLens reads.");
      assertThat(n.range().startLine()).isZero();
      assertThat(n.range().startColumn()).isEqualTo(100);
    });
    FileAnalysis laughs = ANALYZER.analyze("lol.yaml", HostileTexts.aliasBomb());
    assertThat(laughs.problems()).isEmpty();
    assertThat(laughs.notices()).extracting(LimitNotice::limit).containsExactly(LimitNotice.ALIAS_EXPANSION);
  }

  @Test
  void withinTheLimitsNothingChanges() {
    FileAnalysis analysis = ANALYZER.withLimits(AnalysisLimits.EDITOR).analyze("task.yaml", K80);
    assertThat(analysis.notices()).isEmpty();
    assertThat(analysis.findings()).extracting(f -> f.finding().ruleId())
        .containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");
  }
}
