package dev.carbonlens.lsp;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.TextDocumentService;

/**
 * Keeps open documents and publishes their diagnostics. Analysis runs on one worker thread, off the
 * JSON-RPC thread; a document is queued at most once, and the worker always analyses its latest
 * version, so the final version's diagnostics are always the last published and never stale.
 */
public final class DocumentsService implements TextDocumentService {
  private final CompletableFuture<Analyzer> analyzer;
  /** The client's per-rule severities (initializationOptions `severity`); none until it sends some. */
  private volatile dev.carbonlens.analysis.SeverityOverrides severities = dev.carbonlens.analysis.SeverityOverrides.NONE;
  private final OpenDocuments open = new OpenDocuments();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  /** The analysis behind each document's last published diagnostics, for hover. */
  private final java.util.Map<String, FileAnalysis> published = new ConcurrentHashMap<>();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "carbonlens-analysis");
    t.setDaemon(true);
    return t;
  });
  private volatile LanguageClient client;

  void useSeverities(dev.carbonlens.analysis.SeverityOverrides value) {
    severities = value;
  }

  public DocumentsService(CompletableFuture<Analyzer> analyzer) {
    this.analyzer = analyzer;
  }

  void connect(LanguageClient client) {
    this.client = client;
  }

  void stop() {
    worker.shutdownNow();
  }

  @Override
  public void didOpen(DidOpenTextDocumentParams params) {
    var doc = params.getTextDocument();
    open.open(doc.getUri(), doc.getVersion(), doc.getText());
    schedule(doc.getUri());
  }

  @Override
  public void didChange(DidChangeTextDocumentParams params) {
    var id = params.getTextDocument();
    open.change(id.getUri(), id.getVersion(), params.getContentChanges()).ifPresent(s -> schedule(s.uri()));
  }

  @Override
  public void didClose(DidCloseTextDocumentParams params) {
    String uri = params.getTextDocument().getUri();
    open.close(uri);
    published.remove(uri);
    LanguageClient c = client;
    if (c != null) {
      c.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
    }
  }

  @Override
  public void didSave(DidSaveTextDocumentParams params) {}

  /** Quick fixes, ignore comments and fix-all for the findings the user sees (the last published analysis). */
  @Override
  public CompletableFuture<List<org.eclipse.lsp4j.jsonrpc.messages.Either<org.eclipse.lsp4j.Command, org.eclipse.lsp4j.CodeAction>>>
      codeAction(org.eclipse.lsp4j.CodeActionParams params) {
    String uri = params.getTextDocument().getUri();
    FileAnalysis analysis = published.get(uri);
    if (analysis == null) {
      return CompletableFuture.completedFuture(List.of());
    }
    List<String> only = params.getContext() == null ? null : params.getContext().getOnly();
    return CompletableFuture.completedFuture(CodeActionsFeature.actions(uri, analysis, params.getRange()).stream()
        .filter(a -> only == null || only.isEmpty() || only.stream().anyMatch(k -> a.getKind().startsWith(k)))
        .map(org.eclipse.lsp4j.jsonrpc.messages.Either::<org.eclipse.lsp4j.Command, org.eclipse.lsp4j.CodeAction>forRight)
        .toList());
  }

  /** A lens on each recognised run with its footprint. */
  @Override
  public CompletableFuture<List<? extends org.eclipse.lsp4j.CodeLens>> codeLens(org.eclipse.lsp4j.CodeLensParams params) {
    FileAnalysis analysis = published.get(params.getTextDocument().getUri());
    return CompletableFuture.completedFuture(analysis == null ? List.of() : CodeActionsFeature.lenses(analysis));
  }

  /** Hover answers from the analysis of the last published diagnostics: what the user sees underlined. */
  @Override
  public CompletableFuture<org.eclipse.lsp4j.Hover> hover(org.eclipse.lsp4j.HoverParams params) {
    FileAnalysis analysis = published.get(params.getTextDocument().getUri());
    if (analysis == null) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.completedFuture(HoverFeature.hover(analysis, params.getPosition()).orElse(null));
  }

  private void schedule(String uri) {
    if (queued.add(uri) && !worker.isShutdown()) {
      worker.execute(() -> analyseLatest(uri));
    }
  }

  private void analyseLatest(String uri) {
    queued.remove(uri);
    var snapshot = open.get(uri);
    if (snapshot.isEmpty()) {
      return; // closed before its turn came
    }
    FileAnalysis analysis;
    try {
      analysis = analyzer.join().withSeverities(severities).analyze(fileName(uri), snapshot.get().text());
    } catch (RuntimeException e) {
      // One broken analysis must not take the server down; the editor keeps working.
      System.err.println("carbonlens: analysis of " + uri + " failed: " + e);
      return;
    }
    LanguageClient c = client;
    var latest = open.get(uri);
    if (c != null && latest.isPresent() && latest.get().version() == snapshot.get().version()) {
      published.put(uri, analysis);
      c.publishDiagnostics(new PublishDiagnosticsParams(uri, DiagnosticsFeature.diagnostics(analysis),
          snapshot.get().version()));
    }
  }

  /** The path reports and format detection use: the file path for file URIs, else the URI itself. */
  static String fileName(String uri) {
    try {
      URI parsed = URI.create(uri);
      if ("file".equals(parsed.getScheme())) {
        return Path.of(parsed).toString().replace('\\', '/');
      }
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      // fall through: use the URI as given
    }
    return uri;
  }
}
