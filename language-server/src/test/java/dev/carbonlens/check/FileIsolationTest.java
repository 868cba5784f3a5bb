package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.code.SourceAnalyser;
import dev.carbonlens.code.SourceAnalysers;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.estimate.Estimator;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.extract.Extractors;
import dev.carbonlens.reference.ReferenceData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bug met while analysing one file is that file's error; the other files are still checked. */
class FileIsolationTest {

  @Test
  void aFileWhoseAnalysisFailsIsListedAndTheRestAreChecked(@TempDir Path dir) throws Exception {
    ReferenceData reference = ReferenceData.builtIn();
    SourceAnalyser failing = new SourceAnalyser() {
      @Override
      public boolean handles(String fileName) {
        return fileName.endsWith(".py");
      }

      @Override
      public Result analyse(String fileName, String text, ReferenceData ref) {
        throw new IllegalStateException("a bug");
      }
    };
    Analyzer analyzer = new Analyzer(reference, Extractors.builtIn(), new SourceAnalysers(List.of(failing)),
        RuleEngine.builtIn(), new Estimator(reference, EstimatorSettings.defaults()));
    Path script = dir.resolve("train.py");
    Files.writeString(script, "import torch\n");
    Path job = dir.resolve("k80.yaml");
    Files.writeString(job, "resources:\n  accelerators: K80:4\nrun: python train.py\n");
    CheckResult result = CheckInputs.check(i -> analyzer,
        List.of(new SourceFiles.SourceFile(script, "train.py"), new SourceFiles.SourceFile(job, "k80.yaml")), 2,
        Progress.NONE);
    assertThat(result.unreadable()).singleElement().satisfies(u -> {
      assertThat(u.file()).isEqualTo("train.py");
      assertThat(u.message()).startsWith("could not be analysed (a CarbonLens bug: java.lang.IllegalStateException: a bug");
    });
    assertThat(result.files()).singleElement().satisfies(f -> assertThat(f.findings()).isNotEmpty());
    assertThat(result.failsAt(dev.carbonlens.model.Severity.ERROR)).as("it counts as an error").isTrue();
  }
}
