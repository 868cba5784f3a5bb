package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.AcceleratorChoice;
import dev.carbonlens.model.CloudChoice;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.RegionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Serving;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.ReferenceData;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SkyPilot task YAML: `resources` (accelerators as `V100:8`, `{A100-80GB: 8}` or a candidates list;
 * cloud / region / zone or `infra: aws/us-east-1`), `num_nodes`, and the `run` script, whose
 * command-line flags (`--epochs 200`, `--bf16`) are read for the schedule and precision.
 *
 * <p>A SkyServe `service` makes the run a serving one, with {@link Options#MIN_REPLICAS}: a fixed
 * `replicas: N` (also a `Serving` fact with N replicas), or `replica_policy.min_replicas`, which
 * the autoscaler may take to zero when the policy autoscales (`max_replicas` or
 * `target_qps_per_replica`; the `Serving` fact then leaves the count unknown). Without either,
 * the policy is a fixed `min_replicas` count.
 */
public final class SkyPilotExtractor implements ConfigExtractor {
  private static final Set<String> TASK_KEYS = Set.of(
      "resources", "num_nodes", "setup", "run", "workdir", "file_mounts", "envs", "service", "name");
  private static final Set<String> RESOURCE_KEYS = Set.of(
      "accelerators", "cloud", "infra", "region", "zone", "instance_type", "use_spot", "candidates",
      "any_of", "ordered", "disk_size", "image_id", "cpus", "memory");
  private static final Pattern SERVING = Pattern.compile(
      "vllm|sglang|text-generation-launcher|tgi|\\bserve\\b|trtllm-serve|lmdeploy");
  /** SkyPilot's own names for the table's accelerators, for writing fixes. */
  private static final Map<String, String> SKYPILOT_NAMES = Map.of(
      "A100-SXM4-40GB", "A100", "A100-SXM4-80GB", "A100-80GB", "H100-SXM", "H100",
      "V100-SXM2-16GB", "V100", "V100-SXM2-32GB", "V100-32GB");

  @Override
  public String format() {
    return "skypilot";
  }

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    Optional<MappingNode> resources = root.mapping("resources");
    if (resources.isPresent() && Keys.countKnown(resources.get(), RESOURCE_KEYS) >= 1) {
      return Keys.countKnown(root, TASK_KEYS) >= 2;
    }
    return root.containsKey("run") && (root.containsKey("num_nodes") || root.containsKey("setup"))
        && Keys.countKnown(root, TASK_KEYS) >= 3;
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    ReferenceData reference = context.reference();
    MappingNode resources = root.mapping("resources").orElse(new MappingNode(List.of(), root.range()));
    SourceRange anchor = root.entry("resources").map(e -> e.key().range())
        .orElse(root.entries().isEmpty() ? root.range() : root.entries().get(0).key().range());
    String script = Keys.text(root, "run").orElse("");
    Stage stage = root.containsKey("service") || SERVING.matcher(script).find() ? Stage.INFERENCE : Stage.TRAINING;

    Run.Builder run = Run.builder(context.file(), documentIndex, format(), stage, anchor);
    Optional<Accelerators> accelerators = accelerators(resources, reference);
    long nodes = Optional.ofNullable(Keys.longValue(root, "num_nodes")).orElse(1L);
    // A SkyServe service holds its replicas' GPUs all the time: count them all.
    Long replicas = root.mapping("service").map(SkyPilotExtractor::replicas).orElse(null);
    long copies = replicas == null ? nodes : replicas * nodes;
    accelerators.ifPresent(a -> {
      run.accelerator(new AcceleratorChoice(a.spec(), a.written(), a.range()));
      String how = a.perNode() + " per node (" + a.written() + ")"
          + (nodes > 1 ? " x " + nodes + " nodes (num_nodes)" : "")
          + (replicas != null && replicas > 1 ? " x " + replicas + " replicas (service)" : "");
      DeviceCount.of(a.perNode(), copies, how, a.range()).ifPresent(run::devices);
    });
    placement(resources, reference, run);
    readScript(context, root, run);
    Keys.scalar(root.mapping("envs").orElse(new MappingNode(List.of(), root.range())),
            "MODEL_NAME", "MODEL_ID", "MODEL", "HF_MODEL", "BASE_MODEL")
        .ifPresent(m -> run.model(Models.choice(reference, m)));
    Optional<ReplicaFloor> floor = root.mapping("service").flatMap(SkyPilotExtractor::replicaFloor);
    floor.ifPresent(f -> {
      run.option(Options.MIN_REPLICAS, String.valueOf(f.min()), f.entry().range());
      run.serving(new Serving(null, null, null, null, f.autoscales() ? null : (int) Math.min(Integer.MAX_VALUE, f.min()),
          f.entry().range()));
    });
    return List.of(new ExtractedRun(run.build(), fixes(context.editor(), resources, accelerators, floor)));
  }

  /**
   * The fewest replicas a SkyServe service runs: `replicas` (fixed) or `replica_policy.min_replicas`;
   * `autoscales` when the policy also sets `max_replicas` or `target_qps_per_replica`.
   */
  record ReplicaFloor(long min, boolean autoscales, Entry entry, MappingNode policy) {}

  static Optional<ReplicaFloor> replicaFloor(MappingNode service) {
    Optional<Entry> fixed = Keys.scalarEntry(service, "replicas");
    Long count = Keys.longValue(service, "replicas");
    if (fixed.isPresent() && count != null && count >= 0) {
      return Optional.of(new ReplicaFloor(count, false, fixed.get(), null));
    }
    Optional<MappingNode> policy = service.mapping("replica_policy");
    if (policy.isEmpty()) {
      return Optional.empty();
    }
    Optional<Entry> min = Keys.scalarEntry(policy.get(), "min_replicas");
    Long value = Keys.longValue(policy.get(), "min_replicas");
    if (min.isEmpty() || value == null || value < 0) {
      return Optional.empty();
    }
    boolean autoscales = policy.get().containsKey("max_replicas") || policy.get().containsKey("target_qps_per_replica");
    return Optional.of(new ReplicaFloor(value, autoscales, min.get(), policy.get()));
  }

  /** `replicas: N`, or the floor a replica policy keeps running. */
  private static Long replicas(MappingNode service) {
    Long fixed = Keys.longValue(service, "replicas");
    if (fixed != null) {
      return fixed;
    }
    return service.mapping("replica_policy").map(p -> Keys.longValue(p, "min_replicas")).orElse(null);
  }

  record Accelerators(AcceleratorSpec spec, String written, int perNode, SourceRange range, ScalarNode node) {}

  /** `V100:8`, `{A100-80GB: 8}`, or the first resolvable of `candidates` / `any_of` / `ordered`. */
  static Optional<Accelerators> accelerators(MappingNode resources, ReferenceData reference) {
    Optional<Entry> entry = resources.entry("accelerators");
    if (entry.isPresent()) {
      Optional<Accelerators> found = fromNode(entry.get().value(), reference);
      if (found.isPresent()) {
        return found;
      }
    }
    Optional<Accelerators> fromInstance = fromInstanceType(resources, reference);
    if (fromInstance.isPresent()) {
      return fromInstance;
    }
    for (String list : List.of("candidates", "any_of", "ordered")) {
      Optional<DocNode> options = resources.get(list);
      if (options.isPresent() && options.get() instanceof SequenceNode seq) {
        for (DocNode item : seq.items()) {
          if (item instanceof MappingNode m && m.get("accelerators").isPresent()) {
            Optional<Accelerators> found = fromNode(m.get("accelerators").get(), reference);
            if (found.isPresent()) {
              return found;
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  /** `instance_type: p4d.24xlarge` → 8 × A100; a fractional GPU (g6f, NVads A10) counts as one device. */
  private static Optional<Accelerators> fromInstanceType(MappingNode resources, ReferenceData reference) {
    Optional<ScalarNode> type = Keys.scalar(resources, "instance_type");
    if (type.isEmpty()) {
      return Optional.empty();
    }
    return reference.instance(type.get().text().trim()).flatMap(instance ->
        reference.accelerator(instance.acceleratorId()).map(spec -> new Accelerators(spec,
            type.get().text().trim() + " (" + Figures.format(instance.acceleratorCount()) + " x " + spec.id() + ")",
            (int) Math.max(1, Math.round(instance.acceleratorCount())), type.get().range(), null)));
  }

  private static Optional<Accelerators> fromNode(DocNode node, ReferenceData reference) {
    if (node instanceof ScalarNode s && !s.isNull()) {
      String text = s.text().trim();
      int colon = text.lastIndexOf(':');
      String name = colon > 0 ? text.substring(0, colon) : text;
      int count = colon > 0 ? parseCount(text.substring(colon + 1)) : 1;
      return reference.accelerator(name).map(spec -> new Accelerators(spec, text, count, s.range(), s));
    }
    if (node instanceof MappingNode m && !m.entries().isEmpty()) {
      Entry first = m.entries().get(0);
      int count = first.value() instanceof ScalarNode v ? parseCount(v.text()) : 1;
      return reference.accelerator(first.name())
          .map(spec -> new Accelerators(spec, first.name() + ":" + count, count, first.range(), null));
    }
    if (node instanceof SequenceNode seq && !seq.items().isEmpty()) {
      return fromNode(seq.items().get(0), reference);
    }
    return Optional.empty();
  }

  private static int parseCount(String text) {
    try {
      return Math.max(1, (int) Math.ceil(Double.parseDouble(text.trim())));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** cloud / region / zone, or the newer `infra: aws/us-east-1[/zone]`. */
  private static void placement(MappingNode resources, ReferenceData reference, Run.Builder run) {
    Optional<Entry> infra = Keys.scalarEntry(resources, "infra");
    Optional<Entry> cloud = Keys.scalarEntry(resources, "cloud");
    String provider = cloud.map(e -> ((ScalarNode) e.value()).text().toLowerCase(Locale.ROOT)).orElse(null);
    String regionText = null;
    SourceRange regionRange = null;
    if (infra.isPresent()) {
      String[] parts = ((ScalarNode) infra.get().value()).text().toLowerCase(Locale.ROOT).split("/");
      provider = parts[0];
      if (parts.length > 1) {
        regionText = parts[parts.length > 2 ? 2 : 1];
        regionRange = infra.get().value().range();
      }
      if (provider != null) {
        run.cloud(new CloudChoice(provider, infra.get().value().range()));
      }
    } else if (cloud.isPresent()) {
      run.cloud(new CloudChoice(provider, cloud.get().value().range()));
    }
    Optional<Entry> region = Keys.scalarEntry(resources, "region", "zone");
    if (region.isPresent()) {
      regionText = ((ScalarNode) region.get().value()).text();
      regionRange = region.get().value().range();
    }
    if (regionText != null) {
      String written = regionText;
      SourceRange where = regionRange;
      reference.region(provider, regionText)
          .ifPresent(spec -> run.region(new RegionChoice(spec, written, where)));
    }
  }

  /**
   * The `run:` script's flags, each with its own position: transformers-style flags through
   * TrainingArguments (`--bf16`, `--mixed_precision no`, `--num_train_epochs 3`, `--epochs 90`), then
   * other frameworks' precision flags (`--amp`, `--precision 16`, `--fp32`, `--no-amp`). A script that
   * says nothing about precision leaves it unknown: it may set it in code.
   */
  private static void readScript(ExtractionContext context, MappingNode root, Run.Builder run) {
    Optional<Entry> runEntry = root.entry("run");
    if (runEntry.isEmpty() || !(runEntry.get().value() instanceof ScalarNode script)) {
      return;
    }
    CommandArgs args = CommandArgs.of(script, context.document());
    TrainingArguments.read(args, runEntry.get().key().range(), false, context.reference(), run);
    if (run.precision() == null) {
      otherPrecisionFlag(args).ifPresent(run::precision);
    }
    if (run.schedule() != null && (args.mentions("early_stop") || args.mentions("early-stop") || args.mentions("patience"))) {
      run.schedule(run.schedule().withEarlyStopping(true));
    }
  }

  private static Optional<PrecisionChoice> otherPrecisionFlag(CommandArgs args) {
    Optional<Setting> amp = args.get("amp");
    if (amp.isPresent() && amp.get().isTrue()) {
      return Optional.of(new PrecisionChoice(Precision.FP16, true, amp.get().range()));
    }
    Optional<Setting> precision = args.get("precision");
    if (precision.isPresent()) {
      String p = precision.get().lower();
      Precision value = p.startsWith("bf16") ? Precision.BF16
          : p.startsWith("16") || p.equals("fp16") ? Precision.FP16
          : p.startsWith("32") || p.equals("fp32") ? Precision.FP32 : null;
      if (value != null) {
        return Optional.of(new PrecisionChoice(value, true, precision.get().range()));
      }
    }
    return args.first("fp32", "no_amp").filter(Setting::isTrue)
        .map(f -> new PrecisionChoice(Precision.FP32, true, f.range()));
  }

  private static FixWriter fixes(ConfigEditor editor, MappingNode resources, Optional<Accelerators> accelerators,
      Optional<ReplicaFloor> floor) {
    return change -> {
      if (change instanceof ProposedChange.SetOption set && set.name().equals(Options.MIN_REPLICAS)
          && set.value().equals("0") && floor.isPresent() && floor.get().autoscales()) {
        return Optional.of(new Fix(change.title(), List.of(editor.set(floor.get().policy(), "min_replicas", 0))));
      }
      if (change instanceof ProposedChange.UseAccelerator use && accelerators.isPresent()
          && accelerators.get().node() != null) {
        Accelerators current = accelerators.get();
        String name = SKYPILOT_NAMES.getOrDefault(use.accelerator().id(), use.accelerator().id());
        return Optional.of(new Fix(change.title(),
            List.of(editor.replace(current.node(), name + ":" + current.perNode()))));
      }
      if (change instanceof ProposedChange.MoveToRegion move) {
        Optional<Entry> infra = Keys.scalarEntry(resources, "infra");
        if (infra.isPresent() && !resources.containsKey("region")) {
          return Optional.of(new Fix(change.title(), List.of(editor.replace(
              (ScalarNode) infra.get().value(), move.region().provider() + "/" + move.region().id()))));
        }
        if (resources.containsKey("zone") && !resources.containsKey("region")) {
          return Optional.empty(); // a zone names a data centre: the user must pick one in the new region
        }
        if (resources.entries().isEmpty()) {
          return Optional.empty(); // no `resources` mapping written (absent or empty): no place for a region key
        }
        return Optional.of(new Fix(change.title(), List.of(editor.set(resources, "region", move.region().id()))));
      }
      return Optional.empty();
    };
  }
}
