package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.estimate.EstimatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text a reviewer scans: one block per file, ruff-like lines, colour only when asked, a summary. */
class TextReportTest {
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());

  @TempDir
  Path dir;

  private CheckResult check(String... namesAndTexts) throws Exception {
    List<SourceFiles.SourceFile> files = new java.util.ArrayList<>();
    for (int i = 0; i < namesAndTexts.length; i += 2) {
      Path file = dir.resolve(namesAndTexts[i]);
      Files.writeString(file, namesAndTexts[i + 1]);
      files.add(new SourceFiles.SourceFile(file, namesAndTexts[i]));
    }
    return CheckInputs.check(i -> ANALYZER, files, 1, Progress.NONE);
  }

  @Test
  void findingsAreGroupedUnderTheirFileWithRunsAndASummary() throws Exception {
    CheckResult result = check(
        "k80.yaml", "resources:\n  infra: aws/ap-south-1\n  accelerators: K80:4\n"
            + "run: python train.py --epochs 90\n",
        "clean.yaml", "# carbonlens: ignore-file[CL-REG-002] the data stays in India\n"
            + "resources:\n  infra: aws/ap-south-1\n  accelerators: L4:1\nrun: python serve.py\n");
    String text = TextReport.render(result, false);
    List<String> lines = text.lines().toList();
    assertThat(lines.get(0)).isEqualTo("k80.yaml");
    assertThat(lines.get(1)).startsWith("k80.yaml:2:10: info CL-REG-002 Region ap-south-1 ")
        .endsWith("(saves ≈ 12.8 kgCO2e, 0 kWh, 97% of the run)");
    assertThat(lines.get(2)).isEqualTo("    fix: Run in ca-central-1 (Canada (Central))");
    assertThat(lines.get(3)).startsWith("k80.yaml:3:17: warning CL-HW-001 K80 (kepler, 2014)");
    assertThat(lines).contains("clean.yaml");
    assertThat(text).doesNotContain("\u001b[")
        .contains("Checked 2 files: 3 findings (2 warning, 1 info), 1 suppressed by carbonlens: ignore comments.")
        .contains("2 runs recognised, estimated ≈ ");
    // the totals are the runs' own figures, summed
    double total = result.files().stream().flatMap(f -> f.runs().stream())
        .mapToDouble(r -> r.footprint().totalKgCO2e()).sum();
    assertThat(text).contains("estimated ≈ " + dev.carbonlens.estimate.Figures.format(total) + " kgCO2e in all");
  }

  @Test
  void colourIsOnlyAddedWhenAskedAndNeverChangesTheWords() throws Exception {
    CheckResult result = check("k80.yaml", "resources:\n  accelerators: K80:4\nrun: python train.py\n");
    String plain = TextReport.render(result, false);
    String coloured = TextReport.render(result, true);
    assertThat(coloured).contains("\u001b[33mwarning\u001b[0m").contains("\u001b[1mCL-HW-001\u001b[0m");
    assertThat(coloured.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(plain);
  }

  @Test
  void aParseErrorIsAnErrorLineAtItsPosition() throws Exception {
    String text = TextReport.render(check("broken.yaml", "a: [1, 2\nb: 3\n"), false);
    assertThat(text).containsPattern("broken\\.yaml:\\d+:\\d+: error parse ")
        .contains("Checked 1 file: 0 findings, 1 parse error.");
  }
}
