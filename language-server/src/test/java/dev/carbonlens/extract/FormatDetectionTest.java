package dev.carbonlens.extract;

import static dev.carbonlens.extract.ExtractTesting.extractAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.MappingNode;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Formats are recognised by content: the file name plays no part. */
class FormatDetectionTest {
  static final String HF = "output_dir: out\nlearning_rate: 2e-5\nnum_train_epochs: 3\nbf16: true\n";
  static final String HF_JSON = "{\"output_dir\": \"out\", \"learning_rate\": 2e-5, \"num_train_epochs\": 3}";
  static final String SKY = "resources:\n  accelerators: A100:8\nnum_nodes: 1\nrun: python train.py\n";
  static final String SKY_NO_RESOURCES = "name: x\nnum_nodes: 2\nsetup: pip install x\nrun: python train.py\n";
  static final String LIGHTNING = "trainer:\n  max_epochs: 3\n  devices: 2\n";
  static final String LITGPT = "checkpoint_dir: checkpoints/x/y-7b\nprecision: bf16-true\ndevices: 1\ntrain:\n  epochs: 1\n";

  static final String GITHUB_ACTIONS = """
      name: CI
      on:
        push:
          branches: [main]
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - name: Test
              run: mvn -B test
      """;
  static final String DOCKER_COMPOSE = """
      version: "3.8"
      services:
        web:
          image: nginx:latest
          ports:
            - "80:80"
          environment:
            - NVIDIA_VISIBLE_DEVICES=all
          deploy:
            resources:
              reservations:
                devices:
                  - driver: nvidia
                    count: 1
                    capabilities: [gpu]
      """;
  static final String K8S = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: trainer
      spec:
        containers:
          - name: train
            image: pytorch/pytorch
            resources:
              limits:
                nvidia.com/gpu: 1
      """;

  private static Optional<String> format(String name, String text) {
    var doc = DocumentParser.parse(name, text);
    return doc.rootMapping().flatMap(root -> Extractors.builtIn().detect(name, root)).map(ConfigExtractor::format);
  }

  @ParameterizedTest
  @ValueSource(strings = {"trainer.yaml", "sky.yaml", "config", "notes.txt", "training_args.yml", "x.json"})
  void eachFormatWhateverTheFileName(String name) {
    boolean json = name.endsWith(".json");
    // (a .json name parses as JSON, so the YAML samples get other names there)
    if (!json) {
      assertThat(format(name, HF)).contains("huggingface");
      assertThat(format(name, SKY)).contains("skypilot");
      assertThat(format(name, SKY_NO_RESOURCES)).contains("skypilot");
      assertThat(format(name, LIGHTNING)).contains("lightning");
      assertThat(format(name, LITGPT)).contains("lightning");
    }
    assertThat(format(name, HF_JSON)).contains("huggingface");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ci.yml", "docker-compose.yml", "sky.yaml", "trainer.yaml", "config"})
  void otherYamlIsNoFormat(String name) {
    assertThat(format(name, GITHUB_ACTIONS)).isEmpty();
    assertThat(format(name, DOCKER_COMPOSE)).isEmpty();
    assertThat(format(name, K8S)).isEmpty();
    assertThat(extractAll(name, GITHUB_ACTIONS)).isEmpty();
    assertThat(extractAll(name, DOCKER_COMPOSE)).isEmpty();
    assertThat(extractAll(name, K8S)).isEmpty();
  }

  @Test
  void nonMappingRootsAndEmptyFilesGiveNoRuns() {
    assertThat(extractAll("x.yaml", "- a\n- b\n")).isEmpty();
    assertThat(extractAll("x.yaml", "")).isEmpty();
    assertThat(extractAll("x.json", "[1, 2]")).isEmpty();
    assertThat(extractAll("x.yaml", "just a string\n")).isEmpty();
  }

  @Test
  void skyPilotWinsOverHuggingFaceKeysInItsRunScript() {
    // A SkyPilot task whose envs mention HF arguments is still SkyPilot.
    String text = "resources:\n  accelerators: L4:1\nenvs:\n  output_dir: o\n  bf16: true\n  seed: 1\nrun: python t.py\n";
    assertThat(format("t.yaml", text)).contains("skypilot");
  }

  @Test
  void detectIsPerRoot() {
    MappingNode root = DocumentParser.parse("x", LIGHTNING).rootMapping().orElseThrow();
    assertThat(new LightningExtractor().recognises("x", root)).isTrue();
    assertThat(new SkyPilotExtractor().recognises("x", root)).isFalse();
    assertThat(new HuggingFaceExtractor().recognises("x", root)).isFalse();
  }
}
