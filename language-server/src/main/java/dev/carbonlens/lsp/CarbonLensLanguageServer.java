package dev.carbonlens.lsp;

import java.util.List;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.cli.Version;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextDocumentSyncOptions;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/** The LSP entry points; each hands straight to a service that never touches JSON-RPC. */
public final class CarbonLensLanguageServer implements LanguageServer, LanguageClientAware {
  private final DocumentsService documents;
  private final WorkspaceService workspace = new IdleWorkspaceService();
  private volatile boolean shutdownRequested;

  public CarbonLensLanguageServer(CompletableFuture<Analyzer> analyzer) {
    this.documents = new DocumentsService(analyzer);
  }

  @Override
  public void connect(LanguageClient client) {
    documents.connect(client);
  }

  @Override
  public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
    documents.useSeverities(severitiesFrom(params.getInitializationOptions()));
    TextDocumentSyncOptions sync = new TextDocumentSyncOptions();
    sync.setOpenClose(true);
    sync.setChange(TextDocumentSyncKind.Incremental);
    ServerCapabilities capabilities = new ServerCapabilities();
    capabilities.setTextDocumentSync(sync);
    capabilities.setHoverProvider(true);
    org.eclipse.lsp4j.CodeActionOptions actions = new org.eclipse.lsp4j.CodeActionOptions(
        List.of(org.eclipse.lsp4j.CodeActionKind.QuickFix, CodeActionsFeature.FIX_ALL));
    capabilities.setCodeActionProvider(actions);
    capabilities.setCodeLensProvider(new org.eclipse.lsp4j.CodeLensOptions(false));
    return CompletableFuture.completedFuture(
        new InitializeResult(capabilities, new ServerInfo("carbonlens", Version.VERSION)));
  }

  /**
   * `initializationOptions: {"severity": {"CL-PREC-001": "info", "CL-ES-001": "off"}}`, the same
   * levels as `check --severity`; a malformed entry is skipped (and logged) rather than failing the handshake.
   */
  static dev.carbonlens.analysis.SeverityOverrides severitiesFrom(Object options) {
    if (!(options instanceof com.google.gson.JsonObject json) || !json.has("severity")
        || !json.get("severity").isJsonObject()) {
      return dev.carbonlens.analysis.SeverityOverrides.NONE;
    }
    java.util.Map<String, String> levels = new java.util.LinkedHashMap<>();
    for (var e : json.getAsJsonObject("severity").entrySet()) {
      try {
        String level = e.getValue().getAsString();
        new dev.carbonlens.analysis.SeverityOverrides(java.util.Map.of(e.getKey(), level));
        levels.put(e.getKey(), level);
      } catch (RuntimeException ex) {
        System.err.println("carbonlens: ignoring severity setting " + e.getKey() + ": " + ex.getMessage());
      }
    }
    return new dev.carbonlens.analysis.SeverityOverrides(levels);
  }

  @Override
  public CompletableFuture<Object> shutdown() {
    shutdownRequested = true;
    documents.stop();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void exit() {
    System.exit(shutdownRequested ? 0 : 1);
  }

  @Override
  public TextDocumentService getTextDocumentService() {
    return documents;
  }

  @Override
  public WorkspaceService getWorkspaceService() {
    return workspace;
  }

  /** Settings and watched files arrive with later features; until then these notifications are accepted and ignored. */
  private static final class IdleWorkspaceService implements WorkspaceService {
    @Override
    public void didChangeConfiguration(org.eclipse.lsp4j.DidChangeConfigurationParams params) {}

    @Override
    public void didChangeWatchedFiles(org.eclipse.lsp4j.DidChangeWatchedFilesParams params) {}
  }
}
