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
import dev.carbonlens.model.ModelChoice;
import dev.carbonlens.model.Option;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Recurrence;
import dev.carbonlens.model.RegionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Serving;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.StatedDuration;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.InstanceSpec;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.RegionSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes workload manifests read into runs, shared by the `kubernetes` and `serving` formats: the pod
 * templates of a Job, CronJob, Kubeflow job (PyTorchJob, TFJob, MPIJob, ...), Deployment, StatefulSet,
 * LeaderWorkerSet or Ray job/service, with how many copies of each run; the accelerators their containers
 * request (`nvidia.com/gpu`, `amd.com/gpu`, `google.com/tpu`) and the node labels that name the type and
 * the place (`cloud.google.com/gke-accelerator`, `nvidia.com/gpu.product`, instance type, region/zone).
 *
 * <p>Serving workloads also include KServe InferenceServices (the predictor's containers, or its `model`
 * server) and Knative Services. Their replica floor is read as {@link Options#MIN_REPLICAS} when they
 * serve a model (a serving engine, accelerators or a named model): KServe `minReplicas`, Knative
 * `autoscaling.knative.dev/min-scale`, a Deployment's `replicas`, or the `minReplicas` of an HPA
 * (`minReplicaCount` of a KEDA ScaledObject) in the same file that targets the workload. Where the
 * autoscaler could go to zero the {@link Serving} fact leaves the replica count unknown. A CronJob's
 * `schedule` is a {@link Recurrence} and its `concurrencyPolicy` the `concurrency_policy` option
 * (Kubernetes' default `Allow` when absent, not stated, at the schedule).
 */
final class KubernetesWorkloads {
  static final Set<String> TRAINING_KINDS = Set.of("Job", "CronJob", "PyTorchJob", "TFJob", "MPIJob", "XGBoostJob",
      "PaddleJob", "JAXJob", "MXJob", "RayJob");
  /** `KnativeService` stands for a Knative `Service` (apiVersion serving.knative.dev), see {@link #kind}. */
  static final Set<String> SERVING_KINDS = Set.of("Deployment", "StatefulSet", "LeaderWorkerSet", "RayService",
      "InferenceService", "KnativeService");
  /** KServe predictor keys that hold the model server's container: `model` (v1beta1) and the older per-framework ones. */
  static final List<String> KSERVE_CONTAINERS = List.of("model", "huggingface", "pytorch", "tensorflow", "sklearn",
      "xgboost", "onnx", "triton", "lightgbm", "pmml", "paddle");
  /** Knative's floor on a revision's pods: the current annotation and its older spelling. */
  static final List<String> MIN_SCALE_ANNOTATIONS = List.of("autoscaling.knative.dev/min-scale",
      "autoscaling.knative.dev/minScale");
  /** A CronJob's `concurrencyPolicy` (Allow, the default; Forbid; Replace), as an option of its run. */
  static final String CONCURRENCY_POLICY = dev.carbonlens.model.Options.CONCURRENCY_POLICY;
  static final List<String> GPU_RESOURCES = List.of("nvidia.com/gpu", "amd.com/gpu", "google.com/tpu",
      "habana.ai/gaudi", "aws.amazon.com/neuron");
  /** Node labels whose value names an accelerator. */
  static final List<String> ACCELERATOR_LABELS = List.of("cloud.google.com/gke-accelerator",
      "cloud.google.com/gke-tpu-accelerator", "nvidia.com/gpu.product", "karpenter.k8s.aws/instance-gpu-name",
      "accelerator", "gpu-type");
  static final List<String> INSTANCE_LABELS = List.of("node.kubernetes.io/instance-type",
      "beta.kubernetes.io/instance-type");
  static final List<String> REGION_LABELS = List.of("topology.kubernetes.io/region",
      "failure-domain.beta.kubernetes.io/region", "topology.kubernetes.io/zone",
      "failure-domain.beta.kubernetes.io/zone");
  static final List<String> MODEL_ENV = List.of("MODEL_NAME", "MODEL_ID", "MODEL", "HF_MODEL_ID", "HF_MODEL",
      "BASE_MODEL", "MODEL_NAME_OR_PATH", "PRETRAINED_MODEL");
  private static final Pattern SERVING_ENGINE = Pattern.compile(
      "vllm|text-generation-inference|text-generation-launcher|sglang|tritonserver|trtllm-serve|lmdeploy",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)|\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  private KubernetesWorkloads() {}

  /** One pod template and how many copies of it run at once. */
  record PodGroup(String role, MappingNode pod, long copies, String copiesHow, MappingNode labels) {}

  /** A node label as written: in a nodeSelector (range: key and value) or a matchExpression (range: the value). */
  record Label(String key, String value, SourceRange range, ScalarNode valueNode) {}

  // ------------------------------------------------------------------------------------------ detection

  /** The manifest's kind; a Knative `Service` reads as `KnativeService` (a core Service is no workload). */
  static Optional<String> kind(MappingNode root) {
    Optional<String> kind = Keys.text(root, "kind").map(String::trim);
    if (kind.isPresent() && kind.get().equals("Service")
        && Keys.text(root, "apiVersion").map(a -> a.trim().startsWith("serving.knative.dev/")).orElse(false)) {
      return Optional.of("KnativeService");
    }
    return kind;
  }

  /** A workload manifest this reader understands: `apiVersion`, a known `kind`, and a `spec` mapping. */
  static boolean isWorkload(MappingNode root) {
    Optional<String> kind = kind(root);
    return Keys.text(root, "apiVersion").isPresent() && kind.isPresent()
        && (TRAINING_KINDS.contains(kind.get()) || SERVING_KINDS.contains(kind.get()))
        && root.mapping("spec").isPresent();
  }

  /** Whether any container runs an LLM serving engine (vLLM, TGI, SGLang, ...) by image or command. */
  static boolean runsServingEngine(MappingNode root) {
    for (PodGroup group : podGroups(root)) {
      for (MappingNode container : containers(group.pod())) {
        if (isServingContainer(container)) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean isServingContainer(MappingNode container) {
    if (Keys.text(container, "image").map(i -> SERVING_ENGINE.matcher(i).find()).orElse(false)) {
      return true;
    }
    for (String key : List.of("command", "args")) {
      Optional<DocNode> node = container.get(key);
      if (node.isPresent() && mentionsEngine(node.get())) {
        return true;
      }
    }
    return false;
  }

  private static boolean mentionsEngine(DocNode node) {
    if (node instanceof ScalarNode s) {
      return SERVING_ENGINE.matcher(s.text()).find();
    }
    if (node instanceof SequenceNode seq) {
      return seq.items().stream().anyMatch(KubernetesWorkloads::mentionsEngine);
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------ pod templates

  static List<PodGroup> podGroups(MappingNode root) {
    String kind = kind(root).orElse("");
    MappingNode spec = root.mapping("spec").orElse(empty(root));
    List<PodGroup> groups = new ArrayList<>();
    switch (kind) {
      case "Job" -> job(spec, groups);
      case "CronJob" -> spec.mapping("jobTemplate").flatMap(t -> t.mapping("spec")).ifPresent(j -> job(j, groups));
      case "Deployment", "StatefulSet", "KnativeService" -> template(spec).ifPresent(t -> groups.add(
          new PodGroup(kind, t.pod, 1, null, t.labels)));
      case "InferenceService" -> spec.mapping("predictor").ifPresent(p -> groups.add(
          new PodGroup("predictor", kservePod(p), 1, null, null)));
      case "LeaderWorkerSet" -> leaderWorkerSet(spec, groups);
      case "RayJob" -> spec.mapping("rayClusterSpec").ifPresent(c -> ray(c, groups));
      case "RayService" -> spec.mapping("rayClusterConfig").ifPresent(c -> ray(c, groups));
      default -> replicaSpecs(spec, groups);
    }
    return groups;
  }

  private record Template(MappingNode pod, MappingNode labels) {}

  /**
   * A KServe predictor as a pod: it has `containers` itself, or one model-server container under
   * `model` (or `pytorch`, `huggingface`, ...), which is read as the pod's only container.
   */
  private static MappingNode kservePod(MappingNode predictor) {
    if (predictor.containsKey("containers")) {
      return predictor;
    }
    for (String key : KSERVE_CONTAINERS) {
      Optional<MappingNode> server = predictor.mapping(key);
      if (server.isPresent()) {
        List<Entry> entries = new ArrayList<>(predictor.entries());
        ScalarNode name = new ScalarNode("containers", false, server.get().range());
        entries.add(new Entry(name, new SequenceNode(List.of(server.get()), server.get().range()), true));
        return new MappingNode(entries, predictor.range());
      }
    }
    return predictor;
  }

  /** `template.spec` of a mapping, with the template's labels. */
  private static Optional<Template> template(MappingNode owner) {
    Optional<MappingNode> template = owner.mapping("template");
    return template.flatMap(t -> t.mapping("spec")).map(pod -> new Template(pod,
        template.get().mapping("metadata").flatMap(m -> m.mapping("labels")).orElse(null)));
  }

  /** A Job runs `parallelism` pods at once (default 1), never more than `completions`. */
  private static void job(MappingNode jobSpec, List<PodGroup> groups) {
    Long parallelism = Keys.longValue(jobSpec, "parallelism");
    Long completions = Keys.longValue(jobSpec, "completions");
    long copies = parallelism == null ? 1 : parallelism;
    String how = parallelism == null ? null : "parallelism";
    if (completions != null && completions > 0 && completions < copies) {
      copies = completions;
      how = "completions";
    }
    long n = copies;
    String h = how;
    template(jobSpec).ifPresent(t -> groups.add(new PodGroup("Job", t.pod, n, h, t.labels)));
  }

  /** Kubeflow training operators: `pytorchReplicaSpecs: {Master: {replicas, template}, Worker: ...}`. */
  private static void replicaSpecs(MappingNode spec, List<PodGroup> groups) {
    for (Entry e : spec.entries()) {
      if (!e.name().endsWith("ReplicaSpecs") || !(e.value() instanceof MappingNode roles)) {
        continue;
      }
      for (Entry role : roles.entries()) {
        if (role.value() instanceof MappingNode r) {
          Long replicas = Keys.longValue(r, "replicas");
          template(r).ifPresent(t -> groups.add(new PodGroup(role.name(), t.pod,
              replicas == null ? 1 : replicas, replicas == null ? null : role.name() + " replicas", t.labels)));
        }
      }
    }
  }

  /** `size` pods per group: one leader (leaderTemplate, or the worker template) and size - 1 workers. */
  private static void leaderWorkerSet(MappingNode spec, List<PodGroup> groups) {
    MappingNode lwt = spec.mapping("leaderWorkerTemplate").orElse(empty(spec));
    Long size = Keys.longValue(lwt, "size");
    long pods = size == null || size < 1 ? 1 : size;
    Optional<Template> worker = workerLikeTemplate(lwt, "workerTemplate");
    Optional<Template> leader = workerLikeTemplate(lwt, "leaderTemplate").or(() -> worker);
    leader.ifPresent(t -> groups.add(new PodGroup("leader", t.pod, 1, null, t.labels)));
    if (pods > 1) {
      worker.ifPresent(t -> groups.add(new PodGroup("worker", t.pod, pods - 1, "size " + pods + " - 1 leader",
          t.labels)));
    }
  }

  private static Optional<Template> workerLikeTemplate(MappingNode lwt, String key) {
    return lwt.mapping(key).flatMap(t -> t.mapping("spec").map(pod -> new Template(pod,
        t.mapping("metadata").flatMap(m -> m.mapping("labels")).orElse(null))));
  }

  /** A Ray cluster: one head pod and each worker group's replicas (or minReplicas). */
  private static void ray(MappingNode cluster, List<PodGroup> groups) {
    cluster.mapping("headGroupSpec").flatMap(KubernetesWorkloads::template)
        .ifPresent(t -> groups.add(new PodGroup("head", t.pod, 1, null, t.labels)));
    cluster.sequence("workerGroupSpecs").ifPresent(seq -> {
      for (DocNode item : seq.items()) {
        if (item instanceof MappingNode w) {
          Long replicas = Keys.longValue(w, "replicas", "minReplicas");
          template(w).ifPresent(t -> groups.add(new PodGroup(Keys.text(w, "groupName").orElse("worker"), t.pod,
              replicas == null ? 1 : replicas, replicas == null ? null : "workerGroupSpecs replicas", t.labels)));
        }
      }
    });
  }

  static List<MappingNode> containers(MappingNode pod) {
    List<MappingNode> out = new ArrayList<>();
    pod.sequence("containers").ifPresent(seq -> seq.items().forEach(i -> {
      if (i instanceof MappingNode m) {
        out.add(m);
      }
    }));
    return out;
  }

  // ------------------------------------------------------------------------------------------ resources

  /** A container's accelerator request: limits first, then requests. */
  record GpuRequest(String resource, long count, Entry entry) {}

  static Optional<GpuRequest> gpuRequest(MappingNode container) {
    MappingNode resources = container.mapping("resources").orElse(empty(container));
    for (String section : List.of("limits", "requests")) {
      Optional<MappingNode> m = resources.mapping(section);
      if (m.isEmpty()) {
        continue;
      }
      for (String resource : GPU_RESOURCES) {
        Optional<Entry> e = Keys.scalarEntry(m.get(), resource);
        if (e.isPresent()) {
          Long count = Keys.longValue(m.get(), resource);
          if (count != null && count > 0) {
            return Optional.of(new GpuRequest(resource, count, e.get()));
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The container that does the work: the first one requesting accelerators, else the first one. */
  static Optional<MappingNode> mainContainer(MappingNode pod) {
    List<MappingNode> all = containers(pod);
    return all.stream().filter(c -> gpuRequest(c).isPresent()).findFirst()
        .or(() -> all.stream().filter(KubernetesWorkloads::isServingContainer).findFirst())
        .or(() -> all.stream().findFirst());
  }

  // ------------------------------------------------------------------------------------------ node labels

  /** nodeSelector entries, then required and preferred nodeAffinity `In` expressions. */
  static List<Label> labels(MappingNode pod) {
    List<Label> out = new ArrayList<>();
    pod.mapping("nodeSelector").ifPresent(sel -> {
      for (Entry e : sel.entries()) {
        if (e.value() instanceof ScalarNode v && !v.isNull()) {
          out.add(new Label(e.name(), v.text().trim(), e.range(), v));
        }
      }
    });
    Optional<MappingNode> affinity = pod.mapping("affinity").flatMap(a -> a.mapping("nodeAffinity"));
    if (affinity.isPresent()) {
      affinity.get().mapping("requiredDuringSchedulingIgnoredDuringExecution")
          .flatMap(r -> r.sequence("nodeSelectorTerms"))
          .ifPresent(terms -> selectorTerms(terms, out));
      affinity.get().sequence("preferredDuringSchedulingIgnoredDuringExecution").ifPresent(prefs -> {
        for (DocNode p : prefs.items()) {
          if (p instanceof MappingNode pm) {
            pm.mapping("preference").ifPresent(pref -> matchExpressions(pref, out));
          }
        }
      });
    }
    return out;
  }

  /** `nodeSelectorTerms: [{matchExpressions: [{key, operator: In, values: [...]}]}]` (first value of each). */
  static void selectorTerms(SequenceNode terms, List<Label> out) {
    for (DocNode term : terms.items()) {
      if (term instanceof MappingNode t) {
        matchExpressions(t, out);
      }
    }
  }

  private static void matchExpressions(MappingNode term, List<Label> out) {
    term.sequence("matchExpressions").ifPresent(exprs -> {
      for (DocNode x : exprs.items()) {
        if (!(x instanceof MappingNode expr)) {
          continue;
        }
        Optional<String> key = Keys.text(expr, "key");
        String operator = Keys.text(expr, "operator").orElse("In");
        if (key.isEmpty() || !operator.equals("In")) {
          continue;
        }
        expr.sequence("values").flatMap(vs -> vs.items().stream().filter(ScalarNode.class::isInstance)
                .map(ScalarNode.class::cast).filter(v -> !v.isNull()).findFirst())
            .ifPresent(v -> out.add(new Label(key.get(), v.text().trim(), v.range(), v)));
      }
    });
  }

  // ------------------------------------------------------------------------------------------ env

  /** A container's `env` list as settings by name (`value` only; `valueFrom` secrets are not values). */
  static Map<String, Setting> env(MappingNode container) {
    Map<String, Setting> out = new LinkedHashMap<>();
    container.sequence("env").ifPresent(seq -> {
      for (DocNode item : seq.items()) {
        if (item instanceof MappingNode var) {
          Optional<ScalarNode> name = Keys.scalar(var, "name");
          Optional<ScalarNode> value = var.scalar("value").filter(v -> !v.isNull());
          if (name.isPresent() && value.isPresent()) {
            ScalarNode v = value.get();
            out.putIfAbsent(name.get().text().trim(),
                new Setting(name.get().text().trim(), v.text(), v.quoted(), name.get().range(), v.range()));
          }
        }
      }
    });
    return out;
  }

  /** Env settings under lower-case names, so `EPOCHS`, `LORA_R`, `MODEL_NAME` read like training arguments. */
  static Settings lowerCased(Map<String, Setting> env) {
    Map<String, Setting> out = new LinkedHashMap<>();
    env.forEach((k, v) -> {
      if (!v.text().contains("$")) {
        out.putIfAbsent(k.toLowerCase(Locale.ROOT), v);
      }
    });
    return Settings.of(out);
  }

  /**
   * Flags whose value is a reference to an env var (`--model=$(MODEL_ID)`) read as that variable's value,
   * positioned at the variable's value.
   */
  static Settings resolvingEnv(Settings flags, Map<String, Setting> env) {
    Map<String, Setting> out = new LinkedHashMap<>();
    for (String name : flags.names()) {
      flags.get(name).ifPresent(s -> out.put(name, resolve(s, env)));
    }
    return Settings.of(out);
  }

  private static Setting resolve(Setting s, Map<String, Setting> env) {
    if (s.text() == null) {
      return s;
    }
    Matcher m = ENV_REFERENCE.matcher(s.text().trim());
    if (!m.matches()) {
      return s;
    }
    String var = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
    Setting value = env.get(var);
    return value == null ? s : new Setting(s.name(), value.text(), value.quoted(), value.keyRange(),
        value.valueRange());
  }

  // ------------------------------------------------------------------------------------------ reading

  /** Reads one workload manifest into one run of the given format. */
  static ExtractedRun read(ExtractionContext context, MappingNode root, int documentIndex, String format) {
    ReferenceData reference = context.reference();
    String kind = kind(root).orElse("");
    SourceRange anchor = root.entries().isEmpty() ? root.range() : root.entries().get(0).key().range();
    MappingNode spec = root.mapping("spec").orElse(empty(root));
    List<PodGroup> groups = podGroups(root);
    boolean serving = runsServingEngine(root);
    Run.Builder run = Run.builder(context.file(), documentIndex, format,
        SERVING_KINDS.contains(kind) || serving ? Stage.INFERENCE : Stage.TRAINING, anchor);

    // Replicas of the whole set (Deployment / StatefulSet / LeaderWorkerSet groups).
    Optional<Entry> replicasEntry = SERVING_KINDS.contains(kind) && !kind.equals("RayService")
        ? Keys.scalarEntry(spec, "replicas") : Optional.empty();
    Long replicas = replicasEntry.isPresent() ? Keys.longValue(spec, "replicas") : null;
    long sets = replicas == null ? 1 : Math.max(replicas, 0);

    Placement placement = placementOf(groups, reference);
    placement.accelerator().ifPresent(run::accelerator);
    placement.cloud().ifPresent(run::cloud);
    devices(groups, sets, replicasEntry.isPresent(), placement).ifPresent(run::devices);

    MappingNode main = groups.isEmpty() ? empty(root)
        : groups.stream().map(g -> mainContainer(g.pod())).flatMap(Optional::stream)
            .filter(c -> !serving || isServingContainer(c)).findFirst()
            .or(() -> mainContainer(groups.get(0).pod())).orElse(empty(root));
    Map<String, Setting> env = env(main);
    region(placement, env, reference).ifPresent(run::region);

    CommandArgs command = CommandArgs.concat(
        main.get("command").map(n -> CommandArgs.of(n, context.document())).orElse(CommandArgs.NONE),
        main.get("args").map(n -> CommandArgs.of(n, context.document())).orElse(CommandArgs.NONE),
        rayEntrypoint(kind, spec, context));
    Settings flags = resolvingEnv(command, env);

    Optional<ModelChoice> labelModel = groups.stream().map(PodGroup::labels).filter(l -> l != null)
        .flatMap(l -> Keys.scalar(l, "ai.gke.io/model").stream()).findFirst()
        .map(s -> Models.choice(reference, s));
    Optional<ReplicaFloor> floor = SERVING_KINDS.contains(kind)
        ? replicaFloor(context, root, kind, spec, replicasEntry, replicas) : Optional.empty();
    Integer servingReplicas = null;
    if (floor.isPresent() && floor.get().canReachZero()) {
      servingReplicas = null; // an autoscaler that can go to zero: how many run varies
    } else if (replicas != null) {
      servingReplicas = (int) Math.min(Integer.MAX_VALUE, replicas);
    } else if (floor.isPresent() && floor.get().fixedCount()) {
      servingReplicas = (int) Math.min(Integer.MAX_VALUE, floor.get().min());
    } else if (SERVING_KINDS.contains(kind)) {
      servingReplicas = 1;
    }
    if (serving) {
      Settings settings = ServingFlags.normalised(Settings.layered(flags, Settings.of(env)));
      positionalModel(command, env).ifPresent(m -> run.model(Models.choice(reference, m)));
      if (run.model() == null) {
        firstEnv(env, MODEL_ENV).ifPresent(m -> run.model(Models.choice(reference, m)));
      }
      ServingFlags.read(settings, anchor, reference, run, servingReplicas,
          placement.accelerator().map(a -> a.spec().supportsBf16()).orElse(null));
    } else {
      Settings settings = Settings.layered(flags, lowerCased(env));
      TrainingArguments.read(settings, anchor, false, reference, run);
      firstEnv(env, MODEL_ENV).ifPresent(m -> run.model(Models.choice(reference, m)));
      if (SERVING_KINDS.contains(kind)) {
        run.serving(new Serving(null, null, null, null, servingReplicas,
            replicasEntry.map(Entry::range).orElse(anchor)));
      }
    }
    if (run.model() == null) {
      labelModel.ifPresent(run::model);
    }
    if (!serving && !SERVING_KINDS.contains(kind) && run.model() != null) {
      run.stage(Stage.FINE_TUNING);
    }
    if (kind.equals("InferenceService")) {
      // KServe's runtimes name the model with --model_id or a storageUri (`--model_name` is only the route).
      kserveModel(groups, flags, reference).ifPresent(run::model);
    }
    boolean servesModel = serving || run.devices() != null || run.model() != null || kind.equals("InferenceService");
    if (floor.isPresent() && servesModel) {
      ReplicaFloor f = floor.get();
      run.option(new Option(Options.MIN_REPLICAS, String.valueOf(f.min()), f.range(), f.stated()));
    }
    Optional<Entry> schedule = kind.equals("CronJob") ? Keys.scalarEntry(spec, "schedule") : Optional.empty();
    if (kind.equals("CronJob")) {
      schedule.ifPresent(e -> {
        String cron = ((ScalarNode) e.value()).text().trim();
        run.recurrence(new Recurrence(cron, Cron.runsPerDay(cron), e.range()));
      });
      Optional<Entry> policy = Keys.scalarEntry(spec, "concurrencyPolicy");
      if (policy.isPresent()) {
        run.option(CONCURRENCY_POLICY, ((ScalarNode) policy.get().value()).text().trim(), policy.get().range());
      } else {
        run.option(new Option(CONCURRENCY_POLICY, "Allow", schedule.map(Entry::range).orElse(anchor), false));
      }
    }
    deadline(kind, spec).ifPresent(run::duration);
    return new ExtractedRun(run.build(), fixes(context.editor(), placement, reference,
        new Edits(spec, schedule, floor)));
  }

  // ------------------------------------------------------------------------------------------ replicas

  /**
   * The fewest replicas a serving workload keeps running, where it is written.
   *
   * @param canReachZero the autoscaler could go to zero replicas if the floor said so (KServe and
   *     Knative serverless, KEDA); false for a fixed count or a Kubernetes HPA, which keeps at least one
   * @param fixedCount where no `replicas` is written, the floor is the count the run holds when idle
   *     (a fixed count, or an HPA-style autoscaler's minimum); false when the autoscaler decides
   * @param owner the mapping where the fix writes a new floor (null: no key to write, e.g. a fixed `replicas`)
   * @param key the floor's key in {@code owner}
   * @param annotation the annotation whose value the fix replaces (Knative `min-scale`)
   */
  record ReplicaFloor(long min, boolean canReachZero, boolean fixedCount, SourceRange range, boolean stated,
      MappingNode owner, String key, ScalarNode annotation) {}

  static Optional<ReplicaFloor> replicaFloor(ExtractionContext context, MappingNode root, String kind,
      MappingNode spec, Optional<Entry> replicasEntry, Long replicas) {
    MappingNode metadata = root.mapping("metadata").orElse(empty(root));
    switch (kind) {
      case "InferenceService" -> {
        MappingNode predictor = spec.mapping("predictor").orElse(empty(spec));
        String mode = annotations(metadata).flatMap(a -> Keys.text(a, "serving.kserve.io/deploymentMode"))
            .map(m -> m.trim().toLowerCase(Locale.ROOT)).orElse("");
        if (mode.equals("modelmesh")) {
          return Optional.empty();
        }
        // Standard (formerly RawDeployment) mode scales with an HPA, which never goes below one.
        boolean serverless = !(mode.equals("rawdeployment") || mode.equals("standard"));
        Optional<Entry> min = Keys.scalarEntry(predictor, "minReplicas");
        Long value = Keys.longValue(predictor, "minReplicas");
        if (min.isPresent() && value != null && value >= 0) {
          return Optional.of(new ReplicaFloor(value, serverless, !serverless, min.get().range(), true, predictor,
              "minReplicas", null));
        }
        if (serverless) {
          return minScale(annotations(predictor)).or(() -> minScale(annotations(metadata)))
              .map(e -> annotationFloor(e, true));
        }
        return Optional.empty();
      }
      case "KnativeService" -> {
        Optional<MappingNode> annotations = spec.mapping("template").flatMap(t -> t.mapping("metadata"))
            .flatMap(KubernetesWorkloads::annotations);
        boolean hpaClass = annotations.flatMap(a -> Keys.text(a, "autoscaling.knative.dev/class"))
            .map(c -> c.contains("hpa")).orElse(false);
        return minScale(annotations).map(e -> annotationFloor(e, !hpaClass));
      }
      case "RayService" -> {
        return Optional.empty();
      }
      default -> {
        String name = Keys.text(metadata, "name").map(String::trim).orElse(null);
        for (DocNode other : context.document().roots()) {
          if (name == null || !(other instanceof MappingNode o) || o == root) {
            continue;
          }
          String otherKind = Keys.text(o, "kind").map(String::trim).orElse("");
          MappingNode otherSpec = o.mapping("spec").orElse(empty(o));
          MappingNode target = otherSpec.mapping("scaleTargetRef").orElse(empty(otherSpec));
          boolean targets = Keys.text(target, "name").map(n -> n.trim().equals(name)).orElse(false)
              && Keys.text(target, "kind").map(k -> k.trim().equals(kind)).orElse(kind.equals("Deployment"));
          if (!targets) {
            continue;
          }
          if (otherKind.equals("HorizontalPodAutoscaler")) {
            Optional<Entry> min = Keys.scalarEntry(otherSpec, "minReplicas");
            Long value = Keys.longValue(otherSpec, "minReplicas");
            SourceRange where = min.map(Entry::range).orElse(o.entry("spec").map(e -> e.key().range()).orElse(o.range()));
            return Optional.of(new ReplicaFloor(value == null ? 1 : value, false, true, where, value != null,
                otherSpec, "minReplicas", null));
          }
          if (otherKind.equals("ScaledObject")) {
            Optional<Entry> min = Keys.scalarEntry(otherSpec, "minReplicaCount");
            Long value = Keys.longValue(otherSpec, "minReplicaCount");
            SourceRange where = min.map(Entry::range).orElse(o.entry("spec").map(e -> e.key().range()).orElse(o.range()));
            return Optional.of(new ReplicaFloor(value == null ? 0 : value, true, false, where, value != null,
                otherSpec, "minReplicaCount", null));
          }
        }
        if (replicasEntry.isPresent() && replicas != null) {
          return Optional.of(new ReplicaFloor(replicas, false, true, replicasEntry.get().range(), true, null, null, null));
        }
        return Optional.empty();
      }
    }
  }

  private static Optional<MappingNode> annotations(MappingNode metadataOrPredictor) {
    return metadataOrPredictor.mapping("annotations");
  }

  private static Optional<Entry> minScale(Optional<MappingNode> annotations) {
    if (annotations.isEmpty()) {
      return Optional.empty();
    }
    for (String key : MIN_SCALE_ANNOTATIONS) {
      Optional<Entry> e = Keys.scalarEntry(annotations.get(), key);
      if (e.isPresent() && ((ScalarNode) e.get().value()).asLong().isPresent()) {
        return e;
      }
    }
    return Optional.empty();
  }

  private static ReplicaFloor annotationFloor(Entry e, boolean canReachZero) {
    ScalarNode value = (ScalarNode) e.value();
    return new ReplicaFloor(value.asLong().getAsLong(), canReachZero, !canReachZero, e.range(), true, null, null, value);
  }

  /** KServe's Hugging Face runtime: `--model_id=org/name` in the args, or an `hf://org/name` storageUri. */
  private static Optional<ModelChoice> kserveModel(List<PodGroup> groups, Settings flags, ReferenceData reference) {
    Optional<Setting> id = flags.get("model_id").filter(s -> !s.isNull() && !s.text().isBlank());
    if (id.isPresent()) {
      return Optional.of(Models.choice(reference, id.get()));
    }
    for (PodGroup g : groups) {
      for (MappingNode c : containers(g.pod())) {
        Optional<Entry> uri = Keys.scalarEntry(c, "storageUri");
        if (uri.isPresent()) {
          ScalarNode v = (ScalarNode) uri.get().value();
          String text = v.text().trim();
          if (text.startsWith("hf://")) {
            return Optional.of(Models.choice(reference,
                new Setting("storageUri", text.substring(5), v.quoted(), uri.get().key().range(), v.range())));
          }
        }
      }
    }
    return Optional.empty();
  }

  private static CommandArgs rayEntrypoint(String kind, MappingNode spec, ExtractionContext context) {
    if (!kind.equals("RayJob")) {
      return CommandArgs.NONE;
    }
    return spec.get("entrypoint").map(n -> CommandArgs.of(n, context.document())).orElse(CommandArgs.NONE);
  }

  /** `vllm serve MODEL` names the model as its first positional argument. */
  private static Optional<Setting> positionalModel(CommandArgs command, Map<String, Setting> env) {
    List<CommandArgs.Token> tokens = command.tokens();
    for (int i = 0; i + 2 < tokens.size(); i++) {
      if (tokens.get(i).text().endsWith("vllm") && tokens.get(i + 1).text().equals("serve")) {
        CommandArgs.Token t = tokens.get(i + 2);
        if (!t.text().startsWith("-")) {
          return Optional.of(resolve(new Setting("model", t.text(), false, t.range(), t.range()), env));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Setting> firstEnv(Map<String, Setting> env, List<String> names) {
    for (String n : names) {
      Setting s = env.get(n);
      if (s != null && !s.isNull() && !s.text().isBlank() && !s.text().contains("$")) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** `activeDeadlineSeconds` of a Job (or of a Kubeflow job's runPolicy): a stated wall-clock limit. */
  private static Optional<StatedDuration> deadline(String kind, MappingNode spec) {
    MappingNode holder = switch (kind) {
      case "Job" -> spec;
      case "CronJob" -> spec.mapping("jobTemplate").flatMap(t -> t.mapping("spec")).orElse(spec);
      default -> spec.mapping("runPolicy").orElse(spec);
    };
    Optional<Entry> e = Keys.scalarEntry(holder, "activeDeadlineSeconds");
    Long seconds = Keys.longValue(holder, "activeDeadlineSeconds");
    if (e.isEmpty() || seconds == null || seconds <= 0) {
      return Optional.empty();
    }
    return Optional.of(new StatedDuration(seconds / 3600.0, e.get().range()));
  }

  // ------------------------------------------------------------------------------------------ placement

  /** What the node labels say: accelerator type (with per-node count when read from an instance type), cloud, region label. */
  record Placement(Optional<AcceleratorChoice> accelerator, Optional<Label> acceleratorLabel,
      Optional<InstanceSpec> instance, Optional<CloudChoice> cloud, Optional<Label> regionLabel) {}

  static Placement placementOf(List<PodGroup> groups, ReferenceData reference) {
    List<Label> all = new ArrayList<>();
    groups.forEach(g -> all.addAll(labels(g.pod())));
    return placement(all, reference);
  }

  static Placement placement(List<Label> all, ReferenceData reference) {
    Optional<AcceleratorChoice> accelerator = Optional.empty();
    Optional<Label> acceleratorLabel = Optional.empty();
    for (String key : ACCELERATOR_LABELS) {
      for (Label l : all) {
        if (accelerator.isEmpty() && l.key().equals(key)) {
          Optional<AcceleratorSpec> spec = reference.accelerator(l.value());
          if (spec.isPresent()) {
            accelerator = Optional.of(new AcceleratorChoice(spec.get(), l.value(), l.range()));
            acceleratorLabel = Optional.of(l);
          }
        }
      }
    }
    Optional<InstanceSpec> instance = Optional.empty();
    Optional<Label> instanceLabel = Optional.empty();
    for (Label l : all) {
      if (instance.isEmpty() && INSTANCE_LABELS.contains(l.key())) {
        instance = reference.instance(l.value());
        if (instance.isPresent()) {
          instanceLabel = Optional.of(l);
        }
      }
    }
    if (accelerator.isEmpty() && instance.isPresent()) {
      InstanceSpec i = instance.get();
      Label l = instanceLabel.get();
      accelerator = reference.accelerator(i.acceleratorId()).map(spec -> new AcceleratorChoice(spec,
          l.value() + " (" + Figures.format(i.acceleratorCount()) + " x " + spec.id() + ")", l.range()));
    }
    Optional<CloudChoice> cloud = instance.isPresent()
        ? Optional.of(new CloudChoice(instance.get().provider(), instanceLabel.get().range())) : Optional.empty();
    if (cloud.isEmpty()) {
      for (Label l : all) {
        String provider = providerOf(l.key());
        if (provider != null) {
          cloud = Optional.of(new CloudChoice(provider, l.range()));
          break;
        }
      }
    }
    Optional<Label> region = Optional.empty();
    for (String key : REGION_LABELS) {
      if (region.isEmpty()) {
        region = all.stream().filter(l -> l.key().equals(key)).findFirst();
      }
    }
    return new Placement(accelerator, acceleratorLabel, instance, cloud, region);
  }

  /** The cloud a node label family belongs to (GKE, EKS/Karpenter, AKS). */
  static String providerOf(String labelKey) {
    String k = labelKey.toLowerCase(Locale.ROOT);
    if (k.startsWith("cloud.google.com/") || k.contains("gke-")) {
      return "gcp";
    }
    if (k.startsWith("eks.amazonaws.com/") || k.startsWith("karpenter.k8s.aws/") || k.startsWith("k8s.amazonaws.com/")) {
      return "aws";
    }
    if (k.startsWith("kubernetes.azure.com/")) {
      return "azure";
    }
    return null;
  }

  /** A region or zone label, else AWS_REGION / AWS_DEFAULT_REGION in the environment. */
  static Optional<RegionChoice> region(Placement placement, Map<String, Setting> env, ReferenceData reference) {
    String provider = placement.cloud().map(CloudChoice::provider).orElse(null);
    if (placement.regionLabel().isPresent()) {
      Label l = placement.regionLabel().get();
      Optional<RegionSpec> spec = resolveRegion(reference, provider, l.value());
      if (spec.isPresent()) {
        return Optional.of(new RegionChoice(spec.get(), l.value(), l.range()));
      }
    }
    for (String var : List.of("AWS_REGION", "AWS_DEFAULT_REGION")) {
      Setting s = env.get(var);
      if (s != null && !s.text().isBlank()) {
        Optional<RegionSpec> spec = reference.region("aws", s.text().trim());
        if (spec.isPresent()) {
          return Optional.of(new RegionChoice(spec.get(), s.text().trim(), s.range()));
        }
      }
    }
    return Optional.empty();
  }

  /** A region or zone; an AKS zone is written `eastus-1`. */
  static Optional<RegionSpec> resolveRegion(ReferenceData reference, String provider, String written) {
    Optional<RegionSpec> spec = reference.region(provider, written);
    if (spec.isEmpty()) {
      Matcher azureZone = Pattern.compile("([a-z0-9]+)-\\d").matcher(written.trim().toLowerCase(Locale.ROOT));
      if (azureZone.matches()) {
        spec = reference.region(provider == null ? "azure" : provider, azureZone.group(1));
      }
    }
    return spec;
  }

  /** Accelerators of every pod group: per-pod request x copies, x replicas of the whole set. */
  static Optional<DeviceCount> devices(List<PodGroup> groups, long sets, boolean setsWritten, Placement placement) {
    long total = 0;
    List<String> parts = new ArrayList<>();
    SourceRange range = null;
    for (PodGroup g : groups) {
      long perPod = 0;
      Entry first = null;
      String resource = null;
      for (MappingNode c : containers(g.pod())) {
        Optional<GpuRequest> r = gpuRequest(c);
        if (r.isPresent()) {
          perPod += r.get().count();
          if (first == null) {
            first = r.get().entry();
            resource = r.get().resource();
          }
        }
      }
      if (perPod == 0 || g.copies() < 1 || perPod > 1_000_000 / g.copies()) {
        continue;
      }
      total += perPod * g.copies();
      range = range == null ? first.range() : range;
      parts.add(perPod + " per " + g.role() + " pod (" + resource + ")"
          + (g.copies() > 1 || g.copiesHow() != null ? " x " + g.copies()
              + (g.copiesHow() == null ? "" : " (" + g.copiesHow() + ")") : ""));
    }
    if (total == 0) {
      return Optional.empty();
    }
    String how = String.join(" + ", parts) + (sets > 1 || (setsWritten && sets != 1) ? " x " + sets + " replicas" : "");
    return DeviceCount.of(total, sets, how, range);
  }

  // ------------------------------------------------------------------------------------------ fixes

  /** Where a workload's fixes write: the spec, a CronJob's schedule, the replica floor. */
  private record Edits(MappingNode spec, Optional<Entry> schedule, Optional<ReplicaFloor> floor) {}

  private static FixWriter fixes(ConfigEditor editor, Placement placement, ReferenceData reference, Edits at) {
    return change -> {
      if (change instanceof ProposedChange.RunTimesADay daily && at.schedule().isPresent()
          && Cron.runsPerDay(daily.expression()) != null) {
        return Optional.of(new Fix(change.title(),
            List.of(editor.replace((ScalarNode) at.schedule().get().value(), daily.expression()))));
      }
      if (change instanceof ProposedChange.SetOption set && set.name().equals(CONCURRENCY_POLICY)
          && at.schedule().isPresent()) {
        return Optional.of(new Fix(change.title(), List.of(editor.set(at.spec(), "concurrencyPolicy", set.value()))));
      }
      if (change instanceof ProposedChange.SetOption set && set.name().equals(Options.MIN_REPLICAS)
          && at.floor().isPresent() && set.value().matches("\\d+")) {
        ReplicaFloor f = at.floor().get();
        if (f.annotation() != null) {
          return Optional.of(new Fix(change.title(), List.of(editor.replace(f.annotation(), set.value()))));
        }
        if (f.owner() != null) {
          return Optional.of(new Fix(change.title(),
              List.of(editor.set(f.owner(), f.key(), Long.valueOf(set.value())))));
        }
      }
      if (change instanceof ProposedChange.UseAccelerator use && placement.acceleratorLabel().isPresent()) {
        Label l = placement.acceleratorLabel().get();
        if (l.key().equals("cloud.google.com/gke-accelerator")) {
          Optional<String> gke = use.accelerator().aliases().stream()
              .filter(a -> a.startsWith("nvidia-")).findFirst();
          if (gke.isPresent()) {
            return Optional.of(new Fix(change.title(), List.of(editor.replace(l.valueNode(), gke.get()))));
          }
        }
        if (l.key().equals("nvidia.com/gpu.product")) {
          String product = use.accelerator().aliases().stream().filter(a -> a.startsWith("NVIDIA ")).findFirst()
              .map(a -> a.replace(' ', '-')).orElse(null);
          if (product != null) {
            return Optional.of(new Fix(change.title(), List.of(editor.replace(l.valueNode(), product))));
          }
        }
      }
      if (change instanceof ProposedChange.MoveToRegion move && placement.regionLabel().isPresent()
          && placement.regionLabel().get().key().endsWith("/region")) {
        return Optional.of(new Fix(change.title(),
            List.of(editor.replace(placement.regionLabel().get().valueNode(), move.region().id()))));
      }
      return Optional.empty();
    };
  }

  static MappingNode empty(DocNode near) {
    return new MappingNode(List.of(), near.range());
  }

}
