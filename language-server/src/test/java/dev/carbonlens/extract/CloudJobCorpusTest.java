package dev.carbonlens.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.estimate.Estimator;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.model.Run;
import dev.carbonlens.reference.ReferenceData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shared corpus against the SageMaker, Vertex AI and Azure ML extractors: they recognise exactly
 * the cloud_job/ files, and read each of those into at least one run.
 */
class CloudJobCorpusTest {
  private static final String FOLDER = "cloud_job";

  /** Walks up from the working directory to the first folder with a shared/corpus inside. */
  static Path corpus() {
    return dev.carbonlens.testing.SharedFolders.corpus();
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".md") && !p.getFileName().toString().endsWith(".tsv"))
          .sorted().toList();
    }
  }

  private static String folderOf(Path corpus, Path file) {
    return corpus.relativize(file).getName(0).toString();
  }

  /** The format each provider's files should be read as, by the repository they come from. */
  private static String expectedFormat(String name) {
    if (name.startsWith("Azure__")) {
      return "azure-ml";
    }
    if (name.startsWith("GoogleCloudPlatform__")) {
      return "vertex-ai";
    }
    return "sagemaker";
  }

  @Test
  void recognisesExactlyTheCloudJobFolder() throws IOException {
    Path corpus = corpus();
    assumeTrue(corpus != null, "shared/corpus not found above " + Path.of("").toAbsolutePath());
    List<String> wrong = new ArrayList<>();
    int cloudJobs = 0;
    int others = 0;
    for (Path file : files(corpus)) {
      String name = file.getFileName().toString();
      String text = Files.readString(file, StandardCharsets.UTF_8);
      ParsedDocument doc = DocumentParser.parse(name, text);
      boolean expected = folderOf(corpus, file).equals(FOLDER);
      List<String> formats = new ArrayList<>();
      for (DocNode root : doc.roots()) {
        if (root instanceof MappingNode m) {
          for (ConfigExtractor e : CloudJobTesting.CLOUD_JOBS) {
            if (e.recognises(name, m)) {
              formats.add(e.format());
            }
          }
        }
      }
      String where = corpus.relativize(file).toString().replace('\\', '/');
      if (expected) {
        cloudJobs++;
        if (formats.isEmpty() || !formats.stream().allMatch(f -> f.equals(expectedFormat(name)))) {
          wrong.add(where + " read as " + formats + ", expected " + expectedFormat(name));
        }
      } else {
        others++;
        if (!formats.isEmpty()) {
          wrong.add(where + " wrongly recognised as " + formats);
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(cloudJobs).isEqualTo(8);
    assertThat(others).isPositive();
  }

  @Test
  void everyCloudJobFileYieldsARun() throws IOException {
    Path corpus = corpus();
    assumeTrue(corpus != null, "shared/corpus not found above " + Path.of("").toAbsolutePath());
    Path dir = corpus.resolve(FOLDER);
    assumeTrue(Files.isDirectory(dir), "no corpus folder " + dir);
    Map<String, String> found = new TreeMap<>();
    int known = 0;
    for (Path file : files(dir)) {
      String name = file.getFileName().toString();
      String text = Files.readString(file, StandardCharsets.UTF_8);
      ParsedDocument doc = DocumentParser.parse(name, text);
      assertThat(doc.problems()).as(name).isEmpty();
      List<ExtractedRun> runs = new ArrayList<>();
      assertThatCode(() -> runs.addAll(CloudJobTesting.EXTRACTORS.extract(name, doc, ExtractTesting.REF)))
          .as(name).doesNotThrowAnyException();
      assertThat(runs).as(name).isNotEmpty();
      Run run = runs.get(0).run();
      assertThat(run.format()).as(name).isEqualTo(expectedFormat(name));
      if (run.accelerator() != null || (run.model() != null && run.model().billionParameters() != null)) {
        known++;
      }
      found.put(name, describe(run));
    }
    found.forEach((name, what) -> System.out.println("[cloud_job] " + name + "\n    " + what));
    System.out.println("[cloud_job] accelerator or model known in " + known + " of " + found.size());
    assertThat(found).hasSize(8);
    // CPU-only instances (ml.c5.xlarge, STANDARD_DS3_v2, complex_model_m), an AI Platform tuning config without
    // machines and a compute named only by reference leave neither known.
    assertThat(known).isGreaterThanOrEqualTo(3);
  }

  /**
   * The whole corpus through the built-in extractors with these three in front: how many files have an
   * accelerator or a sized model (the project's target is 60 of 69 once every format is registered).
   */
  @Test
  void reportsKnownFactsAcrossTheCorpus() throws IOException {
    Path corpus = corpus();
    assumeTrue(corpus != null, "shared/corpus not found above " + Path.of("").toAbsolutePath());
    List<ConfigExtractor> all = new ArrayList<>(CloudJobTesting.CLOUD_JOBS);
    // Formats others are adding at the same time, when their classes are there (they are not registered yet).
    for (String other : List.of("KubernetesExtractor", "ServingExtractor", "WandbSweepExtractor",
        "AxolotlExtractor", "LlamaFactoryExtractor", "TorchtuneExtractor", "DeepSpeedExtractor",
        "AccelerateExtractor", "HydraExtractor")) {
      try {
        all.add((ConfigExtractor) Class.forName("dev.carbonlens.extract." + other).getDeclaredConstructor()
            .newInstance());
      } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
        // not there (yet)
      }
    }
    all.addAll(List.of(new SkyPilotExtractor(), new LightningExtractor(), new HuggingFaceExtractor()));
    Extractors extractors = new Extractors(all);
    int files = 0;
    int known = 0;
    for (Path file : files(corpus)) {
      String name = file.getFileName().toString();
      ParsedDocument doc = DocumentParser.parse(name, Files.readString(file, StandardCharsets.UTF_8));
      List<ExtractedRun> runs = extractors.extract(name, doc, ExtractTesting.REF);
      files++;
      if (runs.stream().map(ExtractedRun::run).anyMatch(r -> r.accelerator() != null
          || (r.model() != null && r.model().billionParameters() != null))) {
        known++;
      } else {
        System.out.println("[corpus] neither accelerator nor model: " + corpus.relativize(file));
      }
    }
    System.out.println("[corpus] accelerator or model known in " + known + " of " + files
        + " files with " + all.stream().map(ConfigExtractor::format).toList());
    assertThat(files).isPositive();
  }

  /** Corpus files, fixtures and samples through rules and estimator with these extractors: nothing throws. */
  @Test
  void everythingGoesThroughTheAnalyzer() throws IOException {
    ReferenceData reference = ReferenceData.builtIn();
    Analyzer analyzer = new Analyzer(reference, CloudJobTesting.EXTRACTORS, RuleEngine.builtIn(),
        new Estimator(reference, EstimatorSettings.defaults()));
    List<Path> all = new ArrayList<>();
    Path corpus = corpus();
    if (corpus != null && Files.isDirectory(corpus.resolve(FOLDER))) {
      all.addAll(files(corpus.resolve(FOLDER)));
    }
    for (String format : List.of("sagemaker", "vertex-ai", "azure-ml")) {
      Path fixtures = Path.of("src", "test", "resources", "extract", format);
      if (Files.isDirectory(fixtures)) {
        all.addAll(files(fixtures));
      }
      Path samples = Path.of("..", "samples", format);
      if (Files.isDirectory(samples)) {
        all.addAll(files(samples));
      }
    }
    assumeTrue(!all.isEmpty(), "no files to analyse");
    for (Path file : all) {
      String name = file.getFileName().toString();
      String text = Files.readString(file, StandardCharsets.UTF_8);
      FileAnalysis[] result = new FileAnalysis[1];
      assertThatCode(() -> result[0] = analyzer.analyze(name, text)).as(name).doesNotThrowAnyException();
      for (var estimate : result[0].runs()) {
        assertThat(estimate.footprint().totalKgCO2e()).as(name).isFinite().isNotNegative();
      }
      System.out.println("[analyzed] " + name + ": " + result[0].runs().size() + " run(s), "
          + result[0].findings().stream().map(f -> f.finding().ruleId()
              + (f.fix() == null ? "" : "+fix")).toList());
    }
  }

  /** The project's own samples for these formats (samples/ beside language-server/). */
  @Test
  void samplesAreReadAsTheirFormat() throws IOException {
    Path samples = Path.of("..", "samples");
    assumeTrue(Files.isDirectory(samples.resolve("sagemaker")), "no samples/ beside " + Path.of("").toAbsolutePath());
    Run sagemaker = single(samples.resolve("sagemaker/bert-training-job-p3-mumbai.json"));
    assertThat(sagemaker.format()).isEqualTo("sagemaker");
    assertThat(sagemaker.accelerator().spec().id()).isEqualTo("V100-SXM2-16GB");
    assertThat(sagemaker.devices().count()).isEqualTo(8);
    assertThat(sagemaker.region().spec().key()).isEqualTo("aws:ap-south-1");
    assertThat(sagemaker.duration().hours()).isEqualTo(120.0);
    assertThat(sagemaker.schedule().epochs()).isEqualTo(20.0);
    assertThat(sagemaker.model().id()).isEqualTo("bert-base-uncased");

    Path azure = samples.resolve("azure-ml/resnet-command-job-nc24s-v3.yaml");
    List<ExtractedRun> azureRuns = CloudJobTesting.extractAll(azure.toString(), Files.readString(azure));
    assertThat(azureRuns).hasSize(1); // the cluster in the second document is read into the job
    Run job = azureRuns.get(0).run();
    assertThat(job.format()).isEqualTo("azure-ml");
    assertThat(job.accelerator().spec().id()).isEqualTo("V100-PCIE-16GB");
    assertThat(job.devices().count()).isEqualTo(8);
    assertThat(job.region().spec().key()).isEqualTo("azure:eastus");
    assertThat(job.precision().precision()).isEqualTo(dev.carbonlens.model.Precision.FP32);
    assertThat(job.precision().stated()).isTrue();
    assertThat(job.schedule().epochs()).isEqualTo(90.0);
    assertThat(job.duration().hours()).isEqualTo(72.0);

    Run vertex = single(samples.resolve("vertex-ai/t5-custom-job-v100.yaml"));
    assertThat(vertex.format()).isEqualTo("vertex-ai");
    assertThat(vertex.accelerator().spec().id()).isEqualTo("V100-SXM2-16GB");
    assertThat(vertex.devices().count()).isEqualTo(16); // 4 x 1 chief + 4 x 3 workers
    assertThat(vertex.region().spec().key()).isEqualTo("gcp:us-central1");
    assertThat(vertex.model().id()).isEqualTo("t5-large");
    assertThat(vertex.schedule().epochs()).isEqualTo(10.0);
    assertThat(vertex.duration().hours()).isEqualTo(48.0);
  }

  private static Run single(Path file) throws IOException {
    return CloudJobTesting.run(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  static String describe(Run r) {
    List<String> parts = new ArrayList<>();
    parts.add(r.format() + "/" + r.stage().label());
    if (r.accelerator() != null) {
      parts.add("accelerator " + r.accelerator().spec().id() + " [" + r.accelerator().written() + "]");
    }
    if (r.devices() != null) {
      parts.add(r.devices().count() + " devices (" + r.devices().derivation() + ")");
    }
    if (r.cloud() != null) {
      parts.add("cloud " + r.cloud().provider());
    }
    if (r.region() != null) {
      parts.add("region " + r.region().spec().key() + " [" + r.region().written() + "]");
    }
    if (r.model() != null) {
      parts.add("model " + r.model().id() + " (" + r.model().billionParameters() + " B)");
    }
    if (r.precision() != null) {
      parts.add("precision " + r.precision().precision());
    }
    if (r.schedule() != null) {
      parts.add("epochs " + r.schedule().epochs() + (r.schedule().maxSteps() == null ? "" : " max_steps "
          + r.schedule().maxSteps()));
    }
    if (r.workload() != null && r.workload().perDeviceBatch() != null) {
      parts.add("batch " + r.workload().perDeviceBatch());
    }
    if (r.duration() != null) {
      parts.add("limit " + r.duration().hours() + " h");
    }
    if (r.sweep() != null) {
      parts.add("sweep " + r.sweep().method() + " combinations " + r.sweep().combinations() + " trials "
          + r.sweep().trials() + (r.sweep().earlyTermination() ? " early-termination" : ""));
    }
    if (r.serving() != null) {
      parts.add("serving replicas " + r.serving().replicas());
    }
    if (r.recurrence() != null) {
      parts.add("recurrence " + r.recurrence().expression() + " = " + r.recurrence().runsPerDay() + "/day");
    }
    return String.join("; ", parts);
  }
}
