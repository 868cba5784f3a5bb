package dev.carbonlens.lsp;

import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.model.AcceleratorChoice;
import dev.carbonlens.model.ModelChoice;
import dev.carbonlens.model.RegionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.RegionSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Position;

/**
 * Hover on a region, accelerator or model value that nothing flags: the reference figures the
 * estimator uses for it, with their sources, so a choice can be judged before any rule fires.
 */
final class ChoiceHover {
  private ChoiceHover() {}

  static Optional<Hover> hover(FileAnalysis analysis, Position at, ReferenceData reference) {
    for (RunEstimate estimate : analysis.runs()) {
      Run run = estimate.run();
      RegionChoice region = run.region();
      if (region != null && covers(region.range(), at)) {
        return Optional.of(hover(region(region.spec(), reference), region.range()));
      }
      AcceleratorChoice accelerator = run.accelerator();
      if (accelerator != null && accelerator.spec() != null && covers(accelerator.range(), at)) {
        return Optional.of(hover(accelerator(accelerator.spec(), reference), accelerator.range()));
      }
      ModelChoice model = run.model();
      if (model != null && covers(model.range(), at)) {
        return Optional.of(hover(model(model), model.range()));
      }
    }
    return Optional.empty();
  }

  private static boolean covers(SourceRange range, Position at) {
    return range != null && !range.equals(SourceRange.NONE) && HoverFeature.contains(range, at);
  }

  private static Hover hover(String markdown, SourceRange range) {
    return new Hover(new MarkupContent(MarkupKind.MARKDOWN, markdown), DiagnosticsFeature.range(range));
  }

  /** The region as completion documents it, and where it ranks among its provider's regions. */
  static String region(RegionSpec r, ReferenceData reference) {
    StringBuilder md = new StringBuilder(CompletionCandidates.regionDocumentation(r));
    List<RegionSpec> same = reference.regions(r.provider()).stream()
        .sorted(Comparator.comparingDouble(RegionSpec::gridIntensity)).toList();
    int rank = same.indexOf(r) + 1;
    if (rank > 0 && same.size() > 1) {
      RegionSpec cleanest = same.get(0);
      md.append("\n").append(ordinal(rank)).append(" cleanest of ").append(same.size()).append(" ")
          .append(r.provider()).append(" regions; cleanest: ").append(cleanest.id()).append(" (")
          .append(cleanest.displayName()).append(", ").append(Figures.format(cleanest.gridIntensity()))
          .append(" gCO2e/kWh).\n");
    }
    return md.toString();
  }

  /** The accelerator as completion documents it, and where it ranks by peak throughput per watt. */
  static String accelerator(AcceleratorSpec a, ReferenceData reference) {
    StringBuilder md = new StringBuilder(CompletionCandidates.acceleratorDocumentation(a));
    List<AcceleratorSpec> ranked = reference.allAccelerators().stream()
        .filter(x -> CompletionCandidates.efficiency(x).isPresent())
        .sorted(Comparator.comparingDouble(
            (AcceleratorSpec x) -> -CompletionCandidates.efficiency(x).orElseThrow().tflopsPerWatt()))
        .toList();
    int rank = ranked.indexOf(a) + 1;
    if (rank > 0) {
      md.append("\n").append(ordinal(rank)).append(" of ").append(ranked.size())
          .append(" accelerators in the table by peak throughput per watt (best: ").append(ranked.get(0).id())
          .append(").\n");
    }
    return md.toString();
  }

  static String model(ModelChoice m) {
    StringBuilder md = new StringBuilder();
    md.append("**").append(m.id()).append("**\n\n");
    if (m.billionParameters() == null) {
      md.append("Size unknown: not in the model catalogue and not readable from the name, so no rule that needs"
          + " the size applies and compute is estimated from the run's stated length.\n");
      return md.toString();
    }
    if (m.totalBillionParameters() != null && !m.totalBillionParameters().equals(m.billionParameters())) {
      md.append("- Parameters: ").append(Figures.format(m.totalBillionParameters())).append(" B total, ")
          .append(Figures.format(m.billionParameters())).append(" B active per token (mixture of experts)\n");
    } else {
      md.append("- Parameters: ").append(Figures.format(m.billionParameters())).append(" B\n");
    }
    md.append("- Training compute: ≈ 6 × ").append(Figures.format(m.billionParameters()))
        .append(" B FLOPs per token (forward and backward)\n");
    if (m.sizeSource() != null) {
      md.append("- Size: _").append(m.sizeSource()).append("_\n");
    }
    return md.toString();
  }

  private static String ordinal(int n) {
    String suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return n + suffix;
  }
}
