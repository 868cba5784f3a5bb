package dev.carbonlens.lsp;

import java.util.List;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.cli.Version;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionOptions;
import org.eclipse.lsp4j.CodeLensOptions;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.DiagnosticRegistrationOptions;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
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
  private final WorkspaceService workspace = new SettingsWorkspaceService();
  private final WorkspaceCommands commands;
  private volatile LanguageClient client;
  private volatile boolean watchRuleFiles;
  private volatile boolean shutdownRequested;

  public CarbonLensLanguageServer(CompletableFuture<Analyzer> analyzer) {
    this.documents = new DocumentsService(analyzer);
    this.commands = new WorkspaceCommands(documents);
  }

  @Override
  public void connect(LanguageClient client) {
    this.client = client;
    documents.connect(client);
  }

  @Override
  public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
    ClientSettings settings = ClientSettings.parse(params.getInitializationOptions());
    documents.applySettings(settings);
    reportSettingsProblems(settings);
    documents.useRuleFolders(ruleFolders(params));
    watchRuleFiles = supportsWatcherRegistration(params.getCapabilities());
    boolean pull = supportsPullDiagnostics(params.getCapabilities());
    documents.usePullDiagnostics(pull, supportsDiagnosticRefresh(params.getCapabilities()));
    TextDocumentSyncOptions sync = new TextDocumentSyncOptions();
    sync.setOpenClose(true);
    sync.setChange(TextDocumentSyncKind.Incremental);
    ServerCapabilities capabilities = new ServerCapabilities();
    capabilities.setTextDocumentSync(sync);
    capabilities.setHoverProvider(true);
    capabilities.setCodeActionProvider(new CodeActionOptions(List.of(CodeActionKind.QuickFix, CodeActionsFeature.FIX_ALL)));
    capabilities.setCodeLensProvider(new CodeLensOptions(false));
    capabilities.setCompletionProvider(new CompletionOptions(false, CompletionFeature.TRIGGER_CHARACTERS));
    capabilities.setExecuteCommandProvider(new org.eclipse.lsp4j.ExecuteCommandOptions(WorkspaceCommands.ALL));
    if (pull) {
      capabilities.setDiagnosticProvider(new DiagnosticRegistrationOptions(false, false));
    }
    return CompletableFuture.completedFuture(
        new InitializeResult(capabilities, new ServerInfo("carbonlens", Version.VERSION)));
  }

  /** Team DRL rules live in `.carbonlens/rules/` of each workspace folder (the root URI for older clients). */
  static List<java.nio.file.Path> ruleFolders(InitializeParams params) {
    List<String> roots = new java.util.ArrayList<>();
    if (params.getWorkspaceFolders() != null) {
      params.getWorkspaceFolders().forEach(f -> roots.add(f.getUri()));
    } else if (params.getRootUri() != null) {
      roots.add(params.getRootUri());
    }
    return roots.stream().map(DocumentsService::pathOf).filter(java.util.Objects::nonNull)
        .map(root -> root.resolve(".carbonlens").resolve("rules")).toList();
  }

  private static boolean supportsWatcherRegistration(ClientCapabilities capabilities) {
    return capabilities != null && capabilities.getWorkspace() != null
        && capabilities.getWorkspace().getDidChangeWatchedFiles() != null
        && Boolean.TRUE.equals(capabilities.getWorkspace().getDidChangeWatchedFiles().getDynamicRegistration());
  }

  /** Asks the client to tell us when rule files change on disk, so team rules reload without a restart. */
  @Override
  public void initialized(org.eclipse.lsp4j.InitializedParams params) {
    LanguageClient c = client;
    if (watchRuleFiles && c != null) {
      var watchers = new org.eclipse.lsp4j.DidChangeWatchedFilesRegistrationOptions(List.of(
          new org.eclipse.lsp4j.FileSystemWatcher(org.eclipse.lsp4j.jsonrpc.messages.Either.forLeft("**/*.drl")),
          new org.eclipse.lsp4j.FileSystemWatcher(
              org.eclipse.lsp4j.jsonrpc.messages.Either.forLeft("**/.carbonlens/rules/**/*.{yaml,yml}")),
          new org.eclipse.lsp4j.FileSystemWatcher(org.eclipse.lsp4j.jsonrpc.messages.Either.forLeft("**/.carbonlens.yaml"))));
      c.registerCapability(new org.eclipse.lsp4j.RegistrationParams(List.of(new org.eclipse.lsp4j.Registration(
          "carbonlens-rule-files", "workspace/didChangeWatchedFiles", watchers))));
    }
  }

  /** Pull when the client can (LSP 3.17 `textDocument.diagnostic`); push otherwise. */
  static boolean supportsPullDiagnostics(ClientCapabilities capabilities) {
    return capabilities != null && capabilities.getTextDocument() != null
        && capabilities.getTextDocument().getDiagnostic() != null;
  }

  private static boolean supportsDiagnosticRefresh(ClientCapabilities capabilities) {
    return capabilities != null && capabilities.getWorkspace() != null
        && capabilities.getWorkspace().getDiagnostics() != null
        && Boolean.TRUE.equals(capabilities.getWorkspace().getDiagnostics().getRefreshSupport());
  }

  /** Settings that could not be applied are told to the user once, not silently dropped. */
  private void reportSettingsProblems(ClientSettings settings) {
    LanguageClient c = client;
    if (settings.problems().isEmpty()) {
      return;
    }
    String message = "CarbonLens ignored some settings: " + String.join("; ", settings.problems());
    System.err.println("carbonlens: " + message);
    if (c != null) {
      c.showMessage(new MessageParams(MessageType.Warning, message));
    }
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

  /** Settings changes apply at once to every open document; a changed rule file reloads the team rules. */
  private final class SettingsWorkspaceService implements WorkspaceService {
    @Override
    public void didChangeConfiguration(DidChangeConfigurationParams params) {
      if (params == null || !ClientSettings.addressesCarbonLens(params.getSettings())) {
        return; // e.g. Eglot's empty settings after connecting: not a request to drop ours
      }
      ClientSettings settings = ClientSettings.parse(params.getSettings());
      documents.applySettings(settings);
      reportSettingsProblems(settings);
    }

    @Override
    public CompletableFuture<Object> executeCommand(org.eclipse.lsp4j.ExecuteCommandParams params) {
      try {
        Object result = commands.execute(params.getCommand(), params.getArguments());
        // Gson drops a JsonNull, which would leave a response with neither result nor error
        return CompletableFuture.completedFuture(result instanceof com.google.gson.JsonNull ? null : result);
      } catch (org.eclipse.lsp4j.jsonrpc.ResponseErrorException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
      if (params != null && params.getChanges() != null) {
        documents.watchedFilesChanged(params.getChanges().stream().map(c -> c.getUri()).toList());
      }
    }
  }
}
