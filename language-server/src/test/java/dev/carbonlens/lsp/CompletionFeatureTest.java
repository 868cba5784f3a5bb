package dev.carbonlens.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.Entry;
import dev.carbonlens.document.LineIndex;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.document.SyntaxKind;
import dev.carbonlens.extract.ExtractedRun;
import dev.carbonlens.extract.Extractors;
import dev.carbonlens.model.Run;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.RegionSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.junit.jupiter.api.Test;

class CompletionFeatureTest {
  private static final ReferenceData REFERENCE = ReferenceData.builtIn();

  // ------------------------------------------------------------------------------------------ SkyPilot

  private static final String SKYPILOT_GCP_REGION = """
      name: finetune
      resources:
        cloud: gcp
        region: |
        accelerators: V100:8
      num_nodes: 2
      run: python train.py
      """;

  @Test
  void skyPilotRegionsFollowTheCloudBesideThemLowestGridIntensityFirst() {
    List<CompletionItem> items = complete("task.yaml", SKYPILOT_GCP_REGION);

    assertThat(labels(items, 4)).containsExactly("europe-north2", "northamerica-northeast1", "europe-west6", "europe-west9");
    assertThat(items).hasSize(REFERENCE.regions("gcp").size());
    CompletionItem montreal = items.get(1);
    assertThat(montreal.getDetail()).isEqualTo("5.48 gCO2e/kWh · PUE 1.1 · Montréal, CA (gcp)");
    assertThat(montreal.getDocumentation().getRight().getKind()).isEqualTo("markdown");
    assertThat(montreal.getDocumentation().getRight().getValue()).isEqualTo("""
        **northamerica-northeast1** · Montréal, CA (gcp)

        - Grid intensity: **5.48 gCO2e/kWh** (2024) — _Google Cloud region-carbon-info yearly 2024 gcp_2024.csv \
        (Apache-2.0)_
        - PUE: **1.1** (2021) — _Cloud Carbon Footprint GcpFootprintEstimationConstants.ts PUE_AVG (Apache-2.0)_
        - Per kWh at the servers: 6.03 gCO2e (grid intensity × PUE)
        - GPUs offered here: not established
        """);
    assertThat(montreal.getKind()).isEqualTo(CompletionItemKind.Value);
    assertThat(montreal.getSortText()).isEqualTo("0001");
    assertThat(montreal.getFilterText()).isEqualTo("northamerica-northeast1");
    assertThat(edit(montreal)).isEqualTo(new TextEdit(range(3, 10, 3, 10), "northamerica-northeast1"));
    assertThat(intensities(items, "gcp")).isSorted();
  }

  @Test
  void aHalfTypedQuotedRegionWithoutACloudOffersEveryProviderAndClosesTheQuote() {
    String text = """
        name: finetune
        resources:
          region: "us-|
          accelerators: V100:8
        num_nodes: 2
        run: python train.py
        """;
    assertThat(DocumentParser.parse("task.yaml", text.replace("|", "")).hasErrors()).isTrue();

    List<CompletionItem> items = complete("task.yaml", text);

    assertThat(labels(items, 3)).containsExactly("ca-central-1", "canadaeast", "BHS");
    assertThat(items.stream().map(CompletionItem::getDetail).limit(3))
        .containsExactly("1.5 gCO2e/kWh · PUE 1.14 · Canada (Central), CA (aws)",
            "1.5 gCO2e/kWh · PUE 1.19 · Canada East, CA (azure)", "1.5 gCO2e/kWh · PUE 1.28 · Beauharnois, CA (ovh)");
    // 176 regions less the three whose id another provider's region also has (Lambda's us-east-1, us-west-1,
    // us-west-2): without a cloud, SkyPilotExtractor reads those as AWS's.
    assertThat(REFERENCE.allRegions()).hasSize(176);
    assertThat(items).hasSize(173);
    assertThat(items.stream().filter(i -> i.getLabel().equals("us-east-1")).map(CompletionItem::getDetail))
        .containsExactly("308 gCO2e/kWh · PUE 1.14 · US East (N. Virginia), US (aws)");
    assertThat(edit(items.get(0))).isEqualTo(new TextEdit(range(2, 11, 2, 14), "ca-central-1\""));
    assertThat(applied(text, items.get(0)).lines().toList().get(2)).isEqualTo("  region: \"ca-central-1\"");
  }

  @Test
  void skyPilotAcceleratorsCompleteTheNameAndKeepTheCount() {
    String text = """
        name: finetune
        resources:
          cloud: aws
          accelerators: A1|00:8
        num_nodes: 2
        run: python train.py
        """;
    List<CompletionItem> items = complete("task.yaml", text);

    assertThat(labels(items, 5)).containsExactly("B200", "L4", "H200", "H100", "H100-MEGA");
    assertThat(labels(items, 100)).containsExactlyInAnyOrderElementsOf(CompletionCandidates.SKYPILOT_NAMES);
    assertThat(detail(items, "L4")).isEqualTo("ada 2023 · 72 W · 24 GB · 1.68 bf16 TFLOPS/W");
    assertThat(detail(items, "H100")).isEqualTo("H100-SXM · hopper 2022 · 700 W · 80 GB · 1.41 bf16 TFLOPS/W");
    assertThat(detail(items, "T4")).isEqualTo("turing 2018 · 70 W · 16 GB · 0.929 fp16 TFLOPS/W");
    assertThat(detail(items, "K80")).isEqualTo("kepler 2014 · 150 W · 12 GB · 0.0291 fp32 TFLOPS/W");
    assertThat(labels(items, 100)).endsWith("K80");
    assertThat(edit(items.get(0))).isEqualTo(new TextEdit(range(3, 16, 3, 20), "B200"));
    assertThat(applied(text, items.get(0)).lines().toList().get(3)).isEqualTo("  accelerators: B200:8");
    assertThat(items.get(3).getDocumentation().getRight().getValue()).isEqualTo("""
        **H100-SXM** · nvidia hopper, 2022

        - TDP: 700 W
        - Memory: 80 GB
        - Peak dense TFLOPS: fp32 67 · tf32 495 · fp16 989 · bf16 989 · fp8 1,979 · int8 1,979
        - Efficiency: 1.41 bf16 TFLOPS/W (peak ÷ TDP)
        - Embodied: 164 kgCO2e — _%s_
        - Figures: _%s_ (%d)
        """.formatted(REFERENCE.accelerator("H100-SXM").orElseThrow().embodiedSource(),
        REFERENCE.accelerator("H100-SXM").orElseThrow().specSource(),
        REFERENCE.accelerator("H100-SXM").orElseThrow().specYear()));

    assertThat(complete("task.yaml", text.replace("A1|00:8", "A100:|8"))).isEmpty();
    List<CompletionItem> listed = complete("task.yaml", text.replace("A1|00:8", "[A100, |]"));
    assertThat(labels(listed, 2)).containsExactly("B200", "L4");
    assertThat(edit(listed.get(0))).isEqualTo(new TextEdit(range(3, 23, 3, 23), "B200"));
  }

  @Test
  void skyPilotInstanceTypesAreTheCloudsMostEfficientFirst() {
    List<CompletionItem> items = complete("task.yaml", """
        name: serve
        resources:
          cloud: aws
          instance_type: p|
        num_nodes: 1
        run: python serve.py
        """);

    assertThat(labels(items, 4)).containsExactly("p6-b200.48xlarge", "g6f.large", "g6f.xlarge", "g6f.2xlarge");
    assertThat(items).hasSize((int) REFERENCE.allInstances().stream().filter(i -> i.provider().equals("aws")).count());
    assertThat(detail(items, "p4d.24xlarge")).isEqualTo("8 × A100-SXM4-40GB · 96 vCPU · 1,152 GiB · 0.78 bf16 TFLOPS/W");
    assertThat(detail(items, "g6f.large")).isEqualTo("0.125 × L4 · 2 vCPU · 8 GiB · 1.68 bf16 TFLOPS/W");
    assertThat(edit(items.get(0))).isEqualTo(new TextEdit(range(3, 17, 3, 18), "p6-b200.48xlarge"));
  }

  @Test
  void skyPilotCandidatesAndInfraNameTheCloud() {
    List<CompletionItem> candidate = complete("task.yaml", """
        name: t
        resources:
          cloud: aws
          candidates:
            - accelerators: A100:8
            - cloud: gcp
              region: |
        num_nodes: 1
        run: python train.py
        """);
    assertThat(labels(candidate, 2)).containsExactly("europe-north2", "northamerica-northeast1");
    assertThat(edit(candidate.get(0)).getRange()).isEqualTo(range(6, 14, 6, 14));

    List<CompletionItem> infra = complete("task.yaml", """
        name: t
        resources: {infra: azure, region: |}
        num_nodes: 1
        run: python train.py
        """);
    assertThat(labels(infra, 3)).containsExactly("canadaeast", "canadacentral", "norwayeast");
    assertThat(edit(infra.get(0))).isEqualTo(new TextEdit(range(1, 34, 1, 34), "canadaeast"));
  }

  // ------------------------------------------------------------------------------------------ Kubernetes

  private static String job(String podSpec) {
    return "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: train\nspec:\n  template:\n    spec:\n"
        + podSpec.indent(6) + "      containers:\n        - name: trainer\n          image: example/train:1\n";
  }

  @Test
  void kubernetesRegionLabelsTakeTheCloudFromTheOtherNodeLabels() {
    String gke = job("""
        nodeSelector:
          cloud.google.com/gke-accelerator: nvidia-l4
          topology.kubernetes.io/region: eu|
        """);
    List<CompletionItem> items = complete("job.yaml", gke);
    assertThat(labels(items, 2)).containsExactly("europe-north2", "northamerica-northeast1");
    assertThat(items).hasSize(REFERENCE.regions("gcp").size());
    assertThat(edit(items.get(0))).isEqualTo(new TextEdit(range(9, 39, 9, 41), "europe-north2"));

    String eks = job("""
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - key: eks.amazonaws.com/nodegroup
                  operator: In
                  values: [gpu]
                - key: topology.kubernetes.io/region
                  operator: In
                  values:
                  - |
        """);
    List<CompletionItem> aws = complete("job.yaml", eks);
    assertThat(labels(aws, 3)).containsExactly("ca-central-1", "eu-central-2", "eu-north-1");
    assertThat(aws).hasSize(REFERENCE.regions("aws").size());
    assertThat(edit(aws.get(0)).getRange()).isEqualTo(range(18, 18, 18, 18));

    String env = "apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      containers:\n"
        + "        - name: t\n          image: x\n          env:\n            - name: AWS_REGION\n              value: |\n";
    assertThat(labels(complete("job.yaml", env), 1)).containsExactly("ca-central-1");

    String multi = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n" + job("""
        nodeSelector:
          node.kubernetes.io/instance-type: p4d.24xlarge
          topology.kubernetes.io/region: |
        """);
    assertThat(labels(complete("job.yaml", multi), 1)).containsExactly("ca-central-1");
  }

  @Test
  void kubernetesAcceleratorLabelsUseEachLabelsOwnSpelling() {
    List<CompletionItem> gke = complete("job.yaml", job("nodeSelector:\n  cloud.google.com/gke-accelerator: |\n"));
    assertThat(labels(gke, 20)).containsExactly("nvidia-b200", "nvidia-l4", "nvidia-h200-141gb", "nvidia-h100-80gb",
        "nvidia-h100-mega-80gb", "nvidia-tesla-t4", "nvidia-a100-80gb", "nvidia-tesla-a100", "nvidia-tesla-v100",
        "nvidia-tesla-p4", "nvidia-tesla-p100", "nvidia-tesla-k80");
    assertThat(detail(gke, "nvidia-tesla-a100")).isEqualTo("A100-SXM4-40GB · ampere 2020 · 400 W · 40 GB · 0.78 bf16 TFLOPS/W");
    assertThat(edit(gke.get(0))).isEqualTo(new TextEdit(range(8, 42, 8, 42), "nvidia-b200"));

    List<CompletionItem> product = complete("job.yaml", job("nodeSelector:\n  nvidia.com/gpu.product: NVIDIA-|\n"));
    assertThat(labels(product, 3)).containsExactly("NVIDIA-B200", "NVIDIA-H100-PCIe", "NVIDIA-H100-NVL");
    assertThat(labels(product, 100)).contains("Tesla-T4", "NVIDIA-A100-SXM4-40GB", "NVIDIA-H100-80GB-HBM3")
        .doesNotContain("NVIDIA-MI300X");
    assertThat(edit(product.get(0))).isEqualTo(new TextEdit(range(8, 32, 8, 39), "NVIDIA-B200"));

    // vLLM production-stack Helm values: the serving format reads a model's node affinity the same way.
    List<CompletionItem> helm = complete("values.yaml", """
        servingEngineSpec:
          modelSpec:
          - name: "llama3"
            modelURL: "meta-llama/Llama-3.1-8B-Instruct"
            requestGPU: 1
            nodeSelectorTerms:
              - matchExpressions:
                  - key: "cloud.google.com/gke-accelerator"
                    operator: "In"
                    values:
                      - "nvidia-|"
        """);
    assertThat(labels(helm, 2)).containsExactly("nvidia-b200", "nvidia-l4");
    assertThat(edit(helm.get(0))).isEqualTo(new TextEdit(range(10, 17, 10, 24), "nvidia-b200"));

    List<CompletionItem> tpu = complete("job.yaml", job("nodeSelector:\n  cloud.google.com/gke-tpu-accelerator: |\n"));
    assertThat(labels(tpu, 10)).containsExactly("tpu-v6e-slice", "tpu-v5p-slice", "tpu-v4-podslice",
        "tpu-v5-lite-device", "tpu-v5-lite-podslice");
    assertThat(detail(tpu, "tpu-v6e-slice")).isEqualTo("TPU-v6e · tpu-v6e 2024 · 300 W · 32 GB · 3.06 bf16 TFLOPS/W");
  }

  @Test
  void kubernetesInstanceTypeLabelsFollowTheNodePoolsCloud() {
    List<CompletionItem> aks = complete("job.yaml", job("""
        nodeSelector:
          kubernetes.azure.com/agentpool: gpu
          node.kubernetes.io/instance-type: |
        """));
    assertThat(labels(aks, 2)).containsExactly("Standard_NC40ads_H100_v5", "Standard_NCC40ads_H100_v5");
    assertThat(aks).hasSize((int) REFERENCE.allInstances().stream().filter(i -> i.provider().equals("azure")).count());
  }

  // ------------------------------------------------------------------------------------------ Vertex AI

  private static final String VERTEX = """
      displayName: t5
      location: us-central1
      workerPoolSpecs:
        - machineSpec:
            machineType: n1-standard-16
            acceleratorType: NVIDIA_TESLA_V100
            acceleratorCount: 4
          replicaCount: 1
      """;

  @Test
  void vertexCompletesItsEnumNamesMachineTypesAndLocation() {
    List<CompletionItem> accelerators = complete("job.yaml", VERTEX.replace("NVIDIA_TESLA_V100", "NVIDIA_|"));
    assertThat(labels(accelerators, 6)).containsExactly("NVIDIA_B200", "NVIDIA_L4", "NVIDIA_H200_141GB",
        "NVIDIA_H100_80GB", "NVIDIA_H100_MEGA_80GB", "TPU_V5_LITEPOD");
    assertThat(accelerators).hasSize(15);
    assertThat(labels(accelerators, 15)).contains("TPU_V2", "TPU_V3", "NVIDIA_TESLA_A100", "NVIDIA_A100_80GB");
    assertThat(detail(accelerators, "NVIDIA_TESLA_T4")).isEqualTo("T4 · turing 2018 · 70 W · 16 GB · 0.929 fp16 TFLOPS/W");
    assertThat(edit(accelerators.get(0))).isEqualTo(new TextEdit(range(5, 23, 5, 30), "NVIDIA_B200"));

    List<CompletionItem> machines = complete("job.yaml", VERTEX.replace("n1-standard-16", "a|"));
    assertThat(labels(machines, 3)).containsExactly("a4-highgpu-8g", "g2-standard-4", "g2-standard-8");
    assertThat(machines).hasSize((int) REFERENCE.allInstances().stream().filter(i -> i.provider().equals("gcp")).count());
    assertThat(detail(machines, "a4-highgpu-8g")).isEqualTo("8 × B200 · 2.25 bf16 TFLOPS/W");
    assertThat(detail(machines, "g2-standard-4")).isEqualTo("1 × L4 · 4 vCPU · 16 GB · 1.68 bf16 TFLOPS/W");
    assertThat(edit(machines.get(0)).getRange()).isEqualTo(range(4, 19, 4, 20));

    List<CompletionItem> location = complete("job.yaml", VERTEX.replace("us-central1", "|"));
    assertThat(labels(location, 1)).containsExactly("europe-north2");

    List<CompletionItem> legacy = complete("job.yaml", """
        trainingInput:
          scaleTier: CUSTOM
          masterType: n1-standard-8
          masterConfig:
            acceleratorConfig:
              count: 1
              type: |
          region: us-central1
        """);
    assertThat(labels(legacy, 1)).containsExactly("NVIDIA_B200");
  }

  // ------------------------------------------------------------------------------------------ SageMaker

  private static final String TRAINING_JOB = """
      {
        "TrainingJobName": "bert",
        "AlgorithmSpecification": {"TrainingImage": "image"},
        "ResourceConfig": {
          "InstanceType": "ml.p3.16xlarge",
          "InstanceCount": 1
        }
      }
      """;

  @Test
  void sageMakerJsonKeepsTheQuotesRight() {
    List<CompletionItem> inside = complete("job.json", TRAINING_JOB.replace("ml.p3.16xlarge", "ml.p|"));
    assertThat(labels(inside, 3)).containsExactly("ml.p6-b200.48xlarge", "ml.g6f.large", "ml.g6f.xlarge");
    assertThat(edit(inside.get(0))).isEqualTo(new TextEdit(range(4, 21, 4, 25), "ml.p6-b200.48xlarge"));
    assertThat(detail(inside, "ml.p3.16xlarge")).isEqualTo("8 × V100-SXM2-16GB · 64 vCPU · 488 GiB · 0.417 fp16 TFLOPS/W");

    // The closing quote not typed yet, and so no comma either: the text parses nowhere.
    String unclosed = TRAINING_JOB.replace("\"ml.p3.16xlarge\",", "\"ml.p|");
    assertThat(DocumentParser.parse("job.json", unclosed.replace("|", "")).hasErrors()).isTrue();
    List<CompletionItem> typing = complete("job.json", unclosed);
    assertThat(edit(typing.get(0))).isEqualTo(new TextEdit(range(4, 21, 4, 25), "ml.p6-b200.48xlarge\""));

    List<CompletionItem> bare = complete("job.json", TRAINING_JOB.replace("\"ml.p3.16xlarge\"", "|"));
    assertThat(edit(bare.get(0))).isEqualTo(new TextEdit(range(4, 20, 4, 20), "\"ml.p6-b200.48xlarge\""));
  }

  @Test
  void sageMakerEstimatorRegionsAreAwsRegions() {
    List<CompletionItem> items = complete("estimator.yaml", """
        entry_point: train.py
        role: arn:aws:iam::111122223333:role/sagemaker
        framework_version: '2.1'
        instance_type: ml.g5.2xlarge
        instance_count: 1
        region: eu-|
        """);
    assertThat(labels(items, 3)).containsExactly("ca-central-1", "eu-central-2", "eu-north-1");
    assertThat(items).hasSize(REFERENCE.regions("aws").size());
    assertThat(edit(items.get(0))).isEqualTo(new TextEdit(range(5, 8, 5, 11), "ca-central-1"));
  }

  // ------------------------------------------------------------------------------------------ Azure ML, Accelerate

  private static final String AZURE_COMPUTE = """
      $schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json
      name: gpu-cluster
      type: amlcompute
      size: Standard_NC24s_v3
      location: East US
      max_instances: 2
      """;

  @Test
  void azureMlComputeSizesAndLocations() {
    List<CompletionItem> sizes = complete("compute.yaml", AZURE_COMPUTE.replace("NC24s_v3", "|"));
    assertThat(labels(sizes, 3)).containsExactly("Standard_NC40ads_H100_v5", "Standard_NCC40ads_H100_v5",
        "Standard_NC80adis_H100_v5");
    assertThat(detail(sizes, "Standard_NC40ads_H100_v5")).isEqualTo("1 × H100-NVL · 40 vCPU · 320 GiB · 2.09 bf16 TFLOPS/W");
    assertThat(edit(sizes.get(0))).isEqualTo(new TextEdit(range(3, 6, 3, 15), "Standard_NC40ads_H100_v5"));

    List<CompletionItem> locations = complete("compute.yaml", AZURE_COMPUTE.replace("East US", "|"));
    assertThat(labels(locations, 3)).containsExactly("canadaeast", "canadacentral", "norwayeast");
    assertThat(locations).hasSize(REFERENCE.regions("azure").size());

    List<CompletionItem> serverless = complete("job.yaml", """
        $schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
        type: command
        command: python train.py
        resources:
          instance_types:
            - Standard_ND96asr_v4
            - |
        """);
    assertThat(labels(serverless, 1)).containsExactly("Standard_NC40ads_H100_v5");
  }

  @Test
  void accelerateOnSageMakerCompletesAwsRegionsAndMlInstances() {
    String config = """
        compute_environment: AMAZON_SAGEMAKER
        distributed_type: MULTI_GPU
        ec2_instance_type: ml.p3.2xlarge
        region: us-east-1
        """;
    assertThat(labels(complete("accelerate.yaml", config.replace("us-east-1", "|")), 2))
        .containsExactly("ca-central-1", "eu-central-2");
    assertThat(labels(complete("accelerate.yaml", config.replace("ml.p3.2xlarge", "|")), 1))
        .containsExactly("ml.p6-b200.48xlarge");
    assertThat(complete("accelerate.yaml", config.replace("AMAZON_SAGEMAKER", "LOCAL_MACHINE").replace("us-east-1", "|")))
        .isEmpty();
  }

  // ------------------------------------------------------------------------------------------ nowhere else

  @Test
  void nothingOutsideTheValuesTheFormatsRead() {
    String sky = "name: t\nresources:\n  cloud: gcp\n  region: us-east1 # us-\n  disk_size: 100\nnum_nodes: 1\nrun: x\n";
    assertThat(complete("task.yaml", sky.replace("region:", "reg|ion:"))).as("a key").isEmpty();
    assertThat(complete("task.yaml", sky.replace("# us-", "# us-|"))).as("a comment").isEmpty();
    assertThat(complete("task.yaml", sky.replace("100", "1|00"))).as("another setting").isEmpty();
    assertThat(complete("task.yaml", sky.replace("region: us-east1", "region:|"))).as("no blank yet").isEmpty();
    assertThat(complete("task.yaml", sky.replace("num_nodes: 1", "num_nodes: |"))).as("a setting of the task").isEmpty();
    assertThat(complete("train.yaml", "model_name_or_path: gpt2\nnum_train_epochs: 3\nregion: |\n"))
        .as("a format that reads no region").isEmpty();
    assertThat(complete("job.yaml", job("nodeSelector:\n  topology.kubernetes.io/zone: |\n"))).as("a zone").isEmpty();
    assertThat(complete("job.json", TRAINING_JOB.replace("\"InstanceType\"", "\"Instance|\""))).as("a JSON key").isEmpty();
    assertThat(complete("launch.py", "job = {\n    \"region\": \"us-|\"\n}\n")).as("source code").isEmpty();
    assertThat(CompletionFeature.complete("task.yaml", sky, new Position(40, 0), REFERENCE)).as("past the end").isEmpty();
    assertThat(CompletionFeature.complete("task.yaml", null, new Position(0, 0), REFERENCE)).isEmpty();
    assertThat(CompletionFeature.complete("task.yaml", "region: |\n", new Position(0, 999), REFERENCE)).isEmpty();
  }

  @Test
  void windowsLineEndingsAndSingleQuotes() {
    List<CompletionItem> crlf = complete("task.yaml", SKYPILOT_GCP_REGION.replace("region: |", "region: eu|")
        .replace("\n", "\r\n"));
    assertThat(edit(crlf.get(0))).isEqualTo(new TextEdit(range(3, 10, 3, 12), "europe-north2"));

    List<CompletionItem> quoted = complete("task.yaml", SKYPILOT_GCP_REGION.replace("region: |", "region: 'eu|'"));
    assertThat(edit(quoted.get(0))).isEqualTo(new TextEdit(range(3, 11, 3, 13), "europe-north2"));

    List<CompletionItem> middle = complete("task.yaml", SKYPILOT_GCP_REGION.replace("region: |", "region: us-ea|st1"));
    assertThat(edit(middle.get(0))).as("the whole value is replaced").isEqualTo(
        new TextEdit(range(3, 10, 3, 18), "europe-north2"));
  }

  // ------------------------------------------------------------------------------------------ read back

  /**
   * Every value offered, written where it was offered, reads back through the format's extractor as the row
   * the item describes: the region its detail names, the accelerator (or, for an instance type, the
   * accelerator it holds) its detail names.
   */
  @Test
  void everyOfferedValueReadsBackAsTheRowItDescribes() {
    List<String[]> cases = List.of(
        new String[] {"task.yaml", SKYPILOT_GCP_REGION},
        new String[] {"task.yaml", SKYPILOT_GCP_REGION.replace("cloud: gcp", "cloud: aws")},
        new String[] {"task.yaml", SKYPILOT_GCP_REGION.replace("cloud: gcp", "cloud: lambda")},
        new String[] {"task.yaml", SKYPILOT_GCP_REGION.replace("  cloud: gcp\n", "")},
        new String[] {"task.yaml", "name: t\nresources:\n  accelerators: |:8\nnum_nodes: 1\nrun: python train.py\n"},
        new String[] {"task.yaml", "name: t\nresources:\n  instance_type: |\nnum_nodes: 1\nrun: python train.py\n"},
        new String[] {"job.yaml", VERTEX.replace("NVIDIA_TESLA_V100", "|")},
        new String[] {"job.yaml", VERTEX.replace("  acceleratorType: NVIDIA_TESLA_V100\n", "")
            .replace("n1-standard-16", "|")},
        new String[] {"job.yaml", VERTEX.replace("us-central1", "|")},
        new String[] {"job.yaml", job("nodeSelector:\n  cloud.google.com/gke-accelerator: |\n")},
        new String[] {"job.yaml", job("nodeSelector:\n  cloud.google.com/gke-tpu-accelerator: |\n")},
        new String[] {"job.yaml", job("nodeSelector:\n  nvidia.com/gpu.product: |\n")},
        new String[] {"job.yaml", job("nodeSelector:\n  node.kubernetes.io/instance-type: |\n")},
        new String[] {"job.yaml", job("nodeSelector:\n  kubernetes.azure.com/mode: user\n  topology.kubernetes.io/region: |\n")},
        new String[] {"job.yaml", job("nodeSelector:\n  topology.kubernetes.io/region: |\n")},
        new String[] {"job.json", TRAINING_JOB.replace("ml.p3.16xlarge", "|")},
        new String[] {"estimator.yaml", "entry_point: train.py\nrole: r\nframework_version: '2.1'\n"
            + "instance_type: ml.g5.2xlarge\ninstance_count: 1\nregion: |\n"},
        new String[] {"compute.yaml", AZURE_COMPUTE.replace("Standard_NC24s_v3", "|")},
        new String[] {"compute.yaml", AZURE_COMPUTE.replace("East US", "|")},
        new String[] {"accelerate.yaml", "compute_environment: AMAZON_SAGEMAKER\ndistributed_type: MULTI_GPU\n"
            + "ec2_instance_type: |\nregion: us-east-1\n"},
        new String[] {"accelerate.yaml", "compute_environment: AMAZON_SAGEMAKER\ndistributed_type: MULTI_GPU\n"
            + "ec2_instance_type: ml.p3.2xlarge\nregion: |\n"});
    int checked = 0;
    for (String[] c : cases) {
      List<CompletionItem> items = complete(c[0], c[1]);
      assertThat(items).as(c[1]).isNotEmpty();
      for (CompletionItem item : items) {
        String written = applied(c[1], item);
        Run run = extract(c[0], written);
        String detail = item.getDetail();
        if (detail.contains(" gCO2e/kWh")) {
          String provider = detail.substring(detail.lastIndexOf('(') + 1, detail.length() - 1);
          assertThat(run.region()).as(written).isNotNull();
          assertThat(run.region().spec().provider() + ":" + run.region().spec().id()).as(written)
              .isEqualTo(provider + ":" + item.getLabel());
          assertThat(REFERENCE.region(provider, item.getLabel()).map(RegionSpec::id)).contains(item.getLabel());
        } else {
          String described = describedAccelerator(item);
          assertThat(run.accelerator()).as(written).isNotNull();
          assertThat(run.accelerator().spec().id()).as(written).isEqualTo(described);
          if (detail.contains(" × ")) {
            assertThat(REFERENCE.instance(item.getLabel()).map(i -> i.acceleratorId())).contains(described);
          }
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(900);
  }

  /** The row an accelerator or instance item names: its detail's first part when that is a row id, else its label. */
  private static String describedAccelerator(CompletionItem item) {
    String first = item.getDetail().split(" · ")[0];
    if (first.contains(" × ")) {
      return first.substring(first.indexOf(" × ") + 3);
    }
    boolean isId = REFERENCE.allAccelerators().stream().anyMatch(a -> a.id().equals(first));
    return isId ? first : item.getLabel();
  }

  private static Run extract(String file, String text) {
    List<ExtractedRun> runs = Extractors.builtIn().extract(file, DocumentParser.parse(file, text), REFERENCE);
    assertThat(runs).as(text).isNotEmpty();
    return runs.get(runs.size() - 1).run();
  }

  // ------------------------------------------------------------------------------------------ long files

  /** Long files answer as short ones do (their speed is measured by bench/, never by a timed test). */
  @Test
  void aTwoThousandLineFileCompletesLikeAShortOne() {
    StringBuilder yaml = new StringBuilder(SKYPILOT_GCP_REGION.replace("num_nodes: 2\n", "num_nodes: 2\nenvs:\n"));
    for (int i = 0; i < 2000; i++) {
      yaml.append("  VAR_").append(i).append(": value-").append(i).append('\n');
    }
    StringBuilder json = new StringBuilder("{\n  \"TrainingJobName\": \"bert\",\n  \"HyperParameters\": {\n");
    for (int i = 0; i < 2000; i++) {
      json.append("    \"p").append(i).append("\": \"").append(i).append("\",\n");
    }
    json.append("    \"last\": \"1\"\n  },\n  \"AlgorithmSpecification\": {\"TrainingImage\": \"image\"},\n")
        .append("  \"ResourceConfig\": {\n    \"InstanceType\": \"ml.p|\",\n    \"InstanceCount\": 1\n  }\n}\n");
    assertThat(yaml.toString().lines().count()).isGreaterThanOrEqualTo(2000);
    assertThat(json.toString().lines().count()).isGreaterThanOrEqualTo(2000);
    assertThat(itemsAt("task.yaml", yaml.toString())).hasSize(44);
    assertThat(itemsAt("job.json", json.toString())).hasSize(74);
  }

  private static List<CompletionItem> itemsAt(String file, String textWithBar) {
    int bar = textWithBar.indexOf('|');
    return CompletionFeature.complete(file, textWithBar.replace("|", ""), position(textWithBar, bar), REFERENCE);
  }

  // ------------------------------------------------------------------------------------------ outline

  /**
   * The cut-down document completion parses finds, for every value of a completed key in the example
   * files, the same slot as the whole document: the shortcut never changes an answer.
   */
  @Test
  void theOutlineAnswersAsTheWholeDocumentDoesOnEveryExampleFile() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path dir : exampleFolders()) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(ya?ml|jsonc?)$")).forEach(files::add);
      }
    }
    assertThat(files.size()).isGreaterThan(200);
    int compared = 0;
    List<String> disagreements = new ArrayList<>();
    for (Path file : files) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String name = file.getFileName().toString();
      SyntaxKind syntax = DocumentParser.syntaxOf(name, text);
      LineIndex lines = new LineIndex(text);
      for (DocNode root : DocumentParser.parse(name, text).roots()) {
        for (ScalarNode value : completedValues(root, new ArrayList<>())) {
          int line = value.range().startLine();
          int column = value.range().startColumn();
          int end = lines.lineStart(value.range().endLine()) + value.range().endColumn();
          String outline = syntax == SyntaxKind.JSON ? CompletionOutline.json(text, end - 1)
              : CompletionOutline.yaml(text, line);
          var whole = CompletionSlots.locateIn(name, text, syntax, line, column)
              .flatMap(l -> CompletionSlots.slot(l, REFERENCE));
          var cut = CompletionSlots.locateIn(name, outline, syntax, line, column)
              .flatMap(l -> CompletionSlots.slot(l, REFERENCE));
          if (whole.isPresent() && !whole.equals(cut)) {
            disagreements.add(file + ":" + (line + 1) + " whole " + whole + " outline " + cut);
          }
          compared += whole.isPresent() ? 1 : 0;
        }
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(compared).isGreaterThan(30);
  }

  /** Scalar values of the keys completion knows (and list items under them), each once. */
  private static List<ScalarNode> completedValues(DocNode node, List<ScalarNode> out) {
    if (node instanceof MappingNode m) {
      for (Entry e : m.entries()) {
        if (e.inherited()) {
          continue;
        }
        if (CompletionSlots.isCompletedKey(e.name()) && e.value() instanceof ScalarNode s && !s.isNull()
            && !out.contains(s)) {
          out.add(s);
        }
        if (e.value() instanceof SequenceNode seq && (e.name().equals("values") || e.name().equals("accelerators")
            || e.name().equals("instance_types"))) {
          seq.items().stream().filter(ScalarNode.class::isInstance).map(ScalarNode.class::cast).forEach(out::add);
        }
        completedValues(e.value(), out);
      }
    } else if (node instanceof SequenceNode s) {
      s.items().forEach(item -> completedValues(item, out));
    }
    return out;
  }

  /** The example and test configs of the repository, and the shared corpus when it is there. */
  private static List<Path> exampleFolders() {
    List<Path> out = new ArrayList<>();
    out.add(Path.of("src/test/resources"));
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("samples"))) {
        out.add(dir.resolve("samples"));
      }
      if (Files.isDirectory(dir.resolve("shared/corpus"))) {
        out.add(dir.resolve("shared/corpus"));
        break;
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------ helpers

  /** Completes at the `|` of {@code textWithBar}, the bar taken out. */
  private static List<CompletionItem> complete(String file, String textWithBar) {
    int bar = textWithBar.indexOf('|');
    assertThat(bar).as("a | marks the cursor").isGreaterThanOrEqualTo(0);
    return CompletionFeature.complete(file, textWithBar.substring(0, bar) + textWithBar.substring(bar + 1),
        position(textWithBar, bar), REFERENCE);
  }

  private static Position position(String text, int offset) {
    String before = text.substring(0, offset);
    int line = (int) before.chars().filter(c -> c == '\n').count();
    int lineStart = before.lastIndexOf('\n') + 1;
    return new Position(line, offset - lineStart);
  }

  /** The text (bar taken out) with the item's edit applied. */
  private static String applied(String textWithBar, CompletionItem item) {
    String text = textWithBar.replace("|", "");
    LineIndex lines = new LineIndex(text);
    Range r = edit(item).getRange();
    int start = lines.lineStart(r.getStart().getLine()) + r.getStart().getCharacter();
    int end = lines.lineStart(r.getEnd().getLine()) + r.getEnd().getCharacter();
    return text.substring(0, start) + edit(item).getNewText() + text.substring(end);
  }

  private static TextEdit edit(CompletionItem item) {
    return item.getTextEdit().getLeft();
  }

  private static Range range(int startLine, int startCharacter, int endLine, int endCharacter) {
    return new Range(new Position(startLine, startCharacter), new Position(endLine, endCharacter));
  }

  private static List<String> labels(List<CompletionItem> items, int first) {
    return items.stream().limit(first).map(CompletionItem::getLabel).toList();
  }

  private static String detail(List<CompletionItem> items, String label) {
    Optional<CompletionItem> item = items.stream().filter(i -> i.getLabel().equals(label)).findFirst();
    assertThat(item).as(label).isPresent();
    return item.get().getDetail();
  }

  private static List<Double> intensities(List<CompletionItem> items, String provider) {
    return items.stream().map(i -> REFERENCE.region(provider, i.getLabel()).orElseThrow().gridIntensity()).toList();
  }
}
