package dev.carbonlens.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.estimate.GridSignal;
import dev.carbonlens.model.Severity;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {
  private static ClientSettings parse(String json) {
    return ClientSettings.parse(JsonParser.parseString(json));
  }

  @Test
  void defaultsApplyOnTopOfTheServersOwnSettings() {
    ClientSettings s = parse("{\"defaults\": {\"provider\": \"gcp\", \"region\": \"europe-west1\", \"pue\": 1.2,"
        + " \"gridSignal\": \"marginal\", \"accelerator\": \"H100-SXM\", \"hours\": 12, \"utilisation\": 0.8,"
        + " \"hostOverhead\": 0.2, \"mfu\": 0.4, \"hardwareLifetime\": 5, \"servingThroughput\": 1500}}");
    EstimatorSettings base = EstimatorSettings.defaults().toBuilder().evalSetFraction(0.1).build();
    EstimatorSettings applied = s.defaults().apply(base);
    assertThat(s.problems()).isEmpty();
    assertThat(applied.defaultLocation()).isEqualTo("gcp:europe-west1");
    assertThat(applied.pueOverride()).isEqualTo(1.2);
    assertThat(applied.gridSignal()).isEqualTo(GridSignal.MARGINAL);
    assertThat(applied.defaultAccelerator()).isEqualTo("H100-SXM");
    assertThat(applied.defaultHours()).isEqualTo(12);
    assertThat(applied.utilisation()).isEqualTo(0.8);
    assertThat(applied.hostOverheadFraction()).isEqualTo(0.2);
    assertThat(applied.mfu()).isEqualTo(0.4);
    assertThat(applied.hardwareLifetimeYears()).isEqualTo(5);
    assertThat(applied.servingTokensPerSecond()).isEqualTo(1500);
    assertThat(applied.evalSetFraction()).as("untouched settings keep the server's value").isEqualTo(0.1);
  }

  @Test
  void aCountryOrAProviderQualifiedRegionNeedsNoProvider() {
    assertThat(parse("{\"defaults\": {\"region\": \"FR\"}}").defaults().apply(EstimatorSettings.defaults())
        .defaultLocation()).isEqualTo("FR");
    assertThat(parse("{\"defaults\": {\"region\": \"aws:eu-north-1\"}}").defaults().apply(EstimatorSettings.defaults())
        .defaultLocation()).isEqualTo("aws:eu-north-1");
  }

  @Test
  void severitiesAndRulesOffCombineAndVsCodesSectionIsUnwrapped() {
    ClientSettings s = parse("{\"carbonlens\": {\"severity\": {\"CL-PREC-001\": \"info\", \"CL-ES-001\": \"hint\"},"
        + " \"rules\": {\"CL-ES-001\": false, \"CL-REG-001\": true}, \"debounceMs\": 50}}");
    assertThat(s.problems()).isEmpty();
    assertThat(s.severities().severityOf("CL-PREC-001")).hasValue(Severity.INFO);
    assertThat(s.severities().isOff("CL-ES-001")).as("off wins over a level").isTrue();
    assertThat(s.severities().levels()).doesNotContainKey("CL-REG-001");
    assertThat(s.debounceMs()).isEqualTo(50);
  }

  @Test
  void badEntriesAreSkippedWithAMessageAndTheRestApplies() {
    ClientSettings s = parse("{\"defaults\": {\"region\": \"mars-1\", \"pue\": 0.5, \"gridSignal\": \"loud\","
        + " \"accelerator\": \"Z9000\", \"hours\": \"long\", \"mfu\": 0.5}, \"severity\": {\"CL-REG-001\": \"loud\","
        + " \"CL-PREC-001\": \"error\"}, \"rules\": {\"CL-ES-001\": \"no\"}, \"debounceMs\": -3}");
    assertThat(s.problems()).containsExactly(
        "defaults.region: unknown defaults.region: mars-1 (a country code such as FR, or provider:region such as aws:us-east-1)",
        "defaults.pue: PUE must be in [1, 3]",
        "defaults.gridSignal: expected average or marginal, got loud",
        "defaults.accelerator: unknown accelerator for defaults.accelerator: Z9000",
        "defaults.hours: expected a number, got \"long\"",
        "severity CL-REG-001: unknown severity: loud",
        "rules CL-ES-001: expected true or false",
        "debounceMs: expected 0 to 5000, got -3");
    EstimatorSettings applied = s.defaults().apply(EstimatorSettings.defaults());
    assertThat(applied.mfu()).isEqualTo(0.5);
    assertThat(applied.pueOverride()).isNull();
    assertThat(s.severities().severityOf("CL-PREC-001")).hasValue(Severity.ERROR);
    assertThat(s.debounceMs()).isEqualTo(ClientSettings.DEFAULT_DEBOUNCE_MS);
  }

  @Test
  void limitsAreSetInKilobytesAndMillisecondsWithinBounds() {
    ClientSettings s = parse("{\"limits\": {\"maxFileSizeKB\": 4096, \"timeBudgetMs\": 500}}");
    assertThat(s.problems()).isEmpty();
    assertThat(s.limits().maxFileBytes()).isEqualTo(4L * 1024 * 1024);
    assertThat(s.limits().timeBudget()).isEqualTo(java.time.Duration.ofMillis(500));
    ClientSettings bad = parse("{\"limits\": {\"maxFileSizeKB\": 0, \"timeBudgetMs\": 2.5}}");
    assertThat(bad.problems()).containsExactly(
        "limits.maxFileSizeKB: expected a whole number from 1 to 65536, got 0",
        "limits.timeBudgetMs: expected a whole number from 100 to 60000, got 2.5");
    assertThat(bad.limits()).isEqualTo(dev.carbonlens.limits.AnalysisLimits.EDITOR);
    assertThat(parse("{\"limits\": 3}").problems()).containsExactly("limits: expected an object");
    assertThat(ClientSettings.NONE.limits()).isEqualTo(dev.carbonlens.limits.AnalysisLimits.EDITOR);
    assertThat(ClientSettings.addressesCarbonLens(JsonParser.parseString("{\"limits\": {}}"))).isTrue();
  }

  @Test
  void noOrOddOptionsMeanNoChange() {
    assertThat(ClientSettings.parse(null)).isSameAs(ClientSettings.NONE);
    assertThat(ClientSettings.parse(JsonParser.parseString("[1]"))).isSameAs(ClientSettings.NONE);
    assertThat(parse("{\"severity\": 3}").problems()).containsExactly("severity: expected an object of rule id to level");
    assertThat(parse("{}").severities().levels()).isEmpty();
  }

  @Test
  void onlyPayloadsForCarbonLensCountAsSettings() {
    assertThat(ClientSettings.addressesCarbonLens(JsonParser.parseString("{}"))).isFalse();
    assertThat(ClientSettings.addressesCarbonLens(JsonParser.parseString("{\"yaml\": {\"validate\": true}}"))).isFalse();
    assertThat(ClientSettings.addressesCarbonLens(null)).isFalse();
    assertThat(ClientSettings.addressesCarbonLens(JsonParser.parseString("{\"carbonlens\": {}}"))).isTrue();
    assertThat(ClientSettings.addressesCarbonLens(JsonParser.parseString("{\"severity\": {}}"))).isTrue();
  }

  @Test
  void anEmptyConfigurationChangeKeepsTheInitializationOptions() throws Exception {
    RecordingClient client = new RecordingClient();
    CarbonLensLanguageServer server = new CarbonLensLanguageServer(java.util.concurrent.CompletableFuture.completedFuture(
        dev.carbonlens.analysis.Analyzer.builtIn(dev.carbonlens.estimate.EstimatorSettings.defaults())));
    server.connect(client);
    try {
      org.eclipse.lsp4j.InitializeParams init = new org.eclipse.lsp4j.InitializeParams();
      init.setInitializationOptions(JsonParser.parseString("{\"severity\": {\"CL-HW-001\": \"error\"}}"));
      server.initialize(init).get();
      // what Eglot sends right after connecting
      server.getWorkspaceService().didChangeConfiguration(
          new org.eclipse.lsp4j.DidChangeConfigurationParams(JsonParser.parseString("{}")));
      server.getTextDocumentService().didOpen(new org.eclipse.lsp4j.DidOpenTextDocumentParams(
          new org.eclipse.lsp4j.TextDocumentItem("file:///w/k80.yaml", "yaml", 1,
              "resources:\n  accelerators: K80:4\nrun: python train.py\n")));
      var diagnostic = client.next().getDiagnostics().stream()
          .filter(d -> d.getCode().getLeft().equals("CL-HW-001")).findFirst().orElseThrow();
      assertThat(diagnostic.getSeverity()).isEqualTo(org.eclipse.lsp4j.DiagnosticSeverity.Error);
    } finally {
      server.shutdown();
    }
  }
}
