package dev.carbonlens.extract;

import static dev.carbonlens.extract.CloudJobTesting.extractAll;
import static dev.carbonlens.extract.CloudJobTesting.fixture;
import static dev.carbonlens.extract.CloudJobTesting.run;
import static dev.carbonlens.extract.ExtractTesting.REF;
import static dev.carbonlens.extract.ExtractTesting.apply;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.within;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.CloudChoice;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Recurrence;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.StatedDuration;
import dev.carbonlens.model.Sweep;
import java.util.List;
import org.junit.jupiter.api.Test;

class AzureMlExtractorTest {
  private final AzureMlExtractor extractor = new AzureMlExtractor();

  @Test
  void commandJobWithItsComputeDefinedInTheSameFile() {
    String text = fixture("azure-ml/command-job.yaml");
    // one run: the cluster the job runs on is read into the job, not counted again
    List<ExtractedRun> runs = extractAll("command-job.yaml", text);
    assertThat(runs).hasSize(1);
    Run job = runs.get(0).run();
    assertThat(job.format()).isEqualTo("azure-ml");
    assertThat(job.stage()).isEqualTo(Stage.FINE_TUNING);
    SourceRange anchor = SourceRange.of(14, 0, 14, 7); // compute
    assertThat(job.range()).isEqualTo(anchor);
    assertThat(job.cloud()).isEqualTo(new CloudChoice("azure", anchor));

    // azureml:gpu-cluster is the second document: Standard_NC24s_v3 = 4 x V100 16GB PCIe
    assertThat(job.accelerator().spec().id()).isEqualTo("V100-PCIE-16GB");
    assertThat(job.accelerator().written()).isEqualTo("Standard_NC24s_v3 (4 x V100-PCIE-16GB)");
    assertThat(job.accelerator().range()).isEqualTo(SourceRange.of(26, 0, 26, 23));
    // resources.instance_count "2" under the quoted "resources" key
    assertThat(job.devices().count()).isEqualTo(8);
    assertThat(job.devices().derivation()).isEqualTo(
        "4 per node (Standard_NC24s_v3 (4 x V100-PCIE-16GB)) x 2 instances (resources.instance_count)");
    // "East US", the display name, from the compute's location
    assertThat(job.region().spec().key()).isEqualTo("azure:eastus");
    assertThat(job.region().written()).isEqualTo("East US");
    assertThat(job.region().range()).isEqualTo(SourceRange.of(27, 0, 27, 17));

    // ${{inputs.x}} in the command resolves to the inputs, pointing at them
    assertThat(job.model().id()).isEqualTo("bert-base-uncased");
    assertThat(job.model().range()).isEqualTo(SourceRange.of(11, 9, 11, 26));
    assertThat(job.schedule().epochs()).isEqualTo(4.0);
    assertThat(job.schedule().epochsRange()).isEqualTo(SourceRange.of(12, 2, 12, 13));
    assertThat(job.precision()).isEqualTo(new PrecisionChoice(Precision.FP16, true, SourceRange.of(9, 2, 9, 8)));
    assertThat(job.workload().perDeviceBatch()).isEqualTo(16);
    assertThat(job.duration()).isEqualTo(new StatedDuration(2.0, SourceRange.of(21, 2, 21, 17)));

    // moving region edits the cluster's location
    var fix = runs.get(0).fixes().fixFor(new ProposedChange.MoveToRegion(REF.region("azure", "swedencentral").orElseThrow()));
    assertThat(fix).isPresent();
    assertThat(apply(text, fix.get().edits())).contains("\nlocation: swedencentral\n").doesNotContain("East US");
  }

  @Test
  void computeDefinitionOnItsOwn() {
    String text = """
        $schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json
        name: gpu-cluster
        type: amlcompute
        'size': STANDARD_NC24S_V3
        location: "Sweden Central"
        min_instances: "0"
        max_instances: "4"
        """;
    Run compute = run("cluster.yml", text);
    assertThat(compute.stage()).isEqualTo(Stage.TRAINING);
    assertThat(compute.range()).isEqualTo(SourceRange.of(3, 0, 3, 6)); // the quoted 'size' key
    assertThat(compute.accelerator().spec().id()).isEqualTo("V100-PCIE-16GB");
    assertThat(compute.accelerator().range()).isEqualTo(SourceRange.of(3, 0, 3, 25));
    assertThat(compute.devices().count()).isEqualTo(16); // 4 x max_instances "4"
    assertThat(compute.devices().derivation())
        .isEqualTo("4 per node (STANDARD_NC24S_V3 (4 x V100-PCIE-16GB)) x 4 instances (max_instances)");
    assertThat(compute.region().spec().key()).isEqualTo("azure:swedencentral");
    assertThat(compute.region().written()).isEqualTo("Sweden Central");
    assertThat(compute.region().range()).isEqualTo(SourceRange.of(4, 0, 4, 26));
  }

  @Test
  void computeKnownByNameOnlyLeavesTheAcceleratorUnknown() {
    String text = """
        $schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
        command: python train.py --epochs 5
        compute: azureml:gpu-v100-cluster
        distribution:
          type: pytorch
          process_count_per_instance: 8
        resources:
          instance_count: 2
        """;
    Run run = run("job.yml", text);
    assertThat(run.accelerator()).isNull();
    assertThat(run.region()).isNull();
    // one process per device is how distributed jobs are written
    assertThat(run.devices().count()).isEqualTo(16);
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(5, 2, 5, 31));
    assertThat(run.schedule().epochs()).isEqualTo(5.0);
  }

  @Test
  void sweepJobCountsTheGridAndReadsTheTrialCommand() {
    String text = fixture("azure-ml/sweep-job.yaml");
    Run run = run("sweep-job.yaml", text);
    assertThat(run.stage()).isEqualTo(Stage.SWEEP);
    assertThat(run.sweep()).isEqualTo(new Sweep("grid", 6L, 6L, true, SourceRange.of(11, 0, 11, 24)));
    assertThat(run.sweep().plannedTrials()).isEqualTo(6L);
    // serverless: the instance type is in the job
    assertThat(run.accelerator().spec().id()).isEqualTo("A100-PCIE-80GB");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(10, 2, 10, 41));
    assertThat(run.devices().count()).isEqualTo(1);
    assertThat(run.schedule().epochs()).isEqualTo(10.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(6, 63, 6, 84));
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(6, 85, 6, 91)));
    assertThat(run.workload().perDeviceBatch()).isNull(); // a search-space placeholder
    assertThat(run.duration()).isEqualTo(new StatedDuration(4.0, SourceRange.of(25, 2, 25, 16)));
  }

  @Test
  void recurrenceScheduleWithAnInlineJob() {
    String text = fixture("azure-ml/schedule.yaml");
    Run run = run("schedule.yaml", text);
    assertThat(run.range()).isEqualTo(SourceRange.of(3, 0, 3, 7));
    assertThat(run.recurrence())
        .isEqualTo(new Recurrence("every 1 day (2 times a day)", 2.0, SourceRange.of(5, 2, 5, 16)));
    assertThat(run.precision()).isEqualTo(new PrecisionChoice(Precision.BF16, true, SourceRange.of(13, 48, 13, 54)));
    assertThat(run.schedule().epochs()).isEqualTo(1.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(13, 27, 13, 47));
    assertThat(run.accelerator()).isNull(); // gpu-cluster is not defined here
  }

  @Test
  void cronSchedule() {
    String text = """
        $schema: https://azuremlschemas.azureedge.net/latest/schedule.schema.json
        name: weekday-retrain
        trigger:
          type: cron
          expression: "0 */6 * * 1-5"
        create_job: azureml:retrain-job
        """;
    Run run = run("cron.yaml", text);
    assertThat(run.recurrence().expression()).isEqualTo("0 */6 * * 1-5");
    assertThat(run.recurrence().runsPerDay()).isCloseTo(4 * 5 / 7.0, within(1e-9));
    assertThat(run.recurrence().range()).isEqualTo(SourceRange.of(4, 2, 4, 29));
  }

  @Test
  void armTemplateComputeWithParameters() {
    String text = fixture("azure-ml/compute-arm.json");
    Run run = run("compute-arm.json", text);
    assertThat(run.range()).isEqualTo(SourceRange.of(9, 6, 9, 12));
    // [parameters('vmSize')] reads the parameter's default value
    assertThat(run.accelerator().spec().id()).isEqualTo("A100-SXM4-40GB");
    assertThat(run.accelerator().range()).isEqualTo(SourceRange.of(5, 33, 5, 70));
    assertThat(slice(text, run.accelerator().range())).isEqualTo("\"defaultValue\": \"Standard_ND96asr_v4\"");
    assertThat(run.devices().count()).isEqualTo(16); // 8 x maxNodeCount 2
    assertThat(run.region().spec().key()).isEqualTo("azure:westeurope");
    assertThat(run.region().written()).isEqualTo("West Europe");
    assertThat(run.region().range()).isEqualTo(SourceRange.of(4, 35, 4, 64));
  }

  @Test
  void detectionIsStrict() {
    assertThat(recognises("$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json\n")).isTrue();
    assertThat(recognises("type: command\ncommand: python x.py\ncompute: azureml:cpu\n")).isTrue();
    assertThat(recognises("type: amlcompute\nsize: Standard_NC6s_v3\nmax_instances: 2\n")).isTrue();
    assertThat(recognises("{\"type\": \"Microsoft.MachineLearningServices/workspaces/computes\"}")).isTrue();
    // a command without Azure ML references, or a JSON schema of another tool
    assertThat(recognises("type: command\ncommand: python x.py\n")).isFalse();
    assertThat(recognises("$schema: https://json.schemastore.org/github-workflow.json\non: push\n")).isFalse();
    assertThat(recognises("{\"resources\": [{\"type\": \"Microsoft.Compute/virtualMachines\"}]}")).isFalse();
  }

  @Test
  void malformedFilesDoNotThrow() {
    for (String text : List.of(fixture("azure-ml/malformed.yaml"),
        "$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json\ncommand: \"python x.py",
        "{\"resources\": [{\"type\": \"Microsoft.MachineLearningServices/workspaces/computes\", \"properties\": 3}]}",
        "trigger: {type: cron, expression: \"every day\"}\ncreate_job: {}\n",
        "trigger: {type: recurrence, frequency: day, interval: 0}\ncreate_job: x\n")) {
      ParsedDocument doc = DocumentParser.parse("bad.yaml", text);
      assertThatCode(() -> CloudJobTesting.EXTRACTORS.extract("bad.yaml", doc, REF)).doesNotThrowAnyException();
    }
    Run run = run("malformed.yaml", fixture("azure-ml/malformed.yaml"));
    assertThat(run.stage()).isEqualTo(Stage.SWEEP);
    assertThat(run.sweep().trials()).isNull();
    assertThat(run.sweep().combinations()).isNull();
    assertThat(run.devices()).isNull();
    assertThat(run.duration()).isNull();
  }

  private boolean recognises(String text) {
    ParsedDocument doc = DocumentParser.parse("x", text);
    return doc.rootMapping().map(m -> extractor.recognises("x", m)).orElse(false);
  }
}
