package dev.carbonlens.code.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.code.SourceAnalysers;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.estimate.Estimator;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.extract.Extractors;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.reference.ReferenceData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Python analyser through the whole pipeline: facts → rules → estimates → findings with fixes. */
class PythonPipelineTest {
  private static final Path SAMPLES = Path.of("..", "samples", "code");
  private static final Analyzer ANALYZER = new Analyzer(ReferenceData.builtIn(), Extractors.builtIn(),
      new SourceAnalysers(List.of(new PythonAnalyser())), RuleEngine.builtIn(),
      new Estimator(ReferenceData.builtIn(), EstimatorSettings.defaults()));

  private static FileAnalysis analyze(String name, String text) {
    return ANALYZER.analyze(name, text);
  }

  private static List<String> ruleIds(FileAnalysis analysis) {
    return analysis.findings().stream().map(f -> f.finding().ruleId()).toList();
  }

  private static ReportedFinding finding(FileAnalysis analysis, String id) {
    return analysis.findings().stream().filter(f -> f.finding().ruleId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void carbonHeavyHuggingFaceScript() {
    String text = """
        from transformers import AutoModelForCausalLM, Trainer, TrainingArguments
        model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-7b-hf")
        args = TrainingArguments(
            output_dir="out",
            num_train_epochs=20,
            eval_strategy="steps",
            eval_steps=10,
            save_steps=50,
        )
        Trainer(model=model, args=args, train_dataset=ds).train()
        """;
    FileAnalysis analysis = analyze("x.py", text);
    assertThat(analysis.problems()).isEmpty();
    assertThat(ruleIds(analysis)).contains("CL-PREC-001", "CL-ES-001", "CL-CKPT-001", "CL-CKPT-002");
    ReportedFinding precision = finding(analysis, "CL-PREC-001");
    assertThat(precision.finding().range()).isEqualTo(SourceRange.of(2, 7, 2, 24));
    assertThat(precision.fix().edits()).hasSize(1);
    assertThat(precision.fix().edits().get(0).newText()).isEqualTo("\n    bf16=True,");
    assertThat(finding(analysis, "CL-ES-001").finding().range()).isEqualTo(SourceRange.of(4, 4, 4, 23));
    assertThat(finding(analysis, "CL-CKPT-001").finding().range()).isEqualTo(SourceRange.of(6, 4, 6, 17));
    assertThat(finding(analysis, "CL-CKPT-001").fix().edits().get(0).newText()).isEqualTo("500");
    assertThat(finding(analysis, "CL-CKPT-002").fix().edits().get(0).newText()).isEqualTo("\n    save_total_limit=2,");
    assertThat(analysis.runs()).hasSize(1);
    assertThat(analysis.runs().get(0).run().stage()).isEqualTo(Stage.FINE_TUNING);
  }

  @Test
  void rawLoopNamesItsDefaults() {
    String text = "for epoch in range(300):\n    loss.backward()\n    optimizer.step()\n";
    FileAnalysis analysis = analyze("loop.py", text);
    assertThat(ruleIds(analysis)).contains("CL-PREC-001", "CL-ES-001");
    assertThat(finding(analysis, "CL-ES-001").finding().range()).isEqualTo(SourceRange.of(0, 19, 0, 22));
  }

  @Test
  void lightningDefaultEpochs() {
    FileAnalysis analysis = analyze("lit.py", "import lightning as L\ntrainer = L.Trainer(devices=8)\n");
    assertThat(ruleIds(analysis)).contains("CL-PREC-001", "CL-ES-002");
    assertThat(finding(analysis, "CL-PREC-001").fix().edits().get(0).newText()).isEqualTo(", precision=\"bf16-mixed\"");
  }

  @Test
  void heavySampleFindsItsProblems() throws IOException {
    FileAnalysis analysis = analyze("hf-llama2-7b-full-finetune-fp32.py",
        Files.readString(SAMPLES.resolve("hf-llama2-7b-full-finetune-fp32.py")));
    assertThat(analysis.problems()).isEmpty();
    assertThat(analysis.runs()).hasSize(1);
    Run run = analysis.runs().get(0).run();
    assertThat(run.model().id()).isEqualTo("meta-llama/Llama-2-7b-hf");
    assertThat(run.model().range().startLine()).isEqualTo(26); // where MODEL_ID is used
    assertThat(run.schedule().epochs()).isEqualTo(20.0);
    assertThat(run.evaluation().everySteps()).isEqualTo(10L); // argparse default of --eval-every
    assertThat(run.workload().perDeviceBatch()).isEqualTo(4);
    assertThat(run.precision().precision()).isEqualTo(Precision.FP32);
    assertThat(ruleIds(analysis)).contains("CL-PREC-001", "CL-ES-001", "CL-CKPT-001", "CL-CKPT-002");
    assertThat(analysis.runs().get(0).footprint()).isNotNull();
  }

  @Test
  void loopSampleFindsItsProblems() throws IOException {
    FileAnalysis analysis = analyze("resnet50-loop-300-epochs-fp32.py",
        Files.readString(SAMPLES.resolve("resnet50-loop-300-epochs-fp32.py")));
    assertThat(analysis.problems()).isEmpty();
    Run run = analysis.runs().get(0).run();
    assertThat(run.schedule().epochs()).isEqualTo(300.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(19, 19, 19, 30));
    assertThat(run.workload().perDeviceBatch()).isEqualTo(256);
    assertThat(ruleIds(analysis)).contains("CL-PREC-001", "CL-ES-001");
  }

  @Test
  void cleanSampleIsQuiet() throws IOException {
    FileAnalysis analysis = analyze("hf-mistral-7b-lora-bf16.py",
        Files.readString(SAMPLES.resolve("hf-mistral-7b-lora-bf16.py")));
    assertThat(analysis.problems()).isEmpty();
    Run run = analysis.runs().get(0).run();
    assertThat(run.precision().precision()).isEqualTo(Precision.BF16);
    assertThat(run.schedule().earlyStopping()).isTrue();
    assertThat(run.fineTuning().method()).isEqualTo("lora");
    assertThat(run.fineTuning().loraRank()).isEqualTo(16);
    assertThat(run.model().id()).isEqualTo("mistralai/Mistral-7B-v0.1");
    assertThat(ruleIds(analysis)).isEmpty();
  }

  @Test
  void halfTypedFileThroughThePipeline() {
    String text = "import torch\nargs = TrainingArguments(\nx = \nargs2 = TrainingArguments(output_dir='o', num_train_epochs=25)\n";
    FileAnalysis analysis = analyze("x.py", text);
    assertThat(analysis.problems()).hasSize(1);
    assertThat(ruleIds(analysis)).contains("CL-ES-001");
  }
}
