package dev.carbonlens.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carbonlens.document.SyntaxKind;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.model.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuppressionsTest {
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());

  /** A Hugging Face config that fires CL-ES-001 (line 2) and CL-PREC-001 (the fp16 line). */
  private static String hf(String fp16Comment, String lineAboveFp16) {
    return "model_name_or_path: mistralai/Mistral-7B-v0.1\n"
        + "num_train_epochs: 20\n"
        + lineAboveFp16
        + "fp16: false" + fp16Comment + "\n"
        + "per_device_train_batch_size: 4\n";
  }

  private static List<String> ids(FileAnalysis a) {
    return a.findings().stream().map(f -> f.finding().ruleId()).sorted().toList();
  }

  @Test
  void withoutCommentsBothRulesFire() {
    assertThat(ids(ANALYZER.analyze("train.yaml", hf("", "")))).containsExactly("CL-ES-001", "CL-PREC-001");
  }

  @Test
  void anIgnoreOnTheLineSilencesThatRuleOnlyAndKeepsTheReason() {
    FileAnalysis a = ANALYZER.analyze("train.yaml", hf("  # carbonlens: ignore[CL-PREC-001] V100 cluster, fp16 diverges", ""));
    assertThat(ids(a)).containsExactly("CL-ES-001");
    assertThat(a.suppressed()).hasSize(1);
    SuppressedFinding s = a.suppressed().get(0);
    assertThat(s.finding().finding().ruleId()).isEqualTo("CL-PREC-001");
    assertThat(s.directive().line()).isEqualTo(2);
    assertThat(s.directive().reason()).isEqualTo("V100 cluster, fp16 diverges");
  }

  @Test
  void anIgnoreOnTheLineAboveCountsToo() {
    FileAnalysis a = ANALYZER.analyze("train.yaml", hf("", "# carbonlens: ignore[cl-prec-001]\n"));
    assertThat(ids(a)).containsExactly("CL-ES-001");
  }

  @Test
  void anIgnoreForAnotherRuleSilencesNothing() {
    FileAnalysis a = ANALYZER.analyze("train.yaml", hf("  # carbonlens: ignore[CL-REG-001]", ""));
    assertThat(ids(a)).containsExactly("CL-ES-001", "CL-PREC-001");
    assertThat(a.suppressed()).isEmpty();
  }

  @Test
  void aFileLevelIgnoreSilencesItsRulesEverywhere() {
    FileAnalysis one = ANALYZER.analyze("train.yaml", "# carbonlens: ignore-file[CL-ES-001] sweep baseline\n" + hf("", ""));
    assertThat(ids(one)).containsExactly("CL-PREC-001");
    FileAnalysis all = ANALYZER.analyze("train.yaml", hf("", "") + "# carbonlens: ignore-file\n");
    assertThat(ids(all)).isEmpty();
    assertThat(all.suppressed()).hasSize(2);
  }

  @Test
  void javaAndJsoncUseSlashesAndTheOtherMarkerIsNotADirective() {
    String jsonc = "{\n  \"output_dir\": \"out\",\n  \"per_device_train_batch_size\": 8,\n"
        + "  \"num_train_epochs\": 20, // carbonlens: ignore[CL-ES-001] tiny model\n  \"fp16\": false\n}\n";
    FileAnalysis a = ANALYZER.analyze("training_args.jsonc", jsonc);
    assertThat(ids(a)).contains("CL-PREC-001").doesNotContain("CL-ES-001");
    assertThat(a.suppressed()).extracting(s -> s.finding().finding().ruleId()).containsExactly("CL-ES-001");
    assertThat(Suppressions.of("x = 1  # carbonlens: ignore[CL-ES-001]", SyntaxKind.JAVA).isEmpty()).isTrue();
    assertThat(Suppressions.of("x: 1  // carbonlens: ignore[CL-ES-001]", SyntaxKind.YAML).isEmpty()).isTrue();
  }

  @Test
  void pythonCommentsWork() {
    String py = "from transformers import Trainer, TrainingArguments\n"
        + "args = TrainingArguments(\n"
        + "    output_dir=\"out\",\n"
        + "    num_train_epochs=20,  # carbonlens: ignore[CL-ES-001] converges late, checked by hand\n"
        + ")\n"
        + "trainer = Trainer(model=model, args=args)\n";
    FileAnalysis a = ANALYZER.analyze("train.py", py);
    assertThat(ids(a)).doesNotContain("CL-ES-001");
    assertThat(a.suppressed()).extracting(s -> s.finding().finding().ruleId()).contains("CL-ES-001");
  }

  @Test
  void severityOverridesChangeLevelsAndTurnRulesOff() {
    Analyzer custom = ANALYZER.withSeverities(new SeverityOverrides(Map.of("cl-prec-001", "ERROR", "CL-ES-001", "off")));
    FileAnalysis a = custom.analyze("train.yaml", hf("", ""));
    assertThat(ids(a)).containsExactly("CL-PREC-001");
    assertThat(a.findings().get(0).finding().severity()).isEqualTo(Severity.ERROR);
  }

  @Test
  void anUnknownLevelIsRejectedWithTheLevelNamed() {
    assertThatThrownBy(() -> new SeverityOverrides(Map.of("CL-ES-001", "loud"))).hasMessageContaining("loud");
    assertThatThrownBy(() -> SeverityOverrides.parse("CL-ES-001")).hasMessageContaining("RULE-ID=level");
  }
}
