package dev.carbonlens.report;

import static dev.carbonlens.report.ReportTesting.SAMPLES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.check.CheckResult;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.estimate.Footprint;
import dev.carbonlens.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `report --html`: the charts carry the estimator's figures, the page loads nothing, config text stays text. */
class HtmlReportTest {
  private static final String VERTEX = SAMPLES + "/vertex-ai/t5-custom-job-v100.yaml";
  private static final String K80 = SAMPLES + "/skypilot/resnet-k80.yaml";
  /** The footprint chart's plot: 900 wide, 16 left margin, 190 for the value labels. */
  private static final double PLOT_WIDTH = 900 - 16 - 190;

  @Test
  void footprintChartHasOneStackedBarPerRunWithTheEstimatesFigures() {
    CheckResult result = ReportTesting.analyse(K80, VERTEX);
    List<RunEstimate> runs = result.files().stream().flatMap(f -> f.runs().stream()).toList();
    assertThat(runs).hasSize(2);
    Document page = HtmlReport.document(result);

    Element chart = page.selectFirst("figure#footprint svg#footprint-chart");
    assertThat(chart).isNotNull();
    Elements bars = chart.select("g.run-bar");
    assertThat(bars).hasSize(2);
    // Largest first: the 16 × V100 vertex run (118 kgCO2e) before the 4 × K80 run (13.2 kgCO2e).
    assertThat(bars.get(0).attr("data-run"))
        .isEqualTo("../samples/vertex-ai/t5-custom-job-v100.yaml:4, vertex-ai, fine-tuning, 16 × V100-SXM2-16GB");
    assertThat(bars.get(1).attr("data-run"))
        .isEqualTo("../samples/skypilot/resnet-k80.yaml:4, skypilot, training, 4 × K80");
    assertThat(bars.get(0).selectFirst("text.run-label").text()).isEqualTo(bars.get(0).attr("data-run"));

    // By hand, from the run's stated 48 h: 16 × 0.33 kW × 48 h × PUE 1.1 = 278.784 kWh, × 412.72 g/kWh;
    // embodied 16 × 150 kg × 48 h / (4 years × 8,760 h).
    Footprint vertex = runs.get(1).footprint();
    assertThat(vertex.operationalKgCO2e()).isCloseTo(16 * 0.33 * 48 * 1.1 * 412.72 / 1000, within(0.01));
    assertThat(vertex.embodiedKgCO2e()).isCloseTo(16 * 150 * 48 / (4 * 8760.0), within(1e-9));
    Element top = bars.get(0);
    assertThat(Double.parseDouble(top.attr("data-operational"))).isEqualTo(vertex.operationalKgCO2e());
    assertThat(Double.parseDouble(top.attr("data-embodied"))).isEqualTo(vertex.embodiedKgCO2e());
    assertThat(Double.parseDouble(top.attr("data-low"))).isEqualTo(vertex.lowKgCO2e());
    assertThat(Double.parseDouble(top.attr("data-high"))).isEqualTo(vertex.highKgCO2e());

    // The axis runs to 150 kgCO2e (the vertex high of 119 rounded up to a step of 50): 0, 50, 100, 150.
    assertThat(chart.select("g.axis text").eachText()).containsExactly("0", "50", "100", "150", "kgCO2e");
    double scale = PLOT_WIDTH / 150;
    assertGeometry(top, vertex, scale);
    assertGeometry(bars.get(1), runs.get(0).footprint(), scale);
    assertThat(top.selectFirst("text.value").text()).isEqualTo(Figures.format(vertex.totalKgCO2e()) + " kgCO2e ("
        + Figures.format(vertex.lowKgCO2e()) + "–" + Figures.format(vertex.highKgCO2e()) + ")");
    assertThat(top.selectFirst("text.value").text()).isEqualTo("118 kgCO2e (86.8–119)");

    // The same numbers in the table under the chart.
    Elements rows = page.select("table#footprint-table tr");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(1).select("td").eachText())
        .containsExactly(bars.get(0).attr("data-run"), "115", "3.29", "118", "86.8–119", "279", "48 (stated)");
  }

  private static void assertGeometry(Element bar, Footprint fp, double scale) {
    Element operational = bar.selectFirst("rect.operational");
    Element embodied = bar.selectFirst("rect.embodied");
    assertThat(number(operational, "x")).isEqualTo(16);
    assertThat(number(operational, "width")).isCloseTo(fp.operationalKgCO2e() * scale, within(0.006));
    // stacked: embodied starts where operational ends
    assertThat(number(embodied, "x")).isCloseTo(16 + fp.operationalKgCO2e() * scale, within(0.006));
    assertThat(number(embodied, "width")).isCloseTo(fp.embodiedKgCO2e() * scale, within(0.006));
    List<Element> whisker = bar.select("g.whisker line");
    assertThat(whisker).hasSize(3);
    assertThat(number(whisker.get(0), "x1")).isCloseTo(16 + fp.lowKgCO2e() * scale, within(0.006));
    assertThat(number(whisker.get(0), "x2")).isCloseTo(16 + fp.highKgCO2e() * scale, within(0.006));
    assertThat(operational.attr("fill")).isEqualTo(SvgCharts.OPERATIONAL_COLOUR);
    assertThat(embodied.attr("fill")).isEqualTo(SvgCharts.EMBODIED_COLOUR);
  }

  private static double number(Element e, String attribute) {
    return Double.parseDouble(e.attr(attribute));
  }

  @Test
  void savingsChartSumsEachCategorysPricedFindings() {
    CheckResult result = ReportTesting.analyse(K80, VERTEX);
    Map<String, Double> expected = new LinkedHashMap<>();
    result.findings().map(ReportedFinding::finding).filter(f -> f.savings() != null)
        .forEach(f -> expected.merge(f.category().label(), f.savings().kgCO2e(), Double::sum));
    Document page = HtmlReport.document(result);

    Elements bars = page.select("svg#savings-chart g.category-bar");
    // region 113.5 + 12.8, hardware 101.2 + 13.0, early-stopping 0 + 6.62: largest first
    assertThat(bars.eachAttr("data-category")).containsExactly("region", "hardware", "early-stopping");
    for (Element bar : bars) {
      assertThat(Double.parseDouble(bar.attr("data-kgco2e")))
          .isCloseTo(expected.get(bar.attr("data-category")), within(1e-9));
    }
    assertThat(bars.select("text.value").eachText())
        .containsExactly("126 kgCO2e (2 findings)", "114 kgCO2e (2 findings)", "6.62 kgCO2e (2 findings)");
    assertThat(page.selectFirst("figure#savings figcaption").text()).contains("upper bound");
    assertThat(page.select("table#savings-table tr").get(1).select("td").eachText())
        .containsExactly("region", "2", "126", "0");
  }

  @Test
  void totalsAndFindingTablesCarryTheFigures() {
    CheckResult result = ReportTesting.analyse(K80, VERTEX);
    List<RunEstimate> runs = result.files().stream().flatMap(f -> f.runs().stream()).toList();
    Document page = HtmlReport.document(result);

    Map<String, String> totals = new LinkedHashMap<>();
    for (Element row : page.select("table.totals tr")) {
      totals.put(row.selectFirst("th").text(), row.selectFirst("td").text());
    }
    double total = runs.stream().mapToDouble(r -> r.footprint().totalKgCO2e()).sum();
    double saved = runs.stream().mapToDouble(r -> r.allFindingsSavings().kgCO2e()).sum();
    assertThat(totals.get("Runs recognised")).isEqualTo("2");
    assertThat(totals.get("Estimated total emissions")).startsWith(Figures.format(total) + " kgCO2e").startsWith("132 kgCO2e");
    assertThat(totals.get("Estimated energy")).isEqualTo("297 kWh"); // 278.784 + 17.9784
    assertThat(totals.get("Findings")).isEqualTo("7 (4 warning, 3 info)");
    assertThat(totals.get("Saved if every finding were fixed")).startsWith(Figures.format(saved) + " kgCO2e");

    Elements priced = page.select("table#priced-findings tr");
    assertThat(priced).hasSize(1 + 6);
    assertThat(priced.get(1).select("td").eachText()).containsExactly(
        "../samples/vertex-ai/t5-custom-job-v100.yaml:3:1", "CL-REG-001", "region", "warning",
        priced.get(1).selectFirst("td.message").text(), "114", "0", "96%");
    assertThat(priced.get(6).select("td").get(1).text()).isEqualTo("CL-ES-001"); // saves 0: last
    Elements unpriced = page.select("table#unpriced-findings tr");
    assertThat(unpriced).hasSize(2);
    assertThat(unpriced.get(1).select("td").eachText().subList(0, 4))
        .containsExactly("../samples/vertex-ai/t5-custom-job-v100.yaml:7:7", "CL-UTIL-006", "utilization", "info");

    Elements runRows = page.select("table#runs-table tr");
    assertThat(runRows).hasSize(3);
    Element k80 = runRows.get(1);
    assertThat(k80.selectFirst("td").text()).isEqualTo("../samples/skypilot/resnet-k80.yaml:4, skypilot, training, 4 × K80");
    assertThat(k80.select("ul.assumptions li").eachText())
        .containsExactlyElementsOf(runs.get(0).footprint().assumptions().stream().map(Object::toString).toList());
    assertThat(page.select("p").eachText()).contains("None: every file was read and parsed.");
  }

  @Test
  void theSamplesReportIsSelfContainedAndReproducible(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("report.html");
    Cli.Outcome outcome = Cli.run("report", "--html", out.toString(), SAMPLES);
    assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
    assertThat(outcome.stdout()).isEmpty();
    String html = Files.readString(out, StandardCharsets.UTF_8);
    Document page = Jsoup.parse(html);

    Cli.Outcome json = Cli.run("check", "--format", "json", SAMPLES);
    int runs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.stdout()).get("runs").size();
    assertThat(page.select("svg#footprint-chart g.run-bar")).hasSize(runs);
    assertThat(page.select("svg#savings-chart g.category-bar")).isNotEmpty();
    for (Element svg : page.select("svg")) {
      assertThat(svg.attr("role")).isEqualTo("img");
      assertThat(svg.children().get(0).tagName()).isEqualTo("title");
      assertThat(svg.children().get(1).tagName()).isEqualTo("desc");
    }

    assertThat(page.select("script, link, img, iframe, object, embed, base, video, audio, source")).isEmpty();
    for (Element e : page.getAllElements()) {
      for (Attribute a : e.attributes()) {
        String key = a.getKey().toLowerCase(Locale.ROOT);
        String value = a.getValue().toLowerCase(Locale.ROOT);
        if (key.equals("src") || key.endsWith("href") || value.contains("url(")) {
          assertThat(value).as(e.tagName() + " " + key).doesNotContain("http://", "https://");
        }
        assertThat(key).as("event handler on " + e.tagName()).doesNotStartWith("on");
      }
    }
    String css = page.select("style").html();
    assertThat(css).doesNotContain("url(").doesNotContain("@import");
    assertThat(page.selectFirst("meta[http-equiv=Content-Security-Policy]").attr("content")).startsWith("default-src 'none'");
    // No timestamp: the same inputs give the same bytes.
    Path again = dir.resolve("again.html");
    assertThat(Cli.run("report", "--html", again.toString(), SAMPLES).exitCode()).isZero();
    assertThat(Files.readString(again, StandardCharsets.UTF_8)).isEqualTo(html);
  }

  @Test
  void textFromConfigsIsEscaped(@TempDir Path dir) throws Exception {
    String script = "<script>alert(1)</script>";
    String image = "\"><img src=x onerror=alert(1)>";
    // An Axolotl config whose model name carries a script, in a file whose name breaks out of an attribute.
    Path config = dir.resolve(image + ".yaml");
    Files.writeString(config, """
        base_model: "%s-70B"
        datasets:
          - path: teknium/OpenHermes-2.5
            type: chat_template
        sequence_len: 4096
        micro_batch_size: 1
        num_epochs: 3
        bf16: false
        fp16: false
        """.formatted(script));
    Files.writeString(dir.resolve("broken.yaml"), "a: [1, 2\nb: " + script + "\n");
    String file = dir.toString().replace('\\', '/') + "/" + image + ".yaml";

    // The text reaches a finding's message in `check` (so the report has to escape it).
    Cli.Outcome checked = Cli.run("check", "--format", "json", dir.toString());
    List<String> messages = new com.fasterxml.jackson.databind.ObjectMapper().readTree(checked.stdout())
        .get("findings").findValuesAsText("message");
    assertThat(messages).anyMatch(m -> m.startsWith("Full fine-tuning of " + script + "-70B"));

    Path out = dir.resolve("report.html");
    Cli.Outcome outcome = Cli.run("report", "--html", out.toString(), dir.toString());
    assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
    String html = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(html.toLowerCase(Locale.ROOT)).doesNotContain("<script").doesNotContain("<img");
    Document page = Jsoup.parse(html);
    assertThat(page.select("script")).isEmpty();
    assertThat(page.select("img")).isEmpty();
    for (Element e : page.getAllElements()) {
      assertThat(e.attributes().asList()).as(e.tagName())
          .noneMatch(a -> a.getKey().toLowerCase(Locale.ROOT).startsWith("on"));
    }
    // ... and it is there as text, exactly as written.
    assertThat(page.select("table#priced-findings td.message").eachText())
        .anyMatch(m -> m.startsWith("Full fine-tuning of " + script + "-70B"));
    Element bar = page.selectFirst("svg#footprint-chart g.run-bar");
    assertThat(bar.attr("data-run")).startsWith(file + ":1, axolotl, fine-tuning");
    assertThat(bar.selectFirst("text.run-label").text()).startsWith(file + ":1");
    assertThat(page.select("table#priced-findings td.location").eachText()).allMatch(l -> l.startsWith(file + ":"));
    assertThat(page.select("ul#problems li").eachText()).singleElement().asString()
        .startsWith(dir.toString().replace('\\', '/') + "/broken.yaml:");
  }
}
