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
import dev.carbonlens.model.RegionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.StatedDuration;
import dev.carbonlens.model.Sweep;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Google Vertex AI custom training, camelCase (REST, `gcloud ai custom-jobs create --config`) and
 * snake_case (Python SDK dicts) alike: `workerPoolSpecs[].machineSpec` (acceleratorType x
 * acceleratorCount x replicaCount, summed over pools; a machine type alone such as `a3-highgpu-8g`
 * resolves through the instance table), the container's command/args/env read as training arguments,
 * `scheduling.timeout`, and hyperparameter tuning jobs (`studySpec`, `maxTrialCount`). Also its
 * predecessor AI Platform Training (`trainingInput`: scale tier, legacy machine types, accelerator
 * configs, `hyperparameters`) and flat launcher configs (`machine_type`, `gpu_type`, `gpus_per_node`,
 * `nodes`, `project_id`, `region`).
 */
public final class VertexExtractor implements ConfigExtractor {
  private static final List<Pattern> REGION_PATTERNS = List.of(
      Pattern.compile("\\b([a-z]+-[a-z]+\\d+)-aiplatform\\.googleapis\\.com"),
      Pattern.compile("\\bprojects/[^/\\s]+/locations/([a-z]+-[a-z]+\\d+)\\b"));
  private static final Set<String> LEGACY_INPUT_KEYS = Set.of(
      "scaleTier", "masterType", "workerType", "parameterServerType", "workerCount", "parameterServerCount",
      "masterConfig", "workerConfig", "hyperparameters", "packageUris", "pythonModule", "runtimeVersion",
      "pythonVersion", "jobDir", "region", "args", "scheduling");
  private static final Pattern GCP_MACHINE = Pattern.compile("^(a2|a3|a4|g2|g4|n1|ct\\d\\w*|cloud-tpu)-?[\\w-]*$");
  /** AI Platform's legacy machine names that carry GPUs (the others are CPU-only). */
  private static final Map<String, Object[]> LEGACY_MACHINES = Map.of(
      "standard_gpu", new Object[] {"K80", 1},
      "complex_model_m_gpu", new Object[] {"K80", 4},
      "complex_model_l_gpu", new Object[] {"K80", 8},
      "standard_p100", new Object[] {"P100", 1},
      "complex_model_m_p100", new Object[] {"P100", 4},
      "standard_v100", new Object[] {"V100", 1},
      "large_model_v100", new Object[] {"V100", 1},
      "complex_model_m_v100", new Object[] {"V100", 4},
      "complex_model_l_v100", new Object[] {"V100", 8});

  @Override
  public String format() {
    return "vertex-ai";
  }

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    return jobSpec(root).isPresent() || legacyInput(root).isPresent() || isLauncher(root);
  }

  /** The mapping holding `workerPoolSpecs` with at least one `machineSpec`. */
  static Optional<MappingNode> jobSpec(MappingNode root) {
    List<MappingNode> candidates = new ArrayList<>();
    candidates.add(root);
    for (String k : List.of("jobSpec", "job_spec", "trialJobSpec", "trial_job_spec", "customJob", "custom_job")) {
      root.mapping(k).ifPresent(m -> {
        candidates.add(m);
        m.mapping("jobSpec").or(() -> m.mapping("job_spec")).ifPresent(candidates::add);
      });
    }
    for (MappingNode m : candidates) {
      Optional<SequenceNode> pools = CloudJobs.sequence(m, "workerPoolSpecs", "worker_pool_specs");
      if (pools.isPresent() && pools.get().items().stream().anyMatch(i -> i instanceof MappingNode p
          && (p.mapping("machineSpec").isPresent() || p.mapping("machine_spec").isPresent()))) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  static Optional<MappingNode> legacyInput(MappingNode root) {
    return root.mapping("trainingInput").filter(t -> Keys.countKnown(t, LEGACY_INPUT_KEYS) >= 1);
  }

  /** A flat launcher config: a GCP machine type or Vertex accelerator name, with a project and a place. */
  static boolean isLauncher(MappingNode root) {
    Optional<String> machine = Keys.text(root, "machine_type", "machineType");
    Optional<String> gpu = Keys.text(root, "gpu_type", "accelerator_type", "acceleratorType");
    boolean gcpMachine = machine.map(m -> GCP_MACHINE.matcher(m.trim().toLowerCase(Locale.ROOT)).matches())
        .orElse(false);
    boolean vertexGpu = gpu.map(g -> g.trim().startsWith("NVIDIA_") || g.trim().startsWith("TPU_")).orElse(false);
    boolean project = root.containsKey("project_id") || root.containsKey("project") || root.containsKey("projectId");
    boolean place = root.containsKey("region") || root.containsKey("location") || root.containsKey("zone");
    return (gcpMachine || vertexGpu) && machine.isPresent() && project && place;
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    Optional<MappingNode> spec = jobSpec(root);
    if (spec.isPresent()) {
      return List.of(customJob(context, root, spec.get(), documentIndex));
    }
    Optional<MappingNode> legacy = legacyInput(root);
    if (legacy.isPresent()) {
      return List.of(legacyJob(context, root, legacy.get(), documentIndex));
    }
    return List.of(launcher(context, root, documentIndex));
  }

  /** One pool's accelerators (`acceleratorType` or, failing that, its machine type) and replicas. */
  record Pool(int index, AcceleratorSpec spec, String written, int perReplica, long replicas, SourceRange range,
      SourceRange countRange) {}

  private ExtractedRun customJob(ExtractionContext context, MappingNode root, MappingNode spec, int documentIndex) {
    ReferenceData reference = context.reference();
    Optional<Entry> poolsEntry = CloudJobs.anyEntry(spec, "workerPoolSpecs", "worker_pool_specs");
    SourceRange anchor = poolsEntry.map(e -> e.key().range()).orElse(CloudJobs.firstKey(root));
    MappingNode study = CloudJobs.mapping(root, "studySpec", "study_spec");
    boolean tuning = !study.entries().isEmpty();
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), tuning ? Stage.SWEEP : Stage.TRAINING, anchor);
    run.cloud(new CloudChoice("gcp", anchor));

    List<DocNode> items = CloudJobs.sequence(spec, "workerPoolSpecs", "worker_pool_specs")
        .map(SequenceNode::items).orElse(List.of());
    List<Pool> pools = new ArrayList<>();
    MappingNode chief = null;
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof MappingNode pool) || pool.entries().isEmpty()) {
        continue;
      }
      if (chief == null) {
        chief = pool;
      }
      MappingNode machine = CloudJobs.mapping(pool, "machineSpec", "machine_spec");
      long replicas = CloudJobs.entry(pool, "replicaCount", "replica_count").map(CloudJobs::longOf).orElse(1L);
      pool(i, machine, replicas, reference).ifPresent(pools::add);
    }
    devices(pools, run);

    MappingNode container = chief == null ? CloudJobs.EMPTY : CloudJobs.mapping(chief, "containerSpec", "container_spec");
    MappingNode python = chief == null ? CloudJobs.EMPTY : CloudJobs.mapping(chief, "pythonPackageSpec", "python_package_spec");
    CommandArgs args = CommandArgs.concat(
        CommandArgs.of(container.get("command").orElse(null), context.document()),
        CommandArgs.of(container.get("args").orElse(null), context.document()),
        CommandArgs.of(python.get("args").orElse(null), context.document()));
    Settings env = Settings.layered(CloudJobs.env(container.get("env").orElse(null)),
        CloudJobs.env(python.get("env").orElse(null)));
    TrainingArguments.read(Settings.layered(args, env), anchor, false, reference, run);
    if (run.model() == null) {
      env.first(CloudJobs.MODEL_ENV.toArray(String[]::new)).ifPresent(m -> run.model(Models.choice(reference, m)));
    }
    if (!tuning && run.model() != null) {
      run.stage(Stage.FINE_TUNING);
    }

    MappingNode scheduling = CloudJobs.mapping(spec, "scheduling");
    CloudJobs.entry(scheduling, "timeout", "maxRunningTime", "max_running_time").ifPresent(e -> {
      Double hours = CloudJobs.hours(CloudJobs.text(e), 1.0);
      if (hours != null) {
        run.duration(new StatedDuration(hours, e.range()));
      }
    });
    if (tuning) {
      run.sweep(studySweep(root, study));
    }
    Optional<RegionChoice> region = region(root, spec, reference);
    region.ifPresent(run::region);
    return new ExtractedRun(run.build(), fixes(context.editor(), root));
  }

  private static Optional<Pool> pool(int index, MappingNode machine, long replicas, ReferenceData reference) {
    Optional<Entry> type = CloudJobs.entry(machine, "acceleratorType", "accelerator_type");
    Optional<Entry> count = CloudJobs.entry(machine, "acceleratorCount", "accelerator_count");
    if (type.isPresent()) {
      String written = CloudJobs.text(type.get());
      Optional<AcceleratorSpec> spec = accelerator(reference, written);
      if (spec.isPresent()) {
        long perReplica = count.map(CloudJobs::longOf).orElse(1L);
        return Optional.of(new Pool(index, spec.get(), written, (int) Math.max(1, perReplica), Math.max(1, replicas),
            type.get().range(), count.map(Entry::range).orElse(type.get().range())));
      }
    }
    Optional<Entry> machineType = CloudJobs.entry(machine, "machineType", "machine_type");
    return machineType.flatMap(m -> CloudJobs.instance(reference, CloudJobs.text(m), m.range()))
        .map(hw -> new Pool(index, hw.spec(), hw.written(), hw.perNode(), Math.max(1, replicas), hw.range(),
            hw.range()));
  }

  /** Vertex enum names (`NVIDIA_TESLA_V100`, `TPU_V5_LITEPOD`) through the reference table. */
  static Optional<AcceleratorSpec> accelerator(ReferenceData reference, String written) {
    String w = written.trim();
    if (w.isEmpty() || w.toUpperCase(Locale.ROOT).endsWith("UNSPECIFIED")) {
      return Optional.empty();
    }
    Optional<AcceleratorSpec> direct = reference.accelerator(w);
    if (direct.isPresent()) {
      return direct;
    }
    String upper = w.toUpperCase(Locale.ROOT);
    if (upper.startsWith("TPU_V5_LITEPOD") || upper.startsWith("TPU_V5E")) {
      return reference.accelerator("TPU-v5e");
    }
    return Optional.empty();
  }

  /** Accelerators of the first pool that has any, summed over the pools with the same accelerator. */
  private static void devices(List<Pool> pools, Run.Builder run) {
    if (pools.isEmpty()) {
      return;
    }
    Pool first = pools.get(0);
    run.accelerator(new AcceleratorChoice(first.spec(), first.written(), first.range()));
    long total = 0;
    List<String> parts = new ArrayList<>();
    for (Pool p : pools) {
      if (!p.spec().equals(first.spec())) {
        continue;
      }
      total += (long) p.perReplica() * p.replicas();
      parts.add(p.perReplica() + " x " + p.written() + (p.replicas() > 1 ? " x " + p.replicas() + " replicas" : "")
          + " (pool " + p.index() + ")");
    }
    SourceRange where = pools.size() == 1 ? first.countRange() : first.range();
    DeviceCount.of(total, 1, String.join(" + ", parts), where).ifPresent(run::devices);
  }

  private static Sweep studySweep(MappingNode root, MappingNode study) {
    String algorithm = CloudJobs.lower(study, "algorithm");
    String method = method(algorithm);
    Long combinations = 1L;
    for (DocNode p : CloudJobs.sequence(study, "parameters").map(SequenceNode::items).orElse(List.of())) {
      combinations = times(combinations, p instanceof MappingNode m ? vertexValues(m) : null);
    }
    Long trials = Keys.longValue(root, "maxTrialCount", "max_trial_count");
    boolean early = study.containsKey("decayCurveStoppingSpec") || study.containsKey("medianAutomatedStoppingSpec")
        || study.containsKey("convexAutomatedStoppingSpec") || study.containsKey("convexStopConfig")
        || study.containsKey("decay_curve_stopping_spec") || study.containsKey("median_automated_stopping_spec");
    SourceRange where = CloudJobs.anyEntry(root, "studySpec", "study_spec").map(e -> e.key().range())
        .orElse(study.range());
    return new Sweep(method, combinations, trials, early, where);
  }

  private static String method(String algorithm) {
    if (algorithm.contains("grid")) {
      return "grid";
    }
    if (algorithm.contains("random")) {
      return "random";
    }
    return "bayes"; // ALGORITHM_UNSPECIFIED: Vertex and AI Platform default to Bayesian optimisation
  }

  private static Long vertexValues(MappingNode parameter) {
    for (String k : List.of("categoricalValueSpec", "discreteValueSpec", "categorical_value_spec",
        "discrete_value_spec")) {
      Optional<MappingNode> spec = parameter.mapping(k);
      if (spec.isPresent()) {
        return spec.get().sequence("values").map(s -> (long) s.size()).orElse(null);
      }
    }
    Optional<MappingNode> ints = parameter.mapping("integerValueSpec").or(() -> parameter.mapping("integer_value_spec"));
    if (ints.isPresent()) {
      return span(Keys.longValue(ints.get(), "minValue", "min_value"), Keys.longValue(ints.get(), "maxValue", "max_value"));
    }
    return null;
  }

  private static Long span(Long min, Long max) {
    return min == null || max == null || max < min ? null : max - min + 1;
  }

  private static Long times(Long a, Long b) {
    return a == null || b == null || b < 1 || a > Long.MAX_VALUE / b ? null : a * b;
  }

  private ExtractedRun legacyJob(ExtractionContext context, MappingNode root, MappingNode input, int documentIndex) {
    ReferenceData reference = context.reference();
    SourceRange anchor = root.entry("trainingInput").map(e -> e.key().range()).orElse(CloudJobs.firstKey(root));
    MappingNode hyper = CloudJobs.mapping(input, "hyperparameters");
    boolean tuning = !hyper.entries().isEmpty();
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), tuning ? Stage.SWEEP : Stage.TRAINING, anchor);
    run.cloud(new CloudChoice("gcp", anchor));

    List<Pool> pools = new ArrayList<>();
    long workers = Optional.ofNullable(Keys.longValue(input, "workerCount")).orElse(0L);
    legacyPool(0, input, "master", 1, reference).ifPresent(pools::add);
    if (workers > 0) {
      legacyPool(1, input, "worker", workers, reference).ifPresent(pools::add);
    }
    if (pools.isEmpty()) {
      CloudJobs.entry(input, "scaleTier").filter(e -> CloudJobs.text(e).equalsIgnoreCase("BASIC_GPU"))
          .flatMap(e -> reference.accelerator("K80").map(k -> new Pool(0, k, "BASIC_GPU (1 x K80)", 1, 1, e.range(),
              e.range())))
          .ifPresent(pools::add);
    }
    devices(pools, run);

    CommandArgs args = CommandArgs.of(input.get("args").orElse(null), context.document());
    TrainingArguments.read(args, anchor, false, reference, run);
    CloudJobs.mapping(input, "scheduling").entry("maxRunningTime").filter(e -> e.value() instanceof ScalarNode)
        .ifPresent(e -> {
          Double hours = CloudJobs.hours(CloudJobs.text(e), 1.0);
          if (hours != null) {
            run.duration(new StatedDuration(hours, e.range()));
          }
        });
    if (tuning) {
      String method = method(CloudJobs.lower(hyper, "algorithm"));
      Long combinations = 1L;
      for (DocNode p : hyper.sequence("params").map(SequenceNode::items).orElse(List.of())) {
        combinations = times(combinations, p instanceof MappingNode m ? legacyValues(m) : null);
      }
      boolean early = hyper.scalar("enableTrialEarlyStopping").map(s -> s.text().trim().equalsIgnoreCase("true"))
          .orElse(false);
      SourceRange where = input.entry("hyperparameters").map(e -> e.key().range()).orElse(anchor);
      run.sweep(new Sweep(method, combinations, Keys.longValue(hyper, "maxTrials"), early, where));
    }
    CloudJobs.regionKey(input, "gcp", reference, "region").or(() -> region(root, input, reference))
        .ifPresent(run::region);
    return new ExtractedRun(run.build(), FixWriter.NONE);
  }

  /** `masterType`/`workerType` (a legacy name or a Compute Engine type) and its `acceleratorConfig`. */
  private static Optional<Pool> legacyPool(int index, MappingNode input, String role, long replicas,
      ReferenceData reference) {
    MappingNode config = CloudJobs.mapping(input, role + "Config");
    MappingNode acc = CloudJobs.mapping(config, "acceleratorConfig");
    Optional<Entry> type = CloudJobs.entry(acc, "type");
    if (type.isPresent()) {
      Optional<AcceleratorSpec> spec = accelerator(reference, CloudJobs.text(type.get()));
      if (spec.isPresent()) {
        Optional<Entry> count = CloudJobs.entry(acc, "count");
        long n = count.map(CloudJobs::longOf).orElse(1L);
        return Optional.of(new Pool(index, spec.get(), CloudJobs.text(type.get()), (int) Math.max(1, n), replicas,
            type.get().range(), count.map(Entry::range).orElse(type.get().range())));
      }
    }
    Optional<Entry> machine = CloudJobs.entry(input, role + "Type");
    if (machine.isEmpty()) {
      return Optional.empty();
    }
    String name = CloudJobs.text(machine.get());
    Object[] legacy = LEGACY_MACHINES.get(name.toLowerCase(Locale.ROOT));
    if (legacy != null) {
      return reference.accelerator((String) legacy[0]).map(spec -> new Pool(index, spec,
          name + " (" + legacy[1] + " x " + legacy[0] + ")", (Integer) legacy[1], replicas, machine.get().range(),
          machine.get().range()));
    }
    return CloudJobs.instance(reference, name, machine.get().range())
        .map(hw -> new Pool(index, hw.spec(), hw.written(), hw.perNode(), replicas, hw.range(), hw.range()));
  }

  private static Long legacyValues(MappingNode param) {
    String type = CloudJobs.lower(param, "type");
    if (type.equals("categorical")) {
      return param.sequence("categoricalValues").map(s -> (long) s.size()).orElse(null);
    }
    if (type.equals("discrete")) {
      return param.sequence("discreteValues").map(s -> (long) s.size()).orElse(null);
    }
    if (type.equals("integer")) {
      return span(Keys.longValue(param, "minValue"), Keys.longValue(param, "maxValue"));
    }
    return null;
  }

  private ExtractedRun launcher(ExtractionContext context, MappingNode root, int documentIndex) {
    ReferenceData reference = context.reference();
    Optional<Entry> gpu = CloudJobs.entry(root, "gpu_type", "accelerator_type", "acceleratorType");
    Optional<Entry> machine = CloudJobs.entry(root, "machine_type", "machineType");
    SourceRange anchor = gpu.or(() -> machine).map(e -> e.key().range()).orElse(CloudJobs.firstKey(root));
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.TRAINING, anchor);
    run.cloud(new CloudChoice("gcp", anchor));
    Optional<Entry> perNode = CloudJobs.entry(root, "gpus_per_node", "accelerator_count", "acceleratorCount",
        "gpu_count", "num_gpus");
    Optional<Entry> nodes = CloudJobs.entry(root, "nodes", "num_nodes", "node_count", "replica_count", "replicaCount");
    long nodeCount = nodes.map(CloudJobs::longOf).orElse(1L);
    String nodesHow = nodes.map(n -> "nodes (" + n.name() + ")").orElse("nodes");
    Optional<AcceleratorSpec> spec = gpu.flatMap(g -> accelerator(reference, CloudJobs.text(g)));
    if (spec.isPresent()) {
      Long count = perNode.map(CloudJobs::longOf).orElse(null);
      if (count == null) {
        count = machine.flatMap(m -> reference.instance(CloudJobs.text(m)))
            .map(i -> Math.max(1L, Math.round(i.acceleratorCount()))).orElse(1L);
      }
      String written = CloudJobs.text(gpu.get());
      run.accelerator(new AcceleratorChoice(spec.get(), written, gpu.get().range()));
      String how = count + " per node (" + written + (perNode.isPresent() ? ", " + perNode.get().name() : "") + ")"
          + (nodeCount > 1 ? " x " + nodeCount + " " + nodesHow : "");
      DeviceCount.of(count, Math.max(1, nodeCount), how, perNode.map(Entry::range).orElse(gpu.get().range()))
          .ifPresent(run::devices);
    } else {
      machine.flatMap(m -> CloudJobs.instance(reference, CloudJobs.text(m), m.range()))
          .ifPresent(hw -> CloudJobs.hardware(run, hw, nodeCount, nodesHow));
    }
    Settings settings = Settings.of(root);
    TrainingArguments.read(settings, anchor, false, reference, run);
    if (run.model() == null) {
      // NeMo and MaxText launchers name the model through their recipe (`llama3_1_8b_pretrain_a3mega`).
      CloudJobs.entry(root, "recipe_name", "recipe", "model_recipe").ifPresent(r -> {
        var choice = Models.choice(reference, CloudJobs.text(r), r.range());
        if (choice.billionParameters() != null) {
          run.model(choice);
        }
      });
    }
    region(root, root, reference).ifPresent(run::region);
    return new ExtractedRun(run.build(), fixes(context.editor(), root));
  }

  /** `location`/`region` keys (the root's, then the job spec's), a zone, then endpoints and resource names. */
  private static Optional<RegionChoice> region(MappingNode root, MappingNode spec, ReferenceData reference) {
    String[] keys = {"location", "region", "regionId", "region_id", "zone"};
    return CloudJobs.regionKey(root, "gcp", reference, keys)
        .or(() -> CloudJobs.regionKey(spec, "gcp", reference, keys))
        .or(() -> CloudJobs.regionIn(root, REGION_PATTERNS, "gcp", reference));
  }

  private static FixWriter fixes(ConfigEditor editor, MappingNode root) {
    return change -> {
      if (change instanceof ProposedChange.MoveToRegion move && !root.containsKey("zone")) {
        for (String key : List.of("location", "region")) {
          if (Keys.scalarEntry(root, key).isPresent()) {
            return Optional.of(new Fix(change.title(), List.of(editor.set(root, key, move.region().id()))));
          }
        }
      }
      return Optional.empty();
    };
  }
}
