package dev.carbonlens.bench;

import com.google.gson.JsonNull;
import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.lsp.CarbonLensLanguageServer;
import dev.carbonlens.lsp.LspCommand;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticCapabilities;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DocumentDiagnosticParams;
import org.eclipse.lsp4j.DocumentDiagnosticReport;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.RelatedFullDocumentDiagnosticReport;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentClientCapabilities;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * Soak test of the language server (issue 12): the real {@link CarbonLensLanguageServer}, in this JVM, driven
 * over piped streams by an LSP4J client through N open → diagnostics → change → diagnostics → close → empty
 * diagnostics cycles, each on a fresh URI. Every {@code --every} cycles it collects the garbage (twice) and
 * samples the heap, the live threads and what the server still holds; at the end it says whether the heap
 * stayed flat.
 *
 * <p>{@code java -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar dev.carbonlens.bench.Soak [--cycles N]
 * [--every K] [--samples DIR] [--pull]}. Exit status: 0 flat; 1 the heap grew, a closed document is still held,
 * a server map grew with the closed documents, or a cycle's diagnostics differed from the first cycle of the same
 * sample; 2 a wait ran past its guard, or bad arguments.
 */
public final class Soak {
  private Soak() {}

  /** A guard against a hung server, not a timing: each publication normally arrives within milliseconds. */
  private static final long WAIT_SECONDS = 60;
  /** The pipes hold any single message whole, so a writer never spins on PipedInputStream's 1 s wait. */
  private static final int PIPE_BYTES = 4 << 20;
  private static final double MB = 1024.0 * 1024.0;

  /** One text the cycles rotate over, with the full-text edit each cycle applies to it. */
  record Sample(String name, String languageId, String text, String edited) {}

  /** What one checkpoint measured. */
  record Checkpoint(int cycle, long heapBytes, int threads, long rssKb, int stillOpen, Map<String, Integer> held,
      double cyclesPerSecond) {}

  /** The run's options: {@code --cycles N}, {@code --every K}, {@code --samples DIR}, {@code --pull}. */
  record Options(int cycles, int every, Path samples, boolean pull) {
    static Options parse(String[] args) {
      int cycles = 10_000;
      int every = 1_000;
      Path samples = null;
      boolean pull = false;
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--cycles" -> cycles = number(args[i], value);
          case "--every" -> every = number(args[i], value);
          case "--samples" -> samples = Path.of(require(args[i], value));
          case "--pull" -> {
            pull = true;
            continue;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + "; usage: Soak [--cycles N] [--every K] [--samples DIR] [--pull]");
        }
        i++;
      }
      if (cycles < 1 || every < 1 || every > cycles) {
        throw new IllegalArgumentException("need 1 <= --every <= --cycles, got every " + every + ", cycles " + cycles);
      }
      return new Options(cycles, every, samples, pull);
    }

    private static int number(String option, String value) {
      try {
        return Integer.parseInt(require(option, value));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a whole number, got " + value);
      }
    }

    private static String require(String option, String value) {
      if (value == null) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return value;
    }
  }

  public static void main(String[] args) throws Exception {
    Options options;
    List<Sample> samples;
    try {
      options = Options.parse(args);
      samples = options.samples() == null ? builtInSamples() : samplesIn(options.samples());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("soak: " + e.getMessage());
      System.exit(2);
      return;
    }
    int status;
    try {
      status = run(options, samples);
    } catch (GuardExpired e) {
      System.err.println("soak: " + e.getMessage());
      status = 2;
    }
    System.exit(status); // the server's threads are not ours to join: end the JVM with the verdict
  }

  /** A wait that ran past {@link #WAIT_SECONDS}: the server hung, dropped a version or died. */
  static final class GuardExpired extends Exception {
    GuardExpired(String message) {
      super(message);
    }
  }

  static int run(Options options, List<Sample> samples) throws Exception {
    Path folder = Files.createTempDirectory("carbonlens-soak");
    System.out.printf(Locale.ROOT, "soak: %d cycles over %d samples (%s), %s diagnostics, a checkpoint every %d; "
        + "URIs under %s%n", options.cycles(), samples.size(),
        String.join(", ", samples.stream().map(Sample::name).toList()), options.pull() ? "pulled" : "pushed",
        options.every(), folder.toUri());
    long start = System.nanoTime();
    Connection connection = Connection.start();
    LanguageServer server = connection.server();
    InitializeParams init = new InitializeParams();
    init.setCapabilities(capabilities(options.pull())); // no workspace folders: no team rules
    server.initialize(init).get(WAIT_SECONDS, TimeUnit.SECONDS);
    server.initialized(new InitializedParams());

    Map<String, List<String>> expected = new LinkedHashMap<>();
    List<String> mismatches = new ArrayList<>();
    List<Checkpoint> checkpoints = new ArrayList<>();
    List<String> closedSinceCheckpoint = new ArrayList<>();
    long blockStart = System.nanoTime();
    for (int cycle = 1; cycle <= options.cycles(); cycle++) {
      Sample sample = samples.get((cycle - 1) % samples.size());
      String uri = folder.resolve(String.format(Locale.ROOT, "c%05d-%s", cycle, sample.name())).toUri().toString();
      List<String> codes = options.pull() ? pullCycle(server, uri, sample)
          : cycle(server, connection.client(), uri, sample);
      List<String> first = expected.putIfAbsent(sample.name(), codes);
      if (first != null && !first.equals(codes) && mismatches.size() < 20) {
        mismatches.add("cycle " + cycle + " " + sample.name() + ": " + codes + ", first cycle gave " + first);
      }
      closedSinceCheckpoint.add(uri);
      if (cycle % options.every() == 0 || cycle == options.cycles()) {
        double seconds = (System.nanoTime() - blockStart) / 1e9;
        checkpoints.add(checkpoint(cycle, closedSinceCheckpoint.size() / seconds, server,
            connection.languageServer(), closedSinceCheckpoint));
        printRow(checkpoints.get(checkpoints.size() - 1), checkpoints.size() == 1);
        closedSinceCheckpoint.clear();
        blockStart = System.nanoTime();
      }
    }
    server.shutdown().get(WAIT_SECONDS, TimeUnit.SECONDS);
    double wall = (System.nanoTime() - start) / 1e9;
    System.out.println();
    expected.forEach((name, codes) -> System.out.println("diagnostics of " + name + " after the edit: " + codes));
    System.out.printf(Locale.ROOT, "wall time %.1f s for %d cycles (%.0f cycles/s overall, checkpoints included); "
        + "%d publications skipped while waiting%n", wall, options.cycles(), options.cycles() / wall,
        connection.client().skipped);
    return verdict(checkpoints, mismatches);
  }

  // ---- one cycle ----

  /**
   * Open (version 1) and wait for its diagnostics, change the whole text (version 2) and wait for those, close
   * and wait for the empty publication. Waiting for version 1 first keeps every cycle the same work: an edit
   * arriving mid-analysis would cancel it and be debounced instead. Returns the codes published for version 2.
   */
  static List<String> cycle(LanguageServer server, Client client, String uri, Sample sample) throws Exception {
    var documents = server.getTextDocumentService();
    documents.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, sample.languageId(), 1, sample.text())));
    client.await(uri, 1);
    documents.didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, 2),
        List.of(new TextDocumentContentChangeEvent(sample.edited()))));
    PublishDiagnosticsParams changed = client.await(uri, 2);
    documents.didClose(new DidCloseTextDocumentParams(new TextDocumentIdentifier(uri)));
    PublishDiagnosticsParams closed = client.await(uri, null);
    if (!closed.getDiagnostics().isEmpty()) {
      throw new IllegalStateException("diagnostics published for closed " + uri + ": " + closed.getDiagnostics());
    }
    return codes(changed.getDiagnostics());
  }

  /** LSP 3.17 pull diagnostics when asked ({@code textDocument.diagnostic}: the server then never pushes). */
  static ClientCapabilities capabilities(boolean pull) {
    ClientCapabilities capabilities = new ClientCapabilities();
    if (pull) {
      TextDocumentClientCapabilities text = new TextDocumentClientCapabilities();
      text.setDiagnostic(new DiagnosticCapabilities());
      capabilities.setTextDocument(text);
    }
    return capabilities;
  }

  /**
   * The same cycle with pulled diagnostics, as VS Code's client asks: open and pull, change the whole text and
   * pull again (with the first answer's result id), close. Returns the codes of the second answer.
   */
  static List<String> pullCycle(LanguageServer server, String uri, Sample sample) throws Exception {
    var documents = server.getTextDocumentService();
    TextDocumentIdentifier id = new TextDocumentIdentifier(uri);
    documents.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, sample.languageId(), 1, sample.text())));
    RelatedFullDocumentDiagnosticReport opened = documents.diagnostic(new DocumentDiagnosticParams(id))
        .get(WAIT_SECONDS, TimeUnit.SECONDS).getLeft();
    documents.didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, 2),
        List.of(new TextDocumentContentChangeEvent(sample.edited()))));
    DocumentDiagnosticParams again = new DocumentDiagnosticParams(id);
    again.setPreviousResultId(opened.getResultId());
    DocumentDiagnosticReport changed = documents.diagnostic(again).get(WAIT_SECONDS, TimeUnit.SECONDS);
    if (!changed.isLeft()) {
      throw new IllegalStateException("version 2 of " + uri + " answered unchanged: " + changed.getRight());
    }
    documents.didClose(new DidCloseTextDocumentParams(id));
    return codes(changed.getLeft().getItems());
  }

  static List<String> codes(List<Diagnostic> diagnostics) {
    return diagnostics.stream()
        .map(d -> d.getCode() == null ? "?"
            : d.getCode().isLeft() ? d.getCode().getLeft() : String.valueOf(d.getCode().getRight()))
        .toList();
  }

  // ---- checkpoints ----

  static Checkpoint checkpoint(int cycle, double cyclesPerSecond, LanguageServer server,
      CarbonLensLanguageServer inProcess, List<String> closed) throws Exception {
    int stillOpen = 0;
    for (String uri : closed) {
      // carbonlens.summary answers null for a document the server does not hold open
      Object summary = server.getWorkspaceService()
          .executeCommand(new ExecuteCommandParams("carbonlens.summary", List.of(uri)))
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
      if (summary != null && !(summary instanceof JsonNull)) {
        stillOpen++;
      }
    }
    System.gc();
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    return new Checkpoint(cycle, heap, threads, rssKb(), stillOpen, ServerMaps.sizes(inProcess), cyclesPerSecond);
  }

  /** The process's resident memory from /proc (native memory too: tree-sitter trees live outside the heap). */
  static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: the column shows -1
    }
    return -1;
  }

  static void printRow(Checkpoint c, boolean header) {
    if (header) {
      System.out.printf(Locale.ROOT, "%7s %14s %8s %8s %11s %9s  %s%n", "cycle", "heap MB (GC)", "threads", "RSS MB",
          "still open", "cycles/s", "server maps (entries)");
    }
    StringBuilder maps = new StringBuilder();
    c.held().forEach((name, size) -> maps.append(maps.length() == 0 ? "" : " ").append(name).append('=').append(size));
    System.out.printf(Locale.ROOT, "%7d %14.1f %8d %8.1f %11d %9.0f  %s%n", c.cycle(), c.heapBytes() / MB, c.threads(),
        c.rssKb() / 1024.0, c.stillOpen(), c.cyclesPerSecond(), maps);
  }

  /**
   * Flat: the heap after GC at the end is within 10% (or 8 MB, whichever is larger) of the first checkpoint,
   * no closed document is still held, no server map grew since the first checkpoint, and every cycle of a sample
   * gave the diagnostics of its first cycle.
   */
  static int verdict(List<Checkpoint> checkpoints, List<String> mismatches) {
    Checkpoint base = checkpoints.get(0);
    Checkpoint last = checkpoints.get(checkpoints.size() - 1);
    long tolerance = Math.max(base.heapBytes() / 10, 8L << 20);
    long growth = last.heapBytes() - base.heapBytes();
    int stillOpen = checkpoints.stream().mapToInt(Checkpoint::stillOpen).sum();
    int threadGrowth = last.threads() - base.threads();
    System.out.printf(Locale.ROOT, "heap after GC: %.1f MB at cycle %d, %.1f MB at cycle %d: %+.1f MB "
        + "(tolerance %.1f MB); threads %+d; closed documents still open: %d%n", base.heapBytes() / MB, base.cycle(),
        last.heapBytes() / MB, last.cycle(), growth / MB, tolerance / MB, threadGrowth, stillOpen);
    mismatches.forEach(m -> System.out.println("diagnostics differ: " + m));
    List<String> grown = grownMaps(base, last);
    grown.forEach(g -> System.out.println("server map grows with closed documents: " + g));
    boolean flat = growth <= tolerance;
    if (flat && stillOpen == 0 && mismatches.isEmpty() && grown.isEmpty()) {
      System.out.println("verdict: flat");
      return 0;
    }
    System.out.println("verdict: NOT flat"
        + (flat ? "" : " (heap grew " + String.format(Locale.ROOT, "%.1f", growth / MB) + " MB)")
        + (stillOpen == 0 ? "" : " (" + stillOpen + " closed documents still held)")
        + (mismatches.isEmpty() ? "" : " (" + mismatches.size() + " cycles gave other diagnostics)")
        + (grown.isEmpty() ? "" : " (server maps grow: " + String.join(", ", grown) + ")"));
    return 1;
  }

  /**
   * The server's maps holding more entries at the end than at the first checkpoint. Every cycle uses a new URI
   * in one folder, so a map keyed by document (or holding one entry per document) shows up here even while its
   * entries are too small to move the heap past the tolerance within the run.
   */
  static List<String> grownMaps(Checkpoint base, Checkpoint last) {
    List<String> grown = new ArrayList<>();
    last.held().forEach((name, size) -> {
      Integer before = base.held().get(name);
      if (before != null && size > before) {
        grown.add(name + " " + before + " -> " + size);
      }
    });
    return grown;
  }

  // ---- samples ----

  /** The four samples packed into the jar: one YAML, one JSON, one Python and one Java file. */
  static List<Sample> builtInSamples() {
    return Stream.of("skypilot/resnet-k80.yaml", "huggingface/pythia-imdb-fp32.json",
            "code/hf-llama2-7b-full-finetune-fp32.py", "code/MnistMlpDl4j.java")
        .map(path -> sample(Path.of(path).getFileName().toString(), Documents.sample(path))).toList();
  }

  /** Every YAML, JSON, Python and Java file under a folder (e.g. the repository's samples/), in path order. */
  static List<Sample> samplesIn(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      List<Sample> samples = files.filter(Files::isRegularFile).sorted()
          .filter(p -> languageId(p.getFileName().toString()) != null)
          // a .carbonlens.yaml would be read as the project config of every file beside it
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .map(p -> sample(p.getFileName().toString(), read(p))).toList();
      if (samples.isEmpty()) {
        throw new IllegalArgumentException("no YAML, JSON, Python or Java file under " + folder);
      }
      return samples;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Sample sample(String name, String text) {
    return new Sample(name, languageId(name), text, edited(name, text));
  }

  static String languageId(String name) {
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return "yaml";
    }
    return name.endsWith(".json") ? "json" : name.endsWith(".py") ? "python" : name.endsWith(".java") ? "java" : null;
  }

  /** The first number assigned to a key (`key: 4`, `"key": 4`, `key=4`, `x = 4`) with its first digit changed. */
  private static final Pattern VALUE_DIGIT = Pattern.compile("(?:[:=]\\s*)(\\d)");

  static String edited(String name, String text) {
    Matcher m = VALUE_DIGIT.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException(name + " has no numeric value to edit");
    }
    char digit = m.group(1).charAt(0);
    char other = digit == '9' ? '8' : (char) (digit + 1);
    return text.substring(0, m.start(1)) + other + text.substring(m.end(1));
  }

  // ---- the connection ----

  /** The server and the client, each with its own LSP4J launcher, joined by two in-memory pipes. */
  record Connection(CarbonLensLanguageServer languageServer, LanguageServer server, Client client) {
    static Connection start() throws IOException {
      PipedInputStream serverIn = new PipedInputStream(PIPE_BYTES);
      PipedOutputStream clientOut = new PipedOutputStream(serverIn);
      PipedInputStream clientIn = new PipedInputStream(PIPE_BYTES);
      PipedOutputStream serverOut = new PipedOutputStream(clientIn);
      // As `carbonlens lsp` starts it: the pipeline loads on its own thread while the two shake hands.
      CompletableFuture<Analyzer> analyzer = CompletableFuture.supplyAsync(
          () -> Analyzer.builtIn(EstimatorSettings.defaults()));
      CarbonLensLanguageServer languageServer = new CarbonLensLanguageServer(analyzer);
      Launcher<LanguageClient> serverSide = LspCommand.launcher(languageServer, serverIn, serverOut);
      languageServer.connect(serverSide.getRemoteProxy());
      serverSide.startListening();
      Client client = new Client();
      Launcher<LanguageServer> clientSide = LSPLauncher.createClientLauncher(client, clientIn, clientOut);
      clientSide.startListening();
      return new Connection(languageServer, clientSide.getRemoteProxy(), client);
    }
  }

  /** The editor's side: keeps every publication until a cycle takes the one it waits for. */
  static final class Client implements LanguageClient {
    private final BlockingQueue<PublishDiagnosticsParams> published = new LinkedBlockingQueue<>();
    private long skipped;

    /** The next publication for {@code uri} with {@code version} (null: the unversioned one after close). */
    PublishDiagnosticsParams await(String uri, Integer version) throws InterruptedException, GuardExpired {
      while (true) {
        PublishDiagnosticsParams p = published.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (p == null) {
          throw new GuardExpired(
              "no diagnostics for " + uri + " version " + version + " within " + WAIT_SECONDS + " s");
        }
        if (p.getUri().equals(uri) && java.util.Objects.equals(p.getVersion(), version)) {
          return p;
        }
        skipped++;
      }
    }

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams diagnostics) {
      published.add(diagnostics);
    }

    @Override
    public void telemetryEvent(Object object) {}

    @Override
    public void showMessage(MessageParams message) {
      System.err.println("soak: server says: " + message.getMessage());
    }

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams requestParams) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void logMessage(MessageParams message) {}
  }

  /**
   * The sizes of the maps the server keeps (its documents service and the objects that service holds, one level
   * down), read by reflection: a map that grows with every closed document is the leak, by name. Read in this
   * JVM only; a field that cannot be read is left out, so a renamed field never breaks the soak.
   */
  static final class ServerMaps {
    private ServerMaps() {}

    static Map<String, Integer> sizes(CarbonLensLanguageServer server) {
      Map<String, Integer> sizes = new LinkedHashMap<>();
      for (Field f : fields(server.getClass())) {
        Object value = read(f, server);
        if (value != null && value.getClass().getName().endsWith("DocumentsService")) {
          collect(value, "", sizes, 1);
        }
      }
      return sizes;
    }

    private static void collect(Object owner, String prefix, Map<String, Integer> sizes, int depth) {
      for (Field f : fields(owner.getClass())) {
        Object value = read(f, owner);
        if (value instanceof Map<?, ?> map) {
          sizes.put(prefix + f.getName(), map.size());
        } else if (value != null && depth > 0 && value.getClass().getName().startsWith("dev.carbonlens.")) {
          collect(value, prefix + f.getName() + ".", sizes, depth - 1);
        }
      }
    }

    private static List<Field> fields(Class<?> type) {
      return Stream.of(type.getDeclaredFields()).filter(f -> !Modifier.isStatic(f.getModifiers())).toList();
    }

    private static Object read(Field f, Object owner) {
      try {
        f.setAccessible(true);
        return f.get(owner);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }
}
