package dev.carbonlens.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.estimate.EstimatorSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.junit.jupiter.api.Test;

class CodeActionsFeatureTest {
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());
  private static final String URI = "file:///work/train.yaml";
  private static final String TEXT = "model_name_or_path: mistralai/Mistral-7B-v0.1\n"
      + "num_train_epochs: 3\n"
      + "fp16: false\n"
      + "eval_strategy: steps\n"
      + "eval_steps: 10\n"
      + "max_train_samples: 20000\n"
      + "per_device_train_batch_size: 4\n";

  private static FileAnalysis analyse(String text) {
    return ANALYZER.analyze("train.yaml", text);
  }

  private static List<String> ruleIds(FileAnalysis a) {
    return a.findings().stream().map(f -> f.finding().ruleId()).sorted().toList();
  }

  /** Applies LSP edits (UTF-16 positions) from the last to the first. */
  static String apply(String text, List<TextEdit> edits) {
    List<TextEdit> ordered = new ArrayList<>(edits);
    ordered.sort(Comparator.comparing((TextEdit e) -> e.getRange().getStart().getLine())
        .thenComparing(e -> e.getRange().getStart().getCharacter()).reversed());
    StringBuilder out = new StringBuilder(text);
    for (TextEdit e : ordered) {
      out.replace(offset(text, e.getRange().getStart()), offset(text, e.getRange().getEnd()), e.getNewText());
    }
    return out.toString();
  }

  private static int offset(String text, Position p) {
    int at = 0;
    for (int line = 0; line < p.getLine(); line++) {
      at = text.indexOf('\n', at) + 1;
    }
    return at + p.getCharacter();
  }

  private static List<CodeAction> actionsOnLine(FileAnalysis a, int line) {
    return CodeActionsFeature.actions(URI, a, new Range(new Position(line, 0), new Position(line, 0)));
  }

  @Test
  void theQuickFixOfAFindingFixesIt() {
    FileAnalysis before = analyse(TEXT);
    assertThat(ruleIds(before)).contains("CL-PREC-001", "CL-CKPT-001");
    CodeAction fix = actionsOnLine(before, 2).stream().filter(a -> a.getTitle().startsWith("Use bf16")).findFirst().orElseThrow();
    assertThat(fix.getKind()).isEqualTo("quickfix");
    assertThat(fix.getIsPreferred()).isTrue();
    assertThat(fix.getTitle()).startsWith("Use bf16 mixed precision (CL-PREC-001, saves ≈ ").endsWith(" kgCO2e)");
    assertThat(fix.getDiagnostics()).singleElement().satisfies(d -> assertThat(d.getCode().getLeft()).isEqualTo("CL-PREC-001"));
    String after = apply(TEXT, fix.getEdit().getChanges().get(URI));
    assertThat(after).contains("bf16: true");
    assertThat(ruleIds(analyse(after))).doesNotContain("CL-PREC-001").contains("CL-CKPT-001");
  }

  @Test
  void anIgnoreCommentSilencesTheFindingAndOnlyThatOne() {
    FileAnalysis before = analyse(TEXT);
    CodeAction ignore = actionsOnLine(before, 4).stream().filter(a -> a.getTitle().startsWith("Ignore CL-CKPT-001"))
        .findFirst().orElseThrow();
    List<TextEdit> edits = ignore.getEdit().getChanges().get(URI);
    assertThat(edits).singleElement().satisfies(e -> {
      assertThat(e.getRange().getStart()).isEqualTo(new Position(4, 0));
      assertThat(e.getNewText()).isEqualTo("# carbonlens: ignore[CL-CKPT-001] reason\n");
    });
    FileAnalysis after = analyse(apply(TEXT, edits));
    assertThat(ruleIds(after)).doesNotContain("CL-CKPT-001").contains("CL-PREC-001");
    assertThat(after.suppressed()).extracting(s -> s.finding().finding().ruleId()).containsExactly("CL-CKPT-001");
  }

  @Test
  void actionsAreOnlyForFindingsInTheRequestedRange() {
    assertThat(actionsOnLine(analyse(TEXT), 6)).allMatch(a -> a.getKind().equals(CodeActionsFeature.FIX_ALL));
  }

  @Test
  void fixAllAppliesEveryFixAtOnce() {
    FileAnalysis before = analyse(TEXT);
    CodeAction all = CodeActionsFeature.fixAll(URI, before).orElseThrow();
    assertThat(all.getKind()).isEqualTo("source.fixAll.carbonlens");
    String after = apply(TEXT, all.getEdit().getChanges().get(URI));
    List<String> fixable = before.findings().stream().filter(f -> f.fix() != null).map(f -> f.finding().ruleId()).toList();
    assertThat(fixable).contains("CL-PREC-001", "CL-CKPT-001");
    assertThat(ruleIds(analyse(after))).doesNotContainAnyElementsOf(fixable);
  }

  @Test
  void plainJsonGetsNoCommentButJsoncDoes() {
    String json = "{\n  \"output_dir\": \"out\",\n  \"per_device_train_batch_size\": 8,\n  \"fp16\": false\n}\n";
    FileAnalysis plain = ANALYZER.analyze("args.json", json);
    FileAnalysis jsonc = ANALYZER.analyze("args.jsonc", json);
    var finding = plain.findings().stream().filter(f -> f.finding().ruleId().equals("CL-PREC-001")).findFirst().orElseThrow();
    assertThat(CodeActionsFeature.suppression("file:///a.json", plain, finding.finding())).isEmpty();
    var jsoncFinding = jsonc.findings().stream().filter(f -> f.finding().ruleId().equals("CL-PREC-001")).findFirst().orElseThrow();
    assertThat(CodeActionsFeature.suppression("file:///a.jsonc", jsonc, jsoncFinding.finding()).orElseThrow()
        .getChanges().get("file:///a.jsonc").get(0).getNewText()).isEqualTo("  // carbonlens: ignore[CL-PREC-001] reason\n");
  }

  @Test
  void aLensOnEachRunShowsItsFootprintAndWhatFixingSaves() {
    FileAnalysis a = analyse(TEXT);
    List<CodeLens> lenses = CodeActionsFeature.lenses(a);
    assertThat(lenses).hasSize(a.runs().size()).isNotEmpty();
    String title = lenses.get(0).getCommand().getTitle();
    assertThat(title).startsWith("CarbonLens: ≈ ").contains(" kgCO2e · ").contains(" kWh · ").contains(" GPU-hours (1 × A100")
        .contains("fixing all findings saves ≈ ");
    assertThat(lenses.get(0).getRange().getStart()).isEqualTo(new Position(0, 0));
  }
}
