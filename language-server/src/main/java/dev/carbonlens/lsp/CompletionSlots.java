package dev.carbonlens.lsp;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.document.SyntaxKind;
import dev.carbonlens.extract.ConfigExtractor;
import dev.carbonlens.extract.Extractors;
import dev.carbonlens.extract.KubernetesExtractor;
import dev.carbonlens.reference.InstanceSpec;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which kind of value the cursor's setting takes, in the file's format: a region (of a provider, when the
 * file says which), an accelerator (in the format's spelling) or an instance type. The keys are the ones
 * each extractor reads (see the comment at each rule); anywhere else there is no slot.
 */
final class CompletionSlots {
  private CompletionSlots() {}

  /** A value the cursor can complete. */
  sealed interface Slot permits RegionSlot, AcceleratorSlot, InstanceSlot {}

  /** A region; {@code provider} null when the file does not say which cloud (every provider's then). */
  record RegionSlot(String provider) implements Slot {}

  /** An accelerator, written as {@code style} spells it. */
  record AcceleratorSlot(CompletionCandidates.AcceleratorStyle style) implements Slot {}

  /** An instance type of {@code provider} (null: any), with SageMaker's {@code ml.} prefix when {@code sageMaker}. */
  record InstanceSlot(String provider, boolean sageMaker) implements Slot {}

  private static final Extractors EXTRACTORS = Extractors.builtIn();

  /** SageMakerExtractor.region: `region` keys of the estimator or request, then the environment's. */
  private static final Set<String> SAGEMAKER_REGION_KEYS = Set.of("region", "region_name", "Region", "aws_region",
      "AWS_REGION", "AWS_DEFAULT_REGION", "SAGEMAKER_REGION");
  /** VertexExtractor.region: the root's or the job spec's (`zone` names a zone, not a region). */
  private static final Set<String> VERTEX_REGION_KEYS = Set.of("location", "region", "regionId", "region_id");
  /** VertexExtractor.pool / launcher: an accelerator enum name. */
  private static final Set<String> VERTEX_ACCELERATOR_KEYS = Set.of("acceleratorType", "accelerator_type", "gpu_type");
  /** VertexExtractor.pool / legacyPool / launcher: a Compute Engine machine type. */
  private static final Set<String> VERTEX_MACHINE_KEYS = Set.of("machineType", "machine_type", "masterType", "workerType");
  /** SkyPilotExtractor.accelerators: where a task may list resources other than `resources` itself. */
  private static final Set<String> SKYPILOT_CANDIDATE_LISTS = Set.of("candidates", "any_of", "ordered");
  /** KubernetesWorkloads.region: the environment variables read when no node label names the region. */
  private static final Set<String> AWS_REGION_ENV = Set.of("AWS_REGION", "AWS_DEFAULT_REGION");

  /** The keys any rule below completes: a cheap test on the cursor's line before parsing anything. */
  static boolean isCompletedKey(String key) {
    return KEYS.contains(key);
  }

  private static final Set<String> KEYS = keys();

  private static Set<String> keys() {
    Set<String> keys = new HashSet<>();
    keys.addAll(SAGEMAKER_REGION_KEYS);
    keys.addAll(VERTEX_REGION_KEYS);
    keys.addAll(VERTEX_ACCELERATOR_KEYS);
    keys.addAll(VERTEX_MACHINE_KEYS);
    keys.addAll(List.of("accelerators", "instance_type", "InstanceType", "ec2_instance_type", "size", "vmSize",
        "type", "value"));
    keys.addAll(KubernetesExtractor.regionLabels());
    keys.addAll(KubernetesExtractor.acceleratorLabels());
    keys.addAll(KubernetesExtractor.instanceLabels());
    return Set.copyOf(keys);
  }

  /** One step from a root to the cursor's value: a mapping entry, or an item of a sequence. */
  record Step(DocNode container, Entry entry, int index) {
    String key() {
      return entry == null ? "#" : entry.name();
    }
  }

  /** The cursor's value in the parsed document: its root, the steps to it, the format of the root. */
  record Located(MappingNode root, List<Step> path, ScalarNode node, String format) {}

  /**
   * Parses {@code text} (the document with the cursor's value written as a closed quoted string at
   * {@code line}:{@code column}) and finds that value and its format: first in the {@link CompletionOutline}
   * around it, then in the whole text, then (when the rest of the document does not parse) in the text up
   * to that value alone, JSON closed with the brackets still open.
   */
  static Optional<Located> locate(String fileName, String text, int line, int column, int valueEndOffset) {
    SyntaxKind syntax = DocumentParser.syntaxOf(fileName, text);
    String outline = syntax == SyntaxKind.JSON ? CompletionOutline.json(text, valueEndOffset - 1)
        : CompletionOutline.yaml(text, line);
    return locateIn(fileName, outline, syntax, line, column)
        .or(() -> locateIn(fileName, text, syntax, line, column))
        .or(() -> locateIn(fileName, syntax == SyntaxKind.JSON ? closeJson(text.substring(0, valueEndOffset))
            : text.substring(0, lineEnd(text, valueEndOffset)), syntax, line, column));
  }

  /** The value written at line:column in {@code text} parsed as {@code syntax}, with its path and format. */
  static Optional<Located> locateIn(String fileName, String text, SyntaxKind syntax, int line, int column) {
    ParsedDocument document = DocumentParser.parse(fileName, text, syntax);
    for (DocNode root : document.roots()) {
      if (!(root instanceof MappingNode mapping) || !contains(root, line)) {
        continue;
      }
      Deque<Step> path = new ArrayDeque<>();
      ScalarNode node = find(root, line, column, path, Collections.newSetFromMap(new IdentityHashMap<>()));
      if (node == null) {
        continue;
      }
      List<Step> steps = new ArrayList<>(path);
      Collections.reverse(steps);
      if (steps.isEmpty() || (steps.get(steps.size() - 1).entry() != null
          && steps.get(steps.size() - 1).entry().key() == node)) {
        return Optional.empty(); // the cursor is on a key, not a value
      }
      Optional<ConfigExtractor> format = EXTRACTORS.detect(fileName, mapping);
      return format.map(f -> new Located(mapping, List.copyOf(steps), node, f.format()));
    }
    return Optional.empty();
  }

  private static boolean contains(DocNode node, int line) {
    return node.range().startLine() <= line && line <= node.range().endLine();
  }

  /** Depth-first search for the scalar written at line:column, each node once (aliases share nodes). */
  private static ScalarNode find(DocNode node, int line, int column, Deque<Step> path, Set<DocNode> seen) {
    if (!seen.add(node)) {
      return null;
    }
    if (node instanceof MappingNode m) {
      for (Entry e : m.entries()) {
        if (e.inherited()) {
          continue; // written elsewhere (a merge key's mapping), found there
        }
        path.push(new Step(m, e, -1));
        if (startsAt(e.key(), line, column)) {
          return e.key();
        }
        ScalarNode hit = startsAt(e.value(), line, column) ? (ScalarNode) e.value()
            : contains(e.value(), line) ? find(e.value(), line, column, path, seen) : null;
        if (hit != null) {
          return hit;
        }
        path.pop();
      }
    } else if (node instanceof SequenceNode s) {
      for (int i = 0; i < s.items().size(); i++) {
        DocNode item = s.items().get(i);
        path.push(new Step(s, null, i));
        ScalarNode hit = startsAt(item, line, column) ? (ScalarNode) item
            : contains(item, line) ? find(item, line, column, path, seen) : null;
        if (hit != null) {
          return hit;
        }
        path.pop();
      }
    }
    return null;
  }

  private static boolean startsAt(DocNode node, int line, int column) {
    return node instanceof ScalarNode && node.range().startLine() == line && node.range().startColumn() == column;
  }

  // ---------------------------------------------------------------------------------------------- rules

  /** The slot of the located value in its format, if that format reads a region, accelerator or instance there. */
  static Optional<Slot> slot(Located at, ReferenceData reference) {
    List<Step> path = at.path();
    Step last = path.get(path.size() - 1);
    String key = last.entry() != null ? last.key() : path.size() >= 2 ? path.get(path.size() - 2).key() : "";
    boolean item = last.entry() == null;
    MappingNode owner = owner(path);
    return switch (at.format()) {
      case "skypilot" -> skyPilot(at.root(), path, key, item, owner);
      case "accelerate" -> accelerate(at.root(), path, key, item);
      case "sagemaker" -> item ? Optional.empty() : sageMaker(key);
      case "vertex-ai" -> item ? Optional.empty() : vertex(path, key);
      case "azure-ml" -> azureMl(key, item);
      case "kubernetes", "serving" -> kubernetes(at, path, key, item, owner, reference);
      default -> Optional.empty();
    };
  }

  /** The mapping that holds the cursor's entry (for a list item: the mapping holding the list). */
  private static MappingNode owner(List<Step> path) {
    for (int i = path.size() - 1; i >= 0; i--) {
      if (path.get(i).container() instanceof MappingNode m) {
        return m;
      }
    }
    return null;
  }

  /** SkyPilotExtractor: `resources` (or one of its candidates) `region`, `accelerators` (or a list of them), `instance_type`. */
  private static Optional<Slot> skyPilot(MappingNode root, List<Step> path, String key, boolean item, MappingNode owner) {
    List<String> keys = path.stream().map(Step::key).toList();
    int depth = keys.size() - (item ? 2 : 1); // steps to the mapping holding the key
    boolean inResources = depth == 1 && keys.get(0).equals("resources");
    boolean inCandidate = depth == 3 && keys.get(0).equals("resources") && SKYPILOT_CANDIDATE_LISTS.contains(keys.get(1))
        && keys.get(2).equals("#");
    if (!inResources && !inCandidate) {
      return Optional.empty();
    }
    MappingNode resources = root.mapping("resources").orElse(owner);
    String provider = skyPilotCloud(owner).orElseGet(() -> skyPilotCloud(resources).orElse(null));
    if (key.equals("accelerators")) {
      return Optional.of(new AcceleratorSlot(CompletionCandidates.AcceleratorStyle.SKYPILOT));
    }
    if (item) {
      return Optional.empty();
    }
    return switch (key) {
      case "region" -> Optional.of(new RegionSlot(provider));
      case "instance_type" -> Optional.of(new InstanceSlot(provider, false));
      default -> Optional.empty();
    };
  }

  /** The provider part of `infra: gcp/us-central1`, or `cloud: gcp`, lower case. */
  private static Optional<String> skyPilotCloud(MappingNode resources) {
    // As SkyPilotExtractor.placement: `infra` wins over `cloud`.
    Optional<String> cloud = text(resources, "infra").map(i -> i.split("/")[0].trim()).or(() -> text(resources, "cloud"));
    return cloud.map(c -> c.toLowerCase(Locale.ROOT)).filter(c -> !c.isEmpty());
  }

  /** AccelerateExtractor: `region` and `ec2_instance_type` at the root, read for `compute_environment: AMAZON_SAGEMAKER`. */
  private static Optional<Slot> accelerate(MappingNode root, List<Step> path, String key, boolean item) {
    boolean sageMaker = text(root, "compute_environment").map(e -> e.equalsIgnoreCase("AMAZON_SAGEMAKER")).orElse(false);
    if (item || path.size() != 1 || !sageMaker) {
      return Optional.empty();
    }
    return switch (key) {
      case "region" -> Optional.of(new RegionSlot("aws"));
      case "ec2_instance_type" -> Optional.of(new InstanceSlot("aws", true));
      default -> Optional.empty();
    };
  }

  /** SageMakerExtractor: region keys (estimator, request, environment) and `instance_type` / `InstanceType`. */
  private static Optional<Slot> sageMaker(String key) {
    if (SAGEMAKER_REGION_KEYS.contains(key)) {
      return Optional.of(new RegionSlot("aws"));
    }
    if (key.equals("instance_type") || key.equals("InstanceType")) {
      return Optional.of(new InstanceSlot("aws", true));
    }
    return Optional.empty();
  }

  /** VertexExtractor: `location`/`region`, `acceleratorType` (or AI Platform's `acceleratorConfig.type`), `machineType`. */
  private static Optional<Slot> vertex(List<Step> path, String key) {
    if (VERTEX_REGION_KEYS.contains(key)) {
      return Optional.of(new RegionSlot("gcp"));
    }
    boolean legacyType = key.equals("type") && path.size() >= 2 && path.get(path.size() - 2).key().equals("acceleratorConfig");
    if (VERTEX_ACCELERATOR_KEYS.contains(key) || legacyType) {
      return Optional.of(new AcceleratorSlot(CompletionCandidates.AcceleratorStyle.VERTEX));
    }
    if (VERTEX_MACHINE_KEYS.contains(key)) {
      return Optional.of(new InstanceSlot("gcp", false));
    }
    return Optional.empty();
  }

  /** AzureMlExtractor: compute `location`; compute `size`, ARM `vmSize`, job `resources.instance_type(s)`. */
  private static Optional<Slot> azureMl(String key, boolean item) {
    if (item) {
      return key.equals("instance_types") ? Optional.of(new InstanceSlot("azure", false)) : Optional.empty();
    }
    return switch (key) {
      case "location" -> Optional.of(new RegionSlot("azure"));
      case "size", "vmSize", "instance_type" -> Optional.of(new InstanceSlot("azure", false));
      default -> Optional.empty();
    };
  }

  /**
   * KubernetesWorkloads: node labels, in a `nodeSelector` or as the `values` of a node affinity's
   * `matchExpressions` item; and `AWS_REGION` in a container's `env`.
   */
  private static Optional<Slot> kubernetes(Located at, List<Step> path, String key, boolean item, MappingNode owner,
      ReferenceData reference) {
    if (!item && path.size() >= 2 && path.get(path.size() - 2).key().equals("nodeSelector")) {
      return label(key, () -> kubernetesProvider(at.root(), at.node(), reference));
    }
    if (item && key.equals("values") && owner != null && path.size() >= 4
        && path.get(path.size() - 4).key().equals("matchExpressions")) {
      Optional<String> label = text(owner, "key");
      if (label.isPresent()) {
        return label(label.get(), () -> kubernetesProvider(at.root(), at.node(), reference));
      }
    }
    if (!item && key.equals("value") && owner != null && text(owner, "name").map(AWS_REGION_ENV::contains).orElse(false)) {
      return Optional.of(new RegionSlot("aws"));
    }
    return Optional.empty();
  }

  private static Optional<Slot> label(String label, Supplier<String> provider) {
    if (KubernetesExtractor.regionLabels().contains(label) && label.endsWith("/region")) {
      return Optional.of(new RegionSlot(provider.get()));
    }
    if (KubernetesExtractor.instanceLabels().contains(label)) {
      return Optional.of(new InstanceSlot(provider.get(), false));
    }
    if (!KubernetesExtractor.acceleratorLabels().contains(label)) {
      return Optional.empty();
    }
    return switch (label) {
      case "nvidia.com/gpu.product" -> Optional.of(new AcceleratorSlot(CompletionCandidates.AcceleratorStyle.GPU_PRODUCT));
      case "cloud.google.com/gke-accelerator" -> Optional.of(new AcceleratorSlot(CompletionCandidates.AcceleratorStyle.GKE));
      case "cloud.google.com/gke-tpu-accelerator" ->
          Optional.of(new AcceleratorSlot(CompletionCandidates.AcceleratorStyle.GKE_TPU));
      default -> Optional.empty();
    };
  }

  /**
   * The cloud the workload's node labels tell, as KubernetesWorkloads.placement reads it: a known instance
   * type first, then the first label of a provider's family (GKE, EKS/Karpenter, AKS); null when none does.
   * The value being typed is left out.
   */
  private static String kubernetesProvider(MappingNode root, ScalarNode typed, ReferenceData reference) {
    List<NodeLabel> labels = new ArrayList<>();
    collectLabels(root, null, typed, labels, Collections.newSetFromMap(new IdentityHashMap<>()));
    for (NodeLabel l : labels) {
      if (KubernetesExtractor.instanceLabels().contains(l.key()) && l.value() != null) {
        Optional<String> provider = reference.instance(l.value()).map(InstanceSpec::provider);
        if (provider.isPresent()) {
          return provider.get();
        }
      }
    }
    for (NodeLabel l : labels) {
      String provider = KubernetesExtractor.providerOfLabel(l.key());
      if (provider != null) {
        return provider;
      }
    }
    return null;
  }

  /** A node label as written; {@code value} null when not a plain value (or the one being typed). */
  private record NodeLabel(String key, String value) {}

  /** Every node label: `nodeSelector` entries and `matchExpressions` items (with their first value). */
  private static void collectLabels(DocNode node, String underKey, ScalarNode typed, List<NodeLabel> out,
      Set<DocNode> seen) {
    if (!seen.add(node)) {
      return;
    }
    if (node instanceof MappingNode m) {
      if ("nodeSelector".equals(underKey)) {
        for (Entry e : m.entries()) {
          out.add(new NodeLabel(e.name(), valueText(e.value(), typed)));
        }
        return;
      }
      Optional<String> key = text(m, "key");
      if (key.isPresent() && "matchExpressions".equals(underKey)) {
        String first = m.sequence("values").filter(v -> !v.items().isEmpty())
            .map(v -> valueText(v.items().get(0), typed)).orElse(null);
        out.add(new NodeLabel(key.get(), first));
      }
      for (Entry e : m.entries()) {
        collectLabels(e.value(), e.name(), typed, out, seen);
      }
    } else if (node instanceof SequenceNode s) {
      for (DocNode item : s.items()) {
        collectLabels(item, underKey, typed, out, seen);
      }
    }
  }

  private static String valueText(DocNode node, ScalarNode typed) {
    return node instanceof ScalarNode s && s != typed && !s.isNull() ? s.text().trim() : null;
  }

  private static Optional<String> text(MappingNode m, String key) {
    return m.scalar(key).filter(s -> !s.isNull()).map(s -> s.text().trim()).filter(t -> !t.isEmpty());
  }

  // ---------------------------------------------------------------------------------------------- text repair

  private static int lineEnd(String text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
      i++;
    }
    return i;
  }

  /** A JSON prefix closed: the objects and arrays still open at its end, closed in order. */
  static String closeJson(String prefix) {
    Deque<Character> open = new ArrayDeque<>();
    char quote = 0;
    for (int i = 0; i < prefix.length(); i++) {
      char ch = prefix.charAt(i);
      if (quote != 0) {
        if (ch == '\\') {
          i++;
        } else if (ch == quote) {
          quote = 0;
        }
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
      } else if (ch == '/' && i + 1 < prefix.length() && prefix.charAt(i + 1) == '/') {
        i = lineEnd(prefix, i);
      } else if (ch == '/' && i + 1 < prefix.length() && prefix.charAt(i + 1) == '*') {
        int close = prefix.indexOf("*/", i + 2);
        i = close < 0 ? prefix.length() : close + 1;
      } else if (ch == '{') {
        open.push('}');
      } else if (ch == '[') {
        open.push(']');
      } else if ((ch == '}' || ch == ']') && !open.isEmpty()) {
        open.pop();
      }
    }
    StringBuilder closed = new StringBuilder(prefix);
    while (!open.isEmpty()) {
      closed.append(open.pop());
    }
    return closed.toString();
  }
}
