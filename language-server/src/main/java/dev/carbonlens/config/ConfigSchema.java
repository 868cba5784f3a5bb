package dev.carbonlens.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.model.SourceRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON Schema of `.carbonlens.yaml` (the resource editors use too), and its errors turned into
 * problems at the key or value they are about.
 */
public final class ConfigSchema {
  /** Where the schema lies on the class path; README points yaml-language-server at the repo copy. */
  public static final String RESOURCE = "/dev/carbonlens/config/carbonlens.schema.json";

  private static final JsonNode DOCUMENT = readDocument();
  private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
      .getSchema(DOCUMENT, SchemaValidatorsConfig.builder().build());

  private ConfigSchema() {}

  /** The schema itself, as JSON. */
  public static JsonNode document() {
    return DOCUMENT;
  }

  /** The keys `defaults` may hold, as the schema lists them. */
  public static Set<String> defaultsKeys() {
    Set<String> names = new TreeSet<>();
    DOCUMENT.get("properties").get("defaults").get("properties").fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** One problem per schema error, with the JSON pointer of the value it concerns. */
  record Violation(String pointer, ParseProblem problem) {}

  static List<Violation> validate(ConfigTree tree) {
    List<Violation> found = new ArrayList<>();
    for (ValidationMessage m : SCHEMA.validate(tree.json())) {
      List<Object> path = new ArrayList<>();
      for (int i = 0; i < m.getInstanceLocation().getNameCount(); i++) {
        path.add(m.getInstanceLocation().getElement(i));
      }
      String pointer = ConfigTree.pointer(path);
      found.add(violation(tree, pointer, path, m));
    }
    return found;
  }

  private static Violation violation(ConfigTree tree, String pointer, List<Object> path, ValidationMessage m) {
    String where = dotted(path);
    if ("additionalProperties".equals(m.getType())) {
      String key = m.getProperty();
      List<Object> keyPath = new ArrayList<>(path);
      keyPath.add(key);
      String keyPointer = ConfigTree.pointer(keyPath);
      SourceRange at = tree.keyRange(keyPointer);
      String message = where.equals("severity") || where.equals("rules")
          ? where + ": '" + key + "' is not a rule id (rule ids look like CL-PREC-001)"
          : (where.isEmpty() ? "" : where + ": ") + "unknown key '" + key + "' (expected " + expected(path) + ")";
      return new Violation(keyPointer, new ParseProblem(message, at));
    }
    String detail = switch (m.getType()) {
      case "type" -> "expected " + article(schemaAt(path).path("type").asText()) + ", got " + describe(valueAt(tree, path));
      case "enum" -> "expected one of " + join(schemaAt(path).path("enum")) + ", got " + describe(valueAt(tree, path));
      case "const" -> "expected " + schemaAt(path).path("const") + ", got " + describe(valueAt(tree, path));
      case "minimum" -> "expected at least " + bound(path, "minimum") + ", got " + describe(valueAt(tree, path));
      case "exclusiveMinimum" -> "expected more than " + bound(path, "exclusiveMinimum") + ", got " + describe(valueAt(tree, path));
      case "maximum" -> "expected at most " + bound(path, "maximum") + ", got " + describe(valueAt(tree, path));
      default -> stripLocation(m);
    };
    return new Violation(pointer, new ParseProblem((where.isEmpty() ? "" : where + ": ") + detail, tree.valueRange(pointer)));
  }

  /** The library's message without the `$.a.b: ` location it starts with (we give our own). */
  private static String stripLocation(ValidationMessage m) {
    String message = m.getMessage();
    String prefix = m.getInstanceLocation() + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /** The schema node describing the value at {@code path} (the rule-id pattern for severity/rules entries). */
  private static JsonNode schemaAt(List<Object> path) {
    JsonNode schema = DOCUMENT;
    for (Object element : path) {
      if (element instanceof Integer) {
        schema = schema.path("items");
      } else if (schema.path("properties").has(element.toString())) {
        schema = schema.path("properties").path(element.toString());
      } else {
        Iterator<JsonNode> patterns = schema.path("patternProperties").elements();
        schema = patterns.hasNext() ? patterns.next() : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
      }
    }
    return schema;
  }

  private static String bound(List<Object> path, String keyword) {
    return schemaAt(path).path(keyword).asText();
  }

  private static JsonNode valueAt(ConfigTree tree, List<Object> path) {
    JsonNode node = tree.json();
    for (Object element : path) {
      node = element instanceof Integer i ? node.path(i) : node.path(element.toString());
    }
    return node;
  }

  private static String expected(List<Object> path) {
    List<String> names = new ArrayList<>();
    schemaAt(path).path("properties").fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }

  private static String join(JsonNode values) {
    List<String> names = new ArrayList<>();
    values.forEach(v -> names.add(v.asText()));
    return String.join(", ", names);
  }

  private static String article(String type) {
    return switch (type) {
      case "object" -> "a mapping";
      case "array" -> "a list";
      case "boolean" -> "true or false";
      default -> "a " + type;
    };
  }

  private static String describe(JsonNode value) {
    if (value.isTextual()) {
      return "'" + value.asText() + "'";
    }
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    return value.isNull() ? "nothing" : value.toString();
  }

  private static String dotted(List<Object> path) {
    StringBuilder b = new StringBuilder();
    for (Object element : path) {
      if (element instanceof Integer i) {
        b.append('[').append(i).append(']');
      } else {
        b.append(b.length() == 0 ? "" : ".").append(element);
      }
    }
    return b.toString();
  }

  private static JsonNode readDocument() {
    try (InputStream in = ConfigSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
