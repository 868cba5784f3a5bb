package dev.carbonlens.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.carbonlens.reference.ModelSizes.ModelSize;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelSizesTest {

  /**
   * The cases of language-server's ModelNamesTest, with two deliberate changes: {@code zephyr-141b-A35b} now gives
   * 141B total / 35B active (the name's "-A" marker), and {@code bert-base-uncased} gives BERT-Base's 110M through
   * the family size words.
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "null", value = {
      "Llama-2-70b-hf, 70, 70",
      "meta-llama/Llama-2-70b-hf, 70, 70",
      "TinyLlama-1.1B, 1.1, 1.1",
      "TinyLlama/TinyLlama-1.1B-Chat-v1.0, 1.1, 1.1",
      "facebook/opt-350m, 0.35, 0.35",
      "opt-350m, 0.35, 0.35",
      "EleutherAI/pythia-410m, 0.41, 0.41",
      "mistralai/Mistral-7B-v0.1, 7, 7",
      "meta-llama/Meta-Llama-3.1-8B-Instruct, 8, 8",
      "Qwen/Qwen2.5-0.5B, 0.5, 0.5",
      "google/gemma_2b, 2, 2",
      "mistralai/Mixtral-8x7B-v0.1, null, null",
      "Mixtral-8x7B, null, null",
      "HuggingFaceH4/zephyr-141b-A35b, 141, 35",
      "zephyr-141b-A35b, 141, 35",
      "bert-base-uncased, 0.11, 0.11",
      "gpt2, null, null",
      "checkpoints/google/gemma, null, null",
  })
  void modelNamesCases(String name, Double total, Double active) {
    assertSize(name, total, active);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "null", value = {
      "my-llama-70b, 70, 70",
      "org/model-7B, 7, 7",
      "opt-1.3b, 1.3, 1.3",
      "my-run-350m, 0.35, 0.35",
      "tinyllama-1.1B-finetuned, 1.1, 1.1",
      "qwen-0.5B-sft, 0.5, 0.5",
      "bigscience/bloom-7b1, 7.1, 7.1",
      "bloomz-1b7, 1.7, 1.7",
      "gradientai/Llama-3-8B-Instruct-1M, 8, 8",
      "meta-llama/Llama-2-70b-hf@main, 70, 70",
      "/checkpoints/llama-13b/, 13, 13",
      "Qwen/Qwen3-30B-A3B, 30, 3",
      "Qwen/Qwen2-57B-A14B-Instruct, 57, 14",
      "Qwen/Qwen1.5-MoE-A2.7B, null, null",
      "mistralai/Mixtral-8x22B-Instruct-v0.1, null, null",
      "some-1b-A9b, null, null",
      "gpt2-medium, 0.355, 0.355",
      "gpt2-large, 0.774, 0.774",
      "openai-community/gpt2-xl, 1.5, 1.5",
      "gpt2-xl-finetuned-poems, 1.5, 1.5",
      "t5-small, 0.06, 0.06",
      "t5-base, 0.22, 0.22",
      "t5-large, 0.77, 0.77",
      "google/flan-t5-xl, 3, 3",
      "google/flan-t5-xxl, 11, 11",
      "flan-t5-base-samsum, 0.25, 0.25",
      "bert-large-cased-whole-word-masking, 0.34, 0.34",
      "roberta-large-mnli, 0.355, 0.355",
      "FacebookAI/roberta-base, 0.125, 0.125",
      "xlm-roberta-base, null, null",
      "distilroberta-base, null, null",
      "bert-base-multilingual-cased, null, null",
      "deberta-v3-base, null, null",
      "bert, null, null",
      "my-model, null, null",
      "model-4bit, null, null",
  })
  void more(String name, Double total, Double active) {
    assertSize(name, total, active);
  }

  private static void assertSize(String name, Double total, Double active) {
    Optional<ModelSize> size = ModelSizes.fromName(name);
    if (total == null) {
      assertThat(size).as(name).isEmpty();
      return;
    }
    assertThat(size).as(name).isPresent();
    assertThat(size.get().totalB()).as(name).isCloseTo(total, within(1e-9));
    assertThat(size.get().activeB()).as(name).isCloseTo(active, within(1e-9));
    assertThat(size.get().how()).as(name).isNotBlank();
  }

  @Test
  void nullAndBlankAreEmpty() {
    assertThat(ModelSizes.fromName(null)).isEmpty();
    assertThat(ModelSizes.fromName("")).isEmpty();
    assertThat(ModelSizes.fromName("/")).isEmpty();
  }

  @Test
  void howExplains() {
    assertThat(ModelSizes.fromName("zephyr-141b-A35b").orElseThrow().how())
        .contains("mixture of experts").contains("141B total").contains("35B active");
    assertThat(ModelSizes.fromName("zephyr-141b-A35b").orElseThrow().isMoe()).isTrue();
    assertThat(ModelSizes.fromName("Llama-2-70b-hf").orElseThrow().how()).contains("'70b'").contains("dense");
    assertThat(ModelSizes.fromName("Llama-2-70b-hf").orElseThrow().isMoe()).isFalse();
    assertThat(ModelSizes.fromName("roberta-large-mnli").orElseThrow().how())
        .contains("FacebookAI/roberta-large").contains("model card");
  }

  @Test
  void familySizesComeFromTheCatalogue() {
    ModelCatalog catalog = ModelCatalog.builtIn();
    for (String id : ModelSizes.familySizeIds()) {
      ModelSpec spec = catalog.find(id).orElseThrow(() -> new AssertionError("catalogue lacks " + id));
      String lastSegment = id.substring(id.lastIndexOf('/') + 1);
      ModelSize size = ModelSizes.fromName(lastSegment + "-finetuned").orElseThrow();
      assertThat(size.totalB()).as(id).isEqualTo(spec.totalParametersB());
      assertThat(size.how()).as(id).contains(spec.id()).contains(spec.source());
    }
  }
}
