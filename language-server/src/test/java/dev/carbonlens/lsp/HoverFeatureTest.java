package dev.carbonlens.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.estimate.EstimatorSettings;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.Position;
import org.junit.jupiter.api.Test;

class HoverFeatureTest {
  private static final FileAnalysis ANALYSIS = Analyzer.builtIn(EstimatorSettings.defaults()).analyze("train.yaml",
      "model_name_or_path: mistralai/Mistral-7B-v0.1\nnum_train_epochs: 2\nfp16: false\nper_device_train_batch_size: 4\n");

  @Test
  void hoverOnAFlaggedSettingShowsSavingsAssumptionsAndWhy() {
    Hover hover = HoverFeature.hover(ANALYSIS, new Position(2, 3)).orElseThrow();
    String md = hover.getContents().getRight().getValue();
    assertThat(hover.getContents().getRight().getKind()).isEqualTo("markdown");
    assertThat(md).startsWith("**CL-PREC-001** fp32 training on a GPU with bf16 tensor cores · precision · warning")
        .contains("**Proposed:** Use bf16 mixed precision")
        .contains("**Saves ≈ ").contains(" kgCO2e** (")
        .contains("- grid intensity: ").contains("- PUE: ").contains("- embodied: ")
        .contains("**Why it matters**").contains("**How the savings are estimated**")
        .contains("`carbonlens explain CL-PREC-001`");
    assertThat(hover.getRange().getStart().getLine()).isEqualTo(2);
    assertThat(hover.getRange().getStart().getCharacter()).isZero();
  }

  @Test
  void noHoverAwayFromFindings() {
    assertThat(HoverFeature.hover(ANALYSIS, new Position(3, 5))).isEmpty();
    assertThat(HoverFeature.hover(ANALYSIS, new Position(40, 0))).isEmpty();
  }
}
