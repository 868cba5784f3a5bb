package dev.carbonlens.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.model.SourceRange;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A parsed config as a Jackson tree for the schema validator, remembering where each value and each
 * key is written so that a validator error (a JSON pointer) lands on the right line.
 *
 * <p>Plain YAML scalars are typed by the YAML 1.2 core schema (true/false, null, numbers); `off` and
 * `yes` stay strings, so `CL-ES-001: off` is a severity and not the boolean YAML 1.1 would make it.
 */
final class ConfigTree {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonNode json;
  private final Map<String, SourceRange> values = new HashMap<>();
  private final Map<String, SourceRange> keys = new HashMap<>();

  private ConfigTree(DocNode root) {
    json = convert(root, "");
  }

  static ConfigTree of(DocNode root) {
    return new ConfigTree(root);
  }

  JsonNode json() {
    return json;
  }

  /** Where the value at {@code pointer} is written (the root's range for the root). */
  SourceRange valueRange(String pointer) {
    return values.getOrDefault(pointer, values.get(""));
  }

  /** Where the key of the entry at {@code pointer} is written; its value's range for array items. */
  SourceRange keyRange(String pointer) {
    SourceRange key = keys.get(pointer);
    return key != null ? key : valueRange(pointer);
  }

  /** A JSON pointer (RFC 6901) from path elements. */
  static String pointer(List<?> elements) {
    StringBuilder b = new StringBuilder();
    for (Object e : elements) {
      b.append('/').append(e.toString().replace("~", "~0").replace("/", "~1"));
    }
    return b.toString();
  }

  private JsonNode convert(DocNode node, String pointer) {
    values.put(pointer, node.range());
    if (node instanceof MappingNode m) {
      ObjectNode object = NODES.objectNode();
      for (Entry e : m.entries()) {
        String child = pointer + "/" + e.name().replace("~", "~0").replace("/", "~1");
        keys.put(child, e.key().range());
        object.set(e.name(), convert(e.value(), child));
      }
      return object;
    }
    if (node instanceof SequenceNode s) {
      ArrayNode array = NODES.arrayNode();
      for (int i = 0; i < s.size(); i++) {
        array.add(convert(s.items().get(i), pointer + "/" + i));
      }
      return array;
    }
    return scalar((ScalarNode) node);
  }

  private static JsonNode scalar(ScalarNode s) {
    if (s.isNull()) {
      return NODES.nullNode();
    }
    if (s.quoted()) {
      return NODES.textNode(s.value());
    }
    String text = s.value().trim();
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.equals("true") || lower.equals("false")) {
      return NODES.booleanNode(lower.equals("true"));
    }
    OptionalLong whole = s.asLong();
    if (whole.isPresent() && !text.contains(".") && !lower.contains("e")) {
      return NODES.numberNode(whole.getAsLong());
    }
    OptionalDouble number = s.asNumber();
    if (number.isPresent() && Double.isFinite(number.getAsDouble())) {
      return NODES.numberNode(number.getAsDouble());
    }
    return NODES.textNode(s.value());
  }
}
