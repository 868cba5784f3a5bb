package dev.carbonlens.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carbonlens.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Published training runs, each described by a config and the settings its paper states (hardware
 * the format cannot name, location, PUE), estimated through `check --format json` exactly as a user
 * would, and compared with the published energy and operational CO2e. The tolerance is ±25 %.
 * Operational CO2e is compared only where the location is known; our grid figures are our own
 * sourced ones, not the paper's.
 */
class PublishedRunsTest {
  private static final Path DIR = Path.of("src/test/resources/validation");
  private static final double TOLERANCE = 0.25;
  private static final List<String> TABLE = new ArrayList<>();

  record Published(String name, String config, List<String> options, double mwh, double tonnes,
      boolean checkOperational, String source) {}

  static Stream<Published> runs() throws Exception {
    return Files.readAllLines(DIR.resolve("published-runs.csv")).stream().skip(1).filter(l -> !l.isBlank())
        .map(line -> {
          String[] f = line.split(",", 7);
          return new Published(f[0], f[1], List.of(f[2].trim().split("\\s+")), Double.parseDouble(f[3]),
              Double.parseDouble(f[4]), f[5].equals("yes"), f[6]);
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void estimateIsWithinAQuarterOfThePublishedRun(Published run) throws Exception {
    List<String> args = new ArrayList<>(List.of("check", "--format", "json", "--fail-on", "never"));
    args.addAll(run.options());
    args.add(DIR.resolve(run.config()).toString());
    JsonNode estimate = check(args).get("runs").get(0);
    double mwh = estimate.get("energyKWh").asDouble() / 1000;
    double tonnes = estimate.get("operationalKgCO2e").asDouble() / 1000;
    double energyError = mwh / run.mwh() - 1;
    double co2Error = tonnes / run.tonnes() - 1;
    TABLE.add(String.format(Locale.ROOT, "%-12s energy %8.1f MWh vs %8.1f (%+5.1f %%)  operational %7.1f t vs %6.1f (%+5.1f %%)%s  %s",
        run.name(), mwh, run.mwh(), 100 * energyError, tonnes, run.tonnes(), 100 * co2Error,
        run.checkOperational() ? "" : " [location unknown: not checked]", estimate.get("hoursBasis").asText()));
    assertThat(estimate.get("hoursBasis").asText()).as("duration from 6·N·D").isEqualTo("computed");
    assertThat(Math.abs(energyError)).as("energy error for %s (%.1f MWh vs %.1f)", run.name(), mwh, run.mwh())
        .isLessThanOrEqualTo(TOLERANCE);
    if (run.checkOperational()) {
      assertThat(Math.abs(co2Error)).as("operational error for %s", run.name()).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  @AfterAll
  static void printTable() {
    System.out.println("Published runs, CarbonLens estimate vs published:");
    TABLE.forEach(System.out::println);
  }

  private static JsonNode check(List<String> args) throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      int code = Main.run(args.toArray(String[]::new));
      assertThat(code).isZero();
    } finally {
      System.setOut(out);
    }
    return new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8));
  }
}
