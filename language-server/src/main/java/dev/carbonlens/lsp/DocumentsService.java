package dev.carbonlens.lsp;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.config.ConfigLocator;
import dev.carbonlens.config.ProjectConfig;
import dev.carbonlens.config.ProjectConfigParser;
import dev.carbonlens.team.PolicyFiles;
import dev.carbonlens.team.TeamRules;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentDiagnosticParams;
import org.eclipse.lsp4j.DocumentDiagnosticReport;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.RelatedFullDocumentDiagnosticReport;
import org.eclipse.lsp4j.RelatedUnchangedDocumentDiagnosticReport;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.TextDocumentService;

/**
 * Keeps open documents, analyses them off the JSON-RPC thread and serves their diagnostics, pushed
 * (`publishDiagnostics`, versioned) or pulled (`textDocument/diagnostic`) as the client prefers.
 *
 * <p>Scheduling, per document: an edit to an idle document is analysed at once, so a single
 * keystroke costs no waiting; an edit that arrives while the document is queued or being analysed
 * cancels that analysis (it checks between pipeline stages) and waits `debounceMs` for the typing to
 * pause. Only the latest version's analysis is ever published, so the final diagnostics are never stale.
 */
public final class DocumentsService implements TextDocumentService {
  /** The analysis behind what the client was last given for a document, with the version it describes. */
  record Published(int version, long generation, FileAnalysis analysis) {
    String resultId() {
      return version + "." + generation;
    }
  }

  private final CompletableFuture<Analyzer> loaded;
  private volatile CompletableFuture<Analyzer> configured;
  private volatile ClientSettings settings = ClientSettings.NONE;
  /** Bumped by every settings change so pulled results computed under old settings are not reported unchanged. */
  private final AtomicLong generation = new AtomicLong();
  private volatile boolean pullDiagnostics;
  private volatile boolean refreshSupported;
  private final OpenDocuments open = new OpenDocuments();
  private final Map<String, ScheduledFuture<?>> queued = new ConcurrentHashMap<>();
  private volatile String analysing;
  private final Map<String, Published> published = new ConcurrentHashMap<>();
  /** Pull requests waiting for the analysis of at least a given version. */
  private final Map<String, List<Waiter>> waiting = new ConcurrentHashMap<>();
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "carbonlens-analysis");
    t.setDaemon(true);
    return t;
  });
  private volatile LanguageClient client;
  /** Where the workspace keeps team DRL rules; compiled only while the client says the workspace is trusted. */
  private volatile List<Path> workspaceRuleFolders = List.of();
  private volatile List<Path> ruleFolders = List.of();
  private volatile TeamRules team = TeamRules.NONE;
  private volatile PolicyFiles policyFiles = PolicyFiles.NONE;
  /** The project config (`.carbonlens.yaml`) nearest above each document, read once per change. */
  private volatile ConfigLocator configLocator = new ConfigLocator();
  private final Map<Path, ProjectConfigParser.Result> projectConfigs = new ConcurrentHashMap<>();
  private final Map<Path, Analyzer> projectAnalyzers = new ConcurrentHashMap<>();
  private final ExecutorService teamLoader = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "carbonlens-team-rules");
    t.setDaemon(true);
    return t;
  });
  private final java.util.concurrent.atomic.AtomicBoolean teamReloadQueued = new java.util.concurrent.atomic.AtomicBoolean();

  private record Waiter(int version, CompletableFuture<Published> result) {}

  public DocumentsService(CompletableFuture<Analyzer> analyzer) {
    this.loaded = analyzer;
    this.configured = analyzer.thenApply(a -> a.withLimits(ClientSettings.NONE.limits()));
  }

  void connect(LanguageClient client) {
    this.client = client;
  }

  /** Pull mode: diagnostics are answered on request and never pushed (a client showing both would double them). */
  void usePullDiagnostics(boolean pull, boolean refresh) {
    pullDiagnostics = pull;
    refreshSupported = refresh;
  }

  /** New settings: every open document is analysed again under them, no restart needed. */
  void applySettings(ClientSettings value) {
    boolean trustChanged = value.trustWorkspaceRules() != settings.trustWorkspaceRules();
    settings = value;
    reconfigure();
    if (trustChanged) {
      reloadTeamRules();
    }
  }

  /** The workspace's default rule folders (`.carbonlens/rules/` of each workspace folder). */
  void useRuleFolders(List<Path> folders) {
    workspaceRuleFolders = List.copyOf(folders);
    reloadTeamRules();
  }

  /**
   * The default folders, and the `ruleFolders` of the `.carbonlens.yaml` at each workspace folder's
   * top (resolved and kept inside that folder by the config parser).
   */
  private List<Path> effectiveRuleFolders(Analyzer analyzer) {
    java.util.LinkedHashSet<Path> folders = new java.util.LinkedHashSet<>(workspaceRuleFolders);
    for (Path defaults : workspaceRuleFolders) {
      Path config = defaults.getParent().getParent().resolve(ProjectConfig.FILE_NAME);
      if (java.nio.file.Files.isRegularFile(config)) {
        folders.addAll(projectConfig(config, analyzer).config().ruleFolders());
      }
    }
    return List.copyOf(folders);
  }

  /** The pipeline under the current settings and team rules; every open document is analysed again. */
  private void reconfigure() {
    ClientSettings value = settings;
    TeamRules rules = team;
    PolicyFiles policies = policyFiles;
    generation.incrementAndGet();
    configured = loaded.thenApply(a -> a.withEstimatorSettings(value.defaults().apply(a.estimator().settings()))
        .withSeverities(value.severities()).withTeamRules(rules.engine().orElse(null))
        .withPolicies(policies.policies()).withLimits(value.limits()));
    configLocator = new ConfigLocator(); // a config created or removed since is found
    projectConfigs.clear();
    projectAnalyzers.clear();
    for (String uri : open.uris()) {
      schedule(uri);
    }
    LanguageClient c = client;
    if (pullDiagnostics && refreshSupported && c != null) {
      c.refreshDiagnostics();
    }
  }

  /**
   * Loads the workspace's rule folders again (a rule file changed, or trust was given or taken), off
   * the analysis thread. Declarative policies are data and always load; DRL rules run Java, so an
   * untrusted workspace's `.drl` files are never read, compiled or run.
   */
  void reloadTeamRules() {
    if (workspaceRuleFolders.isEmpty()) {
      return;
    }
    if (!teamReloadQueued.compareAndSet(false, true)) {
      return; // one reload is already waiting: it will read the latest files
    }
    teamLoader.execute(() -> {
      teamReloadQueued.set(false);
      try {
        Analyzer analyzer = loaded.join();
        ruleFolders = effectiveRuleFolders(analyzer);
        Map<Path, String> openTexts = openRuleTexts();
        TeamRules rules = settings.trustWorkspaceRules()
            ? TeamRules.load(ruleFolders, analyzer.rules().rules(), openTexts) : TeamRules.NONE;
        java.util.Set<String> taken = new java.util.TreeSet<>(analyzer.ruleIds());
        rules.rules().forEach(r -> taken.add(r.id()));
        policyFiles = PolicyFiles.load(ruleFolders, analyzer.reference(), taken, openTexts);
        team = rules;
      } catch (RuntimeException e) {
        System.err.println("carbonlens: team rules could not be loaded: " + e);
        team = TeamRules.NONE;
        policyFiles = PolicyFiles.NONE;
      }
      reconfigure();
    });
  }

  /**
   * The pipeline for one document: the nearest project config's defaults and severities under the
   * editor's own settings (as the command line wins over the file in `check`).
   */
  private Analyzer analyzerFor(String uri) {
    Analyzer editor = configured.join();
    Path path = pathOf(uri);
    java.util.Optional<Path> config = path == null ? java.util.Optional.empty() : configLocator.nearest(path);
    if (config.isEmpty()) {
      return editor;
    }
    return projectAnalyzers.computeIfAbsent(config.get(), file -> {
      ProjectConfig project = projectConfig(file, editor).config();
      ClientSettings value = settings;
      Analyzer base = loaded.join();
      Map<String, String> levels = new java.util.LinkedHashMap<>(project.severities().levels());
      levels.putAll(value.severities().levels());
      List<dev.carbonlens.policy.Policy> policies = new java.util.ArrayList<>(policyFiles.policies().policies());
      policies.addAll(project.policies().policies());
      return editor.withEstimatorSettings(value.defaults().apply(project.settings(base.estimator().settings())))
          .withSeverities(new dev.carbonlens.analysis.SeverityOverrides(levels))
          .withPolicies(new dev.carbonlens.policy.Policies(List.copyOf(policies), List.of()));
    });
  }

  private ProjectConfigParser.Result projectConfig(Path file, Analyzer analyzer) {
    return projectConfigs.computeIfAbsent(file, f -> {
      try {
        String text = open.get(f.toUri().toString()).map(OpenDocuments.Snapshot::text)
            .orElse(java.nio.file.Files.readString(f));
        java.util.Set<String> taken = new java.util.TreeSet<>(analyzer.ruleIds());
        team.rules().forEach(r -> taken.add(r.id()));
        policyFiles.policies().policies().forEach(p -> taken.add(p.id()));
        return ProjectConfigParser.parse(f.toString(), text, analyzer.ruleIds(), taken, analyzer.reference());
      } catch (java.io.IOException | RuntimeException e) {
        System.err.println("carbonlens: cannot read " + f + ": " + e);
        return new ProjectConfigParser.Result(ProjectConfig.NONE, List.of());
      }
    });
  }

  /** Open `.drl` files under a rule folder, as the editor has them (unsaved edits included). */
  private Map<Path, String> openRuleTexts() {
    Map<Path, String> texts = new java.util.HashMap<>();
    for (String uri : open.uris()) {
      Path path = pathOf(uri);
      if (path != null && isTeamRuleFile(path)) {
        open.get(uri).ifPresent(s -> texts.put(path, s.text()));
      }
    }
    return texts;
  }

  private boolean isTeamRuleFile(Path path) {
    String name = path.getFileName().toString();
    return (name.endsWith(".drl") || name.endsWith(".yaml") || name.endsWith(".yml"))
        && ruleFolders.stream().anyMatch(path::startsWith);
  }

  /** Watched files changed: team rules are compiled again when one of them is a rule file. */
  void watchedFilesChanged(List<String> uris) {
    List<Path> paths = uris.stream().map(DocumentsService::pathOf).filter(java.util.Objects::nonNull).toList();
    if (paths.stream().anyMatch(this::isTeamRuleFile)) {
      reloadTeamRules();
    } else if (paths.stream().anyMatch(p -> ProjectConfig.isConfigFile(p.toString()))) {
      configChanged();
    }
  }

  /**
   * A project config changed: open files are re-checked under it, and the rule folders are read again
   * only when its `ruleFolders` changed (not on every keystroke in the config).
   */
  private void configChanged() {
    reconfigure();
    Analyzer analyzer = loaded.getNow(null);
    if (analyzer != null && !workspaceRuleFolders.isEmpty() && !effectiveRuleFolders(analyzer).equals(ruleFolders)) {
      reloadTeamRules();
    }
  }

  TeamRules teamRules() {
    return team;
  }

  ClientSettings settings() {
    return settings;
  }

  void stop() {
    worker.shutdownNow();
    teamLoader.shutdownNow();
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
    Path path = pathOf(id.getUri());
    if (path != null && isTeamRuleFile(path)) {
      reloadTeamRules(); // a team rule being typed: its errors, and the findings it adds, follow the text
    }
    if (path != null && ProjectConfig.isConfigFile(path.toString())) {
      configChanged(); // the team's config being edited: every open file follows it
    }
  }

  @Override
  public void didClose(DidCloseTextDocumentParams params) {
    String uri = params.getTextDocument().getUri();
    open.close(uri);
    ScheduledFuture<?> pending = queued.remove(uri);
    if (pending != null) {
      pending.cancel(false);
    }
    published.remove(uri);
    answerWaiters(uri, null);
    waiting.remove(uri); // every pull on it is answered: drop its (now empty) list, or each closed URI stays
    LanguageClient c = client;
    if (c != null && !pullDiagnostics) {
      c.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
    }
  }

  @Override
  public void didSave(DidSaveTextDocumentParams params) {}

  /**
   * Pull diagnostics: the analysis of the document's current version, as soon as it is done; `unchanged`
   * when the client already holds it. A document that is not open has no diagnostics.
   */
  @Override
  public CompletableFuture<DocumentDiagnosticReport> diagnostic(DocumentDiagnosticParams params) {
    String uri = params.getTextDocument().getUri();
    String previous = params.getPreviousResultId();
    var snapshot = open.get(uri);
    if (snapshot.isEmpty()) {
      return CompletableFuture.completedFuture(
          new DocumentDiagnosticReport(new RelatedFullDocumentDiagnosticReport(List.of())));
    }
    CompletableFuture<Published> result = new CompletableFuture<>();
    Published current = published.get(uri);
    if (current != null && current.version() >= snapshot.get().version() && current.generation() == generation.get()) {
      result.complete(current);
    } else {
      waiting.computeIfAbsent(uri, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
          .add(new Waiter(snapshot.get().version(), result));
      // The analysis may have finished between the two looks; check once more so no request hangs.
      Published now = published.get(uri);
      if (now != null && now.version() >= snapshot.get().version() && now.generation() == generation.get()) {
        answerWaiters(uri, now);
      }
    }
    return result.thenApply(p -> report(p, previous));
  }

  private static DocumentDiagnosticReport report(Published p, String previousResultId) {
    if (p == null) {
      return new DocumentDiagnosticReport(new RelatedFullDocumentDiagnosticReport(List.of()));
    }
    if (p.resultId().equals(previousResultId)) {
      return new DocumentDiagnosticReport(new RelatedUnchangedDocumentDiagnosticReport(p.resultId()));
    }
    RelatedFullDocumentDiagnosticReport full = new RelatedFullDocumentDiagnosticReport(
        DiagnosticsFeature.diagnostics(p.analysis()));
    full.setResultId(p.resultId());
    return new DocumentDiagnosticReport(full);
  }

  /** Quick fixes, ignore comments and fix-all for the findings the user sees (the last published analysis). */
  @Override
  public CompletableFuture<List<Either<Command, CodeAction>>> codeAction(CodeActionParams params) {
    String uri = params.getTextDocument().getUri();
    FileAnalysis analysis = analysisOf(uri);
    if (analysis == null) {
      return CompletableFuture.completedFuture(List.of());
    }
    List<String> only = params.getContext() == null ? null : params.getContext().getOnly();
    return CompletableFuture.completedFuture(CodeActionsFeature.actions(uri, analysis, params.getRange()).stream()
        .filter(a -> only == null || only.isEmpty() || only.stream().anyMatch(k -> a.getKind().startsWith(k)))
        .map(Either::<Command, CodeAction>forRight)
        .toList());
  }

  /** A lens on each recognised run with its footprint. */
  @Override
  public CompletableFuture<List<? extends CodeLens>> codeLens(CodeLensParams params) {
    FileAnalysis analysis = analysisOf(params.getTextDocument().getUri());
    return CompletableFuture.completedFuture(analysis == null ? List.of() : CodeActionsFeature.lenses(analysis));
  }

  /** Hover answers from the analysis of the last published diagnostics: what the user sees underlined. */
  @Override
  public CompletableFuture<Hover> hover(HoverParams params) {
    FileAnalysis analysis = analysisOf(params.getTextDocument().getUri());
    if (analysis == null) {
      return CompletableFuture.completedFuture(null);
    }
    Analyzer analyzer = loaded.getNow(null);
    return CompletableFuture.completedFuture(analyzer == null ? null
        : HoverFeature.hover(analysis, params.getPosition(), analyzer.reference()).orElse(null));
  }

  /** Region and accelerator values, from the text as it is now (completion is asked mid-word). */
  @Override
  public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(CompletionParams params) {
    String uri = params.getTextDocument().getUri();
    var snapshot = open.get(uri);
    Analyzer analyzer = loaded.getNow(null);
    if (snapshot.isEmpty() || analyzer == null) {
      return CompletableFuture.completedFuture(Either.forLeft(List.of()));
    }
    List<CompletionItem> items = CompletionFeature.complete(fileName(uri), snapshot.get().text(),
        params.getPosition(), analyzer.reference());
    return CompletableFuture.completedFuture(Either.forRight(new CompletionList(false, items)));
  }

  /** The analysis behind the diagnostics last given for a document (null if none yet). */
  FileAnalysis published(String uri) {
    return analysisOf(uri);
  }

  /** The version and analysis last given for an open document. */
  Optional<Published> publishedState(String uri) {
    return open.get(uri).isEmpty() ? Optional.empty() : Optional.ofNullable(published.get(uri));
  }

  /** The open documents that have an analysis, in a stable order. */
  List<String> publishedUris() {
    return published.keySet().stream().filter(uri -> open.get(uri).isPresent()).sorted().toList();
  }

  private FileAnalysis analysisOf(String uri) {
    Published p = published.get(uri);
    return p == null ? null : p.analysis();
  }

  /**
   * Leading edge for an idle document (analyse now), trailing debounce for a busy one (the edit
   * supersedes what is queued or running, and waits for the typing to pause).
   */
  private void schedule(String uri) {
    if (worker.isShutdown()) {
      return;
    }
    synchronized (queued) {
      ScheduledFuture<?> pending = queued.remove(uri);
      boolean busy = (pending != null && pending.cancel(false)) || uri.equals(analysing);
      long delay = busy ? settings.debounceMs() : 0;
      try {
        queued.put(uri, worker.schedule(() -> analyseLatest(uri), delay, TimeUnit.MILLISECONDS));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // shutting down
      }
    }
  }

  private void analyseLatest(String uri) {
    synchronized (queued) {
      queued.remove(uri);
      analysing = uri;
    }
    try {
      var snapshot = open.get(uri);
      if (snapshot.isEmpty()) {
        return; // closed before its turn came
      }
      int version = snapshot.get().version();
      long gen = generation.get();
      Published current = published.get(uri);
      if (current != null && current.version() == version && current.generation() == gen) {
        return; // two runs were queued for one version (an edit raced the previous run's start): one answer
      }
      FileAnalysis analysis;
      try {
        analysis = analyzerFor(uri).analyze(fileName(uri), snapshot.get().text(),
            () -> open.version(uri) != version || generation.get() != gen);
      } catch (CancellationException e) {
        return; // a newer version (or new settings) is queued behind this one
      } catch (RuntimeException e) {
        // One broken analysis must not take the server down; the editor keeps working.
        System.err.println("carbonlens: analysis of " + uri + " failed: " + e);
        return;
      }
      if (open.version(uri) != version || generation.get() != gen) {
        return; // superseded while finishing: its successor publishes
      }
      analysis = withCompileProblems(uri, analysis);
      Published p = new Published(version, gen, analysis);
      published.put(uri, p);
      // Idle again before the client hears of it: an edit sent in reply to these diagnostics is
      // analysed at once, not debounced as if it had interrupted this analysis.
      analysing = null;
      answerWaiters(uri, p);
      LanguageClient c = client;
      if (c != null && !pullDiagnostics) {
        c.publishDiagnostics(new PublishDiagnosticsParams(uri, DiagnosticsFeature.diagnostics(analysis), version));
      }
    } finally {
      analysing = null;
    }
  }

  /**
   * A trusted team rule file shows what compiling it found (syntax, metadata and type errors), a policy
   * file what reading its policies found; the parse-only check stands for other `.drl` files and for
   * rule files in untrusted workspaces.
   */
  private FileAnalysis withCompileProblems(String uri, FileAnalysis analysis) {
    Path path = pathOf(uri);
    TeamRules rules = team;
    List<dev.carbonlens.document.ParseProblem> problems;
    if (path != null && rules.files().contains(path)) {
      problems = rules.problems().getOrDefault(path, List.of());
    } else if (path != null && policyFiles.problems().containsKey(path)) {
      problems = policyFiles.problems().get(path);
    } else {
      return analysis;
    }
    var doc = analysis.document();
    return new FileAnalysis(analysis.file(), new dev.carbonlens.document.ParsedDocument(doc.fileName(), doc.syntax(),
        doc.text(), List.of(), problems), List.of(), List.of());
  }

  /** Completes the pull requests this analysis answers; null answers them all with nothing (closed). */
  private void answerWaiters(String uri, Published p) {
    List<Waiter> list = waiting.get(uri);
    if (list == null) {
      return;
    }
    List<Waiter> done = new ArrayList<>();
    for (Waiter w : list) {
      if (p == null || p.version() >= w.version()) {
        w.result().complete(p);
        done.add(w);
      }
    }
    list.removeAll(done);
  }

  /** The normalised path of a `file:` URI; null for other schemes. */
  static Path pathOf(String uri) {
    try {
      URI parsed = URI.create(uri);
      return "file".equals(parsed.getScheme()) ? Path.of(parsed).toAbsolutePath().normalize() : null;
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      return null;
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
