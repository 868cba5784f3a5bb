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

  @Test
  void aConfigWithPoliciesAndRuleFoldersValidates() {
    String text = String.join("\n",
        "version: 1",
        "policies:",
        "  - id: TEAM-GRID-001",
        "    maxGridIntensity: 300",
        "  - id: TEAM-PREC-001",
        "    requirePrecision: bf16",
        "    onAccelerators: [A100, H100]",
        "ruleFolders:",
        "  - .carbonlens/rules",
        "");
    var document = DocumentParser.parse(".carbonlens.yaml", text, SyntaxKind.YAML);

    assertThat(ConfigSchema.validate(ConfigTree.of(document.root().orElseThrow()))).isEmpty();
  }

  @Test
  void theSchemaRefusesAPolicyAsThePolicySchemaDoes() {
    String text = "policies:\n  - id: TEAM-X\n    onArchitectures: hopper\n    maxDevices: 8\n";
    var document = DocumentParser.parse(".carbonlens.yaml", text, SyntaxKind.YAML);

    // draft-07 `dependencies`, for the fragment's 2020-12 `dependentRequired`
    assertThat(ConfigSchema.validate(ConfigTree.of(document.root().orElseThrow())))
        .extracting(ConfigSchema.Violation::pointer).contains("/policies/0");
  }

  /** The project schema holds the policy fragment, translated from 2020-12 to draft-07 and nothing else. */
  @Test
  void thePolicyDefinitionsAreThoseOfThePolicyFragment() throws Exception {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    String fragment;
    try (InputStream in = ConfigSchema.class.getResourceAsStream("/dev/carbonlens/policy/policies.schema.json")) {
      fragment = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    var expected = mapper.readTree(fragment.replace("#/$defs/", "#/definitions/")
        .replace("\"dependentRequired\"", "\"dependencies\"")).get("$defs");

    assertThat(ConfigSchema.document().get("definitions")).isEqualTo(expected);
    assertThat(ConfigSchema.document().get("properties").get("policies").get("items").get("$ref").asText())
        .isEqualTo("#/definitions/policy");
  }
}
