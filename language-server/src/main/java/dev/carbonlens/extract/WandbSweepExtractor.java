package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Sweep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Weights &amp; Biases sweep configuration (`wandb sweep sweep.yaml`, or a W&amp;B Launch sweep
 * whose method sits under `scheduler.settings`).
 *
 * <ul>
 *   <li>Stage SWEEP, with a {@link Sweep} fact: `method` (grid / random / bayes), the number of
 *       combinations a grid of `parameters` spans (product of each parameter's `values` count; a
 *       fixed `value` counts 1; nested `parameters` multiply in; a `distribution` or `min`/`max`
 *       range makes a grid impossible: combinations unknown), `run_cap` as the trial budget, and
 *       `early_terminate` (hyperband) as early termination. The fact's range is the `method`
 *       entry (the anchor when there is none).</li>
 *   <li>Each trial runs `command` (default `${env} ${interpreter} ${program} ${args}`), and
 *       `${args}` passes every parameter as `--name=value`. The flags written in the command and
 *       the parameters fixed to one `value` are read as training arguments (precision, epochs,
 *       batch, model...), each at the place it is written; nothing is assumed for what they leave
 *       out, as the program's own defaults are unknown.</li>
 * </ul>
 */
public final class WandbSweepExtractor implements ConfigExtractor {
  static final Set<String> METHODS = Set.of("grid", "random", "bayes");
  private static final Set<String> PARAMETER_KEYS = Set.of(
      "value", "values", "distribution", "min", "max", "probabilities", "mu", "sigma", "q", "parameters");
  private static final Set<String> ARGS_MACROS = Set.of("${args}", "${args_no_hyphens}", "${args_no_boolean_flags}",
      "${args_json}", "${args_json_file}");

  @Override
  public String format() {
    return "wandb-sweep";
  }

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    Optional<MappingNode> parameters = root.mapping("parameters");
    if (parameters.isEmpty() || parameters.get().entries().isEmpty()) {
      return false;
    }
    boolean allParameters = parameters.get().entries().stream().allMatch(e -> e.value() instanceof MappingNode m
        && !m.entries().isEmpty() && m.entries().stream().anyMatch(p -> PARAMETER_KEYS.contains(p.name())));
    if (!allParameters) {
      return false;
    }
    boolean method = method(root).map(e -> METHODS.contains(((ScalarNode) e.value()).text().trim()
        .toLowerCase(Locale.ROOT))).orElse(false);
    boolean metric = root.mapping("metric").map(m -> m.containsKey("name") || m.containsKey("goal")).orElse(false);
    boolean sweepKeys = root.containsKey("run_cap") || root.mapping("early_terminate").isPresent()
        || root.containsKey("program") || root.containsKey("command");
    return method || (metric && sweepKeys);
  }

  /** `method`, or a Launch sweep's `scheduler.settings.method`. */
  static Optional<Entry> method(MappingNode root) {
    return Keys.scalarEntry(root, "method")
        .or(() -> root.mapping("scheduler").flatMap(s -> s.mapping("settings")).flatMap(s -> Keys.scalarEntry(s, "method")));
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    SourceRange anchor = root.entries().isEmpty() ? root.range() : root.entries().get(0).key().range();
    Run.Builder run = Run.builder(context.file(), documentIndex, format(), Stage.SWEEP, anchor);
    Optional<Entry> method = method(root);
    MappingNode parameters = root.mapping("parameters").orElse(new MappingNode(List.of(), root.range()));
    Long combinations = combinations(parameters);
    Long runCap = Keys.longValue(root, "run_cap");
    boolean earlyTerminate = root.mapping("early_terminate")
        .map(m -> Keys.text(m, "type").filter(t -> !t.isBlank()).isPresent()).orElse(false);
    run.sweep(new Sweep(method.map(e -> ((ScalarNode) e.value()).text().trim().toLowerCase(Locale.ROOT)).orElse(null),
        combinations, runCap != null && runCap > 0 ? runCap : null, earlyTerminate,
        method.map(Entry::range).orElse(anchor)));

    Settings training = trainingSettings(root, parameters, context);
    TrainingArguments.read(training, anchor, false, context.reference(), run);
    return List.of(new ExtractedRun(run.build(), FixWriter.NONE));
  }

  /**
   * Combinations of a grid over these parameters: the product of each one's choices, or null when
   * one of them is a continuous range (no grid possible) or has a shape W&amp;B would not accept.
   */
  static Long combinations(MappingNode parameters) {
    try {
      return product(parameters);
    } catch (ArithmeticException overflow) {
      return null;
    }
  }

  private static Long product(MappingNode parameters) {
    long product = 1;
    for (Entry e : parameters.entries()) {
      if (!(e.value() instanceof MappingNode p)) {
        return null;
      }
      Long choices = choices(p);
      if (choices == null) {
        return null;
      }
      product = Math.multiplyExact(product, choices);
    }
    return product;
  }

  private static Long choices(MappingNode p) {
    Optional<DocNode> nested = p.get("parameters");
    if (nested.isPresent() && nested.get() instanceof MappingNode inner) {
      return product(inner);
    }
    Optional<DocNode> values = p.get("values");
    if (values.isPresent()) {
      return values.get() instanceof SequenceNode seq && !seq.items().isEmpty() ? (long) seq.items().size() : null;
    }
    Optional<String> distribution = Keys.text(p, "distribution").map(d -> d.trim().toLowerCase(Locale.ROOT));
    if (distribution.isPresent() && !distribution.get().equals("constant")) {
      return null; // uniform, log_uniform, q_*, normal, int_uniform...: a range, not a grid
    }
    if (p.containsKey("value")) {
      return 1L;
    }
    return null; // min/max alone: W&B infers a (int_)uniform range
  }

  /** Flags written in `command` first, then the parameters fixed to one value that `${args}` passes. */
  private static Settings trainingSettings(MappingNode root, MappingNode parameters, ExtractionContext context) {
    Optional<DocNode> commandNode = root.get("command");
    CommandArgs command = commandNode.map(c -> CommandArgs.of(c, context.document())).orElse(CommandArgs.NONE);
    boolean passesArgs = commandNode.isEmpty()
        || command.tokens().stream().anyMatch(t -> ARGS_MACROS.contains(t.text().trim()));
    Map<String, Setting> fixed = new LinkedHashMap<>();
    if (passesArgs) {
      for (Entry e : parameters.entries()) {
        if (e.value() instanceof MappingNode p && !p.containsKey("values") && !p.containsKey("distribution")) {
          p.entry("value").filter(v -> v.value() instanceof ScalarNode).ifPresent(v -> {
            ScalarNode s = (ScalarNode) v.value();
            fixed.putIfAbsent(e.name(), new Setting(e.name(), s.value(), s.quoted(), e.key().range(), s.range()));
          });
        }
      }
    }
    return Settings.layered(command, Settings.of(fixed));
  }
}
