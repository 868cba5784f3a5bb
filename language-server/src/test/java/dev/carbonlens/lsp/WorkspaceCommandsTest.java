package dev.carbonlens.lsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.estimate.Figures;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** `workspace/executeCommand`: what an editor's status bar, report view and rule help ask for. */
class WorkspaceCommandsTest {
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());
  private static final String URI = "file:///work/skypilot/resnet.yaml";
  private static final String SKYPILOT = "name: resnet50-cifar\n\nresources:\n  infra: aws/ap-south-1\n"
      + "  accelerators: K80:4\n\nrun: |\n  python train.py --arch resnet50 --dataset cifar10 --epochs 90 --bf16\n";

  private final RecordingClient client = new RecordingClient();
  private final CarbonLensLanguageServer server = new CarbonLensLanguageServer(CompletableFuture.completedFuture(ANALYZER));

  {
    server.connect(client);
  }

  @AfterEach
  void stop() {
    server.shutdown();
  }

  private void openAndWait(String uri, String text) throws Exception {
    server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 3, text)));
    client.next();
  }

  private Object run(String command, Object... args) throws Exception {
    return server.getWorkspaceService()
        .executeCommand(new ExecuteCommandParams(command, List.of(args))).get(30, TimeUnit.SECONDS);
  }

  @Test
  void initializeAdvertisesTheCommands() throws Exception {
    var capabilities = server.initialize(new InitializeParams()).get().getCapabilities();
    assertThat(capabilities.getExecuteCommandProvider().getCommands())
        .containsExactly("carbonlens.summary", "carbonlens.report", "carbonlens.explain");
  }

  @Test
  void summaryGivesTheOpenDocumentsFootprintAndSavings() throws Exception {
    openAndWait(URI, SKYPILOT);
    JsonObject summary = (JsonObject) run("carbonlens.summary", new JsonPrimitive(URI));
    RunEstimate run = ANALYZER.analyze("resnet.yaml", SKYPILOT).runs().get(0);
    assertThat(summary.get("uri").getAsString()).isEqualTo(URI);
    assertThat(summary.get("version").getAsInt()).isEqualTo(3);
    assertThat(summary.get("runs").getAsInt()).isEqualTo(1);
    assertThat(summary.get("findings").getAsInt()).isEqualTo(3);
    assertThat(summary.get("footprintKgCO2e").getAsDouble()).isEqualTo(Figures.round(run.footprint().totalKgCO2e()));
    assertThat(summary.get("operationalKgCO2e").getAsDouble())
        .isEqualTo(Figures.round(run.footprint().operationalKgCO2e()));
    assertThat(summary.get("embodiedKgCO2e").getAsDouble()).isEqualTo(Figures.round(run.footprint().embodiedKgCO2e()));
    assertThat(summary.get("savingsKgCO2e").getAsDouble()).isEqualTo(Figures.round(run.allFindingsSavings().kgCO2e()));
    // a plain string argument (as some clients send it) works too
    assertThat(((JsonObject) run("carbonlens.summary", URI)).get("runs").getAsInt()).isEqualTo(1);
  }

  @Test
  void summaryOfADocumentWithoutRunsHasNoFiguresAndOfAClosedOneIsNull() throws Exception {
    openAndWait("file:///work/compose.yaml", "services:\n  web:\n    image: nginx\n");
    JsonObject summary = (JsonObject) run("carbonlens.summary", "file:///work/compose.yaml");
    assertThat(summary.get("runs").getAsInt()).isZero();
    assertThat(summary.get("footprintKgCO2e").isJsonNull()).isTrue();
    assertThat(summary.get("savingsKgCO2e").isJsonNull()).isTrue();
    assertThat(run("carbonlens.summary", "file:///work/never-opened.yaml")).isNull();
  }

  @Test
  void reportRendersTheOpenDocumentsAsTheHtmlReport() throws Exception {
    openAndWait(URI, SKYPILOT);
    String html = ((JsonObject) run("carbonlens.report")).get("html").getAsString();
    var page = Jsoup.parse(html);
    assertThat(page.select("svg#footprint-chart g.run-bar")).hasSize(1);
    assertThat(page.select("script")).isEmpty();
    assertThat(page.text()).contains("CL-HW-001").contains("resnet.yaml");
    FileAnalysis named = ANALYZER.analyze("resnet.yaml", SKYPILOT);
    assertThat(page.text()).contains(Figures.format(named.runs().get(0).footprint().totalKgCO2e()) + " kgCO2e");
  }

  @Test
  void explainGivesTheRulePageAndAnUnknownIdIsAnError() throws Exception {
    JsonObject page = (JsonObject) run("carbonlens.explain", "cl-hw-001");
    assertThat(page.get("id").getAsString()).isEqualTo("CL-HW-001");
    assertThat(page.get("markdown").getAsString()).startsWith("# CL-HW-001: ").contains("## How the savings are estimated");
    assertThatThrownBy(() -> run("carbonlens.explain", "CL-NOPE-001"))
        .hasCauseInstanceOf(ResponseErrorException.class).hasMessageContaining("no rule CL-NOPE-001");
    assertThatThrownBy(() -> run("carbonlens.frobnicate"))
        .hasCauseInstanceOf(ResponseErrorException.class).hasMessageContaining("unknown command");
    assertThatThrownBy(() -> run("carbonlens.summary")).hasMessageContaining("takes one argument");
  }
}
