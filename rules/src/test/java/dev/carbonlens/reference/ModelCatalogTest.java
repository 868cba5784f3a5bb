package dev.carbonlens.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelCatalogTest {

  static final String ECOLOGITS = "EcoLogits models.json (MPL-2.0)";
  private static final String HEADER = String.join(",", ModelCatalog.COLUMNS) + "\n";

  private final ModelCatalog catalog = ModelCatalog.builtIn();

  // ------------------------------------------------------------------ contents

  @Test
  void builtInIsCached() {
    assertThat(ModelCatalog.builtIn()).isSameAs(catalog);
  }

  @Test
  void atLeast200Ids() {
    assertThat(catalog.all()).hasSizeGreaterThanOrEqualTo(200);
    long others = catalog.all().stream().filter(m -> !m.source().equals(ECOLOGITS)).count();
    assertThat(others).as("rows not from EcoLogits").isGreaterThanOrEqualTo(150);
  }

  @Test
  void everyRowIsSourcedAndConsistent() {
    for (ModelSpec m : catalog.all()) {
      assertThat(m.source()).as(m.id()).isNotBlank();
      assertThat(m.year()).as(m.id()).isBetween(2012, 2030);
      assertThat(m.architecture()).as(m.id()).isIn("dense", "moe");
      assertThat(m.totalParametersB()).as(m.id()).isBetween(0.001, 2000.0);
      assertThat(m.activeParametersB()).as(m.id()).isPositive().isLessThanOrEqualTo(m.totalParametersB());
      if (m.isMoe()) {
        assertThat(m.activeParametersB()).as(m.id()).isLessThan(m.totalParametersB());
      } else {
        assertThat(m.activeParametersB()).as(m.id()).isEqualTo(m.totalParametersB());
      }
    }
  }

  @Test
  void everyIdAndAliasFindsItsOwnRow() {
    for (ModelSpec m : catalog.all()) {
      assertThat(catalog.find(m.id())).as(m.id()).containsSame(m);
      assertThat(catalog.find(m.id().toUpperCase(Locale.ROOT))).as(m.id()).containsSame(m);
      for (String a : m.aliases()) {
        assertThat(catalog.find(a)).as(a).containsSame(m);
      }
    }
  }

  /** An alias that equals another row's last segment would hide that row from last-segment lookups. */
  @Test
  void noAliasShadowsAnotherRowsLastSegment() {
    Map<String, ModelSpec> segments = new HashMap<>();
    for (ModelSpec m : catalog.all()) {
      String id = m.id().toLowerCase(Locale.ROOT);
      segments.putIfAbsent(id.substring(id.lastIndexOf('/') + 1), m);
    }
    for (ModelSpec m : catalog.all()) {
      for (String a : m.aliases()) {
        ModelSpec other = segments.get(a.toLowerCase(Locale.ROOT));
        if (other != null) {
          assertThat(other).as("alias " + a + " of " + m.id()).isSameAs(m);
        }
      }
    }
  }

  @Test
  void requiredFamiliesArePresent() {
    for (String id : List.of("google-bert/bert-base-uncased", "google-bert/bert-large-cased", "FacebookAI/roberta-large",
        "distilbert/distilbert-base-uncased", "albert/albert-base-v2", "microsoft/deberta-v3-large",
        "google/electra-base-discriminator", "google-t5/t5-11b", "google/flan-t5-xxl", "facebook/bart-large",
        "openai-community/gpt2-xl", "facebook/opt-66b", "EleutherAI/pythia-12b", "bigscience/bloom-560m",
        "tiiuae/falcon-180B", "EleutherAI/gpt-j-6b", "EleutherAI/gpt-neox-20b", "huggyllama/llama-65b",
        "meta-llama/Llama-2-70b-hf", "meta-llama/Meta-Llama-3-8B", "meta-llama/Meta-Llama-3.1-405B",
        "meta-llama/Llama-3.2-1B", "meta-llama/Llama-3.3-70B-Instruct", "mistralai/Mistral-7B-v0.1",
        "mistralai/Mixtral-8x22B-v0.1", "Qwen/Qwen2-7B", "Qwen/Qwen2.5-72B", "Qwen/Qwen3-235B-A22B",
        "google/gemma-7b", "google/gemma-2-27b", "google/gemma-3-27b-pt", "microsoft/phi-1", "microsoft/phi-2",
        "microsoft/Phi-3-mini-4k-instruct", "microsoft/Phi-3.5-MoE-instruct", "microsoft/phi-4",
        "TinyLlama/TinyLlama-1.1B-Chat-v1.0", "HuggingFaceTB/SmolLM2-1.7B", "HuggingFaceTB/SmolLM3-3B",
        "HuggingFaceH4/zephyr-7b-beta", "deepseek-ai/DeepSeek-V2", "deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-R1",
        "gpt3-175b", "google/vit-huge-patch14-224-in21k", "microsoft/resnet-101", "openai/clip-vit-large-patch14",
        "openai/whisper-large-v3", "stable-diffusion-v1-5/stable-diffusion-v1-5",
        "stabilityai/stable-diffusion-xl-base-1.0")) {
      assertThat(catalog.find(id)).as(id).isPresent();
      assertThat(catalog.find(id).get().id()).isEqualToIgnoringCase(id);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "mistralai/Mixtral-8x7B-v0.1, moe, 46.7, 12.9",
      "deepseek-ai/DeepSeek-V3, moe, 671, 37",
      "deepseek-ai/DeepSeek-R1, moe, 671, 37",
      "gpt3-175b, dense, 175, 175",
      "bigscience/bloom, dense, 176.247, 176.247",
      "openai-community/gpt2, dense, 0.124, 0.124",
      "openai-community/gpt2-medium, dense, 0.355, 0.355",
      "openai-community/gpt2-large, dense, 0.774, 0.774",
      "openai-community/gpt2-xl, dense, 1.5, 1.5",
      "meta-llama/Llama-2-70b-hf, dense, 68.98, 68.98",
      "google-bert/bert-base-uncased, dense, 0.11, 0.11",
      "HuggingFaceH4/zephyr-orpo-141b-A35b-v0.1, moe, 141, 39",
  })
  void spotValues(String id, String architecture, double total, double active) {
    ModelSpec m = catalog.find(id).orElseThrow();
    assertThat(m.architecture()).isEqualTo(architecture);
    assertThat(m.totalParametersB()).isCloseTo(total, within(1e-9));
    assertThat(m.activeParametersB()).isCloseTo(active, within(1e-9));
  }

  // ------------------------------------------------------------------ against EcoLogits' models.json

  static Path referenceDir() {
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared").resolve("reference");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    return null;
  }

  @Test
  void everyEcoLogitsRowEqualsTheJson() throws IOException {
    Path dir = referenceDir();
    assumeTrue(dir != null && Files.isRegularFile(dir.resolve("ecologits_models.json")),
        "shared/reference/ecologits_models.json not found above the working directory");
    JsonNode root = new ObjectMapper().readTree(dir.resolve("ecologits_models.json").toFile());
    Set<String> hubNames = new HashSet<>();
    for (JsonNode model : root.get("models")) {
      if (!model.get("provider").asText().equals("huggingface_hub")) {
        continue;
      }
      String name = model.get("name").asText();
      hubNames.add(name);
      ModelSpec m = catalog.find(name).orElseThrow(() -> new AssertionError("missing EcoLogits model " + name));
      assertThat(m.id()).isEqualTo(name);
      assertThat(m.source()).as(name).isEqualTo(ECOLOGITS);
      JsonNode arch = model.get("architecture");
      assertThat(m.architecture()).as(name).isEqualTo(arch.get("type").asText());
      JsonNode p = arch.get("parameters");
      if (p.isNumber()) {
        assertThat(m.totalParametersB()).as(name).isEqualTo(p.asDouble());
        assertThat(m.activeParametersB()).as(name).isEqualTo(p.asDouble());
      } else {
        assertThat(m.totalParametersB()).as(name).isEqualTo(p.get("total").asDouble());
        assertThat(m.activeParametersB()).as(name).isEqualTo(p.get("active").asDouble());
      }
    }
    assertThat(hubNames).hasSize(176);
    List<ModelSpec> ecoRows = catalog.all().stream().filter(m -> m.source().equals(ECOLOGITS)).toList();
    assertThat(ecoRows).hasSize(hubNames.size());
    assertThat(ecoRows).allMatch(m -> hubNames.contains(m.id()));
  }

  // ------------------------------------------------------------------ lookups

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "meta-llama/Llama-2-70b-hf, meta-llama/Llama-2-70b-hf",
      "META-LLAMA/LLAMA-2-70B-HF, meta-llama/Llama-2-70b-hf",
      "Llama-2-70b-hf, meta-llama/Llama-2-70b-hf",
      "llama-2-70b, meta-llama/Llama-2-70b",
      "Llama-2-70b-chat-hf, meta-llama/Llama-2-70b-chat-hf",
      "meta-llama/Llama-2-70b-hf/, meta-llama/Llama-2-70b-hf",
      "meta-llama/Llama-2-70b-hf@main, meta-llama/Llama-2-70b-hf",
      "checkpoints/meta-llama/Meta-Llama-3.1-8B, meta-llama/Meta-Llama-3.1-8B",
      "/data/models/meta-llama/Meta-Llama-3.1-8B/, meta-llama/Meta-Llama-3.1-8B",
      "meta-llama/Llama-3.1-8B, meta-llama/Meta-Llama-3.1-8B",
      "/scratch/ckpt/Llama-3.1-8B, meta-llama/Meta-Llama-3.1-8B",
      "C:\\models\\Llama-2-7b-hf, meta-llama/Llama-2-7b-hf",
      "bert-base-uncased, google-bert/bert-base-uncased",
      "gpt2, openai-community/gpt2",
      "gpt2-xl, openai-community/gpt2-xl",
      "t5-small, google-t5/t5-small",
      "roberta-base, FacebookAI/roberta-base",
      "gpt-3, gpt3-175b",
      "davinci, gpt3-175b",
      "Mixtral-8x7B-v0.1, mistralai/Mixtral-8x7B-v0.1",
      "mixtral-8x7b, mistralai/Mixtral-8x7B-v0.1",
      "Mixtral-8x22B-v0.1, mistralai/Mixtral-8x22B-v0.1",
      "runwayml/stable-diffusion-v1-5, stable-diffusion-v1-5/stable-diffusion-v1-5",
      "'  \"Qwen/Qwen2.5-7B-Instruct\" ', Qwen/Qwen2.5-7B-Instruct",
      "someone/zephyr-7b-beta, HuggingFaceH4/zephyr-7b-beta",
  })
  void finds(String spelling, String id) {
    assertThat(catalog.find(spelling)).as(spelling).map(ModelSpec::id).contains(id);
  }

  @ParameterizedTest
  @CsvSource({"no-such-model", "meta-llama/Llama-9-999b", "checkpoints/my-run", "/", "@main"})
  void unknownIsEmpty(String spelling) {
    assertThat(catalog.find(spelling)).isEmpty();
  }

  @Test
  void nullAndBlankAreEmpty() {
    assertThat(catalog.find(null)).isEmpty();
    assertThat(catalog.find("  ")).isEmpty();
  }

  @Test
  void lastSegmentSharedByRowsWithDifferentCountsIsAmbiguous() throws IOException {
    ModelCatalog c = ModelCatalog.parse(new StringReader(HEADER
        + "a/model-x,,dense,7,7,card,2024\n"
        + "b/model-x,,dense,8,8,card,2024\n"
        + "c/model-y,,dense,1,1,card,2024\n"
        + "d/model-y,,dense,1,1,card,2024\n"), "models.csv");
    assertThat(c.find("model-x")).isEmpty();
    assertThat(c.find("a/model-x")).map(ModelSpec::id).contains("a/model-x");
    assertThat(c.find("model-y")).map(ModelSpec::id).contains("c/model-y");
  }

  // ------------------------------------------------------------------ loading fails loudly

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "a/m,,dense,7,7,,2024|missing value for 'source'",
      "a/m,,dense,7,7,card,|missing value for 'year'",
      "a/m,,dense,seven,7,card,2024|'total_parameters_b' is not a number",
      "a/m,,dense,7,,card,2024|missing value for 'active_parameters_b'",
      "a/m,,moe,7,9,card,2024|active parameters 9.0 exceed total parameters 7.0",
      "a/m,,dense,7,6,card,2024|dense model",
      "a/m,,moe,7,7,card,2024|moe model",
      "a/m,,sparse,7,7,card,2024|'architecture' must be dense or moe",
      "a/m,,dense,0,0,card,2024|must be positive",
      "a/m,,dense,7,7,card,1890|not a plausible year",
      "a m,,dense,7,7,card,2024|'id' must be",
  })
  void badRowFailsNamingFileAndLine(String row, String message) {
    assertThatThrownBy(() -> ModelCatalog.parse(new StringReader(HEADER + "ok/one,,dense,1,1,card,2024\n" + row + "\n"),
        "models.csv"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("models.csv:3: ")
        .hasMessageContaining(message);
  }

  @Test
  void duplicateIdFails() {
    assertThatThrownBy(() -> ModelCatalog.parse(new StringReader(HEADER
        + "a/m,,dense,1,1,card,2024\n"
        + "A/M,,dense,2,2,card,2024\n"), "models.csv"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("models.csv:3: id or alias 'A/M' also names the row at line 2");
  }

  @Test
  void duplicateAliasFails() {
    assertThatThrownBy(() -> ModelCatalog.parse(new StringReader(HEADER
        + "a/m,short,dense,1,1,card,2024\n"
        + "b/n,other;SHORT,dense,2,2,card,2024\n"), "models.csv"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("models.csv:3: id or alias 'SHORT' also names the row at line 2");
  }

  @Test
  void aliasThatIsAnotherRowsIdFails() {
    assertThatThrownBy(() -> ModelCatalog.parse(new StringReader(HEADER
        + "a/m,,dense,1,1,card,2024\n"
        + "b/n,a/m,dense,2,2,card,2024\n"), "models.csv"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("models.csv:3: id or alias 'a/m'");
  }

  @Test
  void wrongHeaderFails() {
    assertThatThrownBy(() -> ModelCatalog.parse(new StringReader("id,params\n"), "models.csv"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("models.csv:1: expected header");
  }

  @Test
  void missingFileFails() {
    ClassLoader empty = new ClassLoader(null) {
    };
    assertThatThrownBy(() -> ModelCatalog.load(empty))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dev/carbonlens/reference/models.csv");
  }
}
