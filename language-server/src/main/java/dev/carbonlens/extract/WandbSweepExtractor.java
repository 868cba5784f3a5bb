package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.document.SyntaxKind;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Options;
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
 *   <li>Options: {@link Options#RUN_CAP} from `run_cap` (the entry); {@link Options#SEARCHES_EPOCHS} when a
 *       searched parameter (several `values`, a `distribution` or a `min`/`max` range) is the epoch
 *       count (`epochs`, `num_train_epochs`, `max_epochs`, `num_epochs`): the parameter's name, at its key.</li>
 *   <li>Each trial runs `command` (default `${env} ${interpreter} ${program} ${args}`), and
 *       `${args}` passes every parameter as `--name=value`. The flags written in the command and
 *       the parameters fixed to one `value` are read as training arguments (precision, epochs,
 *       batch, model...), each at the place it is written; nothing is assumed for what they leave
 *       out, as the program's own defaults are unknown.</li>
 * </ul>
 *
 * <p>Fixes: a random search with a trial budget (`method: random`, `run_cap: N`), a cap on runs
 * (`run_cap`), and Hyperband early termination added as an `early_terminate` block indented like the
 * file's other blocks.
 */
public final class WandbSweepExtractor implements ConfigExtractor {
  static final Set<String> METHODS = Set.of("grid", "random", "bayes");
  private static final Set<String> PARAMETER_KEYS = Set.of(
      "value", "values", "distribution", "min", "max", "probabilities", "mu", "sigma", "q", "parameters");
  /** Names a training script's epoch count goes by. */
  static final Set<String> EPOCH_PARAMETERS = Set.of("epochs", "num_train_epochs", "max_epochs", "num_epochs");
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

    Keys.scalarEntry(root, "run_cap").ifPresent(e -> run.option(Options.RUN_CAP, ((ScalarNode) e.value()).text().trim(),
        e.range()));
    searchedEpochs(parameters).ifPresent(e -> run.option(Options.SEARCHES_EPOCHS, e.name(), e.key().range()));

    Settings training = trainingSettings(root, parameters, context);
    TrainingArguments.read(training, anchor, false, context.reference(), run);
    return List.of(new ExtractedRun(run.build(), fixes(context, root, method)));
  }

  /** The first parameter (nested ones included) that searches the epoch count. */
  static Optional<Entry> searchedEpochs(MappingNode parameters) {
    for (Entry e : parameters.entries()) {
      if (!(e.value() instanceof MappingNode p)) {
        continue;
      }
      if (EPOCH_PARAMETERS.contains(e.name().trim().toLowerCase(Locale.ROOT)) && isSearched(p)) {
        return Optional.of(e);
      }
      Optional<MappingNode> nested = p.mapping("parameters");
      if (nested.isPresent()) {
        Optional<Entry> inner = searchedEpochs(nested.get());
        if (inner.isPresent()) {
          return inner;
        }
      }
    }
    return Optional.empty();
  }

  /** Several `values`, a non-constant `distribution`, or a `min`/`max` range: the parameter varies. */
  private static boolean isSearched(MappingNode p) {
    Optional<DocNode> values = p.get("values");
    if (values.isPresent()) {
      return values.get() instanceof SequenceNode seq && seq.items().size() > 1;
    }
    Optional<String> distribution = Keys.text(p, "distribution").map(d -> d.trim().toLowerCase(Locale.ROOT));
    if (distribution.isPresent()) {
      return !distribution.get().equals("constant");
    }
    return !p.containsKey("value") && p.containsKey("min") && p.containsKey("max");
  }

  // ------------------------------------------------------------------------------------------ fixes

  private static FixWriter fixes(ExtractionContext context, MappingNode root, Optional<Entry> method) {
    ConfigEditor editor = context.editor();
    return change -> {
      if (change instanceof ProposedChange.SearchRandomly random && method.isPresent()) {
        return Optional.of(new Fix(change.title(), List.of(
            editor.replace((ScalarNode) method.get().value(), "random"),
            editor.set(root, "run_cap", random.trials()))));
      }
      if (change instanceof ProposedChange.SetOption set && set.name().equals(Options.RUN_CAP)
          && set.value().matches("\\d+")) {
        return Optional.of(new Fix(change.title(), List.of(editor.set(root, "run_cap", Long.valueOf(set.value())))));
      }
      if (change instanceof ProposedChange.AddEarlyTermination) {
        return earlyTerminate(context, root).map(edit -> new Fix(change.title(), List.of(edit)));
      }
      return Optional.empty();
    };
  }

  /**
   * `early_terminate: {type: hyperband, min_iter: 3}` as a block after `metric` (else after the last
   * entry), indented with the file's own step; a JSON file gets a one-line object.
   */
  static Optional<TextEdit> earlyTerminate(ExtractionContext context, MappingNode root) {
    if (root.entries().isEmpty()) {
      return Optional.empty();
    }
    Optional<DocNode> existing = root.get("early_terminate");
    if (existing.isPresent()) {
      return Optional.empty(); // written but without a type: the user's half-made choice, not ours to rewrite
    }
    if (context.document().syntax() == SyntaxKind.JSON) {
      return Optional.of(context.editor().set(root, "early_terminate", "__BLOCK__")).map(edit ->
          new TextEdit(edit.range(), edit.newText().replace("\"__BLOCK__\"", "{\"type\": \"hyperband\", \"min_iter\": 3}")));
    }
    String[] lines = context.document().text().split("\r?\n", -1);
    Entry after = root.entry("metric").filter(e -> !e.inherited())
        .orElse(root.entries().get(root.entries().size() - 1));
    int column = after.key().range().startColumn();
    String pad = " ".repeat(column);
    String step = " ".repeat(indentStep(root));
    String block = pad + "early_terminate:\n" + pad + step + "type: hyperband\n" + pad + step + "min_iter: 3\n";
    var end = after.value().range();
    if (end.endColumn() == 0 && end.endLine() > after.key().range().startLine()) {
      return Optional.of(new TextEdit(dev.carbonlens.model.SourceRange.of(end.endLine(), 0, end.endLine(), 0), block));
    }
    int line = end.endLine();
    int lineEnd = line < lines.length ? lines[line].length() : end.endColumn();
    return Optional.of(new TextEdit(dev.carbonlens.model.SourceRange.of(line, lineEnd, line, lineEnd),
        "\n" + block.substring(0, block.length() - 1)));
  }

  /** How far the file indents a block under its key (2 unless a block mapping shows otherwise). */
  private static int indentStep(MappingNode root) {
    for (Entry e : root.entries()) {
      if (e.value() instanceof MappingNode m && !m.entries().isEmpty()) {
        int step = m.entries().get(0).key().range().startColumn() - e.key().range().startColumn();
        if (step > 0 && m.entries().get(0).key().range().startLine() > e.key().range().startLine()) {
          return step;
        }
      }
    }
    return 2;
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
