package dev.carbonlens.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.Severity;
import dev.carbonlens.model.Stage;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The schema fragment describes exactly what the parser reads. */
class PoliciesSchemaTest {

  private static JsonObject policy() throws IOException {
    try (var in = PoliciesSchemaTest.class.getResourceAsStream("/dev/carbonlens/policy/policies.schema.json")) {
      JsonObject schema = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
      return schema.getAsJsonObject("$defs").getAsJsonObject("policy");
    }
  }

  private static List<String> strings(JsonElement array) {
    return StreamSupport.stream(array.getAsJsonArray().spliterator(), false).map(JsonElement::getAsString).toList();
  }

  @Test
  void describesEveryKeyTheParserReads() throws IOException {
    JsonObject policy = policy();
    List<String> keys = new ArrayList<>(PolicyParser.COMMON);
    keys.addAll(PolicyParser.KINDS.subList(0, 5));
    keys.addAll(PolicyParser.PRECISION_SCOPE);
    keys.addAll(PolicyParser.KINDS.subList(5, PolicyParser.KINDS.size()));
    assertEquals(keys, List.copyOf(policy.getAsJsonObject("properties").keySet()));
    assertEquals(PolicyParser.KINDS, StreamSupport.stream(policy.getAsJsonArray("oneOf").spliterator(), false)
        .map(e -> e.getAsJsonObject().getAsJsonArray("required").get(0).getAsString()).toList());
  }

  @Test
  void enumeratesTheLabelsTheModelKnows() throws IOException {
    JsonObject properties = policy().getAsJsonObject("properties");
    assertEquals(Arrays.stream(Severity.values()).map(Severity::label).toList(),
        strings(properties.getAsJsonObject("severity").get("enum")));
    assertEquals(Arrays.stream(Stage.values()).map(Stage::label).toList(),
        strings(properties.getAsJsonObject("appliesTo").getAsJsonObject("items").get("enum")));
    assertEquals(Arrays.stream(Precision.values()).filter(p -> p != Precision.FP32).map(Precision::label).toList(),
        strings(properties.getAsJsonObject("requirePrecision").get("enum")));
  }
}
