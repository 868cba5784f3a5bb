package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Logging;
import dev.carbonlens.model.Option;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Sweep;
import dev.carbonlens.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A DeepSpeed config (`ds_config.json`, JSONC or YAML): the file passed as `--deepspeed` to a
 * launcher or to the Hugging Face Trainer.
 *
 * <ul>
 *   <li>Precision: `bf16.enabled` (or its older name `bfloat16`), `fp16.enabled`, `amp.enabled`.
 *       `"auto"` means the Trainer/launcher fills the value in from its own arguments, so the file
 *       does not say: no precision fact. With no fp16/bf16/amp section DeepSpeed trains in fp32
 *       (its default): FP32, not stated, at the run's anchor.</li>
 *   <li>Batch: `train_micro_batch_size_per_gpu`, `gradient_accumulation_steps`, `train_batch_size`
 *       (the global batch); `"auto"` leaves each unknown. When all three are numbers DeepSpeed's
 *       identity `train_batch_size = micro × accumulation × data-parallel devices` gives the number
 *       of devices.</li>
 *   <li>`steps_per_print` → logging; `autotuning.enabled` → a sweep fact (the autotuner runs
 *       many short trial experiments before training).</li>
 *   <li>`zero_optimization.offload_optimizer.device` (else `offload_param.device`, or the older
 *       `cpu_offload: true`) → {@link Options#OPTIMIZER_OFFLOAD} (`cpu`, `nvme`, `none`), at the
 *       `device` entry. `zero_optimization.stage` is read ({@link #zeroStage}) but is no fact.</li>
 * </ul>
 */
public final class DeepSpeedExtractor implements ConfigExtractor {
  /** Top-level keys only DeepSpeed uses. */
  private static final Set<String> DEEPSPEED_ONLY = Set.of(
      "zero_optimization", "train_micro_batch_size_per_gpu", "zero_allow_untested_optimizer",
      "zero_force_ds_cpu_optimizer", "steps_per_print", "wall_clock_breakdown", "prescale_gradients",
      "gradient_predivide_factor", "sparse_attention", "activation_checkpointing", "flops_profiler",
      "autotuning", "communication_data_type", "elasticity", "aio", "data_efficiency", "compression_training");
  /** DeepSpeed's own default for `tuner_early_stopping` (trials without improvement before it stops). */
  static final int DEFAULT_TUNER_EARLY_STOPPING = 5;

  @Override
  public String format() {
    return "deepspeed";
  }

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    if (root.mapping("zero_optimization").isPresent() || root.containsKey("train_micro_batch_size_per_gpu")) {
      return true;
    }
    boolean precisionSection = precisionSection(root, "fp16").isPresent() || precisionSection(root, "bf16").isPresent()
        || precisionSection(root, "bfloat16").isPresent();
    long own = Keys.countKnown(root, DEEPSPEED_ONLY);
    boolean batch = root.containsKey("train_batch_size");
    boolean optimizerBlock = root.mapping("optimizer").map(o -> o.containsKey("type") && o.containsKey("params"))
        .orElse(false);
    return (precisionSection && (batch || own >= 1 || optimizerBlock))
        || (batch && (own >= 1 || optimizerBlock));
  }

  /** `fp16: {enabled: ...}`: the section form DeepSpeed uses (a Trainer's `fp16: true` is not one). */
  private static Optional<MappingNode> precisionSection(MappingNode root, String key) {
    return root.mapping(key).filter(m -> m.containsKey("enabled"));
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    SourceRange anchor = anchorOf(root);
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.TRAINING, anchor);
    PrecisionChoice precision = precision(root, anchor);
    if (precision != null) {
      run.precision(precision);
    }
    Optional<Entry> micro = number(root, "train_micro_batch_size_per_gpu");
    Optional<Entry> accumulation = number(root, "gradient_accumulation_steps");
    Optional<Entry> global = number(root, "train_batch_size");
    Integer microValue = micro.map(DeepSpeedExtractor::intOf).orElse(null);
    Integer accumulationValue = accumulation.map(DeepSpeedExtractor::intOf).orElse(null);
    Integer globalValue = global.map(DeepSpeedExtractor::intOf).orElse(null);
    if (microValue != null || accumulationValue != null || globalValue != null) {
      run.workload(new Workload(null, null, null, microValue, accumulationValue, null, globalValue));
    }
    if (microValue != null && accumulationValue != null && globalValue != null && microValue > 0
        && accumulationValue > 0 && globalValue % ((long) microValue * accumulationValue) == 0) {
      long devices = globalValue / ((long) microValue * accumulationValue);
      DeviceCount.of(devices, 1, "train_batch_size " + globalValue + " / (train_micro_batch_size_per_gpu "
              + microValue + " x gradient_accumulation_steps " + accumulationValue + ") = " + devices
              + " data-parallel devices", global.get().range())
          .ifPresent(run::devices);
    }
    number(root, "steps_per_print").ifPresent(e -> run.logging(new Logging(((ScalarNode) e.value()).asLong().isPresent()
        ? ((ScalarNode) e.value()).asLong().getAsLong() : null, e.range())));
    autotuning(root).ifPresent(run::sweep);
    offload(root).ifPresent(run::option);
    return List.of(new ExtractedRun(run.build(), fixes(context.editor(), root)));
  }

  static SourceRange anchorOf(MappingNode root) {
    return root.entries().isEmpty() ? root.range() : root.entries().get(0).key().range();
  }

  /**
   * bf16 before fp16 (DeepSpeed refuses both on; a config with both enabled is read as bf16, the
   * one its engine checks first). "auto" in either leaves the precision to the launcher.
   */
  static PrecisionChoice precision(MappingNode root, SourceRange anchor) {
    Optional<Entry> bf16 = enabled(root, "bf16").or(() -> enabled(root, "bfloat16"));
    Optional<Entry> fp16 = enabled(root, "fp16");
    Optional<Entry> amp = enabled(root, "amp");
    if (bf16.isPresent() && isOn(bf16.get())) {
      return new PrecisionChoice(Precision.BF16, true, bf16.get().range());
    }
    if (fp16.isPresent() && isOn(fp16.get())) {
      return new PrecisionChoice(Precision.FP16, true, fp16.get().range());
    }
    if (amp.isPresent() && isOn(amp.get())) {
      return new PrecisionChoice(Precision.FP16, true, amp.get().range());
    }
    boolean auto = bf16.map(DeepSpeedExtractor::isAuto).orElse(false) || fp16.map(DeepSpeedExtractor::isAuto).orElse(false)
        || amp.map(DeepSpeedExtractor::isAuto).orElse(false);
    if (auto) {
      return null; // set by the launcher (HF Trainer --bf16/--fp16): not stated here
    }
    if (bf16.isPresent() || fp16.isPresent() || amp.isPresent()) {
      // Every reduced precision written is switched off: fp32 by choice.
      Entry off = bf16.or(() -> fp16).orElse(amp.orElse(null));
      return new PrecisionChoice(Precision.FP32, true, off.range());
    }
    boolean sectionWithoutEnabled = root.mapping("fp16").isPresent() || root.mapping("bf16").isPresent();
    if (sectionWithoutEnabled) {
      // `"fp16": {"loss_scale": 0}`: a section without `enabled` is enabled in DeepSpeed.
      Entry section = root.entry("bf16").filter(e -> e.value() instanceof MappingNode)
          .orElseGet(() -> root.entry("fp16").orElseThrow());
      return new PrecisionChoice(section.name().equals("bf16") ? Precision.BF16 : Precision.FP16, true,
          section.key().range());
    }
    return new PrecisionChoice(Precision.FP32, false, anchor);
  }

  /** The `enabled` entry of a section, when it has a value. */
  private static Optional<Entry> enabled(MappingNode root, String section) {
    return root.mapping(section).flatMap(m -> m.entry("enabled"))
        .filter(e -> e.value() instanceof ScalarNode s && !s.isNull());
  }

  private static boolean isOn(Entry e) {
    return settingOf(e).isTrue();
  }

  private static boolean isAuto(Entry e) {
    return settingOf(e).lower().equals("auto");
  }

  /** Reads a scalar entry as a {@link Setting}, so `'False'`, `"no"` and `"true"` read as people mean them. */
  private static Setting settingOf(Entry e) {
    ScalarNode v = (ScalarNode) e.value();
    return new Setting(e.name(), v.value(), v.quoted(), e.key().range(), v.range());
  }

  /** A scalar entry whose value is a number (quoted or not); "auto" and null are left out. */
  private static Optional<Entry> number(MappingNode m, String key) {
    return m.entry(key).filter(e -> e.value() instanceof ScalarNode s && s.asLong().isPresent());
  }

  private static Integer intOf(Entry e) {
    long v = ((ScalarNode) e.value()).asLong().getAsLong();
    return v > Integer.MAX_VALUE || v < Integer.MIN_VALUE ? null : (int) v;
  }

  /**
   * `autotuning: {enabled: true}`: DeepSpeed's autotuner profiles ZeRO stages and micro-batch sizes
   * with short trial runs (`fast: false` also tunes further settings) before the real run. The
   * tuner is `tuner_type` (gridsearch by default); `tuner_num_trials` bounds it when written; it
   * stops after `tuner_early_stopping` trials without improvement (5 unless written, 0 turns it off).
   */
  static Optional<Sweep> autotuning(MappingNode root) {
    Optional<MappingNode> tuning = root.mapping("autotuning");
    Optional<Entry> enabled = tuning.flatMap(t -> t.entry("enabled")).filter(e -> e.value() instanceof ScalarNode);
    if (enabled.isEmpty() || !isOn(enabled.get())) {
      return Optional.empty();
    }
    MappingNode t = tuning.get();
    String method = Keys.text(t, "tuner_type").map(s -> s.toLowerCase(Locale.ROOT)).orElse("gridsearch");
    Long trials = Keys.longValue(t, "tuner_num_trials");
    Long early = Keys.longValue(t, "tuner_early_stopping");
    boolean earlyStop = early == null ? DEFAULT_TUNER_EARLY_STOPPING > 0 : early > 0;
    return Optional.of(new Sweep("autotuning-" + method, null, trials, earlyStop, enabled.get().range()));
  }

  /** `zero_optimization.stage` (0–3), when written as a number. */
  static Integer zeroStage(MappingNode root) {
    return root.mapping("zero_optimization").map(z -> Keys.intValue(z, "stage")).orElse(null);
  }

  /** The offload targets written under `zero_optimization` (`offload_param: cpu`, `offload_optimizer: nvme`). */
  static List<String> offloads(MappingNode root) {
    List<String> out = new ArrayList<>();
    Optional<MappingNode> zero = root.mapping("zero_optimization");
    if (zero.isEmpty()) {
      return out;
    }
    for (String key : List.of("offload_param", "offload_optimizer", "cpu_offload", "cpu_offload_params")) {
      Optional<DocNode> v = zero.get().get(key);
      if (v.isPresent() && v.get() instanceof MappingNode m) {
        Keys.text(m, "device").filter(d -> !d.equalsIgnoreCase("none")).ifPresent(d -> out.add(key + ":" + d));
      } else if (v.isPresent() && v.get() instanceof ScalarNode s && s.asBoolean().orElse(false)) {
        out.add(key + ":cpu");
      }
    }
    return out;
  }

  /**
   * Where the optimizer states (else the parameters) live: the first offload that moves them off
   * the GPU, else `none` when the file says so. `"device": "auto"`-like values are read as written.
   */
  static Optional<Option> offload(MappingNode root) {
    Optional<MappingNode> zero = root.mapping("zero_optimization");
    if (zero.isEmpty()) {
      return Optional.empty();
    }
    Option none = null;
    for (String key : List.of("offload_optimizer", "offload_param")) {
      Optional<Entry> device = zero.get().mapping(key).flatMap(m -> Keys.scalarEntry(m, "device"))
          .filter(e -> !((ScalarNode) e.value()).isNull());
      if (device.isEmpty()) {
        continue;
      }
      String value = ((ScalarNode) device.get().value()).text().trim().toLowerCase(Locale.ROOT);
      Option o = new Option(Options.OPTIMIZER_OFFLOAD, value, device.get().range());
      if (!value.equals("none")) {
        return Optional.of(o);
      }
      none = none == null ? o : none;
    }
    for (String key : List.of("cpu_offload", "cpu_offload_params")) {
      Optional<Entry> legacy = Keys.scalarEntry(zero.get(), key);
      if (legacy.isPresent() && ((ScalarNode) legacy.get().value()).asBoolean().orElse(false)) {
        return Optional.of(new Option(Options.OPTIMIZER_OFFLOAD, "cpu", legacy.get().range()));
      }
    }
    return Optional.ofNullable(none);
  }

  /** `"device": "none"` for every offload section (and `false` for the older booleans). */
  private static List<TextEdit> offloadOff(ConfigEditor editor, MappingNode root) {
    List<TextEdit> edits = new ArrayList<>();
    root.mapping("zero_optimization").ifPresent(zero -> {
      for (String key : List.of("offload_optimizer", "offload_param")) {
        zero.mapping(key).filter(m -> Keys.text(m, "device").map(d -> !d.trim().equalsIgnoreCase("none")).orElse(false))
            .ifPresent(m -> edits.add(editor.set(m, "device", "none")));
      }
      for (String key : List.of("cpu_offload", "cpu_offload_params")) {
        Keys.scalar(zero, key).filter(s -> s.asBoolean().orElse(false))
            .ifPresent(s -> edits.add(editor.set(zero, key, false)));
      }
    });
    return edits;
  }

  private static FixWriter fixes(ConfigEditor editor, MappingNode root) {
    return change -> {
      if (change instanceof ProposedChange.SetOption o && o.name().equals(Options.OPTIMIZER_OFFLOAD)
          && o.value().trim().equalsIgnoreCase("none")) {
        List<TextEdit> edits = offloadOff(editor, root);
        return edits.isEmpty() ? Optional.empty() : Optional.of(new Fix(change.title(), edits));
      }
      if (change instanceof ProposedChange.UsePrecision p
          && (p.precision() == Precision.BF16 || p.precision() == Precision.FP16)) {
        String section = p.precision() == Precision.BF16 ? "bf16" : "fp16";
        Optional<MappingNode> existing = root.mapping(section);
        if (existing.isEmpty()) {
          return Optional.empty(); // a new nested section is more than a one-key edit: left to the user
        }
        List<TextEdit> edits = new ArrayList<>();
        edits.add(editor.set(existing.get(), "enabled", true));
        String other = section.equals("bf16") ? "fp16" : "bf16";
        root.mapping(other).filter(m -> enabled(root, other).map(DeepSpeedExtractor::isOn).orElse(false))
            .ifPresent(m -> edits.add(editor.set(m, "enabled", false)));
        return Optional.of(new Fix(change.title(), List.copyOf(edits)));
      }
      return Optional.empty();
    };
  }
}
