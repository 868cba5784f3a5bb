package dev.carbonlens.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carbonlens.document.DocNode;
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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shared corpus against the Kubernetes and serving extractors: each recognises its own folder's files
 * and nothing else, and reads every one of them into runs.
 */
class KubernetesServingCorpusTest {
  private static final ReferenceData REF = ReferenceData.builtIn();
  private static final KubernetesExtractor KUBERNETES = new KubernetesExtractor();
  private static final ServingExtractor SERVING = new ServingExtractor();

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

  private static ParsedDocument parse(Path file) throws IOException {
    return DocumentParser.parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  private static List<MappingNode> roots(ParsedDocument doc) {
    List<MappingNode> out = new ArrayList<>();
    for (DocNode root : doc.roots()) {
      if (root instanceof MappingNode m) {
        out.add(m);
      }
    }
    return out;
  }

  @Test
  void eachExtractorRecognisesExactlyItsOwnFolder() throws IOException {
    Path corpus = corpus();
    assumeTrue(corpus != null, "shared/corpus not found above " + Path.of("").toAbsolutePath());
    List<String> wrong = new ArrayList<>();
    int files = 0;
    for (Path file : files(corpus)) {
      String folder = corpus.relativize(file).getName(0).toString();
      String name = corpus.relativize(file).toString();
      List<MappingNode> roots = roots(parse(file));
      boolean kubernetes = roots.stream().anyMatch(r -> KUBERNETES.recognises(file.getFileName().toString(), r));
      boolean serving = roots.stream().anyMatch(r -> SERVING.recognises(file.getFileName().toString(), r));
      if (kubernetes != folder.equals("kubernetes")) {
        wrong.add("kubernetes " + (kubernetes ? "recognises " : "misses ") + name);
      }
      if (serving != folder.equals("serving")) {
        wrong.add("serving " + (serving ? "recognises " : "misses ") + name);
      }
      // never both for one document: the registry's order does not matter between these two
      for (MappingNode r : roots) {
        if (KUBERNETES.recognises(name, r) && SERVING.recognises(name, r)) {
          wrong.add("both recognise a document of " + name);
        }
      }
      files++;
    }
    assertThat(wrong).isEmpty();
    assertThat(files).isGreaterThanOrEqualTo(60);
  }

  @Test
  void everyFileOfTheFoldersExtractsIntoRuns() throws IOException {
    Path corpus = corpus();
    assumeTrue(corpus != null, "shared/corpus not found above " + Path.of("").toAbsolutePath());
    int known = 0;
    int total = 0;
    StringBuilder table = new StringBuilder();
    for (String folder : List.of("kubernetes", "serving")) {
      Path dir = corpus.resolve(folder);
      assumeTrue(Files.isDirectory(dir), "no corpus folder " + dir);
      ConfigExtractor extractor = folder.equals("kubernetes") ? KUBERNETES : SERVING;
      for (Path file : files(dir)) {
        String name = file.getFileName().toString();
        ParsedDocument doc = parse(file);
        assertThat(doc.problems()).as(name).isEmpty();
        ExtractionContext context = new ExtractionContext(name, doc, REF);
        List<ExtractedRun> runs = new ArrayList<>();
        for (int i = 0; i < doc.roots().size(); i++) {
          if (doc.roots().get(i) instanceof MappingNode root && extractor.recognises(name, root)) {
            int index = i;
            assertThatCode(() -> runs.addAll(extractor.extract(context, root, index))).as(name)
                .doesNotThrowAnyException();
          }
        }
        assertThat(runs).as(name).isNotEmpty();
        assertThat(runs).allSatisfy(r -> assertThat(r.run().format()).isEqualTo(extractor.format()));
        total++;
        Run run = runs.get(0).run();
        boolean any = run.accelerator() != null || (run.model() != null && run.model().billionParameters() != null);
        known += any ? 1 : 0;
        table.append(String.format("%-11s %-95s acc=%-16s model=%-45s prec=%-18s dev=%s%n", folder,
            name.length() > 95 ? name.substring(0, 95) : name,
            run.accelerator() == null ? "-" : run.accelerator().spec().id(),
            run.model() == null ? "-" : run.model().id() + " (" + run.model().billionParameters() + "B)",
            run.precision() == null ? "-" : run.precision().precision() + (run.precision().stated() ? "" : " (default)"),
            run.devices() == null ? "-" : run.devices().count() + " = " + run.devices().derivation()));
      }
    }
    System.out.print(table);
    System.out.println("accelerator or model known: " + known + " of " + total);
    assertThat(total).isEqualTo(11);
    assertThat(known).isGreaterThanOrEqualTo(9);
  }

  @Test
  void samplesAreReadAsTheirFormats() throws IOException {
    Path samples = Path.of("").toAbsolutePath().resolveSibling("samples");
    assumeTrue(Files.isDirectory(samples.resolve("kubernetes")), "no samples/ beside " + Path.of("").toAbsolutePath());
    Path job = samples.resolve("kubernetes/pytorchjob-a100-asia-south1.yaml");
    ParsedDocument doc = parse(job);
    MappingNode root = roots(doc).get(0);
    assertThat(KUBERNETES.recognises("x", root)).isTrue();
    Run run = KUBERNETES.extract(new ExtractionContext("job.yaml", doc, REF), root, 0).get(0).run();
    assertThat(run.accelerator().spec().id()).isEqualTo("A100-SXM4-40GB");
    assertThat(run.region().spec().key()).isEqualTo("gcp:asia-south1");
    assertThat(run.devices().count()).isEqualTo(32);
    assertThat(run.schedule().epochs()).isEqualTo(40.0);
    assertThat(run.precision()).isNull();

    Path vllm = samples.resolve("serving/vllm-llama3-70b-fp32.yaml");
    doc = parse(vllm);
    root = roots(doc).get(0);
    assertThat(SERVING.recognises("x", root)).isTrue();
    run = SERVING.extract(new ExtractionContext("vllm.yaml", doc, REF), root, 0).get(0).run();
    assertThat(run.precision().precision()).isEqualTo(dev.carbonlens.model.Precision.FP32);
    assertThat(run.devices().count()).isEqualTo(8);
    assertThat(run.model().billionParameters()).isEqualTo(70.55);
  }
}
