package dev.carbonlens.lsp;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.services.LanguageClient;

/** A client for tests: keeps what the server publishes and shows, in order. */
final class RecordingClient implements LanguageClient {
  final BlockingQueue<PublishDiagnosticsParams> published = new LinkedBlockingQueue<>();
  final BlockingQueue<MessageParams> messages = new LinkedBlockingQueue<>();

  /** The next publication, failing the test after a minute (cold team-rule compiles take seconds). */
  PublishDiagnosticsParams next() throws InterruptedException {
    PublishDiagnosticsParams p = published.poll(60, java.util.concurrent.TimeUnit.SECONDS);
    org.assertj.core.api.Assertions.assertThat(p).as("diagnostics published").isNotNull();
    return p;
  }

  /** The first publication that satisfies the condition, skipping the others. */
  PublishDiagnosticsParams waitFor(java.util.function.Predicate<PublishDiagnosticsParams> condition)
      throws InterruptedException {
    while (true) {
      PublishDiagnosticsParams p = next();
      if (condition.test(p)) {
        return p;
      }
    }
  }

  /** The rule ids (codes) of a publication, in order. */
  static java.util.List<String> codes(PublishDiagnosticsParams p) {
    return p.getDiagnostics().stream().map(d -> d.getCode().getLeft()).toList();
  }

  @Override
  public void publishDiagnostics(PublishDiagnosticsParams diagnostics) {
    published.add(diagnostics);
  }

  @Override
  public void telemetryEvent(Object object) {}

  @Override
  public void showMessage(MessageParams message) {
    messages.add(message);
  }

  @Override
  public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams requestParams) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void logMessage(MessageParams message) {}
}
