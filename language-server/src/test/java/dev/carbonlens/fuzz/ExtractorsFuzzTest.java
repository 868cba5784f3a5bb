package dev.carbonlens.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carbonlens.document.DocNode;
import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.extract.ConfigExtractor;
import dev.carbonlens.extract.ExtractedRun;
import dev.carbonlens.extract.ExtractionContext;
import dev.carbonlens.extract.Extractors;
import dev.carbonlens.extract.Fix;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.Run;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every config extractor, each called directly on every document root it recognises in a fuzzed YAML or
 * JSON file: {@link Extractors#extract} would swallow a failure (one format's bug must not hide the
 * rest), so a bug here fails as that extractor's own. Each run's ranges lie within the text, and every
 * quick fix the run's writer makes for any kind of proposed change is a set of in-text, non-overlapping
 * edits.
 */
class ExtractorsFuzzTest {
  private static final List<ConfigExtractor> EXTRACTORS = builtInExtractors();
  private static final List<ProposedChange> CHANGES = everyKindOfChange();

  @FuzzTest
  void extractEachFormat(byte[] data) {
    String text = FuzzInputs.text(data);
    String file = FuzzInputs.configFileName(text);
    ParsedDocument document = DocumentParser.parse(file, text);
    ExtractionContext context = new ExtractionContext(file, document, FuzzInputs.REFERENCE);
    TextBounds bounds = new TextBounds(text);
    List<DocNode> roots = document.roots();
    for (int i = 0; i < roots.size(); i++) {
      if (roots.get(i) instanceof MappingNode root) {
        for (ConfigExtractor extractor : EXTRACTORS) {
          if (extractor.recognises(file, root)) {
            checkRuns(extractor, extract(extractor, context, root, i), bounds, i);
          }
        }
      }
    }
  }

  /** The extractors come from Extractors.builtIn() itself, so that a format added there is fuzzed too. */
  @Test
  void fuzzesEveryBuiltInFormat() {
    assertThat(EXTRACTORS).extracting(ConfigExtractor::format).containsExactly("serving", "kubernetes", "sagemaker",
        "vertex-ai", "azure-ml", "wandb-sweep", "deepspeed", "accelerate", "hydra", "skypilot", "lightning", "axolotl",
        "llama-factory", "torchtune", "huggingface");
  }

  private static List<ExtractedRun> extract(ConfigExtractor extractor, ExtractionContext context, MappingNode root,
      int index) {
    try {
      List<ExtractedRun> runs = extractor.extract(context, root, index);
      if (runs == null) {
        throw new AssertionError("the " + extractor.format() + " extractor returned null");
      }
      return runs;
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("the " + extractor.format() + " extractor failed on document " + index, e);
    }
  }

  private static void checkRuns(ConfigExtractor extractor, List<ExtractedRun> runs, TextBounds bounds, int index) {
    String what = extractor.format() + " document " + index;
    for (ExtractedRun extracted : runs) {
      Run run = extracted.run();
      if (!extractor.format().equals(run.format())) {
        throw new AssertionError(what + ": a run of format " + run.format());
      }
      bounds.checkAllRanges(run, what);
      for (ProposedChange change : CHANGES) {
        Optional<Fix> fix;
        try {
          fix = extracted.fixes().fixFor(change);
        } catch (RuntimeException e) {
          throw new AssertionError(what + ": the fix writer failed on " + change, e);
        }
        fix.ifPresent(f -> bounds.checkEdits(f.edits(), what + " fix '" + f.title() + "'"));
      }
    }
  }

  /** Extractors.builtIn() keeps its list private; reading it keeps this target in step with it. */
  @SuppressWarnings("unchecked")
  private static List<ConfigExtractor> builtInExtractors() {
    try {
      Field field = Extractors.class.getDeclaredField("extractors");
      field.setAccessible(true);
      return List.copyOf((List<ConfigExtractor>) field.get(Extractors.builtIn()));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Extractors no longer keeps a list named extractors", e);
    }
  }

  /** One change of every kind a rule can propose, with values the reference tables know. */
  private static List<ProposedChange> everyKindOfChange() {
    var reference = FuzzInputs.REFERENCE;
    List<ProposedChange> changes = new ArrayList<>();
    for (Precision p : Precision.values()) {
      changes.add(new ProposedChange.UsePrecision(p));
    }
    changes.add(new ProposedChange.MoveToRegion(reference.region("gcp", "europe-west1").orElseThrow()));
    changes.add(new ProposedChange.UseAccelerator(reference.accelerator("H100-SXM").orElseThrow()));
    changes.add(new ProposedChange.AddEarlyStopping());
    changes.add(new ProposedChange.EvaluateEvery(500));
    changes.add(new ProposedChange.KeepCheckpoints(2));
    for (Field f : Options.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        changes.add(new ProposedChange.SetOption(optionName(f), "true", "Set " + optionName(f)));
      }
    }
    changes.add(new ProposedChange.UseLora(16));
    changes.add(new ProposedChange.UseLoraRank(8));
    changes.add(new ProposedChange.UseModel("Qwen/Qwen2.5-0.5B", 0.5));
    changes.add(new ProposedChange.TrainComputeOptimal(1.0, 2e10));
    changes.add(new ProposedChange.SearchRandomly(20));
    changes.add(new ProposedChange.AddEarlyTermination());
    changes.add(new ProposedChange.ServeWeightsAs("bfloat16", null));
    changes.add(new ProposedChange.ServeWeightsAs(null, "awq"));
    changes.add(new ProposedChange.BatchRequests(32));
    changes.add(new ProposedChange.UseDevices(1));
    changes.add(new ProposedChange.RunTimesADay(1, "0 3 * * *"));
    return List.copyOf(changes);
  }

  private static String optionName(Field f) {
    try {
      return (String) f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
