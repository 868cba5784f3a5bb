package dev.carbonlens.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.RegionSpec;
import java.util.Comparator;
import java.util.List;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.junit.jupiter.api.Test;

/** Hover on region, accelerator and model values that no rule flags. */
class ChoiceHoverTest {
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());
  private static final ReferenceData REFERENCE = ANALYZER.reference();
  /** A clean SkyPilot task: Finland, A100s; nothing flagged on either value. */
  private static final FileAnalysis SKYPILOT = ANALYZER.analyze("task.yaml", "resources:\n  cloud: gcp\n"
      + "  region: europe-north1\n  accelerators: A100:8\n\nrun: python train.py --bf16 --early-stopping-patience 3\n");

  private static String hover(FileAnalysis analysis, int line, int column) {
    Hover hover = HoverFeature.hover(analysis, new Position(line, column), REFERENCE).orElseThrow();
    return hover.getContents().getRight().getValue();
  }

  @Test
  void regionValueShowsIntensityPueSourcesAndRank() {
    assertThat(SKYPILOT.findings()).extracting(f -> f.finding().range().startLine()).doesNotContain(2, 3);
    Hover hover = HoverFeature.hover(SKYPILOT, new Position(2, 12), REFERENCE).orElseThrow();
    assertThat(hover.getRange()).isEqualTo(new Range(new Position(2, 10), new Position(2, 23)));
    List<RegionSpec> gcp = REFERENCE.regions("gcp").stream()
        .sorted(Comparator.comparingDouble(RegionSpec::gridIntensity)).toList();
    int rank = gcp.indexOf(REFERENCE.region("gcp", "europe-north1").orElseThrow()) + 1;
    RegionSpec finland = REFERENCE.region("gcp", "europe-north1").orElseThrow();
    String md = hover.getContents().getRight().getValue();
    assertThat(md).startsWith(CompletionCandidates.regionDocumentation(finland))
        .contains("- Grid intensity: **39.3 gCO2e/kWh** (2024) — _Google Cloud region-carbon-info yearly 2024")
        .contains("- PUE: **1.1** (2021) — _Cloud Carbon Footprint")
        .endsWith("\n" + rank + (rank == 1 ? "st" : rank == 2 ? "nd" : rank == 3 ? "rd" : "th") + " cleanest of "
            + gcp.size() + " gcp regions; cleanest: " + gcp.get(0).id() + " (" + gcp.get(0).displayName() + ", "
            + dev.carbonlens.estimate.Figures.format(gcp.get(0).gridIntensity()) + " gCO2e/kWh).\n");
  }

  @Test
  void acceleratorValueShowsPowerPerformancePerWattAndEmbodiedCarbon() {
    String md = hover(SKYPILOT, 3, 17);
    // A100-SXM4-40GB: bf16 312 TFLOPS at 400 W = 0.78 TFLOPS per watt.
    assertThat(md).startsWith("**A100-SXM4-40GB** · nvidia ampere, 2020\n\n- TDP: 400 W (idle 46 W)\n- Memory: 40 GB\n")
        .contains("- Efficiency: 0.78 bf16 TFLOPS/W (peak ÷ TDP)\n")
        .contains("- Embodied: 150 kgCO2e — _150 kg per GPU board default (BLOOM / Cloud Carbon Footprint; FACTS F8)_\n")
        .contains(" accelerators in the table by peak throughput per watt (best: ");
  }

  @Test
  void modelValueShowsParametersAndWhereTheSizeComesFrom() {
    FileAnalysis hf = ANALYZER.analyze("train_args.json",
        "{\"model_name_or_path\": \"gpt2\", \"bf16\": true, \"num_train_epochs\": 1,"
        + " \"per_device_train_batch_size\": 8}");
    String md = hover(hf, 0, 26);
    assertThat(md).isEqualTo("**gpt2**\n\n- Parameters: 0.124 B\n- Training compute: ≈ 6 × 0.124 B FLOPs per token"
        + " (forward and backward)\n- Size: _openai-community/gpt2 in the model catalogue: openai-community GPT-2 model"
        + " cards (124M / 355M / 774M / 1.5B), 2019_\n");
  }

  @Test
  void aFlaggedValueShowsTheFindingAndOtherPlacesShowNothing() {
    FileAnalysis k80 = ANALYZER.analyze("task.yaml", "resources:\n  cloud: aws\n  accelerators: K80:4\n\nrun: python train.py\n");
    assertThat(hover(k80, 2, 17)).startsWith("**CL-HW-001**");
    assertThat(HoverFeature.hover(SKYPILOT, new Position(0, 3), REFERENCE)).isEmpty();
    assertThat(HoverFeature.hover(SKYPILOT, new Position(5, 2), REFERENCE)).isEmpty();
  }
}
