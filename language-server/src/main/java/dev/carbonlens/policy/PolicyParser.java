package dev.carbonlens.policy;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.Severity;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.RegionSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the `policies:` list. Every mistake becomes a problem at the key or value that holds it, and a
 * policy with a problem is left out entirely (half a policy would enforce something nobody wrote).
 */
final class PolicyParser {
  static final List<String> KINDS = List.of("maxGridIntensity", "allowedRegions", "deniedRegions",
      "deniedAccelerators", "requirePrecision", "requireEarlyStopping", "maxSweepSize", "maxDevices",
      "maxKgCO2ePerRun");
  static final List<String> COMMON = List.of("id", "severity", "message", "appliesTo");
  /** Keys that only refine requirePrecision. */
  static final List<String> PRECISION_SCOPE = List.of("onAccelerators", "onArchitectures");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  /** Built-in rules are CL-...; keeping the prefix for them means a new built-in never collides. */
  private static final String RESERVED_PREFIX = "CL-";
  private static final Set<Stage> TRAINING_STAGES = EnumSet.of(Stage.TRAINING, Stage.FINE_TUNING, Stage.SWEEP);

  private final ReferenceData reference;
  private final Set<String> builtInIds;
  private final List<ParseProblem> problems = new ArrayList<>();
  private final Map<String, ScalarNode> idsSeen = new HashMap<>();

  PolicyParser(ReferenceData reference, Set<String> builtInRuleIds) {
    this.reference = reference;
    this.builtInIds = builtInRuleIds.stream().map(s -> s.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  List<ParseProblem> problems() {
    return problems;
  }

  List<Policy> parse(DocNode node) {
    List<Policy> policies = new ArrayList<>();
    if (node instanceof ScalarNode s && s.isNull()) {
      return policies; // `policies:` with nothing under it
    }
    if (!(node instanceof SequenceNode list)) {
      problem(node.range(), "`policies` must be a list of policies, each a mapping with an `id`");
      return policies;
    }
    for (DocNode item : list.items()) {
      if (!(item instanceof MappingNode entry)) {
        problem(item.range(), "A policy must be a mapping with an `id` and one of: " + String.join(", ", KINDS));
        continue;
      }
      int before = problems.size();
      Optional<Policy> policy = policy(entry);
      if (problems.size() == before) {
        policy.ifPresent(policies::add);
      }
    }
    return policies;
  }

  private Optional<Policy> policy(MappingNode entry) {
    Entry kind = null;
    for (Entry e : entry.entries()) {
      String key = e.name();
      if (KINDS.contains(key)) {
        if (kind != null) {
          problem(e.key().range(), "A policy sets one threshold or list: `" + kind.name() + "` and `" + key
              + "` are both set here; write them as two policies");
        } else {
          kind = e;
        }
      } else if (!COMMON.contains(key) && !PRECISION_SCOPE.contains(key)) {
        problem(e.key().range(), "Unknown policy key `" + key + "`; expected `id`, `severity`, `message`,"
            + " `appliesTo` and one of: " + String.join(", ", KINDS));
      }
    }
    String id = id(entry);
    Severity severity = severity(entry);
    String message = message(entry);
    if (kind == null) {
      problem(entry.entry("id").map(e -> e.key().range()).orElse(entry.range()),
          "Policy " + (id == null ? "" : id + " ") + "sets no threshold or list; add one of: " + String.join(", ", KINDS));
      return Optional.empty();
    }
    String kindName = kind.name();
    for (String scope : PRECISION_SCOPE) {
      entry.entry(scope).filter(e -> !kindName.equals("requirePrecision")).ifPresent(e ->
          problem(e.key().range(), "`" + scope + "` only narrows `requirePrecision`; it has no meaning with `"
              + kindName + "`"));
    }
    Policy.Limit limit = limit(kind, entry);
    Set<Stage> stages = stages(entry, kind.name());
    if (id == null || limit == null || stages == null) {
      return Optional.empty();
    }
    return Optional.of(new Policy(id, severity, message, stages, limit, entry.range()));
  }

  // ------------------------------------------------------------------------------------------ common keys

  private String id(MappingNode entry) {
    Optional<Entry> found = entry.entry("id");
    if (found.isEmpty()) {
      problem(entry.range(), "A policy needs an `id` (e.g. ACME-GRID-001): findings and ignore comments name it");
      return null;
    }
    ScalarNode value = text(found.get(), "an id such as ACME-GRID-001");
    if (value == null) {
      return null;
    }
    String id = value.value().trim();
    if (!ID.matcher(id).matches()) {
      problem(value.range(), "Policy id `" + id + "` may hold only letters, digits, '.', '_' and '-'");
      return null;
    }
    String upper = id.toUpperCase(Locale.ROOT);
    if (builtInIds.contains(upper)) {
      problem(value.range(), "`" + id + "` is already taken (a built-in rule, a team rule or another policy);"
          + " give the policy an id of its own");
      return null;
    }
    if (upper.startsWith(RESERVED_PREFIX)) {
      problem(value.range(), "Ids starting with `" + RESERVED_PREFIX + "` are reserved for built-in rules");
      return null;
    }
    ScalarNode first = idsSeen.putIfAbsent(upper, value);
    if (first != null) {
      problem(value.range(), "Policy id `" + id + "` is already used on line " + (first.range().startLine() + 1));
      return null;
    }
    return id;
  }

  private Severity severity(MappingNode entry) {
    Optional<Entry> found = entry.entry("severity");
    if (found.isEmpty()) {
      return Severity.WARNING;
    }
    ScalarNode value = text(found.get(), "error, warning, info or hint");
    if (value == null) {
      return Severity.WARNING;
    }
    try {
      return Severity.fromLabel(value.value().trim());
    } catch (IllegalArgumentException e) {
      problem(value.range(), "Unknown severity `" + value.value() + "`; expected error, warning, info or hint");
      return Severity.WARNING;
    }
  }

  private String message(MappingNode entry) {
    Optional<Entry> found = entry.entry("message");
    if (found.isEmpty()) {
      return null;
    }
    ScalarNode value = text(found.get(), "the text of the finding");
    return value == null || value.value().isBlank() ? null : value.value().trim();
  }

  /** The stages a policy covers: `appliesTo` when written, else the kind's natural scope. */
  private Set<Stage> stages(MappingNode entry, String kind) {
    Optional<Entry> found = entry.entry("appliesTo");
    if (found.isEmpty()) {
      return kind.equals("requirePrecision") || kind.equals("requireEarlyStopping")
          ? TRAINING_STAGES : EnumSet.allOf(Stage.class);
    }
    List<ScalarNode> items = textList(found.get(), "stages");
    if (items == null) {
      return null;
    }
    Set<Stage> stages = EnumSet.noneOf(Stage.class);
    boolean ok = true;
    for (ScalarNode item : items) {
      Optional<Stage> stage = Arrays.stream(Stage.values())
          .filter(s -> s.label().equalsIgnoreCase(item.value().trim())).findFirst();
      if (stage.isEmpty()) {
        problem(item.range(), "Unknown stage `" + item.value() + "`; expected "
            + Arrays.stream(Stage.values()).map(Stage::label).collect(Collectors.joining(", ")));
        ok = false;
      } else {
        stages.add(stage.get());
      }
    }
    return ok ? stages : null;
  }

  // ------------------------------------------------------------------------------------------ the kinds

  private Policy.Limit limit(Entry kind, MappingNode entry) {
    return switch (kind.name()) {
      case "maxGridIntensity" -> {
        Double v = positiveNumber(kind, "a grid intensity in gCO2e/kWh, e.g. 200");
        yield v == null ? null : new Policy.MaxGridIntensity(v);
      }
      case "maxKgCO2ePerRun" -> {
        Double v = positiveNumber(kind, "an amount in kgCO2e, e.g. 500");
        yield v == null ? null : new Policy.MaxRunKgCO2e(v);
      }
      case "maxSweepSize" -> {
        Long v = positiveInteger(kind, "a number of trials, e.g. 50");
        yield v == null ? null : new Policy.MaxSweepSize(v);
      }
      case "maxDevices" -> {
        Long v = positiveInteger(kind, "a number of accelerators, e.g. 64");
        if (v != null && v > Integer.MAX_VALUE) {
          problem(kind.value().range(), "`maxDevices` is too large");
          yield null;
        }
        yield v == null ? null : new Policy.MaxDevices(v.intValue());
      }
      case "allowedRegions" -> {
        Regions r = regions(kind);
        yield r == null ? null : new Policy.AllowedRegions(r.specs(), r.written());
      }
      case "deniedRegions" -> {
        Regions r = regions(kind);
        yield r == null ? null : new Policy.DeniedRegions(r.specs(), r.written());
      }
      case "deniedAccelerators" -> {
        List<ScalarNode> items = textList(kind, "accelerator names, e.g. [K80, P100]");
        Set<AcceleratorSpec> specs = items == null ? null : accelerators(items);
        yield specs == null ? null : new Policy.DeniedAccelerators(specs, written(items));
      }
      case "requirePrecision" -> requirePrecision(kind, entry);
      case "requireEarlyStopping" -> {
        Optional<Boolean> on = kind.value() instanceof ScalarNode s ? s.asBoolean() : Optional.empty();
        if (on.isEmpty()) {
          problem(kind.value().range(), "`requireEarlyStopping` takes `true`");
          yield null;
        }
        if (!on.get()) {
          problem(kind.value().range(), "`requireEarlyStopping: false` requires nothing; remove the policy");
          yield null;
        }
        yield new Policy.RequireEarlyStopping();
      }
      default -> throw new IllegalStateException("kind without a reader: " + kind.name());
    };
  }

  private Policy.Limit requirePrecision(Entry kind, MappingNode entry) {
    ScalarNode value = text(kind, "fp16, bf16 or fp8");
    if (value == null) {
      return null;
    }
    Optional<Precision> precision = Arrays.stream(Precision.values())
        .filter(p -> p != Precision.FP32 && p.label().equalsIgnoreCase(value.value().trim())).findFirst();
    if (precision.isEmpty()) {
      problem(value.range(), "`requirePrecision` takes fp16, bf16 or fp8, not `" + value.value() + "`");
      return null;
    }
    Set<AcceleratorSpec> accelerators = new LinkedHashSet<>();
    List<String> written = new ArrayList<>();
    boolean ok = true;
    Optional<Entry> on = entry.entry("onAccelerators");
    if (on.isPresent()) {
      List<ScalarNode> items = textList(on.get(), "accelerator names, e.g. [A100, H100]");
      Set<AcceleratorSpec> specs = items == null ? null : accelerators(items);
      ok = specs != null && supported(items, precision.get());
      if (ok) {
        accelerators.addAll(specs);
        written.addAll(written(items));
      }
    }
    Set<String> architectures = new TreeSet<>();
    Optional<Entry> archs = entry.entry("onArchitectures");
    if (archs.isPresent()) {
      List<ScalarNode> items = textList(archs.get(), "architectures, e.g. [ampere, hopper]");
      Set<String> known = reference.allAccelerators().stream().map(AcceleratorSpec::architecture)
          .collect(Collectors.toCollection(TreeSet::new));
      if (items == null) {
        ok = false;
      } else {
        for (ScalarNode item : items) {
          String arch = item.value().trim().toLowerCase(Locale.ROOT);
          if (!known.contains(arch)) {
            problem(item.range(), "Unknown architecture `" + item.value() + "`; known: " + String.join(", ", known));
            ok = false;
          } else {
            architectures.add(arch);
            written.add(item.value().trim());
          }
        }
      }
    }
    return ok ? new Policy.RequirePrecision(precision.get(), accelerators, architectures, written) : null;
  }

  /** A policy that requires bf16 on a V100 can never be met: say so instead of flagging every run. */
  private boolean supported(List<ScalarNode> items, Precision precision) {
    boolean ok = true;
    for (ScalarNode item : items) {
      for (AcceleratorSpec spec : family(reference.accelerator(item.value()).orElseThrow(), item.value())) {
        Double peak = switch (precision) {
          case BF16 -> spec.bf16Tflops();
          case FP16 -> spec.fp16Tflops();
          case FP8 -> spec.fp8Tflops();
          case FP32 -> spec.fp32Tflops();
        };
        if (peak == null) {
          problem(item.range(), spec.id() + " has no " + precision.label() + " support, so `requirePrecision: "
              + precision.label() + "` cannot be met on it");
          ok = false;
          break;
        }
      }
    }
    return ok;
  }

  private Set<AcceleratorSpec> accelerators(List<ScalarNode> items) {
    Set<AcceleratorSpec> specs = new LinkedHashSet<>();
    boolean ok = true;
    for (ScalarNode item : items) {
      Optional<AcceleratorSpec> spec = reference.accelerator(item.value());
      if (spec.isEmpty()) {
        problem(item.range(), "Unknown accelerator `" + item.value() + "` (see `carbonlens rules` or the"
            + " reference table for the names CarbonLens knows)");
        ok = false;
      } else {
        specs.addAll(family(spec.get(), item.value()));
      }
    }
    return ok ? specs : null;
  }

  /**
   * A family name (P100, A100, H100) is an alias of one variant in the reference table, but a team that
   * writes it means every variant: all ids that start with the name and a dash.
   */
  private List<AcceleratorSpec> family(AcceleratorSpec resolved, String written) {
    String name = written.trim().toUpperCase(Locale.ROOT);
    if (resolved.id().equalsIgnoreCase(name)) {
      return List.of(resolved);
    }
    List<AcceleratorSpec> members = new ArrayList<>(List.of(resolved));
    for (AcceleratorSpec spec : reference.allAccelerators()) {
      if (spec != resolved && spec.id().toUpperCase(Locale.ROOT).startsWith(name + "-")) {
        members.add(spec);
      }
    }
    return members;
  }

  private record Regions(Set<RegionSpec> specs, List<String> written) {}

  private Regions regions(Entry kind) {
    List<ScalarNode> items = textList(kind, "regions, e.g. [gcp:europe-north1, aws/eu-north-1]");
    if (items == null) {
      return null;
    }
    Set<RegionSpec> specs = new LinkedHashSet<>();
    boolean ok = true;
    for (ScalarNode item : items) {
      Optional<RegionSpec> spec = region(item);
      if (spec.isEmpty()) {
        ok = false;
      } else {
        specs.add(spec.get());
      }
    }
    return ok ? new Regions(specs, written(items)) : null;
  }

  /** `provider:region`, `provider/region` (SkyPilot's infra form) or a region id only one provider uses. */
  private Optional<RegionSpec> region(ScalarNode item) {
    String text = item.value().trim();
    int split = indexOfSeparator(text);
    if (split > 0) {
      String provider = text.substring(0, split);
      Optional<RegionSpec> spec = reference.region(provider, text.substring(split + 1));
      if (spec.isEmpty()) {
        problem(item.range(), "Unknown region `" + text + "`");
      }
      return spec;
    }
    // As the extractors read a bare name: AWS, GCP and Azure first, so `us-east-1` is AWS's region.
    Optional<RegionSpec> spec = reference.region(null, text);
    if (spec.isPresent()) {
      return spec;
    }
    List<String> providers = reference.allRegions().stream().map(RegionSpec::provider).distinct()
        .filter(p -> reference.region(p, text).isPresent()).toList();
    if (providers.size() > 1) {
      problem(item.range(), "Region `" + text + "` exists at " + String.join(", ", providers)
          + "; write it as provider:region, e.g. " + providers.get(0) + ":" + text);
    } else {
      problem(item.range(), "Unknown region `" + text + "`");
    }
    return Optional.empty();
  }

  private static int indexOfSeparator(String text) {
    int colon = text.indexOf(':');
    int slash = text.indexOf('/');
    if (colon < 0) {
      return slash;
    }
    return slash < 0 ? colon : Math.min(colon, slash);
  }

  // ------------------------------------------------------------------------------------------ value shapes

  private ScalarNode text(Entry entry, String expected) {
    if (entry.value() instanceof ScalarNode s && !s.isNull() && !s.value().isBlank()) {
      return s;
    }
    problem(entry.value().range().isNone() ? entry.key().range() : entry.value().range(),
        "`" + entry.name() + "` takes " + expected);
    return null;
  }

  /** A non-empty list of non-empty scalars; a single scalar is accepted as a one-item list. */
  private List<ScalarNode> textList(Entry entry, String expected) {
    List<DocNode> nodes = entry.value() instanceof SequenceNode seq ? seq.items() : List.of(entry.value());
    boolean ok = !nodes.isEmpty();
    List<ScalarNode> items = new ArrayList<>();
    for (DocNode node : nodes) {
      if (node instanceof ScalarNode s && !s.isNull() && !s.value().isBlank()) {
        items.add(s);
      } else {
        ok = false;
      }
    }
    if (!ok) {
      problem(entry.value().range().isNone() ? entry.key().range() : entry.value().range(),
          "`" + entry.name() + "` takes a list of " + expected);
      return null;
    }
    return items;
  }

  private Double positiveNumber(Entry entry, String expected) {
    if (entry.value() instanceof ScalarNode s && s.asNumber().isPresent()
        && s.asNumber().getAsDouble() > 0 && Double.isFinite(s.asNumber().getAsDouble())) {
      return s.asNumber().getAsDouble();
    }
    problem(entry.value().range().isNone() ? entry.key().range() : entry.value().range(),
        "`" + entry.name() + "` takes a positive number: " + expected);
    return null;
  }

  private Long positiveInteger(Entry entry, String expected) {
    if (entry.value() instanceof ScalarNode s && s.asLong().isPresent() && s.asLong().getAsLong() > 0) {
      return s.asLong().getAsLong();
    }
    problem(entry.value().range().isNone() ? entry.key().range() : entry.value().range(),
        "`" + entry.name() + "` takes a whole number of at least 1: " + expected);
    return null;
  }

  private static List<String> written(List<ScalarNode> items) {
    return items.stream().map(s -> s.value().trim()).toList();
  }

  private void problem(SourceRange range, String message) {
    problems.add(new ParseProblem(message, range));
  }
}
