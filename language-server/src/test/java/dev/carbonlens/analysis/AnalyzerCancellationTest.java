package dev.carbonlens.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carbonlens.estimate.EstimatorSettings;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The editor cancels an analysis once a newer version arrives: checked between pipeline stages. */
class AnalyzerCancellationTest {
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());
  private static final String TASK = "resources:\n  cloud: aws\n  accelerators: K80:4\n\nrun: python train.py\n";

  @Test
  void aCancelledAnalysisStopsAtTheFirstCheckpoint() {
    AtomicInteger asked = new AtomicInteger();
    assertThatThrownBy(() -> ANALYZER.analyze("task.yaml", TASK, () -> asked.incrementAndGet() > 0))
        .isInstanceOf(CancellationException.class);
    assertThat(asked).hasValue(1);
  }

  @Test
  void cancellationLateInThePipelineStillStopsIt() {
    AtomicInteger asked = new AtomicInteger();
    assertThatThrownBy(() -> ANALYZER.analyze("task.yaml", TASK, () -> asked.incrementAndGet() >= 3))
        .isInstanceOf(CancellationException.class);
    assertThat(asked).hasValue(3);
  }

  @Test
  void anAnalysisNobodyCancelsIsTheSameAsWithoutTheCheck() {
    FileAnalysis checked = ANALYZER.analyze("task.yaml", TASK, () -> false);
    FileAnalysis plain = ANALYZER.analyze("task.yaml", TASK);
    assertThat(checked.findings()).extracting(f -> f.finding().ruleId())
        .containsExactlyElementsOf(plain.findings().stream().map(f -> f.finding().ruleId()).toList())
        .contains("CL-HW-001");
  }
}
