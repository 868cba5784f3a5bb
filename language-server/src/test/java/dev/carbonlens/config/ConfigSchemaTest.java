package dev.carbonlens.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.SyntaxKind;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema editors use is the one we validate with, and it agrees with the parser. */
class ConfigSchemaTest {

  @Test
  void theRepositoryCopyIsTheResourceByteForByte() throws Exception {
    try (InputStream in = ConfigSchema.class.getResourceAsStream(ConfigSchema.RESOURCE)) {
      assertThat(Files.readAllBytes(Path.of("../schema/carbonlens.schema.json"))).isEqualTo(in.readAllBytes());
    }
  }

  @Test
  void everyDefaultsKeyOfTheSchemaIsUnderstoodByTheParserAndBackAgain() {
    assertThat(ConfigSchema.defaultsKeys()).containsExactlyInAnyOrderElementsOf(ProjectConfigParser.DEFAULTS_KEYS);
  }

  @Test
  void theSampleValidatesAgainstTheSchema() throws Exception {
    String text = Files.readString(Path.of("../samples/project-config/.carbonlens.yaml"), StandardCharsets.UTF_8);
    var document = DocumentParser.parse(".carbonlens.yaml", text, SyntaxKind.YAML);

    assertThat(document.problems()).isEmpty();
    assertThat(ConfigSchema.validate(ConfigTree.of(document.root().orElseThrow()))).isEmpty();
  }

  @Test
  void everyPropertyIsDescribedAndNoOtherKeysAreAllowed() {
    var schema = ConfigSchema.document();
    assertThat(schema.get("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
    List<String> undescribed = new ArrayList<>();
    schema.get("properties").fields().forEachRemaining(e -> {
      if (!e.getValue().has("description")) {
        undescribed.add(e.getKey());
      }
    });
    schema.get("properties").get("defaults").get("properties").fields().forEachRemaining(e -> {
      if (!e.getValue().has("description")) {
        undescribed.add("defaults." + e.getKey());
      }
    });
    assertThat(undescribed).isEmpty();
    for (String object : List.of("defaults", "severity", "rules")) {
      assertThat(schema.get("properties").get(object).get("additionalProperties").asBoolean()).as(object).isFalse();
    }
    assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
  }

  @Test
  void providersInTheSchemaAreTheReferenceTablesProviders() {
    List<String> inSchema = new ArrayList<>();
    ConfigSchema.document().get("properties").get("defaults").get("properties").get("provider").get("enum")
        .forEach(v -> inSchema.add(v.asText()));
    List<String> inTables = dev.carbonlens.reference.ReferenceData.builtIn().allRegions().stream()
        .map(dev.carbonlens.reference.RegionSpec::provider).distinct().toList();
    assertThat(inSchema).containsExactlyInAnyOrderElementsOf(inTables);
  }
}
