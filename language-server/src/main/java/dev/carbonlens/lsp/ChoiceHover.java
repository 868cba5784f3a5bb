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

  static String region(RegionSpec r, ReferenceData reference) {
    StringBuilder md = new StringBuilder();
    md.append("**").append(r.provider()).append(" ").append(r.id()).append("** · ").append(r.displayName())
        .append(" (").append(r.countryIso2()).append(")\n\n");
    md.append("- Grid intensity (average): ").append(Figures.format(r.gridIntensity())).append(" gCO2e/kWh — _")
        .append(r.gridSource()).append(", ").append(r.gridYear()).append("_\n");
    if (r.hasMarginalIntensity()) {
      md.append("- Grid intensity (marginal): ").append(Figures.format(r.marginalIntensity())).append(" gCO2e/kWh — _")
          .append(r.marginalSource()).append(", ").append(r.marginalYear()).append("_\n");
    }
    md.append("- PUE: ").append(Figures.format(r.pue())).append(" — _").append(r.pueSource()).append(", ")
        .append(r.pueYear()).append("_\n");
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

  static String accelerator(AcceleratorSpec a, ReferenceData reference) {
    StringBuilder md = new StringBuilder();
    md.append("**").append(a.id()).append("** · ").append(a.vendor()).append(" ").append(a.architecture())
        .append(", ").append(a.releaseYear()).append("\n\n");
    md.append("- TDP: ").append(Figures.format(a.tdpWatts())).append(" W");
    if (a.idleWatts() != null) {
      md.append(" (idle ").append(Figures.format(a.idleWatts())).append(" W)");
    }
    md.append("\n- Memory: ").append(Figures.format(a.memoryGb())).append(" GB\n");
    peak(a).ifPresent(p -> md.append("- Peak ").append(p.mode()).append(": ").append(Figures.format(p.tflops()))
        .append(" TFLOPS → ").append(Figures.format(p.tflops() / a.tdpWatts() * 1000)).append(" GFLOPS per watt\n"));
    md.append("- Embodied: ").append(Figures.format(a.embodiedKgCO2e())).append(" kgCO2e per device — _")
        .append(a.embodiedSource()).append("_\n");
    md.append("- Figures: _").append(a.specSource()).append(", ").append(a.specYear()).append("_\n");
    List<AcceleratorSpec> ranked = reference.allAccelerators().stream().filter(x -> peak(x).isPresent())
        .sorted(Comparator.comparingDouble((AcceleratorSpec x) -> -peak(x).get().tflops() / x.tdpWatts())).toList();
    int rank = ranked.indexOf(a) + 1;
    if (rank > 0) {
      md.append("\n").append(ordinal(rank)).append(" of ").append(ranked.size())
          .append(" accelerators in the table by peak FLOPS per watt (best: ").append(ranked.get(0).id()).append(").\n");
    }
    return md.toString();
  }

  /** The fastest dense mode a training framework would use: bf16, else fp16, else tf32, else fp32. */
  record Peak(String mode, double tflops) {}

  static Optional<Peak> peak(AcceleratorSpec a) {
    if (a.bf16Tflops() != null) {
      return Optional.of(new Peak("bf16", a.bf16Tflops()));
    }
    if (a.fp16Tflops() != null) {
      return Optional.of(new Peak("fp16", a.fp16Tflops()));
    }
    if (a.tf32Tflops() != null) {
      return Optional.of(new Peak("tf32", a.tf32Tflops()));
    }
    return a.fp32Tflops() == null ? Optional.empty() : Optional.of(new Peak("fp32", a.fp32Tflops()));
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
