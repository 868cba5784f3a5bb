package dev.carbonlens.report;

import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.estimate.Footprint;
import dev.carbonlens.model.Category;
import dev.carbonlens.report.ReportFigures.CategorySavings;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;

/**
 * The report's two charts as inline SVG built element by element (no script, no external file), so that
 * labels from configs are escaped like any other text. Each bar carries its exact figures in data
 * attributes; the visible labels use {@link Figures#format}.
 */
final class SvgCharts {
  /** Colour-blind-safe pair (ColorBrewer Dark2), dark enough to print. */
  static final String OPERATIONAL_COLOUR = "#d95f02";
  static final String EMBODIED_COLOUR = "#7570b3";
  static final String SAVINGS_COLOUR = "#1b9e77";
  static final String WHISKER_COLOUR = "#222222";
  private static final String GRID_COLOUR = "#dddddd";

  private static final double WIDTH = 900;
  private static final double VALUE_MARGIN = 190;

  private SvgCharts() {}

  /**
   * Chart 1: one stacked bar per run (operational then embodied kgCO2e), the low-high range as a whisker,
   * the run's label above its bar. Runs are drawn in the order given.
   */
  static Element footprint(Element parent, List<RunEstimate> runs) {
    double rowHeight = 46;
    double top = 44;
    double height = top + runs.size() * rowHeight + 44;
    double largest = runs.stream().mapToDouble(r -> Math.max(r.footprint().highKgCO2e(), r.footprint().totalKgCO2e()))
        .max().orElse(0);
    LinearScale scale = LinearScale.covering(largest, 16, WIDTH - 16 - VALUE_MARGIN);
    Element svg = svg(parent, "footprint-chart", height,
        "Estimated footprint per run",
        "Horizontal stacked bars, one per run, largest first: operational kgCO2e (orange) then embodied kgCO2e"
            + " (purple); a black whisker spans the low-high range. " + runs.size() + " runs. The table after the"
            + " chart gives the same figures.");
    legend(svg, 16, List.of(new String[] {OPERATIONAL_COLOUR, "operational"}, new String[] {EMBODIED_COLOUR, "embodied"}));
    Element whiskerKey = child(svg, "g").attr("class", "legend");
    line(whiskerKey, 260, 18, 290, 18, WHISKER_COLOUR, 1.5);
    line(whiskerKey, 260, 13, 260, 23, WHISKER_COLOUR, 1.5);
    line(whiskerKey, 290, 13, 290, 23, WHISKER_COLOUR, 1.5);
    text(whiskerKey, 298, 22, "low–high range", "start");
    double rowsEnd = top + runs.size() * rowHeight;
    grid(svg, scale, top - 4, rowsEnd);
    for (int i = 0; i < runs.size(); i++) {
      runBar(svg, scale, runs.get(i), top + i * rowHeight);
    }
    return svg;
  }

  private static void runBar(Element svg, LinearScale scale, RunEstimate estimate, double y) {
    Footprint fp = estimate.footprint();
    String label = RunLabel.of(estimate);
    Element g = child(svg, "g").attr("class", "run-bar")
        .attr("data-run", label)
        .attr("data-operational", String.valueOf(fp.operationalKgCO2e()))
        .attr("data-embodied", String.valueOf(fp.embodiedKgCO2e()))
        .attr("data-low", String.valueOf(fp.lowKgCO2e()))
        .attr("data-high", String.valueOf(fp.highKgCO2e()));
    child(g, "title").text(label + ": " + Figures.format(fp.totalKgCO2e()) + " kgCO2e ("
        + Figures.format(fp.operationalKgCO2e()) + " operational + " + Figures.format(fp.embodiedKgCO2e())
        + " embodied), range " + Figures.format(fp.lowKgCO2e()) + "–" + Figures.format(fp.highKgCO2e()));
    text(g, scale.x0(), y + 12, label, "start").attr("class", "run-label");
    double barY = y + 18;
    double barHeight = 16;
    rect(g, scale.x0(), barY, scale.length(fp.operationalKgCO2e()), barHeight, OPERATIONAL_COLOUR).attr("class", "operational");
    rect(g, scale.x(fp.operationalKgCO2e()), barY, scale.length(fp.embodiedKgCO2e()), barHeight, EMBODIED_COLOUR)
        .attr("class", "embodied");
    double middle = barY + barHeight / 2;
    double low = scale.x(fp.lowKgCO2e());
    double high = scale.x(fp.highKgCO2e());
    Element whisker = child(g, "g").attr("class", "whisker");
    line(whisker, low, middle, high, middle, WHISKER_COLOUR, 1.5);
    line(whisker, low, middle - 6, low, middle + 6, WHISKER_COLOUR, 1.5);
    line(whisker, high, middle - 6, high, middle + 6, WHISKER_COLOUR, 1.5);
    double end = Math.max(high, scale.x(fp.totalKgCO2e()));
    text(g, end + 8, middle + 4, Figures.format(fp.totalKgCO2e()) + " kgCO2e (" + Figures.format(fp.lowKgCO2e())
        + "–" + Figures.format(fp.highKgCO2e()) + ")", "start").attr("class", "value");
  }

  /**
   * Chart 2: the summed savings of each category's priced findings, one bar per category, in the order
   * given (largest first).
   */
  static Element savings(Element parent, Map<Category, CategorySavings> byCategory) {
    double rowHeight = 30;
    double top = 12;
    double labelWidth = 190;
    double height = top + byCategory.size() * rowHeight + 44;
    double largest = byCategory.values().stream().mapToDouble(CategorySavings::kgCO2e).max().orElse(0);
    LinearScale scale = LinearScale.covering(largest, labelWidth, WIDTH - labelWidth - VALUE_MARGIN);
    Element svg = svg(parent, "savings-chart", height,
        "Estimated savings per category",
        "Horizontal bars, one per finding category, largest first: the kgCO2e saved by fixing that category's"
            + " findings, summed. Findings on the same run overlap, so each sum is an upper bound. The table"
            + " after the chart gives the same figures.");
    double rowsEnd = top + byCategory.size() * rowHeight;
    grid(svg, scale, top - 4, rowsEnd);
    int i = 0;
    for (Map.Entry<Category, CategorySavings> e : byCategory.entrySet()) {
      double y = top + i++ * rowHeight;
      CategorySavings s = e.getValue();
      Element g = child(svg, "g").attr("class", "category-bar")
          .attr("data-category", e.getKey().label())
          .attr("data-kgco2e", String.valueOf(s.kgCO2e()));
      child(g, "title").text(e.getKey().label() + ": " + Figures.format(s.kgCO2e()) + " kgCO2e from "
          + s.findings() + (s.findings() == 1 ? " finding" : " findings"));
      text(g, labelWidth - 8, y + 17, e.getKey().label(), "end").attr("class", "category-label");
      rect(g, scale.x0(), y + 4, scale.length(s.kgCO2e()), 18, SAVINGS_COLOUR).attr("class", "saving");
      text(g, scale.x(s.kgCO2e()) + 8, y + 17, Figures.format(s.kgCO2e()) + " kgCO2e (" + s.findings()
          + (s.findings() == 1 ? " finding)" : " findings)"), "start").attr("class", "value");
    }
    return svg;
  }

  private static Element svg(Element parent, String id, double height, String title, String description) {
    Element svg = parent.appendElement("svg", Parser.NamespaceSvg)
        .attr("id", id)
        .attr("class", "chart")
        .attr("role", "img")
        .attr("viewBox", "0 0 " + number(WIDTH) + " " + number(height))
        .attr("width", number(WIDTH))
        .attr("height", number(height))
        .attr("aria-labelledby", id + "-title " + id + "-desc");
    child(svg, "title").attr("id", id + "-title").text(title);
    child(svg, "desc").attr("id", id + "-desc").text(description);
    return svg;
  }

  /** Vertical gridlines at the scale's ticks, with their values and unit under the plot. */
  private static void grid(Element svg, LinearScale scale, double from, double to) {
    Element axis = child(svg, "g").attr("class", "axis");
    for (double tick : scale.ticks()) {
      double x = scale.x(tick);
      line(axis, x, from, x, to, GRID_COLOUR, 1);
      text(axis, x, to + 16, Figures.format(tick), "middle");
    }
    text(axis, scale.x0() + scale.width(), to + 34, "kgCO2e", "end");
  }

  private static void legend(Element svg, double x, List<String[]> entries) {
    Element g = child(svg, "g").attr("class", "legend");
    double at = x;
    for (String[] entry : entries) {
      rect(g, at, 11, 14, 14, entry[0]);
      text(g, at + 20, 22, entry[1], "start");
      at += 110;
    }
  }

  private static Element child(Element parent, String name) {
    return parent.appendElement(name, Parser.NamespaceSvg);
  }

  private static Element rect(Element parent, double x, double y, double width, double height, String fill) {
    return child(parent, "rect").attr("x", number(x)).attr("y", number(y)).attr("width", number(width))
        .attr("height", number(height)).attr("fill", fill);
  }

  private static void line(Element parent, double x1, double y1, double x2, double y2, String colour, double width) {
    child(parent, "line").attr("x1", number(x1)).attr("y1", number(y1)).attr("x2", number(x2))
        .attr("y2", number(y2)).attr("stroke", colour).attr("stroke-width", number(width));
  }

  private static Element text(Element parent, double x, double y, String content, String anchor) {
    return child(parent, "text").attr("x", number(x)).attr("y", number(y)).attr("text-anchor", anchor).text(content);
  }

  /** Coordinates to two decimals: exact enough for a screen, stable for tests. */
  static String number(double value) {
    String s = String.format(Locale.ROOT, "%.2f", value);
    return s.endsWith(".00") ? s.substring(0, s.length() - 3) : s;
  }
}
