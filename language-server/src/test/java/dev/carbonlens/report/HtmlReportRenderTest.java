package dev.carbonlens.report;

import static dev.carbonlens.report.ReportTesting.SAMPLES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carbonlens.testing.Cli;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The samples' report as a browser shows it: headless Chromium renders it to a PNG (not blank, the chart
 * colours on screen) and dumps the DOM it built (both charts there, nothing scripted). Skipped where
 * /usr/bin/chromium is not installed.
 */
class HtmlReportRenderTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void chromiumRendersTheChartsOfTheSamplesReport(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM),
        "headless Chromium is not installed at /usr/bin/chromium (apt-get install chromium): render check skipped");
    Path html = dir.resolve("report.html");
    Cli.Outcome outcome = Cli.run("report", "--html", html.toString(), SAMPLES);
    assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
    Document written = Jsoup.parse(Files.readString(html, StandardCharsets.UTF_8));
    int runBars = written.select("svg#footprint-chart g.run-bar").size();
    int categoryBars = written.select("svg#savings-chart g.category-bar").size();
    assertThat(runBars).isGreaterThan(10);

    // Tall enough for both charts.
    Path png = dir.resolve("report.png");
    chromium(dir, "--window-size=1280,4200", "--screenshot=" + png, html.toUri().toString());
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    Map<Integer, Integer> colours = histogram(image);
    assertThat(colours.size()).as("distinct colours (a blank page has one)").isGreaterThan(100);
    assertThat(colours.getOrDefault(rgb(SvgCharts.OPERATIONAL_COLOUR), 0)).as("operational bars").isGreaterThan(2000);
    assertThat(colours.getOrDefault(rgb(SvgCharts.EMBODIED_COLOUR), 0)).as("embodied bars").isGreaterThan(50);
    assertThat(colours.getOrDefault(rgb(SvgCharts.SAVINGS_COLOUR), 0)).as("savings bars").isGreaterThan(2000);

    String dom = chromium(dir, "--dump-dom", html.toUri().toString());
    Document rendered = Jsoup.parse(dom);
    assertThat(rendered.select("svg#footprint-chart g.run-bar")).hasSize(runBars);
    assertThat(rendered.select("svg#footprint-chart rect.operational")).hasSize(runBars);
    assertThat(rendered.select("svg#savings-chart g.category-bar")).hasSize(categoryBars);
    assertThat(rendered.select("svg#footprint-chart > title").text()).isEqualTo("Estimated footprint per run");
    assertThat(rendered.select("script")).isEmpty();
  }

  /** Runs Chromium headless with no network and a throw-away profile; returns what it printed on stdout. */
  private static String chromium(Path dir, String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(dir, "profile");
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--proxy-server=127.0.0.1:9", "--hide-scrollbars",
        "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    Path stdout = dir.resolve("chromium.out");
    Process process = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(dir.resolve("chromium.err").toFile())
        .start();
    // A guard against a hung browser, not a timing assertion.
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("Chromium did not finish: " + Files.readString(dir.resolve("chromium.err")));
    }
    assertThat(process.exitValue()).as(Files.readString(dir.resolve("chromium.err"))).isZero();
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  private static Map<Integer, Integer> histogram(BufferedImage image) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        counts.merge(image.getRGB(x, y) & 0xFFFFFF, 1, Integer::sum);
      }
    }
    return counts;
  }

  private static int rgb(String hex) {
    return Integer.parseInt(hex.substring(1), 16);
  }
}
