package dev.carbonlens.lsp;

import static dev.carbonlens.lsp.RecordingClient.codes;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.estimate.EstimatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workspace's `.carbonlens.yaml` in the editor: applied to the files below it, followed as it is edited. */
class ProjectConfigInServerTest {
  private static final CompletableFuture<Analyzer> ANALYZER =
      CompletableFuture.completedFuture(Analyzer.builtIn(EstimatorSettings.defaults()));
  /** Four K80s in Mumbai: CL-REG-002, CL-HW-001 (warning), CL-ES-001 from the catalog. */
  private static final String TASK = "resources:\n  infra: aws/ap-south-1\n  accelerators: K80:4\n\n"
      + "run: python train.py --epochs 90\n";
  private static final String CONFIG = "version: 1\nseverity:\n  CL-HW-001: error\nrules:\n  CL-ES-001: false\n";

  private final RecordingClient client = new RecordingClient();
  private final DocumentsService service = new DocumentsService(ANALYZER);

  @TempDir
  Path workspace;

  @AfterEach
  void stop() {
    service.stop();
  }

  @Test
  void theNearestConfigAppliesAndEditsToItApplyAtOnce() throws Exception {
    Path config = workspace.resolve(".carbonlens.yaml");
    Files.writeString(config, CONFIG);
    Path sub = Files.createDirectories(workspace.resolve("jobs"));
    service.connect(client);
    service.applySettings(ClientSettings.parse(JsonParser.parseString("{}")));
    String uri = sub.resolve("task.yaml").toUri().toString();
    service.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 1, TASK)));
    PublishDiagnosticsParams first = client.next();
    assertThat(codes(first)).containsExactly("CL-REG-002", "CL-HW-001");
    assertThat(first.getDiagnostics().get(1).getSeverity()).isEqualTo(DiagnosticSeverity.Error);

    // The team turns CL-ES-001 back on in the open config, without saving: the task follows.
    String configUri = config.toUri().toString();
    service.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(configUri, "yaml", 1, CONFIG)));
    service.didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(configUri, 2),
        List.of(new TextDocumentContentChangeEvent(CONFIG.replace("CL-ES-001: false", "CL-ES-001: true")))));
    PublishDiagnosticsParams after = client.waitFor(p -> p.getUri().equals(uri) && codes(p).contains("CL-ES-001"));
    assertThat(codes(after)).containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");
  }

  @Test
  void theEditorsOwnSeverityWinsOverTheProjectsAndAConfigMistakeShowsOnTheConfig() throws Exception {
    Path config = workspace.resolve(".carbonlens.yaml");
    Files.writeString(config, CONFIG + "defaults:\n  pue: 0.5\n");
    service.connect(client);
    service.applySettings(ClientSettings.parse(JsonParser.parseString("{\"severity\": {\"CL-HW-001\": \"info\"}}")));
    String uri = workspace.resolve("task.yaml").toUri().toString();
    service.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 1, TASK)));
    PublishDiagnosticsParams task = client.next();
    assertThat(codes(task)).containsExactly("CL-REG-002", "CL-HW-001");
    assertThat(task.getDiagnostics().get(1).getSeverity()).isEqualTo(DiagnosticSeverity.Information);

    String configUri = config.toUri().toString();
    service.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(configUri, "yaml", 1, Files.readString(config))));
    PublishDiagnosticsParams onConfig = client.waitFor(p -> p.getUri().equals(configUri));
    assertThat(onConfig.getDiagnostics()).singleElement().satisfies(d -> {
      assertThat(d.getRange().getStart()).isEqualTo(new org.eclipse.lsp4j.Position(6, 7));
      assertThat(d.getMessage().getLeft()).contains("pue");
    });
  }

  @Test
  void theConfigsPoliciesAndRuleFoldersApplyInTheEditor() throws Exception {
    Path teamRules = Files.createDirectories(workspace.resolve("policy"));
    Files.writeString(teamRules.resolve("hardware.yaml"),
        "policies:\n  - id: ACME-HW-001\n    deniedAccelerators: [K80]\n    severity: error\n");
    Files.writeString(workspace.resolve(".carbonlens.yaml"), "version: 1\nruleFolders: [policy]\npolicies:\n"
        + "  - id: ACME-GRID-001\n    maxGridIntensity: 300\n");
    service.connect(client);
    service.applySettings(ClientSettings.parse(JsonParser.parseString("{}")));
    service.useRuleFolders(List.of(workspace.resolve(".carbonlens").resolve("rules")));
    String uri = workspace.resolve("task.yaml").toUri().toString();
    service.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 1, TASK)));
    PublishDiagnosticsParams both = client.waitFor(p -> codes(p).contains("ACME-HW-001") && codes(p).contains("ACME-GRID-001"));
    assertThat(codes(both)).containsExactly("ACME-GRID-001", "CL-REG-002", "ACME-HW-001", "CL-HW-001", "CL-ES-001");
  }
}
