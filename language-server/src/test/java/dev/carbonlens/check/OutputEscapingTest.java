package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carbonlens.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a pull request controls (file names, keys, values) stays data in the machine-readable reports: the JSON
 * and SARIF parse back to exactly the names written, and SARIF still validates. (The HTML report's escaping:
 * HtmlReportTest.textFromConfigsIsEscaped.)
 */
class OutputEscapingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOSTILE_NAME = "a\"b<c>&'d\\e.yaml";

  @Test
  void hostileFileNamesAndTextRoundTripThroughJsonAndSarif(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(HOSTILE_NAME), "resources:\n  infra: aws/ap-south-1\n  accelerators: K80:4\n"
        + "run: python train.py --epochs 90 # \"},{\"injected\": true}\n");
    // a syntax error whose message quotes the text: a tab and a quote where a key should be
    Files.writeString(dir.resolve("broken.yaml"), "key: value\n\t\"}]: <script>\n");

    Cli.Outcome json = Cli.run("check", "--format", "json", dir.toString());
    JsonNode report = JSON.readTree(json.stdout());
    assertThat(report.get("findings")).isNotEmpty().allSatisfy(f ->
        assertThat(f.get("file").asText()).isEqualTo(dir.resolve(HOSTILE_NAME).toString()));
    assertThat(report.get("errors")).singleElement().satisfies(e ->
        assertThat(e.get("file").asText()).endsWith("broken.yaml"));
    assertThat(report.has("injected")).isFalse();

    JsonNode sarif = SarifReportTest.sarif(SarifReportTest.check(dir.toString()));
    assertThat(SarifReportTest.violations(sarif)).isEmpty();
    JsonNode results = sarif.get("runs").get(0).get("results");
    assertThat(results).anySatisfy(r -> assertThat(r.get("locations").get(0).get("physicalLocation")
        .get("artifactLocation").get("uri").asText()).endsWith("a%22b%3Cc%3E&'d%5Ce.yaml"));
  }
}
