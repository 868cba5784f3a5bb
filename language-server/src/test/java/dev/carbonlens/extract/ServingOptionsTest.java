package dev.carbonlens.extract;

import static dev.carbonlens.extract.ExtractTesting.REF;
import static dev.carbonlens.extract.ExtractTesting.apply;
import static dev.carbonlens.extract.ExtractTesting.run;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.LineIndex;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Option;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The serving settings read as named options (tensor parallelism, pipeline stages, the generation
 * limit, the batch limit, `enforce_eager`), the short flags they may be written with, and the edits
 * that change them.
 */
class ServingOptionsTest {

  private static void assertOption(Run run, String name, String value, SourceRange range, String text, String written) {
    Option o = run.option(name);
    assertThat(o).as(name).isNotNull();
    assertThat(o.value()).as(name).isEqualTo(value);
    assertThat(o.range()).as(name).isEqualTo(range);
    assertThat(slice(text, o.range())).as(name).isEqualTo(written);
  }

  @Test
  void vllmConfigFileKeys() {
    String text = """
        model: meta-llama/Llama-3.1-8B-Instruct
        tensor-parallel-size: 4
        pipeline-parallel-size: 2
        max-model-len: 32768
        max-num-seqs: 1
        enforce-eager: true
        """;
    Run run = run("vllm.yaml", text);
    assertOption(run, Options.TENSOR_PARALLEL, "4", SourceRange.of(1, 0, 1, 23), text, "tensor-parallel-size: 4");
    assertOption(run, "pipeline_parallel", "2", SourceRange.of(2, 0, 2, 25), text, "pipeline-parallel-size: 2");
    assertOption(run, Options.MAX_GENERATION, "32768", SourceRange.of(3, 0, 3, 20), text, "max-model-len: 32768");
    assertOption(run, "max_batch", "1", SourceRange.of(4, 0, 4, 15), text, "max-num-seqs: 1");
    assertOption(run, "enforce_eager", "true", SourceRange.of(5, 0, 5, 19), text, "enforce-eager: true");
    // no other count: the run holds tensor x pipeline devices
    assertThat(run.devices().count()).isEqualTo(8);
    assertThat(run.devices().derivation()).isEqualTo("4 (tensor-parallel-size) x 2 (pipeline-parallel-size)");
  }

  @Test
  void vllmShortTensorParallelFlagSetsTheDeviceCount() {
    String text = """
        services:
          vllm:
            image: vllm/vllm-openai:v0.6.4
            command: --model Qwen/Qwen2.5-14B-Instruct -tp 2 --max-model-len=16384 --enforce-eager
        """;
    Run run = run("compose.yaml", text);
    assertOption(run, Options.TENSOR_PARALLEL, "2", SourceRange.of(3, 47, 3, 52), text, "-tp 2");
    assertOption(run, Options.MAX_GENERATION, "16384", SourceRange.of(3, 53, 3, 74), text, "--max-model-len=16384");
    assertOption(run, "enforce_eager", "true", SourceRange.of(3, 75, 3, 90), text, "--enforce-eager");
    assertThat(run.devices().count()).isEqualTo(2);
    assertThat(run.devices().derivation()).isEqualTo("2 (tp)");
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(3, 47, 3, 52));
  }

  @Test
  void shortFlagWithEqualsAndQuotedListItems() {
    String text = """
        apiVersion: apps/v1
        kind: Deployment
        spec:
          template:
            spec:
              containers:
                - name: vllm
                  image: vllm/vllm-openai:v0.6.4
                  args: ["--model=Qwen/Qwen2.5-7B-Instruct", "-pp=2", "--tensor-parallel-size=2", "--max-num-seqs=1"]
        """;
    Run run = run("deploy.yaml", text);
    assertOption(run, "pipeline_parallel", "2", SourceRange.of(8, 54, 8, 59), text, "-pp=2");
    assertOption(run, Options.TENSOR_PARALLEL, "2", SourceRange.of(8, 63, 8, 87), text, "--tensor-parallel-size=2");
    assertOption(run, "max_batch", "1", SourceRange.of(8, 91, 8, 107), text, "--max-num-seqs=1");
    assertThat(run.devices().count()).isEqualTo(4);
  }

  @Test
  void oneLetterAndNonNumericShortOptionsAreNotRead() {
    String text = "run: python -m vllm.entrypoints.openai.api_server -tp auto -c 3\n";
    var doc = DocumentParser.parse("c.yaml", text);
    CommandArgs args = CommandArgs.of(((dev.carbonlens.document.MappingNode) doc.roots().get(0)).get("run").get(), doc);
    assertThat(args.has("tp")).isFalse();
    assertThat(args.has("c")).isFalse();
    assertThat(args.has("m")).isFalse();
  }

  @Test
  void tgiEnvironmentAndLauncherFlags() {
    String env = """
        services:
          tgi:
            image: ghcr.io/huggingface/text-generation-inference:2.4.1
            environment:
              MODEL_ID: mistralai/Mistral-7B-Instruct-v0.3
              NUM_SHARD: "2"
              MAX_TOTAL_TOKENS: "32768"
              MAX_BATCH_SIZE: "1"
        """;
    Run tgi = run("compose.yaml", env);
    assertOption(tgi, Options.TENSOR_PARALLEL, "2", SourceRange.of(5, 6, 5, 20), env, "NUM_SHARD: \"2\"");
    assertOption(tgi, Options.MAX_GENERATION, "32768", SourceRange.of(6, 6, 6, 31), env, "MAX_TOTAL_TOKENS: \"32768\"");
    assertOption(tgi, "max_batch", "1", SourceRange.of(7, 6, 7, 25), env, "MAX_BATCH_SIZE: \"1\"");
    assertThat(tgi.devices().count()).isEqualTo(2);

    String flags = """
        services:
          tgi:
            image: ghcr.io/huggingface/text-generation-inference:2.4.1
            command: --model-id mistralai/Mistral-7B-Instruct-v0.3 --num-shard 4 --max-input-length 1024
        """;
    Run launcher = run("compose.yaml", flags);
    assertOption(launcher, Options.TENSOR_PARALLEL, "4", SourceRange.of(3, 59, 3, 72), flags, "--num-shard 4");
    // no --max-total-tokens: the input cap is the limit's lower bound
    assertOption(launcher, Options.MAX_GENERATION, "1024", SourceRange.of(3, 73, 3, 96), flags, "--max-input-length 1024");
    assertThat(launcher.option("enforce_eager")).isNull();
    assertThat(launcher.option("max_batch")).isNull();
  }

  @Test
  void helmValuesAndPrefillTokensAreNoBatchLimit() {
    String text = """
        servingEngineSpec:
          modelSpec:
          - name: "llama3"
            modelURL: "meta-llama/Llama-3.1-8B-Instruct"
            requestGPU: 2
            vllmConfig:
              tensorParallelSize: 2
              maxModelLen: 65536
              enforceEager: "True"
              extraArgs: ["--max-batch-prefill-tokens", "4096"]
        """;
    Run run = run("values.yaml", text);
    assertOption(run, Options.TENSOR_PARALLEL, "2", SourceRange.of(6, 6, 6, 27), text, "tensorParallelSize: 2");
    assertOption(run, Options.MAX_GENERATION, "65536", SourceRange.of(7, 6, 7, 24), text, "maxModelLen: 65536");
    assertOption(run, "enforce_eager", "True", SourceRange.of(8, 6, 8, 26), text, "enforceEager: \"True\"");
    assertThat(run.option("max_batch")).isNull();
  }

  @Test
  void enforceEagerFalseIsReadAndNonBooleansAreNot() {
    assertThat(run("v.yaml", "model: m/x-7b\nenforce-eager: false\nmax-model-len: 4096\n").option("enforce_eager").isFalse())
        .isTrue();
    assertThat(run("v.yaml", "model: m/x-7b\nenforce-eager: sometimes\nmax-model-len: 4096\n").option("enforce_eager"))
        .isNull();
  }

  // ------------------------------------------------------------------------------------------ edits

  private static Optional<dev.carbonlens.extract.Fix> fix(String name, String text, ProposedChange change) {
    return ExtractTesting.extracted(name, text).fixes().fixFor(change);
  }

  @Test
  void valueEditsKeepTheQuotes() {
    LineIndex lines = new LineIndex("NUM_SHARD: \"4\"\nargs: [\"--tp\", '8']\nmax-num-seqs: 1\n");
    assertThat(ServingFlags.replaceValue(lines, SourceRange.of(0, 0, 0, 14), "4", "1"))
        .contains(new TextEdit(SourceRange.of(0, 12, 0, 13), "1"));
    assertThat(ServingFlags.replaceValue(lines, SourceRange.of(1, 7, 1, 18), "8", "2"))
        .contains(new TextEdit(SourceRange.of(1, 16, 1, 17), "2"));
    assertThat(ServingFlags.replaceValue(lines, SourceRange.of(2, 0, 2, 15), "1", "16"))
        .contains(new TextEdit(SourceRange.of(2, 14, 2, 15), "16"));
    // a value the range does not end with is not guessed at
    assertThat(ServingFlags.replaceValue(lines, SourceRange.of(2, 0, 2, 15), "2", "16")).isEmpty();
  }

  @Test
  void dtypeAndBatchFixesOnAConfigFile() {
    String text = "model: Qwen/Qwen2.5-7B-Instruct\ndtype: float32\nmax-num-seqs: 1\n";
    assertThat(apply(text, fix("v.yaml", text, new ProposedChange.ServeWeightsAs("bfloat16", null)).get().edits()))
        .isEqualTo("model: Qwen/Qwen2.5-7B-Instruct\ndtype: bfloat16\nmax-num-seqs: 1\n");
    assertThat(apply(text, fix("v.yaml", text, new ProposedChange.BatchRequests(16)).get().edits()))
        .isEqualTo("model: Qwen/Qwen2.5-7B-Instruct\ndtype: float32\nmax-num-seqs: 16\n");
    // a quantisation needs another checkpoint: no edit
    assertThat(fix("v.yaml", text, new ProposedChange.ServeWeightsAs(null, "awq"))).isEmpty();
  }

  @Test
  void batchFixOnAQuotedFlagValue() {
    String text = """
        services:
          tgi:
            image: ghcr.io/huggingface/text-generation-inference:2.4.1
            command: ["--model-id", "mistralai/Mistral-7B-Instruct-v0.3", "--max-concurrent-requests", "1"]
        """;
    assertThat(apply(text, fix("c.yaml", text, new ProposedChange.BatchRequests(16)).get().edits()))
        .contains("\"--max-concurrent-requests\", \"16\"]");
  }

  @Test
  void deviceFixEditsTensorParallelAndTheHelmGpuRequest() {
    String text = """
        servingEngineSpec:
          modelSpec:
          - name: "llama3"
            modelURL: "meta-llama/Llama-3.1-8B-Instruct"
            replicaCount: 2
            requestGPU: 4
            vllmConfig:
              tensorParallelSize: 4
        """;
    String fixed = apply(text, fix("values.yaml", text, new ProposedChange.UseDevices(2)).get().edits());
    assertThat(fixed).contains("    requestGPU: 1\n").contains("      tensorParallelSize: 1\n");
    // a count that does not split evenly over the replicas is no edit
    assertThat(fix("values.yaml", text, new ProposedChange.UseDevices(3))).isEmpty();
  }

  @Test
  void deviceFixOnAConfigFileAndNoneWithPipelineStagesOrPodRequests() {
    String config = "model: meta-llama/Llama-3.1-8B-Instruct\ntensor-parallel-size: 4\n";
    assertThat(apply(config, fix("v.yaml", config, new ProposedChange.UseDevices(1)).get().edits()))
        .isEqualTo("model: meta-llama/Llama-3.1-8B-Instruct\ntensor-parallel-size: 1\n");
    String stages = "model: meta-llama/Llama-3.1-8B-Instruct\ntensor-parallel-size: 4\npipeline-parallel-size: 2\n";
    assertThat(fix("v.yaml", stages, new ProposedChange.UseDevices(1))).isEmpty();
    String pod = """
        apiVersion: apps/v1
        kind: Deployment
        spec:
          template:
            spec:
              containers:
                - name: vllm
                  image: vllm/vllm-openai:v0.6.4
                  args: ["--model=meta-llama/Llama-3.1-8B-Instruct", "--tensor-parallel-size=2"]
                  resources:
                    limits:
                      nvidia.com/gpu: "2"
        """;
    assertThat(fix("d.yaml", pod, new ProposedChange.UseDevices(1))).isEmpty();
  }

  @Test
  void enforceEagerFixes() {
    ProposedChange off = new ProposedChange.SetOption("enforce_eager", "false", "Let vLLM capture CUDA graphs");
    String key = "model: Qwen/Qwen2.5-7B-Instruct\nenforce-eager: True\n";
    assertThat(apply(key, fix("v.yaml", key, off).orElseThrow(() -> new AssertionError("key")).edits()))
        .isEqualTo("model: Qwen/Qwen2.5-7B-Instruct\nenforce-eager: false\n");

    String item = """
        servingEngineSpec:
          modelSpec:
          - name: "qwen"
            modelURL: "Qwen/Qwen2.5-7B-Instruct"
            vllmConfig:
              extraArgs:
                - "--enforce-eager"
                - "--max-num-seqs=64"
        """;
    assertThat(apply(item, fix("values.yaml", item, off).orElseThrow(() -> new AssertionError("item")).edits()))
        .contains("      extraArgs:\n        - \"--max-num-seqs=64\"\n").doesNotContain("eager");

    String flow = """
        services:
          vllm:
            image: vllm/vllm-openai:v0.6.4
            command: ["--model", "Qwen/Qwen2.5-7B-Instruct", "--enforce-eager", "--port", "8000"]
        """;
    assertThat(apply(flow, fix("c.yaml", flow, off).orElseThrow(() -> new AssertionError("flow")).edits()))
        .contains("command: [\"--model\", \"Qwen/Qwen2.5-7B-Instruct\", \"--port\", \"8000\"]");
    String last = flow.replace(", \"--port\", \"8000\"", "");
    assertThat(apply(last, fix("c.yaml", last, off).orElseThrow(() -> new AssertionError("last")).edits()))
        .contains("command: [\"--model\", \"Qwen/Qwen2.5-7B-Instruct\"]");

    String inline = """
        services:
          vllm:
            image: vllm/vllm-openai:v0.6.4
            command: --model Qwen/Qwen2.5-7B-Instruct --enforce-eager --port 8000
        """;
    assertThat(apply(inline, fix("c.yaml", inline, off).orElseThrow(() -> new AssertionError("inline")).edits()))
        .contains("command: --model Qwen/Qwen2.5-7B-Instruct --port 8000\n");

    String script = """
        services:
          vllm:
            image: vllm/vllm-openai:v0.6.4
            entrypoint: ["/bin/sh", "-c"]
            command:
              - |
                vllm serve Qwen/Qwen2.5-7B-Instruct \\
                  --max-model-len 8192 \\
                  --enforce-eager
        """;
    String fixed = apply(script, fix("c.yaml", script, off).orElseThrow(() -> new AssertionError("script")).edits());
    assertThat(fixed).endsWith("      - |\n        vllm serve Qwen/Qwen2.5-7B-Instruct \\\n          --max-model-len 8192\n")
        .doesNotContain("eager");
    assertThat(DocumentParser.parse("c.yaml", fixed).problems()).isEmpty();
  }

  @Test
  void sageMakerEndpointMovesToTheG6TypeWithAsManyGpus() {
    var l4 = REF.accelerator("L4").orElseThrow();
    ProposedChange use = new ProposedChange.UseAccelerator(l4);
    String sdk = """
        endpoint_name: llama-3-2-1b-chat
        image_uri: 763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.4.0-tgi2.4.0-gpu-py311-cu124-ubuntu22.04
        instance_type: ml.p4d.24xlarge
        initial_instance_count: 1
        env:
          HF_MODEL_ID: meta-llama/Llama-3.2-1B-Instruct
        """;
    assertThat(fix("sm.yaml", sdk, use).get().edits())
        .containsExactly(new TextEdit(SourceRange.of(2, 15, 2, 30), "ml.g6.48xlarge"));
    String request = """
        {
          "EndpointConfigName": "gemma-2b",
          "ProductionVariants": [
            {"VariantName": "AllTraffic", "ModelName": "gemma-2b-it", "InstanceType": "ml.p5.4xlarge",
             "InitialInstanceCount": 1}
          ]
        }
        """;
    assertThat(fix("sm.json", request, use).get().edits())
        .containsExactly(new TextEdit(SourceRange.of(3, 78, 3, 93), "\"ml.g6.xlarge\""));
    // every G6 type proposed is a real L4 instance of the table, with the GPU count it stands for
    SageMakerExtractor.L4_INSTANCES.forEach((gpus, type) -> {
      var spec = REF.instance(type).orElseThrow();
      assertThat(spec.acceleratorId()).isEqualTo("L4");
      assertThat(spec.acceleratorCount()).isEqualTo(gpus.doubleValue());
    });
    // training jobs keep their instance type
    String training = sdk.replace("initial_instance_count", "instance_count").replace("endpoint_name", "base_job_name");
    assertThat(fix("sm.yaml", training, use)).isEmpty();
  }

  @Test
  void noServingEditsForOtherChanges() {
    String text = "model: Qwen/Qwen2.5-7B-Instruct\ndtype: float32\nmax-model-len: 65536\n";
    assertThat(fix("v.yaml", text, new ProposedChange.SetOption("max_generation", "8192", "Limit"))).isEmpty();
    assertThat(fix("v.yaml", text, new ProposedChange.UseDevices(1))).isEmpty();
  }
}
