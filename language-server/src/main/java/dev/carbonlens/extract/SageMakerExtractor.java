package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.CloudChoice;
import dev.carbonlens.model.RegionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Serving;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.StatedDuration;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Amazon SageMaker, in the three shapes people keep in repositories: the CreateTrainingJob request
 * (`AlgorithmSpecification`, `ResourceConfig`, `StoppingCondition`, `HyperParameters` — all strings),
 * a CreateEndpointConfig request (`ProductionVariants`), and estimator-style settings as passed to the
 * Python SDK (`instance_type: ml.p3.16xlarge`, `instance_count`, `hyperparameters`, `max_run`), at the
 * root or one level down (`config:`). The region comes from `region` keys, `AWS_REGION` in the
 * environment, or is read out of ARNs, ECR image URIs and default bucket names.
 */
public final class SageMakerExtractor implements ConfigExtractor {
  private static final Set<String> REQUEST_KEYS = Set.of(
      "TrainingJobName", "AlgorithmSpecification", "ResourceConfig", "StoppingCondition", "RoleArn",
      "OutputDataConfig", "InputDataConfig", "HyperParameters", "EnableManagedSpotTraining", "VpcConfig",
      "CheckpointConfig", "Environment", "DebugHookConfig", "Tags");
  private static final Set<String> ESTIMATOR_KEYS = Set.of(
      "entry_point", "image_uri", "image_name", "hyperparameters", "role", "sagemaker_role", "framework_version",
      "py_version", "pytorch_version", "transformers_version", "tensorflow_version", "max_run", "max_wait",
      "distribution", "source_dir", "output_path", "volume_size", "use_spot_instances", "base_job_name",
      "model_data", "sagemaker_bucket", "sagemaker_session", "endpoint_name", "initial_instance_count",
      "checkpoint_s3_uri", "framework", "python_version");
  private static final List<Pattern> REGION_PATTERNS = List.of(
      Pattern.compile("^arn:aws[\\w-]*:[\\w-]+:([a-z]{2}(?:-gov)?-[a-z]+-\\d):"),
      Pattern.compile("\\.dkr\\.ecr\\.([a-z]{2}(?:-gov)?-[a-z]+-\\d)\\.amazonaws\\.com"),
      Pattern.compile("\\b(?:sagemaker|runtime\\.sagemaker|api\\.sagemaker|s3)[.-]([a-z]{2}(?:-gov)?-[a-z]+-\\d)(?:[.-]|$)"),
      Pattern.compile("^s3://sagemaker-([a-z]{2}(?:-gov)?-[a-z]+-\\d)-\\d{12}"));
  private static final Pattern INFERENCE_KEY = Pattern.compile("(?i)deploy|endpoint|serverless|inference");

  @Override
  public String format() {
    return "sagemaker";
  }

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    return isTrainingRequest(root) || isEndpointConfig(root) || estimator(root).isPresent();
  }

  private static boolean isTrainingRequest(MappingNode root) {
    boolean core = root.mapping("ResourceConfig").isPresent() || root.mapping("AlgorithmSpecification").isPresent();
    return core && Keys.countKnown(root, REQUEST_KEYS) >= 2;
  }

  private static boolean isEndpointConfig(MappingNode root) {
    Optional<SequenceNode> variants = root.sequence("ProductionVariants");
    return variants.isPresent() && variants.get().items().stream().anyMatch(i -> i instanceof MappingNode m
        && (m.containsKey("InstanceType") || m.containsKey("ServerlessConfig")) && m.containsKey("ModelName"));
  }

  /** Estimator-style settings at the root or one level down. */
  static Optional<MappingNode> estimator(MappingNode root) {
    if (isEstimator(root)) {
      return Optional.of(root);
    }
    for (Entry e : root.entries()) {
      if (e.value() instanceof MappingNode m && isEstimator(m)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private static boolean isEstimator(MappingNode m) {
    Optional<String> type = Keys.text(m, "instance_type");
    if (type.isEmpty() || !(m.containsKey("instance_count") || m.containsKey("initial_instance_count"))) {
      return false;
    }
    long known = Keys.countKnown(m, ESTIMATOR_KEYS);
    boolean sagemakerKey = m.entries().stream().anyMatch(e -> e.name().toLowerCase(Locale.ROOT).startsWith("sagemaker"));
    if (type.get().trim().toLowerCase(Locale.ROOT).startsWith("ml.")) {
      return known >= 1 || sagemakerKey;
    }
    // Without the `ml.` prefix (or with `local`/`local_gpu`) it takes what only an estimator has.
    return (m.containsKey("entry_point") || m.containsKey("image_uri")) && known >= 2;
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    if (isTrainingRequest(root)) {
      return List.of(trainingRequest(context, root, documentIndex));
    }
    if (isEndpointConfig(root)) {
      return List.of(endpointConfig(context, root, documentIndex));
    }
    MappingNode est = estimator(root).orElse(root);
    return List.of(estimatorRun(context, root, est, documentIndex));
  }

  private ExtractedRun trainingRequest(ExtractionContext context, MappingNode root, int documentIndex) {
    ReferenceData reference = context.reference();
    SourceRange anchor = root.entry("ResourceConfig").map(e -> e.key().range()).orElse(CloudJobs.firstKey(root));
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.TRAINING, anchor);
    run.cloud(new CloudChoice("aws", anchor));
    MappingNode resources = root.mapping("ResourceConfig").orElse(CloudJobs.EMPTY);
    Optional<Entry> type = CloudJobs.entry(resources, "InstanceType");
    Optional<Entry> count = CloudJobs.entry(resources, "InstanceCount");
    long instances = count.map(CloudJobs::longOf).orElse(1L);
    type.flatMap(t -> CloudJobs.instance(reference, CloudJobs.text(t), t.range()))
        .ifPresent(hw -> CloudJobs.hardware(run, hw, instances, "instances (InstanceCount)"));
    // Heterogeneous clusters: the first group with accelerators.
    if (type.isEmpty()) {
      CloudJobs.sequence(resources, "InstanceGroups").ifPresent(groups -> {
        for (DocNode g : groups.items()) {
          if (g instanceof MappingNode group && run.accelerator() == null) {
            Optional<Entry> t = CloudJobs.entry(group, "InstanceType");
            long n = CloudJobs.entry(group, "InstanceCount").map(CloudJobs::longOf).orElse(1L);
            t.flatMap(e -> CloudJobs.instance(reference, CloudJobs.text(e), e.range()))
                .ifPresent(hw -> CloudJobs.hardware(run, hw, n, "instances (InstanceCount)"));
          }
        }
      });
    }
    root.mapping("StoppingCondition").flatMap(s -> CloudJobs.entry(s, "MaxRuntimeInSeconds"))
        .ifPresent(e -> duration(e, run));
    MappingNode hyper = root.mapping("HyperParameters").orElse(CloudJobs.EMPTY);
    Settings env = CloudJobs.env(root.get("Environment").orElse(CloudJobs.EMPTY));
    Settings settings = CloudJobs.unquoted(hyper);
    TrainingArguments.read(settings, anchor, false, reference, run);
    modelFromEnv(env, reference, run);
    if (run.model() != null) {
      run.stage(Stage.FINE_TUNING);
    }
    region(root, root, env, reference, run);
    return new ExtractedRun(run.build(), FixWriter.NONE);
  }

  private ExtractedRun endpointConfig(ExtractionContext context, MappingNode root, int documentIndex) {
    ReferenceData reference = context.reference();
    SourceRange anchor = root.entry("ProductionVariants").map(e -> e.key().range()).orElse(CloudJobs.firstKey(root));
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.INFERENCE, anchor);
    run.cloud(new CloudChoice("aws", anchor));
    Entry chosenType = null;
    for (DocNode item : root.sequence("ProductionVariants").map(SequenceNode::items).orElse(List.of())) {
      if (!(item instanceof MappingNode variant)) {
        continue;
      }
      Optional<Entry> type = CloudJobs.entry(variant, "InstanceType");
      Optional<Entry> count = CloudJobs.entry(variant, "InitialInstanceCount");
      long instances = count.map(CloudJobs::longOf).orElse(1L);
      var hw = type.flatMap(t -> CloudJobs.instance(reference, CloudJobs.text(t), t.range()));
      if (hw.isEmpty() && run.accelerator() != null) {
        continue;
      }
      hw.ifPresent(h -> CloudJobs.hardware(run, h, instances, "instances (InitialInstanceCount)"));
      if (hw.isPresent()) {
        chosenType = type.get();
      }
      Keys.scalar(variant, "ModelName").ifPresent(m -> run.model(Models.choice(reference, m)));
      run.serving(new Serving(null, null, null, null, count.map(CloudJobs::longOf).map(Long::intValue).orElse(null),
          count.map(Entry::range).orElse(type.map(Entry::range).orElse(anchor))));
      if (hw.isPresent()) {
        break;
      }
    }
    region(root, root, Settings.EMPTY, reference, run);
    Optional<Entry> typeEntry = Optional.ofNullable(chosenType);
    return new ExtractedRun(run.build(), change -> servingInstanceFix(context, typeEntry, change));
  }

  private ExtractedRun estimatorRun(ExtractionContext context, MappingNode root, MappingNode est, int documentIndex) {
    ReferenceData reference = context.reference();
    Optional<Entry> type = CloudJobs.entry(est, "instance_type");
    SourceRange anchor = type.map(e -> e.key().range()).orElse(CloudJobs.firstKey(est));
    boolean inference = est.containsKey("initial_instance_count") || est.containsKey("model_data")
        || est.entries().stream().anyMatch(e -> INFERENCE_KEY.matcher(e.name()).find());
    Run.Builder run = Run.builder(context.file(), documentIndex, format(),
        inference ? Stage.INFERENCE : Stage.TRAINING, anchor);
    run.cloud(new CloudChoice("aws", anchor));
    Optional<Entry> count = CloudJobs.entry(est, "instance_count", "initial_instance_count");
    long instances = count.map(CloudJobs::longOf).orElse(1L);
    type.flatMap(t -> CloudJobs.instance(reference, CloudJobs.text(t), t.range()))
        .ifPresent(hw -> CloudJobs.hardware(run, hw, instances, "instances (" + count.get().name() + ")"));
    CloudJobs.entry(est, "max_run").ifPresent(e -> duration(e, run));
    MappingNode hyper = est.mapping("hyperparameters").orElse(CloudJobs.EMPTY);
    Settings env = CloudJobs.env(est.get("environment").or(() -> est.get("env")).orElse(CloudJobs.EMPTY));
    TrainingArguments.read(Settings.layered(CloudJobs.unquoted(hyper), Settings.of(est)), anchor, false,
        reference, run);
    modelFromEnv(env, reference, run);
    if (inference) {
      run.serving(new Serving(null, null, null, null,
          count.map(CloudJobs::longOf).map(Long::intValue).orElse(null), count.map(Entry::range).orElse(anchor)));
    } else if (run.model() != null) {
      run.stage(Stage.FINE_TUNING);
    }
    region(root, est, env, reference, run);
    FixWriter region = regionFix(context.editor(), est);
    return new ExtractedRun(run.build(), !inference ? region
        : change -> region.fixFor(change).or(() -> servingInstanceFix(context, type, change)));
  }

  /**
   * The L4 instances of the same size class as the endpoint's, by accelerators per instance: 1, 4 or 8
   * L4s (`ml.g6.xlarge`, `ml.g6.12xlarge`, `ml.g6.48xlarge`, SageMaker's G6 family), so the proposed
   * accelerator count stays the one priced.
   */
  static final java.util.Map<Integer, String> L4_INSTANCES = java.util.Map.of(
      1, "ml.g6.xlarge", 4, "ml.g6.12xlarge", 8, "ml.g6.48xlarge");

  /** An endpoint moved to L4s: its instance type replaced by the G6 type with as many GPUs. */
  private static Optional<Fix> servingInstanceFix(ExtractionContext context, Optional<Entry> type,
      ProposedChange change) {
    if (!(change instanceof ProposedChange.UseAccelerator use) || !use.accelerator().id().equals("L4")
        || type.isEmpty() || !(type.get().value() instanceof dev.carbonlens.document.ScalarNode value)) {
      return Optional.empty();
    }
    String written = CloudJobs.text(type.get());
    return CloudJobs.instance(context.reference(), written, type.get().range())
        .map(hw -> L4_INSTANCES.get(hw.perNode()))
        .map(l4 -> written.toLowerCase(Locale.ROOT).startsWith("ml.") ? l4 : l4.substring(3))
        .map(l4 -> new Fix(change.title(), List.of(context.editor().replace(value, l4))));
  }

  private static void duration(Entry e, Run.Builder run) {
    Double hours = CloudJobs.hours(CloudJobs.text(e), 1.0);
    if (hours != null) {
      run.duration(new StatedDuration(hours, e.range()));
    }
  }

  private static void modelFromEnv(Settings env, ReferenceData reference, Run.Builder run) {
    if (run.model() == null) {
      env.first(CloudJobs.MODEL_ENV.toArray(String[]::new))
          .ifPresent(m -> run.model(Models.choice(reference, m)));
    }
  }

  /** `region` keys, then AWS_REGION in the environment, then ARNs, ECR images and bucket names anywhere. */
  private static void region(MappingNode root, MappingNode settings, Settings env, ReferenceData reference,
      Run.Builder run) {
    Optional<RegionChoice> found = CloudJobs.regionKey(settings, "aws", reference, "region", "region_name",
        "Region", "aws_region", "AWS_REGION");
    if (found.isEmpty() && settings != root) {
      found = CloudJobs.regionKey(root, "aws", reference, "region", "region_name", "Region", "aws_region");
    }
    if (found.isEmpty()) {
      Optional<Setting> fromEnv = env.first("AWS_REGION", "AWS_DEFAULT_REGION", "SAGEMAKER_REGION");
      if (fromEnv.isPresent()) {
        Setting s = fromEnv.get();
        found = reference.region("aws", s.text()).map(spec -> new RegionChoice(spec, s.text().trim(), s.range()));
      }
    }
    if (found.isEmpty()) {
      found = CloudJobs.regionIn(root, REGION_PATTERNS, "aws", reference);
    }
    found.ifPresent(run::region);
  }

  private static FixWriter regionFix(ConfigEditor editor, MappingNode est) {
    return change -> {
      if (change instanceof ProposedChange.MoveToRegion move && Keys.scalarEntry(est, "region").isPresent()) {
        return Optional.of(new Fix(change.title(), new ArrayList<>(List.of(
            editor.set(est, "region", move.region().id())))));
      }
      return Optional.empty();
    };
  }
}
