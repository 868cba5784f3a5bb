package dev.carbonlens.lsp;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.cli.EstimatorOptions;
import dev.carbonlens.estimate.EstimatorSettings;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** `carbonlens lsp`: the language server over stdio. Stdout carries JSON-RPC only. */
@Command(name = "lsp", mixinStandardHelpOptions = true, description = "Run the language server over stdio.")
public final class LspCommand implements Callable<Integer> {

  /** The same estimator options as `check`, so an editor and CI can price with the same settings. */
  @Mixin
  EstimatorOptions estimator = new EstimatorOptions();

  @Override
  public Integer call() throws Exception {
    PrintStream rpcOut = System.out;
    InputStream rpcIn = System.in;
    System.setOut(System.err); // anything printed by mistake goes to the log, not into the protocol
    // Rules and reference tables load on their own thread while the client and server shake
    // hands; analysis waits for them, initialize does not.
    EstimatorSettings settings = estimator.settings();
    CompletableFuture<Analyzer> analyzer = CompletableFuture.supplyAsync(
        () -> Analyzer.builtIn(settings), LspCommand::startDaemon);
    CarbonLensLanguageServer server = new CarbonLensLanguageServer(analyzer);
    Launcher<LanguageClient> launcher = launcher(server, rpcIn, rpcOut);
    server.connect(launcher.getRemoteProxy());
    launcher.startListening().get();
    return 0;
  }

  private static void startDaemon(Runnable task) {
    Thread t = new Thread(task, "carbonlens-load");
    t.setDaemon(true);
    t.start();
  }

  /** The launcher with the Gson adapter the diagnostics' data needs. */
  public static Launcher<LanguageClient> launcher(CarbonLensLanguageServer server, InputStream in, java.io.OutputStream out) {
    return new LSPLauncher.Builder<LanguageClient>()
        .setLocalService(server)
        .setRemoteInterface(LanguageClient.class)
        .setInput(in)
        .setOutput(out)
        .configureGson(gson -> gson.registerTypeAdapter(DiagnosticData.class, new DiagnosticData.GsonAdapter()))
        .create();
  }
}
