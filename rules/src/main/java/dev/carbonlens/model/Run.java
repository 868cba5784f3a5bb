package dev.carbonlens.model;

/**
 * One training or serving run recognised in a file: the central fact rules match on. Every choice
 * knows the source range it came from; a null choice means the config does not say.
 *
 * @param file the file as reported (forward slashes)
 * @param index position of the run in its file (multi-document YAML can hold several)
 * @param format the config format it was read as (`huggingface`, `skypilot`, `lightning`, ...)
 * @param range where the run starts: the anchor for findings about choices the file leaves out
 */
public record Run(
    String file,
    int index,
    String format,
    Stage stage,
    SourceRange range,
    AcceleratorChoice accelerator,
    DeviceCount devices,
    CloudChoice cloud,
    RegionChoice region,
    PrecisionChoice precision,
    ModelChoice model,
    Schedule schedule,
    Evaluation evaluation,
    Checkpointing checkpointing,
    Workload workload,
    StatedDuration duration,
    FineTuning fineTuning,
    Logging logging,
    Sweep sweep,
    Serving serving,
    Recurrence recurrence,
    java.util.Map<String, Option> options) {

  public Run {
    if (workload == null) {
      workload = Workload.UNKNOWN;
    }
    options = options == null ? java.util.Map.of() : java.util.Map.copyOf(options);
  }

  /** The named setting (see {@link Options}), or null when the config does not say. */
  public Option option(String name) {
    return options.get(name);
  }

  public boolean hasOption(String name) {
    return options.containsKey(name);
  }

  /** The same run with that setting changed (or removed when {@code value} is null). */
  public Run withOption(String name, String value) {
    java.util.Map<String, Option> changed = new java.util.HashMap<>(options);
    if (value == null) {
      changed.remove(name);
    } else {
      Option old = options.get(name);
      changed.put(name, new Option(name, value, old == null ? range : old.range()));
    }
    return toBuilder().options(changed).build();
  }

  public Run withModel(ModelChoice value) {
    return toBuilder().model(value).build();
  }

  public Run withFineTuning(FineTuning value) {
    return toBuilder().fineTuning(value).build();
  }

  public Run withSweep(Sweep value) {
    return toBuilder().sweep(value).build();
  }

  public Run withServing(Serving value) {
    return toBuilder().serving(value).build();
  }

  public Run withDevices(DeviceCount value) {
    return toBuilder().devices(value).build();
  }

  public Run withRecurrence(Recurrence value) {
    return toBuilder().recurrence(value).build();
  }

  public Run withWorkload(Workload value) {
    return toBuilder().workload(value).build();
  }

  public int deviceCount() {
    return devices == null ? 1 : devices.count();
  }

  public String provider() {
    if (region != null) {
      return region.spec().provider();
    }
    return cloud == null ? null : cloud.provider();
  }

  public Run withAccelerator(AcceleratorChoice value) {
    return toBuilder().accelerator(value).build();
  }

  public Run withRegion(RegionChoice value) {
    return toBuilder().region(value).build();
  }

  public Run withPrecision(PrecisionChoice value) {
    return toBuilder().precision(value).build();
  }

  public Run withSchedule(Schedule value) {
    return toBuilder().schedule(value).build();
  }

  public Run withEvaluation(Evaluation value) {
    return toBuilder().evaluation(value).build();
  }

  public Run withCheckpointing(Checkpointing value) {
    return toBuilder().checkpointing(value).build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public static Builder builder(String file, int index, String format, Stage stage, SourceRange range) {
    return new Builder(file, index, format, stage, range);
  }

  /** Extractors fill a run field by field; everything they do not set stays unknown. */
  public static final class Builder {
    private final String file;
    private final int index;
    private final String format;
    private Stage stage;
    private final SourceRange range;
    private AcceleratorChoice accelerator;
    private DeviceCount devices;
    private CloudChoice cloud;
    private RegionChoice region;
    private PrecisionChoice precision;
    private ModelChoice model;
    private Schedule schedule;
    private Evaluation evaluation;
    private Checkpointing checkpointing;
    private Workload workload = Workload.UNKNOWN;
    private StatedDuration duration;
    private FineTuning fineTuning;
    private Logging logging;
    private Sweep sweep;
    private Serving serving;
    private Recurrence recurrence;
    private final java.util.Map<String, Option> options = new java.util.LinkedHashMap<>();

    private Builder(String file, int index, String format, Stage stage, SourceRange range) {
      this.file = file;
      this.index = index;
      this.format = format;
      this.stage = stage;
      this.range = range;
    }

    private Builder(Run run) {
      this(run.file, run.index, run.format, run.stage, run.range);
      accelerator = run.accelerator;
      devices = run.devices;
      cloud = run.cloud;
      region = run.region;
      precision = run.precision;
      model = run.model;
      schedule = run.schedule;
      evaluation = run.evaluation;
      checkpointing = run.checkpointing;
      workload = run.workload;
      duration = run.duration;
      fineTuning = run.fineTuning;
      logging = run.logging;
      sweep = run.sweep;
      serving = run.serving;
      recurrence = run.recurrence;
      options.putAll(run.options);
    }

    public Builder stage(Stage value) { stage = value; return this; }
    public Builder accelerator(AcceleratorChoice value) { accelerator = value; return this; }
    public Builder devices(DeviceCount value) { devices = value; return this; }
    public Builder cloud(CloudChoice value) { cloud = value; return this; }
    public Builder region(RegionChoice value) { region = value; return this; }
    public Builder precision(PrecisionChoice value) { precision = value; return this; }
    public Builder model(ModelChoice value) { model = value; return this; }
    public Builder schedule(Schedule value) { schedule = value; return this; }
    public Builder evaluation(Evaluation value) { evaluation = value; return this; }
    public Builder checkpointing(Checkpointing value) { checkpointing = value; return this; }
    public Builder workload(Workload value) { workload = value; return this; }
    public Builder duration(StatedDuration value) { duration = value; return this; }
    public Builder fineTuning(FineTuning value) { fineTuning = value; return this; }
    public Builder logging(Logging value) { logging = value; return this; }
    public Builder sweep(Sweep value) { sweep = value; return this; }
    public Builder serving(Serving value) { serving = value; return this; }
    public Builder recurrence(Recurrence value) { recurrence = value; return this; }
    /** Sets a named setting; a later call for the same name replaces it. */
    public Builder option(Option value) { options.put(value.name(), value); return this; }
    public Builder option(String name, String value, SourceRange range) { return option(new Option(name, value, range)); }
    public Builder options(java.util.Map<String, Option> values) { options.clear(); options.putAll(values); return this; }
    public Option option(String name) { return options.get(name); }

    /** What has been read so far (extractors that read in several passes check before overwriting). */
    public AcceleratorChoice accelerator() { return accelerator; }
    public DeviceCount devices() { return devices; }
    public RegionChoice region() { return region; }
    public CloudChoice cloud() { return cloud; }
    public PrecisionChoice precision() { return precision; }
    public ModelChoice model() { return model; }
    public Schedule schedule() { return schedule; }
    public Workload workload() { return workload; }

    public Run build() {
      return new Run(file, index, format, stage, range, accelerator, devices, cloud, region,
          precision, model, schedule, evaluation, checkpointing, workload, duration, fineTuning, logging, sweep,
          serving, recurrence, options);
    }
  }
}
