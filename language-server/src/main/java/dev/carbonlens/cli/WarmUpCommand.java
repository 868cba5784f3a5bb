package dev.carbonlens.cli;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.lsp.CarbonLensLanguageServer;
import dev.carbonlens.lsp.LspCommand;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Exercises both front ends once so the launcher can record the classes they load into an AppCDS
 * archive (`-XX:ArchiveClassesAtExit`), which later launches map instead of loading: it analyses
 * the given configs, then runs an in-process LSP session (initialize, didOpen, diagnostics,
 * shutdown) over pipes.
 */
@Command(name = "warm-up", hidden = true, description = "Load every class the tool uses (for the AppCDS archive).")
public final class WarmUpCommand implements java.util.concurrent.Callable<Integer> {

  @Parameters(paramLabel = "FOLDER", description = "Configs to analyse, e.g. samples/.")
  Path folder;

  @Override
  public Integer call() throws Exception {
    Analyzer analyzer = Analyzer.builtIn(EstimatorSettings.defaults());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      analyzer.analyze(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }
    if (!files.isEmpty()) {
      runLspSession(analyzer, files.get(0));
    }
    return 0;
  }

  private static void runLspSession(Analyzer analyzer, Path file) throws Exception {
    PipedInputStream serverIn = new PipedInputStream(1 << 16);
    PipedOutputStream clientOut = new PipedOutputStream(serverIn);
    PipedInputStream clientIn = new PipedInputStream(1 << 16);
    PipedOutputStream serverOut = new PipedOutputStream(clientIn);
    CarbonLensLanguageServer server = new CarbonLensLanguageServer(CompletableFuture.completedFuture(analyzer));
    var serverLauncher = LspCommand.launcher(server, serverIn, serverOut);
    server.connect(serverLauncher.getRemoteProxy());
    serverLauncher.startListening();
    CompletableFuture<PublishDiagnosticsParams> diagnostics = new CompletableFuture<>();
    var clientLauncher = LSPLauncher.createClientLauncher(new Client(diagnostics), clientIn, clientOut);
    clientLauncher.startListening();
    LanguageServer remote = clientLauncher.getRemoteProxy();
    InitializeParams init = new InitializeParams();
    init.setCapabilities(new ClientCapabilities());
    remote.initialize(init).get(30, TimeUnit.SECONDS);
    remote.initialized(new InitializedParams());
    String uri = file.toAbsolutePath().toUri().toString();
    remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
        new TextDocumentItem(uri, "yaml", 1, Files.readString(file))));
    diagnostics.get(30, TimeUnit.SECONDS);
    remote.shutdown().get(30, TimeUnit.SECONDS);
    closeQuietly(clientOut);
    closeQuietly(serverOut);
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // the session is over either way
    }
  }

  private record Client(CompletableFuture<PublishDiagnosticsParams> diagnostics) implements LanguageClient {
    @Override
    public void publishDiagnostics(PublishDiagnosticsParams params) {
      diagnostics.complete(params);
    }

    @Override
    public void telemetryEvent(Object object) {}

    @Override
    public void showMessage(MessageParams messageParams) {}

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams requestParams) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void logMessage(MessageParams message) {}
  }
}
