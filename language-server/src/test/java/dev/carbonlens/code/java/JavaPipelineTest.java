package dev.carbonlens.code.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.code.SourceAnalyser;
import dev.carbonlens.code.SourceAnalysers;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.estimate.Estimator;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.extract.Extractors;
import dev.carbonlens.extract.Fix;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.reference.ReferenceData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The analyser inside the full pipeline (rules, estimates, fixes), and the project's Java samples. */
class JavaPipelineTest {
  private static Analyzer analyzer;

  @BeforeAll
  static void setUp() {
    ReferenceData reference = ReferenceData.builtIn();
    analyzer = new Analyzer(reference, Extractors.builtIn(), new SourceAnalysers(List.of(new JavaAnalyser())),
        RuleEngine.builtIn(), new Estimator(reference, EstimatorSettings.defaults()));
  }

  private static Path samples() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("samples").resolve("code"))) {
      dir = dir.getParent();
    }
    assumeTrue(dir != null, "samples/code not found above " + Path.of("").toAbsolutePath());
    return dir.resolve("samples").resolve("code");
  }

  private static String read(String name) throws IOException {
    return Files.readString(samples().resolve(name), StandardCharsets.UTF_8);
  }

  private static List<String> ruleIds(FileAnalysis a) {
    return a.findings().stream().map(f -> f.finding().ruleId()).toList();
  }

  @Test
  void fp32TrainingFor300EpochsWithoutEarlyStopping() {
    String text = """
        import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
        import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
        import org.nd4j.linalg.api.buffer.DataType;
        public class Train {
          private static final int EPOCHS = 300;
          public static void main(String[] args) throws Exception {
            var conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list().build();
            MultiLayerNetwork model = new MultiLayerNetwork(conf);
            model.init();
            model.fit(trainIter, EPOCHS);
          }
        }
        """;
    FileAnalysis a = analyzer.analyze("Train.java", text);
    assertThat(a.problems()).isEmpty();
    assertThat(a.runs()).hasSize(1);
    assertThat(ruleIds(a)).contains("CL-PREC-001", "CL-ES-001");
    ReportedFinding prec = a.findings().stream().filter(f -> f.finding().ruleId().equals("CL-PREC-001"))
        .findFirst().orElseThrow();
    assertThat(prec.finding().range()).isEqualTo(JavaAnalyserTest.at(text, "DataType.FLOAT"));
    Fix fix = prec.fixIfAny().orElseThrow();
    assertThat(fix.edits()).hasSize(1);
    assertThat(fix.edits().get(0).newText()).isEqualTo("BFLOAT16");
    ReportedFinding es = a.findings().stream().filter(f -> f.finding().ruleId().equals("CL-ES-001"))
        .findFirst().orElseThrow();
    assertThat(es.finding().range()).isEqualTo(JavaAnalyserTest.at(text, "EPOCHS", 1));
  }

  @Test
  void djlDefaultPrecisionIsFlaggedAtTheFitCall() {
    String text = """
        import ai.djl.training.EasyTrain;
        class Train {
          void run() {
            int epochs = 300;
            EasyTrain.fit(trainer, epochs, trainSet, validateSet);
          }
        }
        """;
    FileAnalysis a = analyzer.analyze("Train.java", text);
    assertThat(ruleIds(a)).contains("CL-PREC-001", "CL-ES-001");
    ReportedFinding prec = a.findings().stream().filter(f -> f.finding().ruleId().equals("CL-PREC-001"))
        .findFirst().orElseThrow();
    assertThat(prec.finding().range()).isEqualTo(JavaAnalyserTest.at(text, "EasyTrain.fit(trainer, epochs, trainSet, validateSet)"));
    assertThat(prec.finding().message()).contains("framework default");
  }

  @Test
  void heavyDl4jSample() throws IOException {
    String text = read("MnistMlpDl4j.java");
    SourceAnalyser.Result r = new JavaAnalyser().analyse("samples/code/MnistMlpDl4j.java", text, ReferenceData.builtIn());
    assertThat(r.problems()).isEmpty();
    assertThat(r.runs()).hasSize(1);
    Run run = r.runs().get(0).run();
    assertThat(run.schedule().epochs()).isEqualTo(300.0);
    assertThat(run.schedule().earlyStopping()).isFalse();
    assertThat(run.schedule().epochsRange()).isEqualTo(JavaAnalyserTest.at(text, "NUM_EPOCHS", 1));
    assertThat(run.precision().precision()).isEqualTo(Precision.FP32); // DOUBLE: fp64, stated
    assertThat(run.precision().stated()).isTrue();
    assertThat(run.precision().range()).isEqualTo(JavaAnalyserTest.at(text, "DataType.DOUBLE"));
    assertThat(run.workload().perDeviceBatch()).isEqualTo(128);

    FileAnalysis a = analyzer.analyze("samples/code/MnistMlpDl4j.java", text);
    assertThat(ruleIds(a)).containsExactlyInAnyOrder("CL-PREC-001", "CL-ES-001");
    assertThat(a.runs().get(0).footprint()).isNotNull();
    assertThat(a.runs().get(0).allFindingsSavings()).isNotNull();
  }

  @Test
  void cleanDjlSample() throws IOException {
    String text = read("MnistMlpDjl.java");
    SourceAnalyser.Result r = new JavaAnalyser().analyse("samples/code/MnistMlpDjl.java", text, ReferenceData.builtIn());
    assertThat(r.problems()).isEmpty();
    assertThat(r.runs()).hasSize(1);
    Run run = r.runs().get(0).run();
    assertThat(run.schedule().epochs()).isEqualTo(8.0);
    assertThat(run.schedule().earlyStopping()).isTrue();
    assertThat(run.precision().precision()).isEqualTo(Precision.FP16);
    assertThat(run.precision().range()).isEqualTo(JavaAnalyserTest.at(text, "DataType.FLOAT16"));
    assertThat(run.devices().count()).isEqualTo(1);
    assertThat(run.workload().perDeviceBatch()).isEqualTo(64);

    FileAnalysis a = analyzer.analyze("samples/code/MnistMlpDjl.java", text);
    assertThat(a.problems()).isEmpty();
    assertThat(a.runs()).hasSize(1);
    assertThat(a.findings()).isEmpty();
  }

  @Test
  void everyJavaSampleIsATrainingProgram() throws IOException {
    try (var files = Files.list(samples())) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        FileAnalysis a = analyzer.analyze(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
        assertThat(a.runs()).as(p.toString()).isNotEmpty();
        assertThat(a.problems()).as(p.toString()).isEmpty();
      }
    }
  }

  @Test
  void halfTypedFileThroughThePipeline() {
    String text = "import ai.djl.training.EasyTrain;\nclass T { void f() { EasyTrain.fit(t, 40, a, b); }\n void g() { int x = ; }";
    FileAnalysis a = analyzer.analyze("Train.java", text);
    assertThat(a.problems()).hasSize(1);
    assertThat(a.runs()).hasSize(1);
    assertThat(ruleIds(a)).contains("CL-ES-001");
    assertThat(a.findings().stream().filter(f -> f.finding().ruleId().equals("CL-ES-001")).findFirst().orElseThrow()
        .finding().range()).isEqualTo(SourceRange.of(1, 38, 1, 40));
  }
}
