package dev.carbonlens.extract;

import static dev.carbonlens.extract.ConfigFormatsTesting.extractWith;
import static dev.carbonlens.extract.ConfigFormatsTesting.recognisesAnyRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.model.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shared corpus against the DeepSpeed, Accelerate, W&B sweep and Hydra extractors: each
 * recognises exactly the files of its own folder and none of any other folder, and reads every
 * file of its folder into a run.
 */
class ConfigFormatsCorpusTest {
  /** Corpus folder → the extractor that must claim its files (and only its files). */
  private static final Map<String, ConfigExtractor> OWNER = new LinkedHashMap<>();

  static {
    OWNER.put("deepspeed", new DeepSpeedExtractor());
    OWNER.put("accelerate", new AccelerateExtractor());
    OWNER.put("wandb_sweep", new WandbSweepExtractor());
    OWNER.put("hydra", new HydraExtractor());
  }

  private static Path corpusOrSkip() {
    Path corpus = CorpusExtractionTest.corpus();
    assumeTrue(corpus != null, "shared/corpus not found above " + Path.of("").toAbsolutePath());
    return corpus;
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

  @Test
  void eachExtractorRecognisesExactlyItsOwnFolder() throws IOException {
    Path corpus = corpusOrSkip();
    List<Path> all = files(corpus);
    assertThat(all).isNotEmpty();
    List<String> wrong = new ArrayList<>();
    int ownFiles = 0;
    for (Path file : all) {
      String folder = folderOf(corpus, file);
      String name = file.getFileName().toString();
      String text = Files.readString(file, StandardCharsets.UTF_8);
      for (var owner : OWNER.entrySet()) {
        boolean expected = owner.getKey().equals(folder);
        boolean[] actual = new boolean[1];
        assertThatCode(() -> actual[0] = recognisesAnyRoot(owner.getValue(), name, text))
            .as(owner.getValue().format() + " on " + folder + "/" + name).doesNotThrowAnyException();
        if (actual[0] != expected) {
          wrong.add(owner.getValue().format() + (expected ? " misses " : " claims ") + folder + "/" + name);
        }
        if (expected) {
          ownFiles++;
        }
      }
    }
    assertThat(wrong).as("detection errors").isEmpty();
    assertThat(ownFiles).isEqualTo(20);
  }

  @Test
  void hydraRegisteredBeforeLightningTakesHydraFilesAndNoLightningFile() throws IOException {
    Path corpus = corpusOrSkip();
    Extractors ordered = new Extractors(List.of(new HydraExtractor(), new LightningExtractor()));
    for (String folder : List.of("hydra", "lightning")) {
      Path dir = corpus.resolve(folder);
      assumeTrue(Files.isDirectory(dir), "no corpus folder " + dir);
      for (Path file : files(dir)) {
        String name = file.getFileName().toString();
        ParsedDocument doc = DocumentParser.parse(name, Files.readString(file, StandardCharsets.UTF_8));
        List<String> formats = doc.roots().stream().filter(MappingNode.class::isInstance)
            .map(r -> ordered.detect(name, (MappingNode) r).map(ConfigExtractor::format).orElse("none")).toList();
        String expected = folder.equals("hydra") ? "hydra" : "lightning";
        assertThat(formats).as(folder + "/" + name).isNotEmpty().containsOnly(expected);
      }
    }
  }

  /**
   * The order these extractors need among the existing ones: DeepSpeed before HuggingFace, Hydra
   * before Lightning (the others have no overlap). With it, every file of the seven folders goes to
   * its own format.
   */
  @Test
  void registrationOrderWithTheExistingExtractors() throws IOException {
    Path corpus = corpusOrSkip();
    Extractors ordered = new Extractors(List.of(new DeepSpeedExtractor(), new AccelerateExtractor(),
        new WandbSweepExtractor(), new HydraExtractor(), new SkyPilotExtractor(), new LightningExtractor(),
        new HuggingFaceExtractor()));
    Map<String, String> formatOf = Map.of("deepspeed", "deepspeed", "accelerate", "accelerate",
        "wandb_sweep", "wandb-sweep", "hydra", "hydra", "skypilot", "skypilot", "lightning", "lightning",
        "hf_training_args", "huggingface");
    List<String> wrong = new ArrayList<>();
    for (var folder : formatOf.entrySet()) {
      Path dir = corpus.resolve(folder.getKey());
      assumeTrue(Files.isDirectory(dir), "no corpus folder " + dir);
      for (Path file : files(dir)) {
        String name = file.getFileName().toString();
        ParsedDocument doc = DocumentParser.parse(name, Files.readString(file, StandardCharsets.UTF_8));
        List<ExtractedRun> runs = ordered.extract(name, doc, ExtractTesting.REF);
        if (runs.isEmpty() || runs.stream().anyMatch(r -> !r.run().format().equals(folder.getValue()))) {
          wrong.add(folder.getKey() + "/" + name + " -> "
              + runs.stream().map(r -> r.run().format()).toList());
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void everyFileOfTheFoldersIsReadIntoARun() throws IOException {
    Path corpus = corpusOrSkip();
    int files = 0;
    int known = 0;
    StringBuilder report = new StringBuilder();
    for (var owner : OWNER.entrySet()) {
      Path dir = corpus.resolve(owner.getKey());
      assumeTrue(Files.isDirectory(dir), "no corpus folder " + dir);
      for (Path file : files(dir)) {
        String name = file.getFileName().toString();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<ExtractedRun> runs = new ArrayList<>();
        assertThatCode(() -> runs.addAll(extractWith(owner.getValue(), name, text))).as(name)
            .doesNotThrowAnyException();
        assertThat(runs).as(owner.getKey() + "/" + name).isNotEmpty()
            .allSatisfy(r -> assertThat(r.run().format()).isEqualTo(owner.getValue().format()));
        files++;
        Run run = runs.get(0).run();
        boolean hasKnown = run.accelerator() != null || (run.model() != null && run.model().billionParameters() != null);
        if (hasKnown) {
          known++;
        }
        report.append(owner.getKey()).append('/').append(name).append('\n').append("    ").append(summary(run))
            .append('\n');
      }
    }
    System.out.println("[config formats corpus] " + files + " files, " + known
        + " with an accelerator or a sized model\n" + report);
    assertThat(files).isEqualTo(20);
    // Only the Vertex NeMo recipe states enough (its architecture) for a model size; the other
    // DeepSpeed/Accelerate/sweep/Hydra files name neither a GPU type nor a model.
    assertThat(known).isGreaterThanOrEqualTo(1);
  }

  /** The project's own samples of these formats (samples/ beside the modules). */
  @Test
  void samplesAreReadAsTheirFormats() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("samples").resolve("deepspeed"))) {
      dir = dir.getParent();
    }
    assumeTrue(dir != null, "samples/ not found above " + Path.of("").toAbsolutePath());
    Path samples = dir.resolve("samples");

    String ds = Files.readString(samples.resolve("deepspeed/zero2-fp32-default.json"), StandardCharsets.UTF_8);
    Run deepspeed = ConfigFormatsTesting.runWith(new DeepSpeedExtractor(), "zero2-fp32-default.json", ds);
    // no fp16/bf16 section: DeepSpeed's fp32 default, not stated, at the first key
    assertThat(deepspeed.precision().precision()).isEqualTo(dev.carbonlens.model.Precision.FP32);
    assertThat(deepspeed.precision().stated()).isFalse();
    assertThat(deepspeed.precision().range()).isEqualTo(deepspeed.range());
    assertThat(deepspeed.deviceCount()).isEqualTo(8); // 512 / (16 x 4)

    String sweepText = Files.readString(samples.resolve("wandb-sweep/bert-glue-grid.yaml"), StandardCharsets.UTF_8);
    Run sweep = ConfigFormatsTesting.runWith(new WandbSweepExtractor(), "bert-glue-grid.yaml", sweepText);
    // 4 epochs x 5 learning rates x 3 batch sizes x 3 warmups x 2 weight decays
    assertThat(sweep.sweep().method()).isEqualTo("grid");
    assertThat(sweep.sweep().combinations()).isEqualTo(360L);
    assertThat(sweep.sweep().plannedTrials()).isEqualTo(360L);
    assertThat(sweep.sweep().earlyTermination()).isFalse();
    assertThat(sweep.model().billionParameters()).isNotNull();

    Run accelerate = ConfigFormatsTesting.runWith(new AccelerateExtractor(), "fsdp-2x8.yaml",
        Files.readString(samples.resolve("accelerate/fsdp-2x8.yaml"), StandardCharsets.UTF_8));
    assertThat(accelerate.deviceCount()).isEqualTo(16);
    assertThat(accelerate.precision().precision()).isEqualTo(dev.carbonlens.model.Precision.FP32);
    assertThat(accelerate.precision().stated()).isTrue();

    Run hydra = ConfigFormatsTesting.runWith(new HydraExtractor(), "nemo-gpt-pretrain.yaml",
        Files.readString(samples.resolve("hydra/nemo-gpt-pretrain.yaml"), StandardCharsets.UTF_8));
    assertThat(hydra.deviceCount()).isEqualTo(16);
    assertThat(hydra.precision().precision()).isEqualTo(dev.carbonlens.model.Precision.FP16);
    assertThat(hydra.checkpointing().everySteps()).isEqualTo(500L);
    assertThat(hydra.checkpointing().keepLast()).isNull();
    assertThat(hydra.workload().sequenceLength()).isEqualTo(2048);
  }

  static String summary(Run r) {
    List<String> parts = new ArrayList<>();
    parts.add("stage=" + r.stage().label());
    Optional.ofNullable(r.accelerator()).ifPresent(a -> parts.add("accelerator=" + a.spec().id()));
    Optional.ofNullable(r.devices()).ifPresent(d -> parts.add("devices=" + d.count() + " [" + d.derivation() + "]"));
    Optional.ofNullable(r.cloud()).ifPresent(c -> parts.add("cloud=" + c.provider()));
    Optional.ofNullable(r.region()).ifPresent(c -> parts.add("region=" + c.spec().key()));
    Optional.ofNullable(r.precision()).ifPresent(p -> parts.add("precision=" + p.precision().label()
        + (p.stated() ? "" : "(default)")));
    Optional.ofNullable(r.model()).ifPresent(m -> parts.add("model=" + m.id() + " (" + m.billionParameters() + "B)"));
    Optional.ofNullable(r.schedule()).ifPresent(s -> parts.add("schedule=" + s.epochs() + " epochs"
        + (s.epochsStated() ? "" : "(default)") + (s.maxSteps() == null ? "" : ", max_steps " + s.maxSteps())
        + (s.earlyStopping() ? ", early stopping" : "")));
    Optional.ofNullable(r.evaluation()).ifPresent(e -> parts.add("eval=" + e.strategy()
        + (e.everySteps() == null ? "" : "/" + e.everySteps())));
    Optional.ofNullable(r.checkpointing()).ifPresent(c -> parts.add("ckpt=" + c.strategy()
        + (c.everySteps() == null ? "" : "/" + c.everySteps()) + " keep " + c.keepLast()));
    var w = r.workload();
    if (!w.equals(dev.carbonlens.model.Workload.UNKNOWN)) {
      parts.add("workload=[micro " + w.perDeviceBatch() + ", accum " + w.gradientAccumulation() + ", global "
          + w.globalBatch() + ", seq " + w.sequenceLength() + ", samples " + w.trainSamples() + "]");
    }
    Optional.ofNullable(r.fineTuning()).ifPresent(f -> parts.add("fine-tuning=" + f.method()));
    Optional.ofNullable(r.logging()).ifPresent(l -> parts.add("logging=" + l.everySteps()));
    Optional.ofNullable(r.sweep()).ifPresent(s -> parts.add("sweep=" + s.method() + ", combinations "
        + s.combinations() + ", trials " + s.trials() + (s.earlyTermination() ? ", early termination" : "")));
    return String.join("; ", parts);
  }
}
