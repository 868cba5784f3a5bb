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
 */
final class KubernetesWorkloads {
  static final Set<String> TRAINING_KINDS = Set.of("Job", "CronJob", "PyTorchJob", "TFJob", "MPIJob", "XGBoostJob",
      "PaddleJob", "JAXJob", "MXJob", "RayJob");
  static final Set<String> SERVING_KINDS = Set.of("Deployment", "StatefulSet", "LeaderWorkerSet", "RayService");
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

  static Optional<String> kind(MappingNode root) {
    return Keys.text(root, "kind").map(String::trim);
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
      case "Deployment", "StatefulSet" -> template(spec).ifPresent(t -> groups.add(new PodGroup(kind, t.pod,
          1, null, t.labels)));
      case "LeaderWorkerSet" -> leaderWorkerSet(spec, groups);
      case "RayJob" -> spec.mapping("rayClusterSpec").ifPresent(c -> ray(c, groups));
      case "RayService" -> spec.mapping("rayClusterConfig").ifPresent(c -> ray(c, groups));
      default -> replicaSpecs(spec, groups);
    }
    return groups;
  }

  private record Template(MappingNode pod, MappingNode labels) {}

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
    Integer servingReplicas = null;
    if (replicas != null) {
      servingReplicas = (int) Math.min(Integer.MAX_VALUE, replicas);
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
    if (kind.equals("CronJob")) {
      Keys.scalarEntry(spec, "schedule").ifPresent(e -> {
        String cron = ((ScalarNode) e.value()).text().trim();
        run.recurrence(new Recurrence(cron, Cron.runsPerDay(cron), e.range()));
      });
    }
    deadline(kind, spec).ifPresent(run::duration);
    return new ExtractedRun(run.build(), fixes(context.editor(), placement, reference));
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

  private static FixWriter fixes(ConfigEditor editor, Placement placement, ReferenceData reference) {
    return change -> {
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
