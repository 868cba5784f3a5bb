package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * LLM serving configs (vLLM, Text Generation Inference, SGLang), as people write them:
 * <ul>
 *   <li>Kubernetes workloads whose containers run a serving engine (Deployment, StatefulSet,
 *       LeaderWorkerSet, ...): read like the `kubernetes` format, plus the engine's flags and env;</li>
 *   <li>vLLM production-stack Helm values (`servingEngineSpec.modelSpec[]`: `modelURL`, `replicaCount`,
 *       `requestGPU`, `vllmConfig`): one run per model;</li>
 *   <li>a vLLM `--config` file or TGI launcher settings: flat keys such as `model`, `dtype`,
 *       `tensor-parallel-size`, `max-model-len`, `num_shard`, `quantize`;</li>
 *   <li>compose files whose services run a serving engine image: one run per such service.</li>
 * </ul>
 * Every run is {@link Stage#INFERENCE} with a {@link dev.carbonlens.model.Serving} fact (see {@link ServingFlags}).
 */
public final class ServingExtractor implements ConfigExtractor {
  private static final Pattern ENGINE_IMAGE = Pattern.compile(
      "vllm|text-generation-inference|text-generation-launcher|sglang|lmdeploy|tensorrt-llm|trtllm",
      Pattern.CASE_INSENSITIVE);
  /** Keys that only a serving engine's config has (normalised); a flat file needs two of them. */
  private static final Set<String> ENGINE_KEYS = ServingFlags.KNOWN;
  /** Keys that mark another format's file, which a serving config never has. */
  private static final Set<String> FOREIGN_KEYS = Set.of("apiVersion", "kind", "trainer", "resources", "run",
      "num_train_epochs", "output_dir", "learning_rate", "compute_environment", "zero_optimization", "method",
      "parameters", "services", "servingEngineSpec");

  @Override
  public String format() {
    return "serving";
  }

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    if (KubernetesWorkloads.isWorkload(root)) {
      return KubernetesWorkloads.runsServingEngine(root);
    }
    return !helmModels(root).isEmpty() || !composeServices(root).isEmpty() || isFlatConfig(root);
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    if (KubernetesWorkloads.isWorkload(root)) {
      ExtractedRun workload = KubernetesWorkloads.read(context, root, documentIndex, format());
      return List.of(withServingFixes(context, workload.run(), workload.fixes()));
    }
    List<ExtractedRun> runs = new ArrayList<>();
    for (MappingNode model : helmModels(root)) {
      runs.add(helmModel(context, model, documentIndex));
    }
    for (Entry service : composeServices(root)) {
      runs.add(composeService(context, service, documentIndex));
    }
    if (runs.isEmpty()) {
      runs.add(flatConfig(context, root, documentIndex));
    }
    return runs;
  }

  // ------------------------------------------------------------------------------------------ flat configs

  /** A vLLM `--config` YAML or TGI launcher settings: two engine-only keys, or a model and one of them. */
  private static boolean isFlatConfig(MappingNode root) {
    if (root.entries().stream().anyMatch(e -> FOREIGN_KEYS.contains(e.name()))) {
      return false;
    }
    long engine = 0;
    boolean model = false;
    for (Entry e : root.entries()) {
      if (e.value() instanceof MappingNode) {
        continue;
      }
      String n = ServingFlags.normalise(e.name());
      if (ENGINE_KEYS.contains(n)) {
        engine++;
      }
      model |= n.equals("model") || n.equals("model_id");
    }
    return engine >= 2 || (model && engine >= 1);
  }

  private ExtractedRun flatConfig(ExtractionContext context, MappingNode root, int documentIndex) {
    SourceRange anchor = anchorOf(root);
    Settings settings = ServingFlags.normalised(Settings.of(root));
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.INFERENCE, anchor);
    Integer replicas = settings.intValue("replicas", "replica_count", "num_replicas");
    ServingFlags.read(settings, anchor, context.reference(), run, replicas, null);
    return withServingFixes(context, run.build(), FixWriter.NONE);
  }

  /** The format's own fixes, then edits of the serving engine's settings (see {@link ServingFlags#fixes}). */
  private static ExtractedRun withServingFixes(ExtractionContext context, Run run, FixWriter own) {
    return new ExtractedRun(run, ServingFlags.fixes(context.document(), run, own));
  }

  // ------------------------------------------------------------------------------------------ Helm values

  /** vLLM production-stack values: `servingEngineSpec.modelSpec` items with a `modelURL`. */
  private static List<MappingNode> helmModels(MappingNode root) {
    List<MappingNode> out = new ArrayList<>();
    root.mapping("servingEngineSpec").flatMap(s -> s.sequence("modelSpec")).ifPresent(seq -> {
      for (DocNode item : seq.items()) {
        if (item instanceof MappingNode m && (m.containsKey("modelURL") || m.containsKey("vllmConfig"))) {
          out.add(m);
        }
      }
    });
    return out;
  }

  private ExtractedRun helmModel(ExtractionContext context, MappingNode model, int documentIndex) {
    ReferenceData reference = context.reference();
    SourceRange anchor = anchorOf(model);
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.INFERENCE, anchor);
    MappingNode vllm = model.mapping("vllmConfig").orElse(KubernetesWorkloads.empty(model));
    CommandArgs extra = vllm.get("extraArgs").map(n -> CommandArgs.of(n, context.document())).orElse(CommandArgs.NONE);
    Map<String, Setting> env = KubernetesWorkloads.env(model);

    List<KubernetesWorkloads.Label> labels = new ArrayList<>();
    model.sequence("nodeSelectorTerms").ifPresent(terms -> KubernetesWorkloads.selectorTerms(terms, labels));
    model.mapping("nodeSelector").ifPresent(sel -> sel.entries().forEach(e -> {
      if (e.value() instanceof ScalarNode v && !v.isNull()) {
        labels.add(new KubernetesWorkloads.Label(e.name(), v.text().trim(), e.range(), v));
      }
    }));
    KubernetesWorkloads.Placement placement = KubernetesWorkloads.placement(labels, reference);
    placement.accelerator().ifPresent(run::accelerator);
    placement.cloud().ifPresent(run::cloud);
    KubernetesWorkloads.region(placement, env, reference).ifPresent(run::region);

    Optional<Entry> replicaEntry = Keys.scalarEntry(model, "replicaCount");
    Integer replicas = Optional.ofNullable(Keys.intValue(model, "replicaCount")).orElse(1);
    Optional<Entry> gpus = Keys.scalarEntry(model, "requestGPU");
    Long perReplica = Keys.longValue(model, "requestGPU");
    if (gpus.isPresent() && perReplica != null) {
      DeviceCount.of(perReplica, replicas, perReplica + " per replica (requestGPU)"
          + (replicas > 1 ? " x " + replicas + " replicas (replicaCount)" : ""), gpus.get().range())
          .ifPresent(run::devices);
    }
    Settings settings = ServingFlags.normalised(Settings.layered(extra, Settings.of(vllm), Settings.of(model),
        Settings.of(env)));
    ServingFlags.read(settings, anchor, reference, run, replicaEntry.isPresent() ? replicas : Integer.valueOf(1),
        placement.accelerator().map(a -> a.spec().supportsBf16()).orElse(null));
    return withServingFixes(context, run.build(), acceleratorFix(context.editor(), placement));
  }

  // ------------------------------------------------------------------------------------------ compose

  /** Services of a compose file whose image (or command) is a serving engine. */
  private static List<Entry> composeServices(MappingNode root) {
    List<Entry> out = new ArrayList<>();
    root.mapping("services").ifPresent(services -> {
      for (Entry e : services.entries()) {
        if (e.value() instanceof MappingNode s && (Keys.text(s, "image").map(i -> ENGINE_IMAGE.matcher(i).find())
            .orElse(false) || s.get("command").map(ServingExtractor::mentionsEngine).orElse(false))) {
          out.add(e);
        }
      }
    });
    return out;
  }

  private static boolean mentionsEngine(DocNode node) {
    if (node instanceof ScalarNode s) {
      return ENGINE_IMAGE.matcher(s.text()).find();
    }
    return node instanceof SequenceNode seq && seq.items().stream().anyMatch(ServingExtractor::mentionsEngine);
  }

  private ExtractedRun composeService(ExtractionContext context, Entry service, int documentIndex) {
    MappingNode s = (MappingNode) service.value();
    SourceRange anchor = service.key().range();
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.INFERENCE, anchor);
    CommandArgs command = s.get("command").map(n -> CommandArgs.of(n, context.document())).orElse(CommandArgs.NONE);
    Settings environment = s.get("environment").map(n -> n instanceof MappingNode m ? Settings.of(m)
        : (Settings) CommandArgs.of(n, context.document())).orElse(Settings.EMPTY);
    Map<String, Setting> env = new LinkedHashMap<>();
    environment.names().forEach(n -> environment.get(n).ifPresent(v -> env.put(n.toUpperCase(java.util.Locale.ROOT), v)));

    MappingNode deploy = s.mapping("deploy").orElse(KubernetesWorkloads.empty(s));
    Optional<Entry> replicaEntry = Keys.scalarEntry(deploy, "replicas");
    Integer replicas = replicaEntry.isPresent() ? Keys.intValue(deploy, "replicas") : Integer.valueOf(1);
    reservedDevices(deploy, replicas == null ? 1 : replicas).ifPresent(run::devices);
    Settings settings = ServingFlags.normalised(Settings.layered(KubernetesWorkloads.resolvingEnv(command, env),
        environment));
    ServingFlags.read(settings, anchor, context.reference(), run, replicas, null);
    return withServingFixes(context, run.build(), FixWriter.NONE);
  }

  /** Helm `nodeSelector`: a GKE accelerator label takes the proposed accelerator's GKE name (`nvidia-l4`). */
  private static FixWriter acceleratorFix(ConfigEditor editor, KubernetesWorkloads.Placement placement) {
    return change -> {
      if (change instanceof dev.carbonlens.engine.ProposedChange.UseAccelerator use
          && placement.acceleratorLabel().filter(l -> l.key().equals("cloud.google.com/gke-accelerator")).isPresent()) {
        KubernetesWorkloads.Label label = placement.acceleratorLabel().get();
        return use.accelerator().aliases().stream().filter(a -> a.startsWith("nvidia-")).findFirst()
            .map(gke -> new Fix(change.title(), List.of(editor.replace(label.valueNode(), gke))));
      }
      return Optional.empty();
    };
  }

  /** `deploy.resources.reservations.devices[]`: `count: N` (not `all`) or a `device_ids` list. */
  private static Optional<DeviceCount> reservedDevices(MappingNode deploy, int replicas) {
    Optional<SequenceNode> devices = deploy.mapping("resources").flatMap(r -> r.mapping("reservations"))
        .flatMap(r -> r.sequence("devices"));
    if (devices.isEmpty()) {
      return Optional.empty();
    }
    for (DocNode d : devices.get().items()) {
      if (!(d instanceof MappingNode m)) {
        continue;
      }
      Optional<Entry> count = Keys.scalarEntry(m, "count");
      Long n = Keys.longValue(m, "count");
      if (count.isPresent() && n != null) {
        return DeviceCount.of(n, replicas, n + " per replica (devices count)"
            + (replicas > 1 ? " x " + replicas + " replicas" : ""), count.get().range());
      }
      Optional<Entry> ids = m.entry("device_ids");
      if (ids.isPresent() && ids.get().value() instanceof SequenceNode list && list.size() > 0) {
        return DeviceCount.of(list.size(), replicas, list.size() + " per replica (device_ids)"
            + (replicas > 1 ? " x " + replicas + " replicas" : ""), ids.get().range());
      }
    }
    return Optional.empty();
  }

  private static SourceRange anchorOf(MappingNode m) {
    return m.entries().isEmpty() ? m.range() : m.entries().get(0).key().range();
  }
}
