package dev.carbonlens.report;

import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.check.CheckResult;
import dev.carbonlens.cli.Version;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.Finding;
import dev.carbonlens.estimate.Assumption;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.estimate.Footprint;
import dev.carbonlens.estimate.Savings;
import dev.carbonlens.limits.LimitNotice;
import dev.carbonlens.model.Category;
import dev.carbonlens.report.ReportFigures.CategorySavings;
import dev.carbonlens.report.ReportFigures.LocatedFinding;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.DocumentType;
import org.jsoup.nodes.Element;

/**
 * `carbonlens report --html`: one self-contained page (inline CSS and SVG, no script, nothing fetched) for
 * someone who never opened the configs. The DOM is built with jsoup, so text from configs is escaped by
 * construction; the page carries no timestamp, so the same inputs give the same bytes.
 */
public final class HtmlReport {
  /** Light, printable styling; colours survive printing. */
  private static final String CSS = """
      body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
             background: #ffffff; margin: 0 auto; max-width: 1180px; padding: 24px 32px; }
      h1 { font-size: 26px; margin: 0 0 4px; }
      h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 1px solid #cccccc; padding-bottom: 4px; }
      .subtitle { color: #555555; margin: 0 0 16px; }
      .intro { max-width: 900px; }
      table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
      th, td { border: 1px solid #cccccc; padding: 4px 8px; text-align: left; vertical-align: top; }
      th { background: #f2f2f2; }
      td.num, th.num { text-align: right; white-space: nowrap; }
      table.totals td.num { font-weight: 600; }
      figure { margin: 8px 0 24px; break-inside: avoid; }
      figcaption { color: #444444; font-size: 13px; max-width: 900px; margin-top: 4px; }
      svg.chart { max-width: 100%; height: auto; font: 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
      svg.chart text { fill: #1a1a1a; }
      svg.chart .axis text { fill: #555555; font-size: 11px; }
      ul.assumptions { margin: 0; padding-left: 18px; }
      code { white-space: nowrap; }
      td.message { min-width: 320px; }
      code, .location { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
      .severity-error { color: #b00020; font-weight: 600; }
      .severity-warning { color: #8a5a00; font-weight: 600; }
      * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      @media print { body { max-width: none; padding: 0; } tr, figure { break-inside: avoid; } }
      """;

  /** Nothing may load or run, even if a config's text ever slipped past the escaping. */
  private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

  private final ReportFigures figures;
  private final CheckResult result;
  private final Document document = Document.createShell("");

  private HtmlReport(CheckResult result) {
    this.result = result;
    this.figures = ReportFigures.of(result);
  }

  public static String render(CheckResult result) {
    return new HtmlReport(result).build().outerHtml() + "\n";
  }

  /** The page as a jsoup document, for tests that inspect its structure. */
  static Document document(CheckResult result) {
    return new HtmlReport(result).build();
  }

  private Document build() {
    document.prependChild(new DocumentType("html", "", ""));
    document.selectFirst("html").attr("lang", "en");
    document.charset(java.nio.charset.StandardCharsets.UTF_8);
    Element head = document.head();
    head.appendElement("meta").attr("http-equiv", "Content-Security-Policy").attr("content", CONTENT_SECURITY_POLICY);
    head.appendElement("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1");
    document.title("CarbonLens report: estimated carbon footprint of ML runs");
    head.appendElement("style").appendChild(new DataNode(CSS));
    Element body = document.body();
    header(body);
    totals(body);
    footprintChart(body);
    savingsChart(body);
    findingTables(body);
    runsAndAssumptions(body);
    problems(body);
    return document;
  }

  private void header(Element body) {
    body.appendElement("h1").text("CarbonLens report: estimated carbon footprint of ML runs");
    body.appendElement("p").addClass("subtitle").text("CarbonLens " + Version.VERSION + " · "
        + (result.files().size() + result.unreadable().size()) + " files checked");
    body.appendElement("p").addClass("intro").text(
        "CarbonLens read the training and serving configurations below and estimated, before anything runs,"
            + " what each recognised run will emit; nothing here was measured. Operational emissions are the"
            + " energy the accelerators and their host draw (devices × power × hours) × the data centre's PUE ×"
            + " the grid's carbon intensity. Embodied emissions are the accelerators' manufacturing emissions,"
            + " amortised over the hardware lifetime for the hours the run holds them. Each finding is a choice in"
            + " a config with a lower-carbon alternative and, where it can be priced, what changing it would save."
            + " Every figure rests on the assumptions listed per run at the end; the low–high ranges are"
            + " indicative, not confidence intervals.");
  }

  private void totals(Element body) {
    body.appendElement("h2").text("Totals");
    Element table = body.appendElement("table").addClass("totals");
    row(table, "Runs recognised", String.valueOf(figures.runs().size()));
    row(table, "Estimated total emissions", Figures.format(figures.totalKgCO2e()) + " kgCO2e ("
        + Figures.format(figures.operationalKgCO2e()) + " operational + " + Figures.format(figures.embodiedKgCO2e())
        + " embodied)");
    row(table, "Estimated energy", Figures.format(figures.energyKWh()) + " kWh");
    row(table, "Findings", figures.findings() + (figures.findings() == 0 ? "" : " (" + bySeverity() + ")"));
    row(table, "Saved if every finding were fixed", Figures.format(figures.allFindingsSavingsKgCO2e())
        + " kgCO2e (each run's findings applied together, summed over the runs)");
    if (result.parseErrors() > 0) {
      row(table, "Parse errors", result.parseErrors() + " (listed at the end)");
    }
    if (figures.suppressed() > 0) {
      row(table, "Suppressed", figures.suppressed() + " findings silenced by carbonlens: ignore comments");
    }
  }

  private String bySeverity() {
    return figures.findingsBySeverity().entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey().label())
        .collect(Collectors.joining(", "));
  }

  private static void row(Element table, String name, String value) {
    Element tr = table.appendElement("tr");
    tr.appendElement("th").attr("scope", "row").text(name);
    tr.appendElement("td").addClass("num").text(value);
  }

  /** Largest run first, so the runs worth looking at lead. */
  private List<RunEstimate> runsByTotal() {
    return figures.runs().stream()
        .sorted(Comparator.comparingDouble((RunEstimate r) -> r.footprint().totalKgCO2e()).reversed())
        .toList();
  }

  private void footprintChart(Element body) {
    body.appendElement("h2").text("Footprint per run");
    List<RunEstimate> runs = runsByTotal();
    if (runs.isEmpty()) {
      body.appendElement("p").text("No training or serving runs were recognised in these files.");
      return;
    }
    Element figure = body.appendElement("figure").attr("id", "footprint");
    SvgCharts.footprint(figure, runs);
    figure.appendElement("figcaption").text("Estimated kgCO2e per run: operational (energy × PUE × grid intensity)"
        + " stacked with embodied (hardware manufacturing, amortised). The whisker spans the low–high range"
        + " under the estimator's low and high assumptions. Labels: file:line, config format, stage, devices ×"
        + " accelerator.");
    Element table = body.appendElement("table").attr("id", "footprint-table");
    header(table, "Run", "Operational kgCO2e", "Embodied kgCO2e", "Total kgCO2e", "Range kgCO2e", "Energy kWh",
        "Hours");
    for (RunEstimate r : runs) {
      Footprint fp = r.footprint();
      Element tr = table.appendElement("tr");
      tr.appendElement("td").text(RunLabel.of(r));
      num(tr, Figures.format(fp.operationalKgCO2e()));
      num(tr, Figures.format(fp.embodiedKgCO2e()));
      num(tr, Figures.format(fp.totalKgCO2e()));
      num(tr, Figures.format(fp.lowKgCO2e()) + "–" + Figures.format(fp.highKgCO2e()));
      num(tr, Figures.format(fp.energyKWh()));
      num(tr, Figures.format(fp.hours()) + " (" + hoursBasis(fp) + ")");
    }
  }

  private void savingsChart(Element body) {
    body.appendElement("h2").text("Estimated savings per category");
    Map<Category, CategorySavings> byCategory = figures.savingsByCategory();
    if (byCategory.isEmpty()) {
      body.appendElement("p").text("No finding could be priced, so there are no savings to chart.");
      return;
    }
    Element figure = body.appendElement("figure").attr("id", "savings");
    SvgCharts.savings(figure, byCategory);
    figure.appendElement("figcaption").text("kgCO2e saved by fixing each category's findings, summed over the"
        + " findings that could be priced. Findings on the same run overlap (two fixes cannot both save the"
        + " same energy), so each bar and their sum are upper bounds; the total above applies each run's"
        + " findings together instead.");
    Element table = body.appendElement("table").attr("id", "savings-table");
    header(table, "Category", "Priced findings", "Saved kgCO2e (sum)", "Saved kWh (sum)");
    byCategory.forEach((category, s) -> {
      Element tr = table.appendElement("tr");
      tr.appendElement("td").text(category.label());
      num(tr, String.valueOf(s.findings()));
      num(tr, Figures.format(s.kgCO2e()));
      num(tr, Figures.format(s.kWh()));
    });
  }

  private void findingTables(Element body) {
    body.appendElement("h2").text("Findings by estimated savings");
    if (figures.pricedFindings().isEmpty()) {
      body.appendElement("p").text("No finding could be priced.");
    } else {
      Element table = body.appendElement("table").attr("id", "priced-findings");
      header(table, "Location", "Rule", "Category", "Severity", "Message", "Saves kgCO2e", "Saves kWh", "Of the run");
      for (LocatedFinding f : figures.pricedFindings()) {
        Element tr = findingRow(table, f);
        Savings s = f.savings();
        num(tr, Figures.format(s.kgCO2e()));
        num(tr, Figures.format(s.kWh()));
        num(tr, Figures.percent(s.fraction()));
      }
    }
    body.appendElement("h2").text("Findings with no estimate");
    if (figures.unpricedFindings().isEmpty()) {
      body.appendElement("p").text("None: every finding was priced.");
      return;
    }
    body.appendElement("p").text("These choices are worth changing, but their effect on the run's energy could not"
        + " be estimated from the config.");
    Element table = body.appendElement("table").attr("id", "unpriced-findings");
    header(table, "Location", "Rule", "Category", "Severity", "Message");
    figures.unpricedFindings().forEach(f -> findingRow(table, f));
  }

  private static Element findingRow(Element table, LocatedFinding located) {
    Finding f = located.reported().finding();
    Element tr = table.appendElement("tr");
    tr.appendElement("td").addClass("location").text(RunLabel.location(located.file(), f.range()));
    tr.appendElement("td").appendElement("code").text(f.ruleId());
    tr.appendElement("td").text(f.category().label());
    tr.appendElement("td").addClass("severity-" + f.severity().label()).text(f.severity().label());
    tr.appendElement("td").addClass("message").text(f.message());
    return tr;
  }

  private void runsAndAssumptions(Element body) {
    body.appendElement("h2").text("Runs and their assumptions");
    if (figures.runs().isEmpty()) {
      body.appendElement("p").text("No runs recognised.");
      return;
    }
    Element table = body.appendElement("table").attr("id", "runs-table");
    header(table, "Run", "Estimate", "Assumptions (value, source)");
    for (RunEstimate r : figures.runs()) {
      Footprint fp = r.footprint();
      Element tr = table.appendElement("tr");
      tr.appendElement("td").text(RunLabel.of(r));
      tr.appendElement("td").text(Figures.format(fp.totalKgCO2e()) + " kgCO2e (" + Figures.format(fp.lowKgCO2e())
          + "–" + Figures.format(fp.highKgCO2e()) + "); " + Figures.format(fp.energyKWh()) + " kWh; "
          + Figures.format(fp.hours()) + " h (" + hoursBasis(fp) + "); PUE " + Figures.format(fp.pue()) + "; "
          + Figures.format(fp.gridIntensity()) + " gCO2e/kWh"
          + (r.run().region() == null ? "" : "; region " + r.run().region().spec().key()));
      Element list = tr.appendElement("td").appendElement("ul").addClass("assumptions");
      for (Assumption a : fp.assumptions()) {
        list.appendElement("li").text(a.toString());
      }
    }
  }

  private void problems(Element body) {
    body.appendElement("h2").text("Parse errors and unreadable files");
    Element list = body.appendElement("ul").attr("id", "problems");
    for (FileAnalysis file : result.files()) {
      for (ParseProblem p : file.problems()) {
        list.appendElement("li").addClass("location").text(RunLabel.location(file.file(), p.range()) + ": " + p.message());
      }
      for (LimitNotice n : file.notices()) {
        list.appendElement("li").addClass("location").addClass("notice")
            .text(RunLabel.location(file.file(), n.range()) + ": " + n.message());
      }
    }
    for (CheckResult.UnreadableFile u : result.unreadable()) {
      list.appendElement("li").addClass("location").text(u.file() + ": " + u.message());
    }
    if (list.childrenSize() == 0) {
      list.remove();
      body.appendElement("p").text("None: every file was read and parsed.");
    }
  }

  static String hoursBasis(Footprint fp) {
    return switch (fp.hoursBasis()) {
      case STATED -> "stated";
      case COMPUTED -> "from 6·N·D";
      case DEFAULT -> "default";
    };
  }

  private static void header(Element table, String... names) {
    Element tr = table.appendElement("tr");
    for (int i = 0; i < names.length; i++) {
      Element th = tr.appendElement("th").attr("scope", "col").text(names[i]);
      if (names[i].contains("kgCO2e") || names[i].contains("kWh") || names[i].equals("Hours")
          || names[i].equals("Of the run") || names[i].equals("Priced findings")) {
        th.addClass("num");
      }
    }
  }

  private static void num(Element tr, String value) {
    tr.appendElement("td").addClass("num").text(value);
  }
}
