package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.CloudChoice;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Recurrence;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.StatedDuration;
import dev.carbonlens.model.Sweep;
import dev.carbonlens.reference.ReferenceData;
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
 * Azure Machine Learning CLI v2 YAML, recognised by its `$schema` (or, without one, by `azureml:`
 * references and its `type`): command jobs (`command:` flags with `${{inputs.x}}` resolved against
 * `inputs`, `compute`, `resources.instance_count`, `distribution.process_count_per_instance`,
 * `limits.timeout`), sweep and AutoML jobs (sampling algorithm, search space, trial budget, early
 * termination), pipeline jobs, fine-tuning jobs, compute definitions (`type: amlcompute`, `size`,
 * `location`, `max_instances`), schedules (recurrence or cron), and ARM templates that create a
 * workspace compute. A job's compute is resolved only when the same file defines it; a compute known
 * by name alone leaves the accelerator unknown.
 */
public final class AzureMlExtractor implements ConfigExtractor {
  private static final List<String> SCHEMA_HOSTS = List.of(
      "https://azuremlschemas.azureedge.net/", "http://azuremlschemas.azureedge.net/",
      "https://azuremlsdk2.blob.core.windows.net/");
  static final String ARM_COMPUTE = "microsoft.machinelearningservices/workspaces/computes";
  private static final Set<String> JOB_TYPES = Set.of("command", "sweep", "pipeline", "automl", "parallel", "spark");
  private static final Set<String> COMPUTE_TYPES = Set.of("amlcompute", "computeinstance");
  private static final Pattern INPUT_REF = Pattern.compile("^\\$\\{\\{\\s*(?:parent\\.)?inputs\\.([\\w.-]+)\\s*}}$");
  private static final Pattern ARM_PARAMETER = Pattern.compile("^\\[parameters\\('([^']+)'\\)]$");
  private static final Pattern REGISTRY_MODEL = Pattern.compile("/models/([^/]+)(?:/versions/[^/]+|/labels/[^/]+)?/?$");
  private static final Pattern AZUREML_MODEL = Pattern.compile("^azureml:(?://)?(?!registries)([^:@/]+)[:@]");

  @Override
  public String format() {
    return "azure-ml";
  }

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    Optional<String> schema = Keys.text(root, "$schema").map(s -> s.trim().toLowerCase(Locale.ROOT));
    if (schema.isPresent() && SCHEMA_HOSTS.stream().anyMatch(h -> schema.get().startsWith(h))) {
      return true;
    }
    if (!armComputes(root).isEmpty()) {
      return true;
    }
    String type = CloudJobs.lower(root, "type");
    if (JOB_TYPES.contains(type)) {
      return azuremlReference(root) || (type.equals("sweep") && root.mapping("trial").isPresent()
          && root.containsKey("search_space"));
    }
    if (type.equals("finetuning")) {
      return (root.containsKey("model_provider") || root.containsKey("task"))
          && (root.containsKey("model") || root.containsKey("resources") || root.containsKey("hyperparameters"));
    }
    if (COMPUTE_TYPES.contains(type)) {
      return root.containsKey("size") && (root.containsKey("min_instances") || root.containsKey("max_instances")
          || root.containsKey("idle_time_before_scale_down") || root.containsKey("location") || root.containsKey("name"));
    }
    Optional<MappingNode> trigger = root.mapping("trigger");
    return trigger.isPresent() && root.containsKey("create_job")
        && Set.of("recurrence", "cron").contains(CloudJobs.lower(trigger.get(), "type"));
  }

  /** `compute: azureml:gpu-cluster`, `environment: azureml:...@latest`, `settings.default_compute`. */
  private static boolean azuremlReference(MappingNode root) {
    List<String> values = new ArrayList<>();
    Keys.text(root, "compute").ifPresent(values::add);
    Keys.text(root, "environment").ifPresent(values::add);
    root.mapping("settings").flatMap(s -> Keys.text(s, "default_compute")).ifPresent(values::add);
    root.mapping("trial").flatMap(t -> Keys.text(t, "environment")).ifPresent(values::add);
    return values.stream().anyMatch(v -> v.trim().toLowerCase(Locale.ROOT).startsWith("azureml:"));
  }

  /** The compute resources of an ARM template (or a single resource written at the root). */
  static List<MappingNode> armComputes(MappingNode root) {
    List<MappingNode> out = new ArrayList<>();
    if (CloudJobs.lower(root, "type").equals(ARM_COMPUTE)) {
      out.add(root);
    }
    Optional<SequenceNode> resources = root.sequence("resources");
    if (resources.isPresent()) {
      for (DocNode item : resources.get().items()) {
        if (item instanceof MappingNode m && CloudJobs.lower(m, "type").equals(ARM_COMPUTE)) {
          out.add(m);
        }
      }
    }
    return out;
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    List<MappingNode> arm = armComputes(root);
    if (!arm.isEmpty()) {
      List<ExtractedRun> runs = new ArrayList<>();
      for (int i = 0; i < arm.size(); i++) {
        runs.add(armCompute(context, root, arm.get(i), documentIndex + i));
      }
      return runs;
    }
    String type = CloudJobs.lower(root, "type");
    if (COMPUTE_TYPES.contains(type)) {
      // A cluster a job of the same file runs on is read into that job, not counted a second time.
      return usedByAJob(context, root) ? List.of() : List.of(compute(context, root, documentIndex));
    }
    Optional<MappingNode> trigger = root.mapping("trigger");
    if (trigger.isPresent() && root.containsKey("create_job")) {
      return List.of(schedule(context, root, trigger.get(), documentIndex));
    }
    SourceRange anchor = anchor(root);
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.TRAINING, anchor);
    run.cloud(new CloudChoice("azure", anchor));
    job(context, root, root, anchor, run);
    // Moving region means moving the cluster: editable when the same file defines it.
    Optional<MappingNode> cluster = Keys.text(root, "compute").flatMap(c -> definedCompute(context, c))
        .filter(c -> c.containsKey("location"));
    return List.of(new ExtractedRun(run.build(),
        cluster.map(c -> locationFix(context.editor(), c)).orElse(FixWriter.NONE)));
  }

  private static SourceRange anchor(MappingNode root) {
    return CloudJobs.anyEntry(root, "compute", "resources", "command", "type").map(e -> e.key().range())
        .orElse(CloudJobs.firstKey(root));
  }

  /** Every fact of one job (command, sweep, automl, pipeline, fine-tuning) into `run`. */
  private void job(ExtractionContext context, MappingNode root, MappingNode job, SourceRange anchor, Run.Builder run) {
    ReferenceData reference = context.reference();
    String type = CloudJobs.lower(job, "type");
    MappingNode inputs = CloudJobs.mapping(job, "inputs");
    MappingNode trial = CloudJobs.mapping(job, "trial");
    MappingNode commandJob = job;
    if (type.equals("pipeline")) {
      commandJob = firstChild(job).orElse(CloudJobs.EMPTY);
      inputs = CloudJobs.mapping(commandJob, "inputs");
    }
    Optional<DocNode> commandNode = commandJob.get("command").or(() -> trial.get("command"));
    CommandArgs args = CommandArgs.of(commandNode.orElse(null), context.document());
    Settings inputSettings = inputs(inputs, CloudJobs.mapping(job, "inputs"));
    Settings hyper = CloudJobs.unquoted(CloudJobs.mapping(job, "hyperparameters"));
    TrainingArguments.read(Settings.layered(resolved(args, inputSettings), inputSettings, hyper), anchor, false,
        reference, run);
    model(job, reference, run);

    hardware(context, root, job, commandJob, run);
    limits(job, run);

    if (type.equals("sweep") || (type.equals("automl") && (job.containsKey("sweep") || job.containsKey("search_space")))) {
      run.stage(Stage.SWEEP);
      run.sweep(sweep(job));
    } else if (type.equals("finetuning") || run.model() != null && !type.equals("automl")) {
      run.stage(Stage.FINE_TUNING);
    }
  }

  /** The first child job of a pipeline that runs a command (or any child when none does). */
  private static Optional<MappingNode> firstChild(MappingNode pipeline) {
    List<MappingNode> children = new ArrayList<>();
    pipeline.mapping("jobs").ifPresent(jobs -> jobs.entries().forEach(e -> {
      if (e.value() instanceof MappingNode m) {
        children.add(m);
      }
    }));
    return children.stream().filter(c -> c.containsKey("command")).findFirst()
        .or(() -> children.stream().findFirst());
  }

  /** Inputs as settings: scalars, and `{type: integer, default: 3}` / `{value: 3}` mappings. */
  private static Settings inputs(MappingNode... mappings) {
    Map<String, Setting> out = new LinkedHashMap<>();
    for (MappingNode inputs : mappings) {
      for (Entry e : inputs.entries()) {
        if (e.value() instanceof ScalarNode v) {
          out.putIfAbsent(e.name(), new Setting(e.name(), v.value(), v.quoted(), e.key().range(), v.range()));
        } else if (e.value() instanceof MappingNode m) {
          Keys.scalarEntry(m, "default", "value").ifPresent(d -> {
            ScalarNode v = (ScalarNode) d.value();
            out.putIfAbsent(e.name(), new Setting(e.name(), v.value(), v.quoted(), e.key().range(), v.range()));
          });
        }
      }
    }
    return Settings.of(out);
  }

  /** Command flags whose value is `${{inputs.x}}` take the input's value and position. */
  private static Settings resolved(CommandArgs args, Settings inputs) {
    Map<String, Setting> out = new LinkedHashMap<>();
    for (String name : args.names()) {
      Setting flag = args.get(name).orElseThrow();
      Matcher m = INPUT_REF.matcher(flag.text() == null ? "" : flag.text().trim());
      if (m.matches()) {
        Optional<Setting> input = inputs.get(m.group(1));
        if (input.isPresent()) {
          Setting i = input.get();
          out.put(name, new Setting(name, i.text(), i.quoted(), i.keyRange(), i.valueRange()));
        }
        continue; // an input the file does not give a value: unknown
      }
      out.put(name, flag);
    }
    return Settings.of(out);
  }

  /** `model: {path: azureml://registries/.../models/Meta-Llama-3-8B/versions/8}`, `inputs.model`, search spaces. */
  private static void model(MappingNode job, ReferenceData reference, Run.Builder run) {
    if (run.model() != null) {
      return;
    }
    List<Entry> candidates = new ArrayList<>();
    for (MappingNode m : List.of(job, CloudJobs.mapping(job, "inputs"))) {
      for (String key : List.of("model", "base_model", "model_name", "pretrained_model", "mlflow_model")) {
        m.entry(key).ifPresent(e -> {
          if (e.value() instanceof MappingNode inner) {
            Keys.scalarEntry(inner, "path", "default", "value").ifPresent(candidates::add);
          } else if (e.value() instanceof ScalarNode s && !s.isNull()) {
            candidates.add(e);
          }
        });
      }
    }
    for (Entry e : candidates) {
      String text = CloudJobs.text(e);
      Matcher registry = REGISTRY_MODEL.matcher(text);
      Matcher azureml = AZUREML_MODEL.matcher(text);
      String id = registry.find() ? registry.group(1) : azureml.find() ? azureml.group(1) : text;
      if (id.contains("://") || id.startsWith("./") || id.startsWith("${{")) {
        continue;
      }
      run.model(Models.choice(reference, id, e.range()));
      return;
    }
    // AutoML NLP / vision search over models: the first one named.
    DocNode space = job.get("search_space").orElse(null);
    firstChoice(space, "model_name").ifPresent(s -> run.model(Models.choice(reference, s)));
  }

  private static Optional<ScalarNode> firstChoice(DocNode space, String param) {
    if (space instanceof SequenceNode seq) {
      for (DocNode item : seq.items()) {
        Optional<ScalarNode> found = firstChoice(item, param);
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (space instanceof MappingNode m) {
      Optional<DocNode> p = m.get(param);
      if (p.isPresent() && p.get() instanceof MappingNode spec) {
        return spec.sequence("values").flatMap(v -> v.items().stream()
            .filter(i -> i instanceof ScalarNode s && !s.isNull()).map(ScalarNode.class::cast).findFirst());
      }
    }
    return Optional.empty();
  }

  /**
   * The instance: `resources.instance_type(s)` (serverless, fine-tuning) or a compute defined in the same
   * file; nodes from `resources.instance_count`; per node from the instance, else from the processes per
   * instance of a distributed job.
   */
  private static void hardware(ExtractionContext context, MappingNode root, MappingNode job, MappingNode commandJob,
      Run.Builder run) {
    ReferenceData reference = context.reference();
    MappingNode resources = CloudJobs.mapping(job, "resources");
    if (resources.entries().isEmpty()) {
      resources = CloudJobs.mapping(commandJob, "resources");
    }
    Optional<Entry> count = CloudJobs.entry(resources, "instance_count");
    long nodes = count.map(CloudJobs::longOf).orElse(1L);
    String nodesHow = "instances (resources.instance_count)";
    Optional<CloudJobs.Hardware> hw = CloudJobs.entry(resources, "instance_type")
        .flatMap(e -> CloudJobs.instance(reference, CloudJobs.text(e), e.range()));
    if (hw.isEmpty()) {
      Optional<SequenceNode> types = resources.sequence("instance_types");
      if (types.isPresent()) {
        for (DocNode item : types.get().items()) {
          if (item instanceof ScalarNode s && hw.isEmpty()) {
            hw = CloudJobs.instance(reference, s.text(), s.range());
          }
        }
      }
    }
    if (hw.isEmpty()) {
      Optional<String> compute = Keys.text(commandJob, "compute").or(() -> Keys.text(job, "compute"))
          .or(() -> job.mapping("settings").flatMap(s -> Keys.text(s, "default_compute")));
      Optional<MappingNode> defined = compute.flatMap(c -> definedCompute(context, c));
      hw = defined.flatMap(d -> CloudJobs.entry(d, "size"))
          .flatMap(e -> CloudJobs.instance(reference, CloudJobs.text(e), e.range()));
      defined.flatMap(d -> CloudJobs.regionKey(d, "azure", reference, "location")).ifPresent(run::region);
    }
    Optional<Entry> processes = CloudJobs.mapping(commandJob, "distribution").entry("process_count_per_instance")
        .or(() -> CloudJobs.mapping(job, "distribution").entry("process_count_per_instance"))
        .filter(e -> e.value() instanceof ScalarNode);
    if (hw.isPresent()) {
      CloudJobs.hardware(run, hw.get(), nodes, nodesHow);
    } else if (processes.isPresent()) {
      // The accelerator is unknown, but one process per device is how distributed jobs are written.
      Long perNode = CloudJobs.longOf(processes.get());
      if (perNode != null) {
        String how = perNode + " per instance (distribution.process_count_per_instance)"
            + (nodes > 1 ? " x " + nodes + " " + nodesHow : "");
        DeviceCount.of(perNode, Math.max(1, nodes), how, processes.get().range()).ifPresent(run::devices);
      }
    }
  }

  /** A compute of this name (`azureml:gpu-cluster`, `gpu-cluster`) defined by another document of the file. */
  private static Optional<MappingNode> definedCompute(ExtractionContext context, String reference) {
    String name = reference.trim();
    if (name.toLowerCase(Locale.ROOT).startsWith("azureml:")) {
      name = name.substring("azureml:".length());
    }
    for (DocNode root : context.document().roots()) {
      if (root instanceof MappingNode m && COMPUTE_TYPES.contains(CloudJobs.lower(m, "type"))
          && Keys.text(m, "name").map(String::trim).orElse("").equals(name)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private static boolean usedByAJob(ExtractionContext context, MappingNode compute) {
    Optional<String> name = Keys.text(compute, "name").map(String::trim);
    if (name.isEmpty()) {
      return false;
    }
    for (DocNode other : context.document().roots()) {
      if (other instanceof MappingNode job && other != compute) {
        List<String> refs = new ArrayList<>();
        Keys.text(job, "compute").ifPresent(refs::add);
        job.mapping("settings").flatMap(s -> Keys.text(s, "default_compute")).ifPresent(refs::add);
        job.mapping("create_job").flatMap(j -> Keys.text(j, "compute")).ifPresent(refs::add);
        job.mapping("jobs").ifPresent(jobs -> jobs.entries().forEach(e -> {
          if (e.value() instanceof MappingNode child) {
            Keys.text(child, "compute").ifPresent(refs::add);
          }
        }));
        if (refs.stream().map(r -> r.trim().replaceFirst("(?i)^azureml:", "")).anyMatch(name.get()::equals)) {
          return true;
        }
      }
    }
    return false;
  }

  /** `limits.timeout` (seconds) or AutoML's `limits.timeout_minutes`. */
  private static void limits(MappingNode job, Run.Builder run) {
    MappingNode limits = CloudJobs.mapping(job, "limits");
    Optional<Entry> seconds = CloudJobs.entry(limits, "timeout");
    Optional<Entry> minutes = CloudJobs.entry(limits, "timeout_minutes");
    Double hours = seconds.map(e -> CloudJobs.hours(CloudJobs.text(e), 1.0))
        .orElse(minutes.map(e -> CloudJobs.hours(CloudJobs.text(e), 60.0)).orElse(null));
    if (hours != null) {
      run.duration(new StatedDuration(hours, seconds.or(() -> minutes).get().range()));
    }
  }

  private static Sweep sweep(MappingNode job) {
    MappingNode settings = CloudJobs.mapping(job, "sweep"); // AutoML keeps them under `sweep:`
    Optional<Entry> sampling = settings.entry("sampling_algorithm").or(() -> job.entry("sampling_algorithm"));
    String method = sampling.map(e -> e.value() instanceof MappingNode m ? CloudJobs.lower(m, "type")
        : CloudJobs.text(e).toLowerCase(Locale.ROOT)).orElse("random");
    if (method.startsWith("bayes")) {
      method = "bayes";
    }
    MappingNode limits = CloudJobs.mapping(job, "limits");
    Long trials = Keys.longValue(limits, "max_total_trials", "max_trials");
    boolean early = settings.containsKey("early_termination") || job.containsKey("early_termination");
    Long combinations = combinations(job.get("search_space").orElse(null));
    SourceRange where = sampling.map(Entry::range)
        .orElse(CloudJobs.anyEntry(job, "search_space", "sweep").map(e -> e.key().range()).orElse(job.range()));
    return new Sweep(method, combinations, trials, early, where);
  }

  /** Grid size: product of `choice` sizes; a list of subspaces adds up; null when any parameter is continuous. */
  static Long combinations(DocNode space) {
    if (space instanceof SequenceNode seq) {
      long total = 0;
      for (DocNode item : seq.items()) {
        Long sub = combinations(item);
        if (sub == null) {
          return null;
        }
        total += sub;
      }
      return seq.items().isEmpty() ? null : total;
    }
    if (space instanceof MappingNode m) {
      long product = 1;
      for (Entry e : m.entries()) {
        Long n = choiceCount(e.value());
        if (n == null || n < 1 || product > Long.MAX_VALUE / n) {
          return null;
        }
        product *= n;
      }
      return m.entries().isEmpty() ? null : product;
    }
    return null;
  }

  private static Long choiceCount(DocNode param) {
    if (param instanceof MappingNode m && CloudJobs.lower(m, "type").equals("choice")) {
      return m.sequence("values").map(v -> (long) v.size()).orElse(null);
    }
    if (param instanceof ScalarNode s) {
      String t = s.text().trim();
      if (t.startsWith("choice(") && t.endsWith(")")) { // the SDK's string form
        String inner = t.substring(7, t.length() - 1).replaceAll("^\\[|]$", "").trim();
        return inner.isEmpty() ? null : (long) inner.split(",").length;
      }
    }
    return null;
  }

  private ExtractedRun compute(ExtractionContext context, MappingNode root, int documentIndex) {
    ReferenceData reference = context.reference();
    Optional<Entry> size = CloudJobs.entry(root, "size");
    SourceRange anchor = size.map(e -> e.key().range()).orElse(CloudJobs.firstKey(root));
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.TRAINING, anchor);
    run.cloud(new CloudChoice("azure", anchor));
    Optional<Entry> max = CloudJobs.entry(root, "max_instances");
    long nodes = max.map(CloudJobs::longOf).orElse(1L);
    size.flatMap(e -> CloudJobs.instance(reference, CloudJobs.text(e), e.range()))
        .ifPresent(hw -> CloudJobs.hardware(run, hw, nodes, "instances (max_instances)"));
    CloudJobs.regionKey(root, "azure", reference, "location").ifPresent(run::region);
    return new ExtractedRun(run.build(), locationFix(context.editor(), root));
  }

  private ExtractedRun armCompute(ExtractionContext context, MappingNode template, MappingNode resource, int index) {
    ReferenceData reference = context.reference();
    SourceRange anchor = CloudJobs.anyEntry(resource, "type").map(e -> e.key().range()).orElse(resource.range());
    Run.Builder run = Run.builder(context.file(), index, format(), Stage.TRAINING, anchor);
    run.cloud(new CloudChoice("azure", anchor));
    MappingNode outer = CloudJobs.mapping(resource, "properties");
    MappingNode props = CloudJobs.mapping(outer, "properties");
    Optional<CloudJobs.Located> vmSize = armValue(template, props, "vmSize").or(() -> armValue(template, outer, "vmSize"));
    MappingNode scale = CloudJobs.mapping(props, "scaleSettings");
    Optional<CloudJobs.Located> maxNodes = armValue(template, scale, "maxNodeCount");
    long nodes = maxNodes.map(l -> parseLong(l.text())).orElse(1L);
    vmSize.flatMap(v -> CloudJobs.instance(reference, v.text(), v.range()))
        .ifPresent(hw -> CloudJobs.hardware(run, hw, nodes, "nodes (scaleSettings.maxNodeCount)"));
    armValue(template, resource, "location").ifPresent(l -> reference.region("azure", l.text())
        .ifPresent(spec -> run.region(new dev.carbonlens.model.RegionChoice(spec, l.text(), l.range()))));
    return new ExtractedRun(run.build(), FixWriter.NONE);
  }

  private static long parseLong(String text) {
    try {
      return Math.max(1, Long.parseLong(text.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** A property's value; `[parameters('x')]` reads the parameter's `defaultValue` (where it is written). */
  private static Optional<CloudJobs.Located> armValue(MappingNode template, MappingNode m, String key) {
    Optional<Entry> e = Keys.scalarEntry(m, key);
    if (e.isEmpty()) {
      return Optional.empty();
    }
    String text = CloudJobs.text(e.get());
    Matcher p = ARM_PARAMETER.matcher(text);
    if (p.matches()) {
      return template.mapping("parameters").flatMap(ps -> ps.mapping(p.group(1)))
          .flatMap(param -> Keys.scalarEntry(param, "defaultValue", "value"))
          .map(d -> new CloudJobs.Located(CloudJobs.text(d), d.range()));
    }
    if (text.startsWith("[")) {
      return Optional.empty(); // another template expression: unknown until deployment
    }
    return Optional.of(new CloudJobs.Located(text, e.get().range()));
  }

  private ExtractedRun schedule(ExtractionContext context, MappingNode root, MappingNode trigger, int documentIndex) {
    Optional<Entry> triggerEntry = root.entry("trigger");
    SourceRange anchor = triggerEntry.map(e -> e.key().range()).orElse(CloudJobs.firstKey(root));
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.TRAINING, anchor);
    run.cloud(new CloudChoice("azure", anchor));
    String type = CloudJobs.lower(trigger, "type");
    if (type.equals("cron")) {
      Optional<Entry> expression = CloudJobs.entry(trigger, "expression");
      expression.ifPresent(e -> run.recurrence(new Recurrence(CloudJobs.text(e),
          Cron.runsPerDay(CloudJobs.text(e)), e.range())));
    } else {
      Optional<Entry> frequency = CloudJobs.entry(trigger, "frequency");
      long interval = Optional.ofNullable(Keys.longValue(trigger, "interval")).orElse(1L);
      String f = frequency.map(CloudJobs::text).orElse("").toLowerCase(Locale.ROOT);
      MappingNode at = CloudJobs.mapping(trigger, "schedule");
      int hours = at.sequence("hours").map(SequenceNode::size).filter(n -> n > 0).orElse(1);
      int minutes = at.sequence("minutes").map(SequenceNode::size).filter(n -> n > 0).orElse(1);
      int weekDays = at.sequence("week_days").map(SequenceNode::size).filter(n -> n > 0).orElse(1);
      int monthDays = at.sequence("month_days").map(SequenceNode::size).filter(n -> n > 0).orElse(1);
      Double perDay = switch (f) {
        case "minute" -> 1440.0 / interval;
        case "hour" -> 24.0 / interval;
        case "day" -> hours * minutes / (double) interval;
        case "week" -> weekDays * hours * minutes / (7.0 * interval);
        case "month" -> monthDays * hours * minutes * 12 / (365.25 * interval);
        default -> null;
      };
      String expression = "every " + interval + " " + (f.isEmpty() ? "?" : f)
          + (at.entries().isEmpty() ? "" : " (" + hours * minutes + " times a day"
              + (f.equals("week") ? ", " + weekDays + " days a week" : "") + ")");
      SourceRange where = frequency.map(Entry::range).orElse(anchor);
      if (interval > 0) {
        run.recurrence(new Recurrence(expression, perDay, where));
      }
    }
    // An inline job is read like a job file; one named by path or `azureml:` is read where it is defined.
    root.mapping("create_job").ifPresent(job -> job(context, root, job, anchor, run));
    return new ExtractedRun(run.build(), FixWriter.NONE);
  }

  private static FixWriter locationFix(ConfigEditor editor, MappingNode root) {
    return change -> {
      if (change instanceof ProposedChange.MoveToRegion move) {
        return Optional.of(new Fix(change.title(), List.of(editor.set(root, "location", move.region().id()))));
      }
      return Optional.empty();
    };
  }
}
