package dev.carbonlens.extract;

import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Checkpointing;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.FineTuning;
import dev.carbonlens.model.Logging;
import dev.carbonlens.model.ModelChoice;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Workload;
import dev.carbonlens.reference.ModelSizes;
import dev.carbonlens.reference.ModelSpec;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * torchtune recipe configs: components as `_component_` mappings (`model`, `tokenizer`,
 * `checkpointer`, `optimizer`, ...) beside flat settings (`dtype`, `epochs`, `batch_size`). The model
 * builder's name gives the model and the method (`torchtune.models.llama3_1.qlora_llama3_1_405b` is
 * QLoRA on Llama 3.1 405B); `checkpointer.checkpoint_dir` often names the hub model exactly. The
 * `tune run` line in the comments is not read: the document tree has no comments.
 */
public final class TorchtuneExtractor implements ConfigExtractor {
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)}");
  private static final List<String> MODEL_KEYS = List.of("model", "policy_model");

  @Override
  public String format() {
    return "torchtune";
  }

  /** At least two top-level `_component_` mappings, one of them a torchtune class. */
  @Override
  public boolean recognises(String fileName, MappingNode root) {
    int components = 0;
    boolean torchtune = false;
    for (Entry e : root.entries()) {
      if (e.value() instanceof MappingNode m) {
        Optional<String> component = Keys.text(m, "_component_");
        if (component.isPresent()) {
          components++;
          torchtune |= component.get().trim().startsWith("torchtune.");
        }
      }
    }
    return components >= 2 && torchtune;
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    SourceRange anchor = AxolotlExtractor.anchorOf(root);
    Settings s = Settings.of(root);
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.FINE_TUNING, anchor);
    Optional<Entry> component = MODEL_KEYS.stream()
        .flatMap(k -> root.mapping(k).flatMap(m -> Keys.scalarEntry(m, "_component_")).stream())
        .findFirst();
    Optional<MappingNode> modelArgs = MODEL_KEYS.stream().flatMap(k -> root.mapping(k).stream()).findFirst();
    component.ifPresent(c -> run.fineTuning(fineTuning(c, modelArgs.orElseThrow())));
    model(context.reference(), root, component).ifPresent(run::model);
    run.precision(precision(s, anchor));
    schedule(s, anchor).ifPresent(run::schedule);
    evaluation(s).ifPresent(run::evaluation);
    run.checkpointing(new Checkpointing("epoch", null, null,
        s.first("save_every_n_epochs").map(Setting::range).orElse(anchor)));
    Integer sequence = root.mapping("tokenizer").flatMap(t -> Keys.scalar(t, "max_seq_len"))
        .flatMap(v -> v.asLong().isPresent() ? Optional.of((int) v.asLong().getAsLong()) : Optional.empty()).orElse(null);
    run.workload(new Workload(null, null, sequence, s.intValue("batch_size"), s.intValue("gradient_accumulation_steps")));
    s.first("log_every_n_steps").filter(l -> l.longOrNull() != null)
        .ifPresent(l -> run.logging(new Logging(l.longOrNull(), l.range())));
    devices(s).ifPresent(run::devices);
    s.first("enable_activation_checkpointing").filter(g -> g.asBoolean().isPresent())
        .ifPresent(g -> run.option(Options.GRADIENT_CHECKPOINTING, String.valueOf(g.isTrue()), g.range()));
    return List.of(new ExtractedRun(run.build(), fixes(context.editor(), root)));
  }

  /** The builder's function name: `qlora_llama3_1_405b` of `torchtune.models.llama3_1.qlora_llama3_1_405b`. */
  static String builderName(String component) {
    String c = component.trim();
    return c.substring(c.lastIndexOf('.') + 1);
  }

  /** qlora_ / lora_ builders are QLoRA / LoRA (rank from `lora_rank`); any other builder trains every weight. */
  static FineTuning fineTuning(Entry component, MappingNode modelArgs) {
    String builder = builderName(((ScalarNode) component.value()).text()).toLowerCase(Locale.ROOT);
    Integer rank = Keys.intValue(modelArgs, "lora_rank");
    if (builder.startsWith("qlora_")) {
      return new FineTuning("qlora", rank, component.range());
    }
    if (builder.startsWith("lora_") || builder.startsWith("dora_")) {
      return new FineTuning(Keys.isTrue(modelArgs, "quantize_base") ? "qlora" : "lora", rank, component.range());
    }
    return new FineTuning("full", null, component.range());
  }

  /**
   * The hub model `checkpointer.checkpoint_dir` names when the catalogue knows it
   * (`/tmp/Meta-Llama-3.1-405B-Instruct/`); otherwise the builder, sized from the catalogue
   * (`llama3_2_3b` is llama3.2-3b) or from the size in its name (`405b`).
   */
  static Optional<ModelChoice> model(ReferenceData reference, MappingNode root, Optional<Entry> component) {
    Optional<ScalarNode> dir = root.mapping("checkpointer").flatMap(c -> Keys.scalar(c, "checkpoint_dir"));
    if (dir.isPresent()) {
      String resolved = resolve(root, dir.get().text());
      String trimmed = resolved.replace('\\', '/').replaceAll("/+$", "");
      String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
      if (!last.isBlank() && !resolved.contains("${") && reference.model(last).isPresent()) {
        return Optional.of(FineTuneModelNames.choice(reference, last, dir.get().range()));
      }
    }
    if (component.isEmpty()) {
      return Optional.empty();
    }
    String written = ((ScalarNode) component.get().value()).text().trim();
    SourceRange range = component.get().value().range();
    String base = builderName(written).replaceFirst("^(?i)(qlora_|lora_|dora_)", "");
    String name = catalogueSpelling(base);
    for (String candidate : List.of(name, name.replaceFirst("-(instruct|base|chat)$", ""))) {
      Optional<ModelSpec> spec = reference.model(candidate);
      if (spec.isPresent()) {
        ModelSpec m = spec.get();
        return Optional.of(new ModelChoice(written, m.activeParametersB(), m.totalParametersB(),
            "torchtune builder " + base + " = " + m.id() + " in the model catalogue: " + m.source() + ", " + m.year(),
            range));
      }
    }
    return Optional.of(ModelSizes.fromName(name)
        .map(size -> new ModelChoice(written, size.activeB(), size.totalB(), "torchtune builder " + base + ": "
            + size.how(), range))
        .orElseGet(() -> new ModelChoice(written, null, null, null, range)));
  }

  /** `llama3_1_405b` → `llama3.1-405b`: version digits join with a dot, other parts with a dash. */
  static String catalogueSpelling(String builder) {
    String[] parts = builder.split("_");
    StringBuilder out = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      out.append(parts[i].matches("\\d+") ? "." : "-").append(parts[i]);
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /** `${output_dir}` and `${a.b}` interpolations of top-level values (OmegaConf), a few levels deep. */
  static String resolve(MappingNode root, String text) {
    String current = text;
    for (int depth = 0; depth < 5 && current.contains("${"); depth++) {
      Matcher m = INTERPOLATION.matcher(current);
      StringBuilder out = new StringBuilder();
      boolean changed = false;
      while (m.find()) {
        Optional<String> value = root.getPath(m.group(1).split("\\.")).filter(ScalarNode.class::isInstance)
            .map(n -> ((ScalarNode) n).text());
        m.appendReplacement(out, Matcher.quoteReplacement(value.orElse(m.group())));
        changed |= value.isPresent();
      }
      m.appendTail(out);
      current = out.toString();
      if (!changed) {
        break;
      }
    }
    return current;
  }

  /** `dtype: bf16|fp32|fp16`; unset, torchtune's get_dtype gives fp32. */
  static PrecisionChoice precision(Settings s, SourceRange anchor) {
    Optional<Setting> dtype = s.first("dtype");
    if (dtype.isPresent()) {
      String v = dtype.get().lower();
      if (v.equals("bf16") || v.contains("bfloat16")) {
        return new PrecisionChoice(Precision.BF16, true, dtype.get().range());
      }
      if (v.equals("fp16") || v.contains("float16") || v.equals("half")) {
        return new PrecisionChoice(Precision.FP16, true, dtype.get().range());
      }
      if (v.equals("fp32") || v.contains("float32")) {
        return new PrecisionChoice(Precision.FP32, true, dtype.get().range());
      }
    }
    return new PrecisionChoice(Precision.FP32, false, dtype.map(Setting::range).orElse(anchor));
  }

  /**
   * `epochs`, capped by `max_steps_per_epoch` each; RL recipes state `num_steps` instead (PPO counts
   * it in samples: steps = num_steps / batch_size).
   */
  static Optional<Schedule> schedule(Settings s, SourceRange anchor) {
    Optional<Setting> epochs = s.first("epochs");
    Double epochCount = epochs.map(Setting::doubleOrNull).orElse(null);
    Optional<Setting> perEpoch = s.first("max_steps_per_epoch");
    Optional<Setting> numSteps = s.first("num_steps");
    Long maxSteps = null;
    SourceRange stepsRange = null;
    if (perEpoch.isPresent() && perEpoch.get().longOrNull() != null && perEpoch.get().longOrNull() > 0
        && epochCount != null) {
      maxSteps = Math.round(Math.ceil(epochCount) * perEpoch.get().longOrNull());
      stepsRange = perEpoch.get().range();
    } else if (numSteps.isPresent() && numSteps.get().longOrNull() != null && numSteps.get().longOrNull() > 0) {
      long n = numSteps.get().longOrNull();
      Integer batch = s.intValue("batch_size");
      boolean ppo = s.has("ppo_batch_size") && !s.has("grpo_samples");
      maxSteps = ppo && batch != null && batch > 0 ? Math.max(1, n / batch) : n;
      stepsRange = numSteps.get().range();
    }
    if (epochCount == null && maxSteps == null) {
      return Optional.empty();
    }
    return Optional.of(new Schedule(epochCount == null ? 0.0 : epochCount, epochCount != null,
        epochs.map(Setting::range).orElse(anchor), maxSteps, stepsRange, false));
  }

  /** `run_val_every_n_steps: N`; written as null, validation is off. */
  static Optional<Evaluation> evaluation(Settings s) {
    Optional<Setting> every = s.get("run_val_every_n_steps");
    if (every.isEmpty()) {
      return Optional.empty();
    }
    Long n = every.get().longOrNull();
    return Optional.of(n == null || n <= 0 ? new Evaluation("no", null, every.get().range())
        : new Evaluation("steps", n, every.get().range()));
  }

  /**
   * Devices when the parallel dimensions state them all (`data_parallel_shard_dim: -1` leaves the
   * count to the launcher), or `nnodes` x `nproc_per_node` where a config writes them.
   */
  static Optional<DeviceCount> devices(Settings s) {
    Optional<Setting> shard = s.first("data_parallel_shard_dim");
    if (shard.isPresent() && shard.get().longOrNull() != null && shard.get().longOrNull() > 0) {
      long total = 1;
      List<String> how = new ArrayList<>();
      for (String name : List.of("data_parallel_shard_dim", "data_parallel_replicate_dim", "tensor_parallel_dim",
          "context_parallel_dim")) {
        Long n = s.longValue(name);
        if (n != null && n > 0) {
          total *= n;
          how.add(n + " (" + name + ")");
        }
      }
      return DeviceCount.of(total, 1, String.join(" x ", how), shard.get().range());
    }
    Optional<Setting> perNode = s.first("nproc_per_node", "devices_per_node");
    if (perNode.isPresent() && perNode.get().longOrNull() != null) {
      long nodes = Optional.ofNullable(s.longValue("nnodes", "num_nodes")).orElse(1L);
      return DeviceCount.of(perNode.get().longOrNull(), nodes, perNode.get().longOrNull() + " per node ("
          + perNode.get().name() + ")" + (nodes > 1 ? " x " + nodes + " nodes" : ""), perNode.get().range());
    }
    return Optional.empty();
  }

  private static FixWriter fixes(ConfigEditor editor, MappingNode root) {
    return change -> {
      if (change instanceof ProposedChange.UsePrecision p && p.precision() == Precision.BF16) {
        return Optional.of(new Fix(change.title(), List.of(editor.set(root, "dtype", "bf16"))));
      }
      if (change instanceof ProposedChange.UseLoraRank r) {
        // The rank is an argument of the model builder: `model: {_component_: ...lora_llama3_1_8b, lora_rank: 8}`.
        Optional<MappingNode> model = MODEL_KEYS.stream().flatMap(k -> root.mapping(k).stream())
            .filter(m -> m.containsKey("lora_rank")).findFirst();
        if (model.isPresent()) {
          return Optional.of(new Fix(change.title(), TrainingArguments.loraRank(editor, model.get(), r.rank())));
        }
      }
      if (change instanceof ProposedChange.SetOption o && o.name().equals("logging_steps")
          && root.containsKey("log_every_n_steps")) {
        return Optional.of(new Fix(change.title(), List.of(editor.set(root, "log_every_n_steps",
            TrainingArguments.typed(o.value())))));
      }
      if (change instanceof ProposedChange.SetOption o && o.name().equals(Options.GRADIENT_CHECKPOINTING)) {
        return Optional.of(new Fix(change.title(), List.of(editor.set(root, "enable_activation_checkpointing",
            TrainingArguments.typed(o.value())))));
      }
      // torchtune's training recipes refuse fp16, and have no setting that limits kept checkpoints.
      if (change instanceof ProposedChange.EvaluateEvery e
          && (root.containsKey("dataset_val") || root.containsKey("run_val_every_n_steps"))) {
        return Optional.of(new Fix(change.title(), List.of(editor.set(root, "run_val_every_n_steps", e.steps()))));
      }
      return Optional.empty();
    };
  }
}
