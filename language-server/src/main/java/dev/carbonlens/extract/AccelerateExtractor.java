package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.model.AcceleratorChoice;
import dev.carbonlens.model.CloudChoice;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Option;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.RegionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Workload;
import dev.carbonlens.reference.ReferenceData;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The YAML `accelerate config` writes (`default_config.yaml`, or the files passed as
 * `accelerate launch --config_file`).
 *
 * <ul>
 *   <li>`mixed_precision`: `no` (fp32, stated), `fp16`, `bf16`, `fp8`; absent → accelerate's
 *       default `no`: FP32 not stated, at the anchor.</li>
 *   <li>Devices: `num_processes` is the TOTAL across all machines in accelerate's config
 *       (`accelerate launch` splits it over `num_machines`), so devices = num_processes; without it,
 *       `gpu_ids` (a list or "0,1,2,3") per machine × `num_machines`; `distributed_type: NO` with
 *       neither is one process. `use_cpu: true` / `MULTI_CPU` runs on CPUs: no device count.</li>
 *   <li>SageMaker (`compute_environment: AMAZON_SAGEMAKER`): cloud aws, `region`, and the
 *       accelerators of `ec2_instance_type` when it is a known instance type.</li>
 *   <li>`deepspeed_config.gradient_accumulation_steps` → workload.
 *       `deepspeed_config.offload_optimizer_device` (else `offload_param_device`) and
 *       `fsdp_config.fsdp_offload_params: true` → {@link Options#OPTIMIZER_OFFLOAD}. The ZeRO stage,
 *       FSDP sharding and `downcast_bf16` (TPU only) are not facts.</li>
 * </ul>
 */
public final class AccelerateExtractor implements ConfigExtractor {
  static final Set<String> DISTRIBUTED_TYPES = Set.of(
      "no", "multi_gpu", "multi_cpu", "multi_npu", "multi_xpu", "multi_mlu", "multi_sdaa", "multi_musa",
      "multi_hpu", "deepspeed", "fsdp", "tpu", "xla", "megatron_lm", "false", "data_parallel", "model_parallel");
  static final Set<String> COMPUTE_ENVIRONMENTS = Set.of("local_machine", "amazon_sagemaker");
  static final Set<String> ACCELERATE_KEYS = Set.of(
      "compute_environment", "mixed_precision", "num_processes", "num_machines", "machine_rank",
      "main_training_function", "use_cpu", "downcast_bf16", "gpu_ids", "fp8_config", "deepspeed_config",
      "fsdp_config", "megatron_lm_config", "rdzv_backend", "same_network", "main_process_ip",
      "main_process_port", "tpu_env", "tpu_use_cluster", "tpu_use_sudo", "enable_cpu_affinity", "dynamo_config",
      "ec2_instance_type", "iam_role_name", "distributed_type");

  @Override
  public String format() {
    return "accelerate";
  }

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    Optional<String> type = Keys.text(root, "distributed_type").map(t -> t.trim().toLowerCase(Locale.ROOT));
    Optional<String> environment = Keys.text(root, "compute_environment").map(t -> t.trim().toLowerCase(Locale.ROOT));
    boolean typeKnown = type.map(DISTRIBUTED_TYPES::contains).orElse(false);
    boolean environmentKnown = environment.map(COMPUTE_ENVIRONMENTS::contains).orElse(false);
    if (!typeKnown && !environmentKnown) {
      return false;
    }
    // one more of accelerate's own keys besides the marker(s) found
    return Keys.countKnown(root, ACCELERATE_KEYS) - (typeKnown ? 1 : 0) - (environmentKnown ? 1 : 0) >= 1
        || (typeKnown && environmentKnown);
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    ReferenceData reference = context.reference();
    SourceRange anchor = root.entries().isEmpty() ? root.range() : root.entries().get(0).key().range();
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.TRAINING, anchor);
    PrecisionChoice precision = precision(root, anchor);
    if (precision != null) {
      run.precision(precision);
    }

    boolean sagemaker = Keys.text(root, "compute_environment").map(t -> t.equalsIgnoreCase("AMAZON_SAGEMAKER"))
        .orElse(false);
    if (sagemaker) {
      run.cloud(new CloudChoice("aws", root.entry("compute_environment").get().value().range()));
      Keys.scalar(root, "region").ifPresent(r ->
          reference.region("aws", r.text().trim()).ifPresent(spec -> run.region(new RegionChoice(spec, r.text().trim(),
              r.range()))));
    }
    boolean instanceDevices = sagemaker && instance(root, reference, run);
    if (!instanceDevices) {
      devices(root).ifPresent(run::devices);
    }
    root.mapping("deepspeed_config").flatMap(d -> Keys.scalarEntry(d, "gradient_accumulation_steps"))
        .map(e -> ((ScalarNode) e.value()).asLong())
        .filter(v -> v.isPresent() && v.getAsLong() > 0 && v.getAsLong() <= Integer.MAX_VALUE)
        .ifPresent(v -> run.workload(new Workload(null, null, null, null, (int) v.getAsLong())));
    offload(root).ifPresent(run::option);
    return List.of(new ExtractedRun(run.build(), fixes(context.editor(), root)));
  }

  private static final List<String> OFFLOAD_KEYS = List.of("offload_optimizer_device", "offload_param_device");

  /** `deepspeed_config.offload_optimizer_device: cpu` (`nvme`, `none`), else the parameters'; FSDP's `fsdp_offload_params`. */
  static Optional<Option> offload(MappingNode root) {
    Optional<MappingNode> deepspeed = root.mapping("deepspeed_config");
    Option none = null;
    for (String key : OFFLOAD_KEYS) {
      Optional<Entry> device = deepspeed.flatMap(d -> Keys.scalarEntry(d, key))
          .filter(e -> !((ScalarNode) e.value()).isNull());
      if (device.isPresent()) {
        String value = ((ScalarNode) device.get().value()).text().trim().toLowerCase(Locale.ROOT);
        Option o = new Option(Options.OPTIMIZER_OFFLOAD, value, device.get().range());
        if (!value.equals("none")) {
          return Optional.of(o);
        }
        none = none == null ? o : none;
      }
    }
    Optional<Entry> fsdp = root.mapping("fsdp_config").flatMap(f -> Keys.scalarEntry(f, "fsdp_offload_params"))
        .filter(e -> ((ScalarNode) e.value()).asBoolean().isPresent());
    if (fsdp.isPresent()) {
      boolean on = ((ScalarNode) fsdp.get().value()).asBoolean().get();
      Option o = new Option(Options.OPTIMIZER_OFFLOAD, on ? "cpu" : "none", fsdp.get().range());
      if (on || none == null) {
        return Optional.of(o);
      }
    }
    return Optional.ofNullable(none);
  }

  static PrecisionChoice precision(MappingNode root, SourceRange anchor) {
    Optional<Entry> entry = Keys.scalarEntry(root, "mixed_precision");
    if (entry.isEmpty()) {
      return new PrecisionChoice(Precision.FP32, false, anchor); // accelerate's default: "no"
    }
    ScalarNode v = (ScalarNode) entry.get().value();
    String value = v.text().trim().toLowerCase(Locale.ROOT);
    Precision p = switch (value) {
      case "bf16" -> Precision.BF16;
      case "fp16" -> Precision.FP16;
      case "fp8" -> Precision.FP8;
      case "no", "false", "fp32", "none" -> Precision.FP32;
      default -> null;
    };
    return p == null ? null : new PrecisionChoice(p, true, entry.get().range()); // an unknown spelling: not read
  }

  /** Devices from num_processes (a total), gpu_ids per machine, or one process for `distributed_type: NO`. */
  static Optional<DeviceCount> devices(MappingNode root) {
    boolean cpu = Keys.isTrue(root, "use_cpu")
        || Keys.scalar(root, "use_cpu").map(s -> s.text().trim().equalsIgnoreCase("true")).orElse(false)
        || Keys.text(root, "distributed_type").map(t -> t.equalsIgnoreCase("MULTI_CPU")).orElse(false);
    if (cpu) {
      return Optional.empty();
    }
    long machines = Optional.ofNullable(Keys.longValue(root, "num_machines")).filter(m -> m > 0).orElse(1L);
    Optional<Entry> processes = Keys.scalarEntry(root, "num_processes");
    Long total = Keys.longValue(root, "num_processes");
    if (processes.isPresent() && total != null && total > 0) {
      String how = "num_processes " + total + " (accelerate counts processes across all machines"
          + (machines > 1 ? ": " + machines + " machines (num_machines) x " + Figures.format((double) total / machines)
              + " each" : "") + "; one device per process)";
      return DeviceCount.of(total, 1, how, processes.get().range());
    }
    Optional<Entry> gpuIds = root.entry("gpu_ids");
    if (gpuIds.isPresent()) {
      Integer perMachine = countIds(gpuIds.get().value());
      if (perMachine != null) {
        String how = perMachine + " per machine (gpu_ids)" + (machines > 1 ? " x " + machines + " machines (num_machines)" : "");
        return DeviceCount.of(perMachine, machines, how, gpuIds.get().range());
      }
    }
    Optional<Entry> type = Keys.scalarEntry(root, "distributed_type");
    if (type.isPresent() && Set.of("no", "false").contains(((ScalarNode) type.get().value()).text().trim()
        .toLowerCase(Locale.ROOT))) {
      return DeviceCount.of(1, 1, "distributed_type NO: a single process on one device", type.get().range());
    }
    return Optional.empty();
  }

  /** `[0, 1]`, `"0,1,2"`, a single id; "all" (every GPU of the machine) is unknown. */
  private static Integer countIds(DocNode value) {
    if (value instanceof SequenceNode seq) {
      return seq.items().isEmpty() ? null : seq.items().size();
    }
    if (value instanceof ScalarNode s && !s.isNull()) {
      String text = s.text().trim();
      if (text.equalsIgnoreCase("all") || text.isEmpty()) {
        return null;
      }
      long n = Arrays.stream(text.split(",")).filter(p -> p.trim().matches("\\d+")).count();
      return n > 0 ? (int) n : null;
    }
    return null;
  }

  /** SageMaker's `ec2_instance_type` (`ml.p4d.24xlarge`) x `num_machines`; true when it resolved. */
  private static boolean instance(MappingNode root, ReferenceData reference, Run.Builder run) {
    Optional<ScalarNode> type = Keys.scalar(root, "ec2_instance_type");
    if (type.isEmpty()) {
      return false;
    }
    String written = type.get().text().trim();
    var spec = reference.instance(written);
    if (spec.isEmpty()) {
      return false;
    }
    var accelerator = reference.accelerator(spec.get().acceleratorId());
    if (accelerator.isEmpty()) {
      return false;
    }
    long machines = Optional.ofNullable(Keys.longValue(root, "num_machines")).filter(m -> m > 0).orElse(1L);
    int perMachine = (int) Math.max(1, Math.round(spec.get().acceleratorCount()));
    run.accelerator(new AcceleratorChoice(accelerator.get(), written, type.get().range()));
    DeviceCount.of(perMachine, machines, perMachine + " per instance (" + written + ")"
        + (machines > 1 ? " x " + machines + " instances (num_machines)" : ""), type.get().range())
        .ifPresent(run::devices);
    return true;
  }

  private static FixWriter fixes(ConfigEditor editor, MappingNode root) {
    return change -> {
      if (change instanceof ProposedChange.SetOption o && o.name().equals(Options.OPTIMIZER_OFFLOAD)
          && o.value().trim().equalsIgnoreCase("none")) {
        List<TextEdit> edits = new java.util.ArrayList<>();
        root.mapping("deepspeed_config").ifPresent(d -> {
          for (String key : OFFLOAD_KEYS) {
            Keys.text(d, key).filter(v -> !v.trim().equalsIgnoreCase("none"))
                .ifPresent(v -> edits.add(editor.set(d, key, "none")));
          }
        });
        root.mapping("fsdp_config").filter(f -> Keys.isTrue(f, "fsdp_offload_params"))
            .ifPresent(f -> edits.add(editor.set(f, "fsdp_offload_params", false)));
        return edits.isEmpty() ? Optional.empty() : Optional.of(new Fix(change.title(), List.copyOf(edits)));
      }
      if (change instanceof ProposedChange.UsePrecision p && p.precision() != Precision.FP32) {
        return Optional.of(new Fix(change.title(),
            List.of(editor.set(root, "mixed_precision", p.precision().label()))));
      }
      return Optional.empty();
    };
  }
}
