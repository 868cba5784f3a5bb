package dev.carbonlens.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.estimate.EstimatorSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import com.google.gson.JsonParser;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DiagnosticCapabilities;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DocumentDiagnosticParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.TextDocumentClientCapabilities;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real server in its own JVM, over stdio, driven by an LSP4J client as an editor would: the
 * same process `carbonlens lsp` starts.
 */
class LspEndToEndTest {
  private static final Path SAMPLE = Path.of("..", "samples", "skypilot", "resnet-k80.yaml");
  private static final long WAIT_SECONDS = 60;

  private Process process;
  private LanguageServer server;
  private final RecordingClient client = new RecordingClient();
  private final BlockingQueue<PublishDiagnosticsParams> published = client.published;

  @BeforeEach
  void startServer() throws Exception {
    launch(new ClientCapabilities(), null);
  }

  private InitializeResult launch(ClientCapabilities capabilities, Object initializationOptions) throws Exception {
    InitializeParams init = new InitializeParams();
    init.setCapabilities(capabilities);
    init.setInitializationOptions(initializationOptions);
    return launch(init);
  }

  private InitializeResult launch(InitializeParams init) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.carbonlens.cli.Main", "lsp")
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client,
        process.getInputStream(), process.getOutputStream());
    launcher.startListening();
    server = launcher.getRemoteProxy();
    var result = server.initialize(init).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(result.getServerInfo().getName()).isEqualTo("carbonlens");
    assertThat(result.getCapabilities().getTextDocumentSync().getRight().getChange())
        .isEqualTo(TextDocumentSyncKind.Incremental);
    server.initialized(new InitializedParams());
    return result;
  }

  @AfterEach
  void stopServer() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void opensASampleAndPublishesFindingsWithSavings() throws Exception {
    String uri = SAMPLE.toAbsolutePath().normalize().toUri().toString();
    String text = Files.readString(SAMPLE);
    server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 1, text)));

    PublishDiagnosticsParams first = next(uri);
    assertThat(first.getVersion()).isEqualTo(1);
    assertThat(first.getDiagnostics()).extracting(d -> d.getCode().getLeft())
        .containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");
    Diagnostic hardware = byCode(first, "CL-HW-001");
    // `  accelerators: K80:4` on line 6: the value K80:4
    assertThat(hardware.getRange()).isEqualTo(new Range(new Position(5, 16), new Position(5, 21)));
    assertThat(hardware.getSource()).isEqualTo("carbonlens");
    JsonObject data = (JsonObject) hardware.getData();
    assertThat(data.get("category").getAsString()).isEqualTo("hardware");
    JsonObject savings = data.getAsJsonObject("savings");
    assertThat(savings.get("kgCO2e").getAsDouble()).isPositive();
    assertThat(savings.get("kWh").getAsDouble()).isPositive();
    assertThat(savings.get("fraction").getAsDouble()).isBetween(0.0, 1.0);
    Diagnostic region = byCode(first, "CL-REG-002");
    assertThat(region.getRange().getStart()).isEqualTo(new Position(4, 9)); // infra: aws/ap-south-1

    // Incremental edit: K80 -> L4 on that line; the hardware finding goes away.
    TextDocumentContentChangeEvent edit = new TextDocumentContentChangeEvent(
        new Range(new Position(5, 16), new Position(5, 19)), "L4");
    server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
        new VersionedTextDocumentIdentifier(uri, 2), List.of(edit)));
    PublishDiagnosticsParams second = next(uri);
    assertThat(second.getVersion()).isEqualTo(2);
    assertThat(second.getDiagnostics()).extracting(d -> d.getCode().getLeft())
        .containsExactly("CL-REG-002", "CL-ES-001");

    server.getTextDocumentService().didClose(new DidCloseTextDocumentParams(new TextDocumentIdentifier(uri)));
    assertThat(next(uri).getDiagnostics()).isEmpty();
    shutDownCleanly();
  }

  @Test
  void hoverCodeActionAndCodeLensOverStdio() throws Exception {
    String uri = SAMPLE.toAbsolutePath().normalize().toUri().toString();
    String text = Files.readString(SAMPLE);
    var docs = server.getTextDocumentService();
    docs.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 1, text)));
    next(uri);
    TextDocumentIdentifier id = new TextDocumentIdentifier(uri);

    var hover = docs.hover(new org.eclipse.lsp4j.HoverParams(id, new Position(5, 17))).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(hover.getContents().getRight().getValue()).startsWith("**CL-HW-001** Training on a legacy accelerator")
        .contains("**Saves ≈ ").contains("- grid intensity: ");

    var context = new org.eclipse.lsp4j.CodeActionContext(List.of());
    var actions = docs.codeAction(new org.eclipse.lsp4j.CodeActionParams(id,
        new Range(new Position(5, 17), new Position(5, 17)), context)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    var fix = actions.stream().map(a -> a.getRight()).filter(a -> a.getTitle().startsWith("Use L4")).findFirst().orElseThrow();
    List<org.eclipse.lsp4j.TextEdit> edits = fix.getEdit().getChanges().get(uri);
    String fixed = CodeActionsFeatureTest.apply(text, edits);
    docs.didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, 2),
        List.of(new TextDocumentContentChangeEvent(fixed))));
    assertThat(next(uri).getDiagnostics()).extracting(d -> d.getCode().getLeft()).doesNotContain("CL-HW-001");

    var lenses = docs.codeLens(new org.eclipse.lsp4j.CodeLensParams(id)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(lenses).singleElement().satisfies(l -> assertThat(l.getCommand().getTitle()).startsWith("CarbonLens: ≈ ")
        .contains(" × L4)"));
    shutDownCleanly();
  }

  @Test
  void aHalfTypedFileGetsAParseDiagnosticAndTheServerCarriesOn() throws Exception {
    String uri = Path.of("..", "samples", "draft.yaml").toAbsolutePath().normalize().toUri().toString();
    String broken = "resources:\n  accelerators: V100:8\n  region: us-east-1\n  cloud aws: : x\nnum_nodes: 2\n";
    server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 1, broken)));
    PublishDiagnosticsParams first = next(uri);
    // One parse diagnostic where the text breaks; what still parsed keeps its findings.
    assertThat(first.getDiagnostics()).filteredOn(d -> d.getCode().getLeft().equals("parse")).hasSize(1);
    Diagnostic parse = byCode(first, "parse");
    assertThat(parse.getRange().getStart()).isEqualTo(new Position(3, 13));
    assertThat(parse.getMessage().getLeft()).contains("mapping values are not allowed here");
    assertThat(first.getDiagnostics()).extracting(d -> d.getCode().getLeft()).contains("CL-HW-002");
    assertThat(((JsonObject) parse.getData()).get("savings").isJsonNull()).isTrue();

    String fixed = "resources:\n  accelerators: V100:8\n  region: us-east-1\n  cloud: aws\nnum_nodes: 2\nrun: python train.py --epochs 40\n";
    TextDocumentContentChangeEvent full = new TextDocumentContentChangeEvent(fixed);
    server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
        new VersionedTextDocumentIdentifier(uri, 2), List.of(full)));
    PublishDiagnosticsParams second = next(uri);
    assertThat(second.getVersion()).isEqualTo(2);
    assertThat(second.getDiagnostics()).extracting(d -> d.getCode().getLeft())
        .contains("CL-REG-001", "CL-HW-002", "CL-ES-001");
    shutDownCleanly();
  }

  @Test
  void editorAndCheckAgreeOnEveryFinding() throws Exception {
    for (Path sample : List.of(SAMPLE, Path.of("..", "samples", "huggingface", "pythia-imdb-fp32.json"),
        Path.of("..", "samples", "lightning", "vit-cli-fp32.yaml"))) {
      String uri = sample.toAbsolutePath().normalize().toUri().toString();
      String text = Files.readString(sample);
      server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 1, text)));
      List<Diagnostic> diagnostics = next(uri).getDiagnostics();
      List<ReportedFinding> findings = Analyzer.builtIn(EstimatorSettings.defaults())
          .analyze(sample.toString(), text).findings();
      assertThat(diagnostics).hasSameSizeAs(findings);
      for (int i = 0; i < findings.size(); i++) {
        var f = findings.get(i).finding();
        Diagnostic d = diagnostics.get(i);
        assertThat(d.getCode().getLeft()).isEqualTo(f.ruleId());
        assertThat(d.getRange().getStart()).isEqualTo(new Position(f.range().startLine(), f.range().startColumn()));
        JsonObject data = (JsonObject) d.getData();
        assertThat(data.get("category").getAsString()).isEqualTo(f.category().label());
        if (f.savings() == null) {
          assertThat(data.get("savings").isJsonNull()).isTrue();
        } else {
          assertThat(data.getAsJsonObject("savings").get("kgCO2e").getAsDouble())
              .isCloseTo(f.savings().kgCO2e(), org.assertj.core.data.Percentage.withPercentage(0.01));
        }
      }
    }
    shutDownCleanly();
  }

  @Test
  void pullDiagnosticsLiveSettingsValueHoverAndCompletionOverStdio() throws Exception {
    shutDownCleanly();
    ClientCapabilities pull = new ClientCapabilities();
    TextDocumentClientCapabilities text = new TextDocumentClientCapabilities();
    text.setDiagnostic(new DiagnosticCapabilities());
    pull.setTextDocument(text);
    InitializeResult result = launch(pull, JsonParser.parseString("{\"severity\": {\"CL-HW-001\": \"error\"}}"));
    assertThat(result.getCapabilities().getDiagnosticProvider()).isNotNull();
    assertThat(result.getCapabilities().getCompletionProvider()).isNotNull();

    String uri = SAMPLE.toAbsolutePath().normalize().toUri().toString();
    var docs = server.getTextDocumentService();
    docs.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 1, Files.readString(SAMPLE))));
    TextDocumentIdentifier id = new TextDocumentIdentifier(uri);
    var report = docs.diagnostic(new DocumentDiagnosticParams(id)).get(WAIT_SECONDS, TimeUnit.SECONDS)
        .getRelatedFullDocumentDiagnosticReport();
    assertThat(report.getItems()).extracting(d -> d.getCode().getLeft()).containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");
    assertThat(report.getItems().get(1).getSeverity()).as("severity from initializationOptions")
        .isEqualTo(org.eclipse.lsp4j.DiagnosticSeverity.Error);

    // Turn a rule off while the server runs: the next pull no longer has it.
    server.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(
        JsonParser.parseString("{\"carbonlens\": {\"rules\": {\"CL-ES-001\": false}}}")));
    DocumentDiagnosticParams again = new DocumentDiagnosticParams(id);
    again.setPreviousResultId(report.getResultId());
    var afterSettings = docs.diagnostic(again).get(WAIT_SECONDS, TimeUnit.SECONDS).getRelatedFullDocumentDiagnosticReport();
    assertThat(afterSettings.getItems()).extracting(d -> d.getCode().getLeft()).containsExactly("CL-REG-002", "CL-HW-001");
    assertThat(published).as("pull mode never pushes").isEmpty();

    // Replace the legacy K80 with a value typed from completion, then hover on it.
    docs.didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, 2), List.of(
        new TextDocumentContentChangeEvent(new Range(new Position(5, 16), new Position(5, 21)), ""))));
    var completion = docs.completion(new CompletionParams(id, new Position(5, 16))).get(WAIT_SECONDS, TimeUnit.SECONDS);
    List<org.eclipse.lsp4j.CompletionItem> items = completion.isLeft() ? completion.getLeft() : completion.getRight().getItems();
    assertThat(items).extracting(org.eclipse.lsp4j.CompletionItem::getLabel).contains("L4", "H100", "A100");
    var l4 = items.stream().filter(i -> i.getLabel().equals("L4")).findFirst().orElseThrow();
    assertThat(l4.getTextEdit().getLeft().getRange()).isEqualTo(new Range(new Position(5, 16), new Position(5, 16)));
    docs.didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, 3), List.of(
        new TextDocumentContentChangeEvent(l4.getTextEdit().getLeft().getRange(), l4.getTextEdit().getLeft().getNewText() + ":4"))));
    var fixed = docs.diagnostic(new DocumentDiagnosticParams(id)).get(WAIT_SECONDS, TimeUnit.SECONDS)
        .getRelatedFullDocumentDiagnosticReport();
    assertThat(fixed.getItems()).extracting(d -> d.getCode().getLeft()).containsExactly("CL-REG-002");
    var hover = docs.hover(new org.eclipse.lsp4j.HoverParams(id, new Position(5, 17))).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(hover.getContents().getRight().getValue()).startsWith("**L4** · nvidia ada");
    shutDownCleanly();
  }

  @Test
  void editingATrustedTeamRuleChangesOpenDiagnosticsWithoutRestart(@org.junit.jupiter.api.io.TempDir Path workspace)
      throws Exception {
    shutDownCleanly();
    Path rules = Files.createDirectories(workspace.resolve(".carbonlens").resolve("rules"));
    Path rule = rules.resolve("gpu-sign-off.drl");
    String sample = Files.readString(Path.of("..", "samples", "policies", "gpu-sign-off.drl"));
    Files.writeString(rule, sample.replace("devices.count > 16", "devices.count > 2"));
    InitializeParams init = new InitializeParams();
    init.setCapabilities(new ClientCapabilities());
    init.setWorkspaceFolders(List.of(new org.eclipse.lsp4j.WorkspaceFolder(workspace.toUri().toString(), "ws")));
    init.setInitializationOptions(JsonParser.parseString("{\"trustWorkspaceRules\": true}"));
    launch(init);

    String uri = workspace.resolve("task.yaml").toUri().toString();
    server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 1,
        Files.readString(SAMPLE))));
    PublishDiagnosticsParams withPolicy = nextMatching(uri, p -> codes(p).contains("ACME-GPU-001"));
    assertThat(byCode(withPolicy, "ACME-GPU-001").getSeverity()).isEqualTo(org.eclipse.lsp4j.DiagnosticSeverity.Error);
    assertThat(((JsonObject) byCode(withPolicy, "ACME-GPU-001").getData()).get("category").getAsString()).isEqualTo("policy");

    // The team raises its limit: the file changes on disk, the editor reports it, the finding goes.
    Files.writeString(rule, sample);
    server.getWorkspaceService().didChangeWatchedFiles(new org.eclipse.lsp4j.DidChangeWatchedFilesParams(List.of(
        new org.eclipse.lsp4j.FileEvent(rule.toUri().toString(), org.eclipse.lsp4j.FileChangeType.Changed))));
    PublishDiagnosticsParams without = nextMatching(uri, p -> !codes(p).contains("ACME-GPU-001"));
    assertThat(codes(without)).containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");
    shutDownCleanly();
  }

  private static List<String> codes(PublishDiagnosticsParams p) {
    return p.getDiagnostics().stream().map(d -> d.getCode().getLeft()).toList();
  }

  private PublishDiagnosticsParams nextMatching(String uri, java.util.function.Predicate<PublishDiagnosticsParams> test)
      throws InterruptedException {
    while (true) {
      PublishDiagnosticsParams p = next(uri);
      if (test.test(p)) {
        return p;
      }
    }
  }

  private void shutDownCleanly() throws Exception {
    server.shutdown().get(WAIT_SECONDS, TimeUnit.SECONDS);
    server.exit();
    assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }

  private PublishDiagnosticsParams next(String uri) throws InterruptedException {
    while (true) {
      PublishDiagnosticsParams p = published.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(p).as("diagnostics for " + uri).isNotNull();
      if (p.getUri().equals(uri)) {
        return p;
      }
    }
  }

  private static Diagnostic byCode(PublishDiagnosticsParams p, String code) {
    return p.getDiagnostics().stream().filter(d -> code.equals(d.getCode().getLeft())).findFirst().orElseThrow();
  }

  static String read(Path path) throws IOException {
    return Files.readString(path);
  }
}
