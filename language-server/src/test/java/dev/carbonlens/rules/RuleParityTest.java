package dev.carbonlens.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.estimate.EstimatorSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same choice fires the same rule whether it is written in a config, a Python script or a Java
 * program, with the same saving. Region and hardware choices are made in configs and launch specs
 * (SkyPilot, Kubernetes, cloud jobs), not in training code, so their families are covered there.
 */
class RuleParityTest {
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());

  private static ReportedFinding only(String file, String text, String ruleId) {
    List<ReportedFinding> found = ANALYZER.analyze(file, text).findings().stream()
        .filter(f -> f.finding().ruleId().equals(ruleId)).toList();
    assertThat(found).as("%s in %s: %s", ruleId, file, ANALYZER.analyze(file, text).findings().stream()
        .map(f -> f.finding().ruleId()).toList()).hasSize(1);
    return found.get(0);
  }

  private static final String YAML = """
      model_name_or_path: EleutherAI/pythia-410m
      output_dir: out
      num_train_epochs: 20
      per_device_train_batch_size: 16
      eval_strategy: steps
      eval_steps: 10
      learning_rate: 2.0e-5
      """;

  private static final String PYTHON = """
      from transformers import TrainingArguments

      args = TrainingArguments(
          output_dir="out",
          num_train_epochs=20,
          per_device_train_batch_size=16,
          eval_strategy="steps",
          eval_steps=10,
          learning_rate=2e-5,
      )
      """;

  private static final String JAVA = """
      import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
      import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
      import org.nd4j.linalg.api.buffer.DataType;

      public class Train {
        public static void main(String[] args) {
          var conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list().build();
          MultiLayerNetwork model = new MultiLayerNetwork(conf);
          model.init();
          model.fit(trainIterator, 20);
        }
      }
      """;

  @Test
  void precisionFamily() {
    double yaml = only("args.yaml", YAML, "CL-PREC-001").finding().savings().fraction();
    double python = only("train.py", PYTHON, "CL-PREC-001").finding().savings().fraction();
    double java = only("Train.java", JAVA, "CL-PREC-001").finding().savings().fraction();
    // fp32 → bf16 halves the run on the same default accelerator, whatever the language
    assertThat(List.of(yaml, python, java)).allSatisfy(f -> assertThat(f).isEqualTo(0.5));
  }

  @Test
  void earlyStoppingFamily() {
    for (var finding : List.of(only("args.yaml", YAML, "CL-ES-001"), only("train.py", PYTHON, "CL-ES-001"),
        only("Train.java", JAVA, "CL-ES-001"))) {
      assertThat(finding.finding().message()).startsWith("20 epochs with no early stopping");
      assertThat(finding.finding().savings().fraction()).isEqualTo(0.5);
    }
  }

  @Test
  void checkpointingFamily() {
    // DJL and DL4J have no evaluation interval to set: the family applies to YAML and Python.
    ReportedFinding yaml = only("args.yaml", YAML, "CL-CKPT-001");
    ReportedFinding python = only("train.py", PYTHON, "CL-CKPT-001");
    assertThat(yaml.finding().message()).isEqualTo(python.finding().message());
    assertThat(yaml.fix().edits().get(0).newText()).isEqualTo("500");
    assertThat(python.fix().edits().get(0).newText()).isEqualTo("500");
  }
}
