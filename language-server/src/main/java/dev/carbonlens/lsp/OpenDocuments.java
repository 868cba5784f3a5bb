package dev.carbonlens.lsp;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;

/** The text of every open document at its latest version, with LSP edits applied (full or incremental). */
public final class OpenDocuments {

  public record Snapshot(String uri, int version, String text) {}

  private final Map<String, Snapshot> documents = new ConcurrentHashMap<>();

  public void open(String uri, int version, String text) {
    documents.put(uri, new Snapshot(uri, version, text));
  }

  /** Applies changes in order; a change without a range replaces the whole text. Older versions are ignored. */
  public Optional<Snapshot> change(String uri, int version, List<TextDocumentContentChangeEvent> changes) {
    Snapshot updated = documents.computeIfPresent(uri, (key, current) -> {
      if (version <= current.version()) {
        return current;
      }
      String text = current.text();
      for (TextDocumentContentChangeEvent change : changes) {
        text = change.getRange() == null ? change.getText() : apply(text, change);
      }
      return new Snapshot(uri, version, text);
    });
    return Optional.ofNullable(updated);
  }

  public void close(String uri) {
    documents.remove(uri);
  }

  /** The latest version of an open document; -1 once it is closed (so any analysis of it is stale). */
  public int version(String uri) {
    Snapshot s = documents.get(uri);
    return s == null ? -1 : s.version();
  }

  public java.util.Set<String> uris() {
    return java.util.Set.copyOf(documents.keySet());
  }

  public Optional<Snapshot> get(String uri) {
    return Optional.ofNullable(documents.get(uri));
  }

  static String apply(String text, TextDocumentContentChangeEvent change) {
    int start = offset(text, change.getRange().getStart());
    int end = Math.max(start, offset(text, change.getRange().getEnd()));
    return text.substring(0, start) + change.getText() + text.substring(end);
  }

  /** LSP positions count UTF-16 code units, as Java strings do; out-of-range positions clamp. */
  static int offset(String text, Position position) {
    int line = 0;
    int index = 0;
    while (line < position.getLine()) {
      int newline = text.indexOf('\n', index);
      if (newline < 0) {
        return text.length();
      }
      index = newline + 1;
      line++;
    }
    int lineEnd = text.indexOf('\n', index);
    if (lineEnd < 0) {
      lineEnd = text.length();
    }
    if (lineEnd > index && text.charAt(lineEnd - 1) == '\r') {
      lineEnd--;
    }
    return Math.min(index + Math.max(position.getCharacter(), 0), lineEnd);
  }
}
