package dev.carbonlens.lsp;

import dev.carbonlens.estimate.Figures;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.InstanceSpec;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.RegionSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The values completion offers, each spelt as its format writes it and kept only when the reference
 * table reads that spelling back as the same row, in the order that helps choose: regions by grid
 * intensity, hardware by energy efficiency. Also the one-line detail and the documentation of each.
 */
final class CompletionCandidates {
  private CompletionCandidates() {}

  /** How a format spells an accelerator. */
  enum AcceleratorStyle {
    /** SkyPilot's own names: {@code A100}, {@code A100-80GB}, {@code H100}. */
    SKYPILOT,
    /** Vertex AI's AcceleratorType enum: {@code NVIDIA_TESLA_A100}, {@code TPU_V5_LITEPOD}. */
    VERTEX,
    /** GKE's {@code cloud.google.com/gke-accelerator} (Compute Engine accelerator types): {@code nvidia-tesla-a100}. */
    GKE,
    /** GKE's {@code cloud.google.com/gke-tpu-accelerator}: {@code tpu-v5-lite-podslice}. */
    GKE_TPU,
    /** NVIDIA GPU feature discovery's {@code nvidia.com/gpu.product}: the product name, blanks as dashes. */
    GPU_PRODUCT
  }

  /** A value to offer: how it is written, and the row it stands for. */
  record Candidate<T>(String spelling, T spec) {}

  /**
   * SkyPilot's accelerator names (as `sky show-gpus -a` lists them, docs.skypilot.co/en/stable/compute/gpus.html)
   * that the accelerator table resolves. Its TPUs are named by slice (`tpu-v5litepod-8`), which the table
   * does not resolve, so they are not offered.
   */
  static final List<String> SKYPILOT_NAMES = List.of("A10", "A10G", "A100", "A100-80GB", "A40", "A6000", "B200", "H100",
      "H100-MEGA", "H200", "K80", "L4", "L40", "L40S", "M60", "P100", "P4", "T4", "V100", "V100-32GB");
  /** Vertex AI's TPU enum names and the rows VertexExtractor.accelerator reads them as. */
  static final Map<String, String> VERTEX_TPUS = Map.of("TPU_V2", "TPU-v2", "TPU_V3", "TPU-v3", "TPU_V5_LITEPOD", "TPU-v5e");
  private static final Pattern VERTEX_GPU = Pattern.compile("^NVIDIA_[A-Z0-9_]+$");
  private static final Pattern GKE_TPU = Pattern.compile("^tpu-v[a-z0-9-]*-(podslice|slice|device)$");

  // ---------------------------------------------------------------------------------------------- regions

  /**
   * The regions of {@code provider} (every provider's when null), lowest grid intensity first (the table
   * requires a figure for every region, so none sorts last for want of one); a region whose id the table
   * would read as another region's (the same id at two providers, with no provider to tell them apart) is
   * left out.
   */
  static List<RegionSpec> regions(ReferenceData reference, String provider) {
    List<RegionSpec> pool = provider == null ? reference.allRegions() : reference.regions(provider);
    return pool.stream()
        .filter(r -> reference.region(provider, r.id()).filter(r::equals).isPresent())
        .sorted(Comparator.comparingDouble(RegionSpec::gridIntensity).thenComparing(RegionSpec::provider)
            .thenComparing(RegionSpec::id))
        .toList();
  }

  /** `5.48 gCO2e/kWh · PUE 1.1 · Montréal, CA (gcp)`. */
  static String regionDetail(RegionSpec r) {
    return Figures.format(r.gridIntensity()) + " gCO2e/kWh · PUE " + Figures.format(r.pue()) + " · " + r.displayName()
        + ", " + r.countryIso2() + " (" + r.provider() + ")";
  }

  static String regionDocumentation(RegionSpec r) {
    StringBuilder md = new StringBuilder();
    md.append("**").append(r.id()).append("** · ").append(r.displayName()).append(", ").append(r.countryIso2())
        .append(" (").append(r.provider()).append(")\n\n");
    md.append("- Grid intensity: **").append(Figures.format(r.gridIntensity())).append(" gCO2e/kWh** (")
        .append(r.gridYear()).append(") — _").append(r.gridSource()).append("_\n");
    md.append("- PUE: **").append(Figures.format(r.pue())).append("** (").append(r.pueYear()).append(") — _")
        .append(r.pueSource()).append("_\n");
    md.append("- Per kWh at the servers: ").append(Figures.format(r.gridIntensity() * r.pue()))
        .append(" gCO2e (grid intensity × PUE)\n");
    if (r.hasMarginalIntensity()) {
      md.append("- Marginal intensity: ").append(Figures.format(r.marginalIntensity())).append(" gCO2e/kWh (")
          .append(r.marginalYear()).append(") — _").append(r.marginalSource()).append("_\n");
    }
    md.append("- GPUs offered here: ").append(r.offersGpus() == null ? "not established"
        : r.offersGpus() ? "yes" : "no").append('\n');
    return md.toString();
  }

  // ---------------------------------------------------------------------------------------------- accelerators

  /** Peak dense throughput per watt of TDP, in the precision training would use on the part. */
  record Efficiency(double tflopsPerWatt, String precision) {
    String text() {
      return Figures.format(tflopsPerWatt) + " " + precision + " TFLOPS/W";
    }
  }

  /** bf16 where the part has it; fp16 on tensor cores; else fp32 (parts without tensor cores train in fp32). */
  static Optional<Efficiency> efficiency(AcceleratorSpec a) {
    if (a.bf16Tflops() != null) {
      return Optional.of(new Efficiency(a.bf16Tflops() / a.tdpWatts(), "bf16"));
    }
    if (a.tensorCores() && a.fp16Tflops() != null) {
      return Optional.of(new Efficiency(a.fp16Tflops() / a.tdpWatts(), "fp16"));
    }
    if (a.fp32Tflops() != null) {
      return Optional.of(new Efficiency(a.fp32Tflops() / a.tdpWatts(), "fp32"));
    }
    return Optional.empty();
  }

  /** Most efficient first: throughput per watt is what bounds a run's energy; parts without a figure last. */
  private static final Comparator<AcceleratorSpec> MOST_EFFICIENT_FIRST = Comparator.comparingDouble(
      (AcceleratorSpec a) -> -efficiency(a).map(Efficiency::tflopsPerWatt).orElse(-1.0));

  /** The accelerators a format can name, spelt its way, most efficient first (ties by spelling). */
  static List<Candidate<AcceleratorSpec>> accelerators(ReferenceData reference, AcceleratorStyle style) {
    List<Candidate<AcceleratorSpec>> out = new ArrayList<>();
    if (style == AcceleratorStyle.SKYPILOT) {
      for (String name : SKYPILOT_NAMES) {
        reference.accelerator(name).ifPresent(spec -> out.add(new Candidate<>(name, spec)));
      }
    } else if (style == AcceleratorStyle.VERTEX) {
      vertexGpus(reference).forEach((name, spec) -> out.add(new Candidate<>(name, spec)));
      VERTEX_TPUS.forEach((name, id) -> reference.accelerator(id).ifPresent(spec -> out.add(new Candidate<>(name, spec))));
    } else if (style == AcceleratorStyle.GKE) {
      // Compute Engine's accelerator types are Vertex's enum names in lower case with dashes.
      vertexGpus(reference).forEach((name, spec) -> {
        String gke = name.toLowerCase(Locale.ROOT).replace('_', '-');
        if (reference.accelerator(gke).filter(spec::equals).isPresent()) {
          out.add(new Candidate<>(gke, spec));
        }
      });
    } else {
      for (AcceleratorSpec spec : reference.allAccelerators()) {
        for (String s : spellings(spec, style)) {
          if (reference.accelerator(s).filter(spec::equals).isPresent()) {
            out.add(new Candidate<>(s, spec));
          }
        }
      }
    }
    out.sort(Comparator.comparing((Candidate<AcceleratorSpec> c) -> c.spec(), MOST_EFFICIENT_FIRST)
        .thenComparing(Candidate::spelling));
    return out;
  }

  /** Vertex AI's GPU enum names: the table's `NVIDIA_...` aliases that read back as their row. */
  private static Map<String, AcceleratorSpec> vertexGpus(ReferenceData reference) {
    Map<String, AcceleratorSpec> out = new HashMap<>();
    for (AcceleratorSpec spec : reference.allAccelerators()) {
      for (String alias : spec.aliases()) {
        if (VERTEX_GPU.matcher(alias).matches() && reference.accelerator(alias).filter(spec::equals).isPresent()) {
          out.put(alias, spec);
        }
      }
    }
    return out;
  }

  /** GKE's TPU names (a v5e is `tpu-v5-lite-podslice` or, single-host, `tpu-v5-lite-device`); a GPU's product name. */
  private static List<String> spellings(AcceleratorSpec spec, AcceleratorStyle style) {
    if (style == AcceleratorStyle.GKE_TPU) {
      return spec.aliases().stream().filter(a -> GKE_TPU.matcher(a).matches()).toList();
    }
    if (!spec.vendor().equals("nvidia")) {
      return List.of();
    }
    // The product name NVML reports: "NVIDIA A100-SXM4-40GB", "Tesla T4"; labels cannot hold blanks.
    return spec.aliases().stream().filter(a -> a.startsWith("NVIDIA ")).findFirst()
        .or(() -> spec.aliases().stream().filter(a -> a.startsWith("Tesla ")).findFirst())
        .map(a -> List.of(a.replace(' ', '-'))).orElse(List.of());
  }

  /** `ampere 2020 · 400 W · 40 GB · 0.78 bf16 TFLOPS/W`, after the row's id when the spelling differs from it. */
  static String acceleratorDetail(String spelling, AcceleratorSpec a) {
    return (spelling.equals(a.id()) ? "" : a.id() + " · ") + a.architecture() + " " + a.releaseYear() + " · "
        + Figures.format(a.tdpWatts()) + " W · " + Figures.format(a.memoryGb()) + " GB"
        + efficiency(a).map(e -> " · " + e.text()).orElse("");
  }

  static String acceleratorDocumentation(AcceleratorSpec a) {
    StringBuilder md = new StringBuilder();
    md.append("**").append(a.id()).append("** · ").append(a.vendor()).append(' ').append(a.architecture())
        .append(", ").append(a.releaseYear()).append("\n\n");
    md.append("- TDP: ").append(Figures.format(a.tdpWatts())).append(" W");
    if (a.idleWatts() != null) {
      md.append(" (idle ").append(Figures.format(a.idleWatts())).append(" W)");
    }
    md.append('\n');
    md.append("- Memory: ").append(Figures.format(a.memoryGb())).append(" GB\n");
    List<String> peaks = new ArrayList<>();
    peak(peaks, "fp32", a.fp32Tflops());
    peak(peaks, "tf32", a.tf32Tflops());
    peak(peaks, "fp16", a.fp16Tflops());
    peak(peaks, "bf16", a.bf16Tflops());
    peak(peaks, "fp8", a.fp8Tflops());
    peak(peaks, "int8", a.int8Tflops());
    md.append("- Peak dense TFLOPS: ").append(String.join(" · ", peaks)).append('\n');
    efficiency(a).ifPresent(e -> md.append("- Efficiency: ").append(e.text()).append(" (peak ÷ TDP)\n"));
    md.append("- Embodied: ").append(Figures.format(a.embodiedKgCO2e())).append(" kgCO2e — _")
        .append(a.embodiedSource()).append("_\n");
    md.append("- Figures: _").append(a.specSource()).append("_ (").append(a.specYear()).append(")\n");
    return md.toString();
  }

  private static void peak(List<String> out, String precision, Double tflops) {
    if (tflops != null) {
      out.add(precision + " " + Figures.format(tflops));
    }
  }

  // ---------------------------------------------------------------------------------------------- instances

  /**
   * The instance types of {@code provider} (every provider's when null), with SageMaker's `ml.` prefix for
   * SageMaker; by the efficiency of their accelerator, then fewest accelerators first (the smallest
   * instance of an efficient part), then fewest vCPUs.
   */
  static List<Candidate<InstanceSpec>> instances(ReferenceData reference, String provider, boolean sageMaker) {
    List<Candidate<InstanceSpec>> out = new ArrayList<>();
    for (InstanceSpec spec : reference.allInstances()) {
      if (sageMaker && !spec.provider().equals("aws") || provider != null && !spec.provider().equals(provider)) {
        continue;
      }
      String spelling = sageMaker ? "ml." + spec.instanceType() : spec.instanceType();
      if (reference.instance(spelling).filter(spec::equals).isPresent()
          && reference.accelerator(spec.acceleratorId()).isPresent()) {
        out.add(new Candidate<>(spelling, spec));
      }
    }
    Map<String, AcceleratorSpec> parts = new HashMap<>();
    out.forEach(c -> parts.computeIfAbsent(c.spec().acceleratorId(), id -> reference.accelerator(id).orElseThrow()));
    out.sort(Comparator.comparing((Candidate<InstanceSpec> c) -> parts.get(c.spec().acceleratorId()), MOST_EFFICIENT_FIRST)
        .thenComparingDouble(c -> c.spec().acceleratorCount())
        .thenComparingInt(c -> c.spec().vcpus() == null ? Integer.MAX_VALUE : c.spec().vcpus())
        .thenComparing(Candidate::spelling));
    return out;
  }

  /** `8 × A100-SXM4-40GB · 96 vCPU · 1,152 GiB · 0.78 bf16 TFLOPS/W` (GB for GCP, which states GB). */
  static String instanceDetail(InstanceSpec i, AcceleratorSpec a) {
    StringBuilder d = new StringBuilder(Figures.format(i.acceleratorCount()) + " × " + a.id());
    if (i.vcpus() != null) {
      d.append(" · ").append(i.vcpus()).append(" vCPU");
    }
    if (i.memoryGb() != null) {
      d.append(" · ").append(Figures.format(i.memoryGb())).append(i.provider().equals("gcp") ? " GB" : " GiB");
    }
    efficiency(a).ifPresent(e -> d.append(" · ").append(e.text()));
    return d.toString();
  }

  static String instanceDocumentation(InstanceSpec i, AcceleratorSpec a) {
    return "**" + i.instanceType() + "** (" + i.provider() + "): " + Figures.format(i.acceleratorCount()) + " × "
        + a.id() + " — _" + i.source() + "_ (" + i.year() + ")\n\n" + acceleratorDocumentation(a);
  }
}
