package dev.carbonlens.extract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelNamesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "null", value = {
      "Llama-2-70b-hf, 70",
      "meta-llama/Llama-2-70b-hf, 70",
      "TinyLlama-1.1B, 1.1",
      "TinyLlama/TinyLlama-1.1B-Chat-v1.0, 1.1",
      "facebook/opt-350m, 0.35",
      "opt-350m, 0.35",
      "EleutherAI/pythia-410m, 0.41",
      "mistralai/Mistral-7B-v0.1, 7",
      "meta-llama/Meta-Llama-3.1-8B-Instruct, 8",
      "Qwen/Qwen2.5-0.5B, 0.5",
      "google/gemma_2b, 2",
      "mistralai/Mixtral-8x7B-v0.1, null",
      "Mixtral-8x7B, null",
      "HuggingFaceH4/zephyr-141b-A35b, null",
      "zephyr-141b-A35b, null",
      "bert-base-uncased, null",
      "gpt2, null",
      "checkpoints/google/gemma, null",
  })
  void billionParameters(String name, Double expected) {
    assertThat(ModelNames.billionParameters(name)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void nullName() {
    assertThat(ModelNames.billionParameters(null)).isNull();
  }
}
