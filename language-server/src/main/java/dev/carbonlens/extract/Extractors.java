package dev.carbonlens.extract;

import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.limits.Budget;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The known formats, tried in order of how specific their markers are. */
public final class Extractors {
  private final List<ConfigExtractor> extractors;

  public Extractors(List<ConfigExtractor> extractors) {
    this.extractors = List.copyOf(extractors);
  }

  public static Extractors builtIn() {
    // Most specific markers first: manifests and schemas, then formats whose keys overlap with
    // TrainingArguments or with Lightning's `trainer:` (each one's corpus test checks it claims only its own files).
    return new Extractors(List.of(
        new ServingExtractor(), new KubernetesExtractor(),
        new SageMakerExtractor(), new VertexExtractor(), new AzureMlExtractor(),
        new WandbSweepExtractor(), new DeepSpeedExtractor(), new AccelerateExtractor(), new HydraExtractor(),
        new SkyPilotExtractor(), new LightningExtractor(),
        new AxolotlExtractor(), new LlamaFactoryExtractor(), new TorchtuneExtractor(),
        new HuggingFaceExtractor()));
  }

  public Optional<ConfigExtractor> detect(String fileName, MappingNode root) {
    Budget budget = Budget.current();
    for (ConfigExtractor e : extractors) {
      budget.check(); // recognising scans the keys: on a 100,000-key mapping, tens of ms per format
      if (e.recognises(fileName, root)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * Every run in every document of the file; documents no format recognises contribute none. An extractor
   * that fails on one document is reported on stderr and the file's other documents still count: one
   * bug in one format must not hide the findings of the rest.
   */
  public List<ExtractedRun> extract(String file, ParsedDocument document, ReferenceData reference) {
    ExtractionContext context = new ExtractionContext(file, document, reference);
    List<ExtractedRun> runs = new ArrayList<>();
    List<DocNode> roots = document.roots();
    for (int i = 0; i < roots.size(); i++) {
      if (roots.get(i) instanceof MappingNode root) {
        int index = i;
        Budget.current().check();
        detect(file, root).ifPresent(e -> {
          try {
            runs.addAll(e.extract(context, root, index));
          } catch (RuntimeException | StackOverflowError failure) {
            Budget.rethrowIfStop(failure);
            System.err.println("carbonlens: the " + e.format() + " extractor failed on " + file + " (document "
                + (index + 1) + "): " + failure);
          }
        });
      }
    }
    return runs;
  }
}
