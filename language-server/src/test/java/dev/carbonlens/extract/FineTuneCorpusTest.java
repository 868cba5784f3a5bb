package dev.carbonlens.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.model.Run;
import dev.carbonlens.reference.ReferenceData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shared corpus against the Axolotl, LLaMA-Factory and torchtune extractors: each recognises
 * exactly the files of its folder (none of hf_training_args/, whose keys they share), and every
 * file there is read into a run.
 */
class FineTuneCorpusTest {
  private static final Map<String, ConfigExtractor> EXTRACTOR_OF_FOLDER = new LinkedHashMap<>();

  static {
    EXTRACTOR_OF_FOLDER.put("axolotl", new AxolotlExtractor());
    EXTRACTOR_OF_FOLDER.put("llama_factory", new LlamaFactoryExtractor());
    EXTRACTOR_OF_FOLDER.put("torchtune", new TorchtuneExtractor());
  }

  private static Path corpusOrSkip() {
    Path corpus = FineTuneTesting.corpus();
    assumeTrue(corpus != null, "shared/corpus not found above " + Path.of("").toAbsolutePath());
    return corpus;
  }

  private static String folderOf(Path corpus, Path file) {
    return corpus.relativize(file).getName(0).toString();
  }

  @Test
  void eachExtractorRecognisesExactlyItsFolder() throws IOException {
    Path corpus = corpusOrSkip();
    List<String> wrong = new ArrayList<>();
    Map<String, Integer> recognised = new LinkedHashMap<>();
    int files = 0;
    for (Path file : FineTuneTesting.corpusFiles(corpus)) {
      String name = file.getFileName().toString();
      String folder = folderOf(corpus, file);
      ParsedDocument doc = DocumentParser.parse(name, Files.readString(file, StandardCharsets.UTF_8));
      List<MappingNode> roots = FineTuneTesting.rootMappings(doc);
      files++;
      for (Map.Entry<String, ConfigExtractor> e : EXTRACTOR_OF_FOLDER.entrySet()) {
        boolean mine = folder.equals(e.getKey());
        boolean any = roots.stream().anyMatch(r -> e.getValue().recognises(name, r));
        if (any != mine) {
          wrong.add(e.getValue().format() + (any ? " claims " : " misses ") + folder + "/" + name);
        }
        if (any) {
          recognised.merge(e.getKey(), 1, Integer::sum);
        }
      }
    }
    assertThat(wrong).as("detection errors over " + files + " corpus files").isEmpty();
    assertThat(recognised).containsEntry("axolotl", 5).containsEntry("llama_factory", 5).containsEntry("torchtune", 5);
  }

  @Test
  void everyFileOfTheFoldersIsReadIntoARun() throws IOException {
    Path corpus = corpusOrSkip();
    Extractors registry = FineTuneTesting.registry();
    List<String> summary = new ArrayList<>();
    int known = 0;
    int total = 0;
    for (Map.Entry<String, ConfigExtractor> e : EXTRACTOR_OF_FOLDER.entrySet()) {
      Path dir = corpus.resolve(e.getKey());
      assumeTrue(Files.isDirectory(dir), "no corpus folder " + dir);
      for (Path file : FineTuneTesting.corpusFiles(dir)) {
        String name = file.getFileName().toString();
        ParsedDocument doc = DocumentParser.parse(name, Files.readString(file, StandardCharsets.UTF_8));
        assertThat(doc.problems()).as(name).isEmpty();
        List<ExtractedRun> runs = new ArrayList<>();
        assertThatCode(() -> runs.addAll(registry.extract(name, doc, ReferenceData.builtIn())))
            .as(name).doesNotThrowAnyException();
        assertThat(runs).as(name).isNotEmpty()
            .allSatisfy(r -> assertThat(r.run().format()).isEqualTo(e.getValue().format()));
        Run run = runs.get(0).run();
        total++;
        if (knowsHardwareOrModel(run)) {
          known++;
        }
        summary.add(describe(e.getKey() + "/" + name, run));
      }
    }
    summary.forEach(System.out::println);
    System.out.println("accelerator or model size known: " + known + " of " + total);
    assertThat(total).isEqualTo(15);
    assertThat(known).isEqualTo(15);
  }

  /** Across the whole corpus with the registry as it will be: how many runs know their hardware or model size. */
  @Test
  void wholeCorpusCoverage() throws IOException {
    Path corpus = corpusOrSkip();
    Extractors registry = FineTuneTesting.registry();
    int known = 0;
    int files = 0;
    for (Path file : FineTuneTesting.corpusFiles(corpus)) {
      String name = file.getFileName().toString();
      ParsedDocument doc = DocumentParser.parse(name, Files.readString(file, StandardCharsets.UTF_8));
      files++;
      List<ExtractedRun> runs = registry.extract(name, doc, ReferenceData.builtIn());
      if (runs.stream().anyMatch(r -> knowsHardwareOrModel(r.run()))) {
        known++;
      }
    }
    System.out.println("whole corpus (SkyPilot, Lightning, Axolotl, LLaMA-Factory, torchtune, HuggingFace): "
        + known + " of " + files + " files with an accelerator or a model size known");
    assertThat(files).isEqualTo(69);
    assertThat(known).isGreaterThanOrEqualTo(15);
  }

  /** The project's samples of the three formats (samples/axolotl, samples/llama-factory, samples/torchtune). */
  @Test
  void samplesAreReadAsTheirFormat() throws IOException {
    Path samples = Path.of("..", "samples");
    assumeTrue(Files.isDirectory(samples), "no samples folder at " + samples.toAbsolutePath());
    Extractors registry = FineTuneTesting.registry();
    for (String format : List.of("axolotl", "llama-factory", "torchtune")) {
      List<Path> files = FineTuneTesting.corpusFiles(samples.resolve(format));
      assertThat(files).as(format).isNotEmpty();
      for (Path file : files) {
        String name = file.getFileName().toString();
        ParsedDocument doc = DocumentParser.parse(name, Files.readString(file, StandardCharsets.UTF_8));
        assertThat(doc.problems()).as(name).isEmpty();
        List<ExtractedRun> runs = registry.extract(name, doc, ReferenceData.builtIn());
        assertThat(runs).as(name).hasSize(1);
        Run run = runs.get(0).run();
        System.out.println(describe("samples/" + format + "/" + name, run));
        assertThat(run.format()).isEqualTo(format);
        assertThat(knowsHardwareOrModel(run)).as(name).isTrue();
        assertThat(run.precision().precision()).as(name).isEqualTo(dev.carbonlens.model.Precision.FP32);
      }
    }
  }

  static boolean knowsHardwareOrModel(Run run) {
    return run.accelerator() != null || (run.model() != null && run.model().billionParameters() != null);
  }

  static String describe(String file, Run run) {
    StringBuilder b = new StringBuilder(file).append(": ").append(run.format()).append(' ').append(run.stage().label());
    if (run.model() != null) {
      b.append(", model ").append(run.model().id()).append(" (").append(run.model().billionParameters())
          .append("B active/").append(run.model().totalBillionParameters()).append("B)");
    }
    if (run.fineTuning() != null) {
      b.append(", ").append(run.fineTuning().method())
          .append(run.fineTuning().loraRank() == null ? "" : " r=" + run.fineTuning().loraRank());
    }
    if (run.precision() != null) {
      b.append(", ").append(run.precision().precision().label()).append(run.precision().stated() ? "" : " (default)");
    }
    if (run.accelerator() != null) {
      b.append(", ").append(run.accelerator().spec().id());
    }
    if (run.devices() != null) {
      b.append(" x").append(run.devices().count());
    }
    if (run.duration() != null) {
      b.append(", ").append(run.duration().hours()).append(" h");
    }
    if (run.schedule() != null) {
      b.append(", epochs ").append(run.schedule().epochs()).append(run.schedule().epochsStated() ? "" : " (default)");
      if (run.schedule().maxSteps() != null) {
        b.append(", max steps ").append(run.schedule().maxSteps());
      }
    }
    if (run.evaluation() != null) {
      b.append(", eval ").append(run.evaluation().strategy())
          .append(run.evaluation().everySteps() == null ? "" : " " + run.evaluation().everySteps());
    }
    if (run.checkpointing() != null) {
      b.append(", save ").append(run.checkpointing().strategy())
          .append(run.checkpointing().everySteps() == null ? "" : " " + run.checkpointing().everySteps())
          .append(" keep ").append(run.checkpointing().keepLast());
    }
    var w = run.workload();
    b.append(", batch ").append(w.perDeviceBatch()).append(" x GA ").append(w.gradientAccumulation())
        .append(", seq ").append(w.sequenceLength()).append(", samples ").append(w.trainSamples());
    return b.toString();
  }
}
