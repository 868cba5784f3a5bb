package dev.carbonlens.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.carbonlens.testing.HostileTexts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real server over raw stdio, fed what editors and broken clients really send: bytes that are not
 * JSON, methods it does not know, requests about documents never opened, versions out of order, a close
 * while the document is still being analysed. It must answer each properly, keep stdout to JSON-RPC
 * frames alone, and end as the protocol says.
 */
class ProtocolRobustnessTest {
  private static final long WAIT_SECONDS = 60;
  private static final String K80 = "resources:\n  infra: aws/ap-south-1\n  accelerators: K80:4\n"
      + "run: python train.py --epochs 90\n";

  private Process process;
  private OutputStream stdin;
  private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  /** Anything on stdout that is not a well-formed `Content-Length` frame of JSON. */
  private final List<String> notJsonRpc = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.carbonlens.cli.Main", "lsp")
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    stdin = process.getOutputStream();
    Thread reader = new Thread(() -> readFrames(process.getInputStream()), "test-stdout-reader");
    reader.setDaemon(true);
    reader.start();
    request(1, "initialize", "{\"capabilities\": {}}");
    assertThat(response(1).getAsJsonObject("result").getAsJsonObject("serverInfo").get("name").getAsString())
        .isEqualTo("carbonlens");
    notify("initialized", "{}");
  }

  @AfterEach
  void stop() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void garbageUnknownMethodsAndUnopenedDocumentsAreAnsweredAndTheServerCarriesOn() throws Exception {
    send("{this is not json".getBytes(StandardCharsets.UTF_8));
    send(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
    request(2, "carbonlens/noSuchMethod", "{}");
    assertThat(response(2).getAsJsonObject("error").get("code").getAsInt()).isEqualTo(-32601);
    notify("carbonlens/noSuchNotification", "{}");
    request(3, "textDocument/hover", "{\"textDocument\": {\"uri\": \"file:///never/opened.yaml\"},"
        + " \"position\": {\"line\": 0, \"character\": 0}}");
    assertThat(response(3).get("result").isJsonNull()).isTrue();
    request(4, "textDocument/codeAction", "{\"textDocument\": {\"uri\": \"file:///never/opened.yaml\"},"
        + " \"range\": {\"start\": {\"line\": 0, \"character\": 0}, \"end\": {\"line\": 0, \"character\": 0}},"
        + " \"context\": {\"diagnostics\": []}}");
    assertThat(response(4).getAsJsonArray("result")).isEmpty();
    notify("textDocument/didChange", "{\"textDocument\": {\"uri\": \"file:///never/opened.yaml\", \"version\": 2},"
        + " \"contentChanges\": [{\"text\": \"x: 1\"}]}");

    // still a working server: a document opened now gets its findings
    open("file:///w/k80.yaml", 1, K80);
    assertThat(codes(diagnostics("file:///w/k80.yaml"))).containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");
    shutdownAndExit();
  }

  @Test
  void anOlderVersionAfterANewerOneIsIgnored() throws Exception {
    String uri = "file:///w/k80.yaml";
    open(uri, 5, K80);
    assertThat(diagnostics(uri).get("version").getAsInt()).isEqualTo(5);
    // version 4 arrives late, replacing the text with a clean config: it must not win
    notify("textDocument/didChange", "{\"textDocument\": {\"uri\": \"" + uri + "\", \"version\": 4},"
        + " \"contentChanges\": [{\"text\": \"resources:\\n  accelerators: L4:1\\nrun: python serve.py\\n\"}]}");
    request(9, "workspace/executeCommand", "{\"command\": \"carbonlens.summary\", \"arguments\": [\"" + uri + "\"]}");
    JsonObject summary = response(9).getAsJsonObject("result");
    assertThat(summary.get("version").getAsInt()).isEqualTo(5);
    assertThat(summary.get("findings").getAsInt()).isEqualTo(3);
    assertThat(received.poll(500, TimeUnit.MILLISECONDS)).as("nothing published for the old version").isNull();
    shutdownAndExit();
  }

  @Test
  void aCloseWhileAnalysingLeavesTheDocumentEmptyAndNothingAfter() throws Exception {
    String uri = "file:///w/k80.yaml";
    open(uri, 1, K80);
    notify("textDocument/didClose", "{\"textDocument\": {\"uri\": \"" + uri + "\"}}");
    JsonObject last;
    do {
      last = diagnostics(uri);
    } while (!last.getAsJsonArray("diagnostics").isEmpty());
    assertThat(received.poll(1, TimeUnit.SECONDS)).as("nothing after the close's empty set").isNull();
    shutdownAndExit();
  }

  /**
   * The hostile files of issue 12, one after another in one server: each gets its diagnostics (a parse error or
   * a limit notice, never silence), and a hover on each is answered. How fast: bench/hostile_inputs.py.
   */
  @Test
  void hostileDocumentsAreEachAnsweredAndTheServerCarriesOn() throws Exception {
    byte[] noise = new byte[64 * 1024];
    new java.util.Random(12).nextBytes(noise);
    String garbage = new String(noise, StandardCharsets.ISO_8859_1);
    open("file:///w/garbage.yaml", 1, garbage);
    assertThat(codes(diagnostics("file:///w/garbage.yaml"))).containsExactly("parse");

    open("file:///w/truncated.yaml", 1, K80.substring(0, K80.indexOf("train.py") + 3)); // cut mid-word
    assertThat(codes(diagnostics("file:///w/truncated.yaml"))).containsExactly("CL-REG-002", "CL-HW-001");

    open("file:///w/line.yaml", 1, "a: " + "x".repeat(5 * 1024 * 1024));
    assertThat(limits(diagnostics("file:///w/line.yaml"))).containsExactly("file-size");

    open("file:///w/deep.json", 1, "[".repeat(100_000) + "]".repeat(100_000));
    assertThat(limits(diagnostics("file:///w/deep.json"))).containsExactly("nesting-depth");

    open("file:///w/lol.yaml", 1, HostileTexts.aliasBomb());
    assertThat(limits(diagnostics("file:///w/lol.yaml"))).containsExactly("alias-expansion");

    int id = 20;
    for (String uri : List.of("garbage.yaml", "truncated.yaml", "line.yaml", "deep.json", "lol.yaml")) {
      request(id, "textDocument/hover", "{\"textDocument\": {\"uri\": \"file:///w/" + uri + "\"},"
          + " \"position\": {\"line\": 0, \"character\": 1}}");
      assertThat(response(id).has("result")).as(uri).isTrue();
      id++;
    }
    open("file:///w/k80.yaml", 1, K80);
    assertThat(codes(diagnostics("file:///w/k80.yaml"))).containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");
    shutdownAndExit();
  }

  /** The limits named by a publication's limit notices (code `limit`, severity information). */
  private static List<String> limits(JsonObject publish) {
    List<String> out = new ArrayList<>();
    publish.getAsJsonArray("diagnostics").forEach(d -> {
      JsonObject diagnostic = d.getAsJsonObject();
      assertThat(diagnostic.get("code").getAsString()).isEqualTo("limit");
      assertThat(diagnostic.get("severity").getAsInt()).isEqualTo(3);
      assertThat(diagnostic.getAsJsonObject("data").get("category").getAsString()).isEqualTo("parse");
      out.add(diagnostic.getAsJsonObject("data").get("limit").getAsString());
    });
    return out;
  }

  @Test
  void exitWithoutShutdownEndsWithStatusOne() throws Exception {
    notify("exit", "{}");
    assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(notJsonRpc).isEmpty();
  }

  private void shutdownAndExit() throws Exception {
    request(99, "shutdown", null);
    assertThat(response(99).has("result")).isTrue();
    notify("exit", null);
    assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("exits after shutdown + exit").isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(notJsonRpc).as("stdout holds JSON-RPC frames only").isEmpty();
  }

  private void open(String uri, int version, String text) throws IOException {
    JsonObject doc = new JsonObject();
    doc.addProperty("uri", uri);
    doc.addProperty("languageId", "yaml");
    doc.addProperty("version", version);
    doc.addProperty("text", text);
    JsonObject params = new JsonObject();
    params.add("textDocument", doc);
    notify("textDocument/didOpen", params.toString());
  }

  private static List<String> codes(JsonObject publish) {
    List<String> out = new ArrayList<>();
    publish.getAsJsonArray("diagnostics").forEach(d -> out.add(d.getAsJsonObject().get("code").getAsString()));
    return out;
  }

  /** The next publishDiagnostics for the uri (other messages are skipped). */
  private JsonObject diagnostics(String uri) throws InterruptedException {
    while (true) {
      JsonObject m = next();
      if ("textDocument/publishDiagnostics".equals(text(m, "method"))
          && uri.equals(m.getAsJsonObject("params").get("uri").getAsString())) {
        return m.getAsJsonObject("params");
      }
    }
  }

  /** The response with this id (notifications and server requests in between are skipped). */
  private JsonObject response(int id) throws InterruptedException {
    while (true) {
      JsonObject m = next();
      if (m.has("id") && !m.has("method") && m.get("id").getAsInt() == id) {
        return m;
      }
    }
  }

  private JsonObject next() throws InterruptedException {
    JsonObject m = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(m).as("a message from the server (it is " + (process.isAlive() ? "alive" : "dead") + ")").isNotNull();
    return m;
  }

  private static String text(JsonObject m, String key) {
    return m.has(key) && m.get(key).isJsonPrimitive() ? m.get(key).getAsString() : null;
  }

  private void request(int id, String method, String params) throws IOException {
    send(("{\"jsonrpc\": \"2.0\", \"id\": " + id + ", \"method\": \"" + method + "\""
        + (params == null ? "" : ", \"params\": " + params) + "}").getBytes(StandardCharsets.UTF_8));
  }

  private void notify(String method, String params) throws IOException {
    send(("{\"jsonrpc\": \"2.0\", \"method\": \"" + method + "\""
        + (params == null ? "" : ", \"params\": " + params) + "}").getBytes(StandardCharsets.UTF_8));
  }

  private void send(byte[] body) throws IOException {
    stdin.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    stdin.write(body);
    stdin.flush();
  }

  /** Reads `Content-Length` frames strictly; anything else is recorded as a protocol violation. */
  private void readFrames(InputStream in) {
    try {
      while (true) {
        int length = -1;
        String line;
        while (!(line = headerLine(in)).isEmpty()) {
          if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring("content-length:".length()).trim());
          } else if (!line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
            notJsonRpc.add(line);
          }
        }
        if (length < 0) {
          notJsonRpc.add("a frame without Content-Length");
          return;
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        JsonElement json = JsonParser.parseString(body);
        received.add(json.getAsJsonObject());
      }
    } catch (IOException | RuntimeException e) {
      // end of stream (the process ended) or a frame that is not JSON
      if (!(e instanceof java.io.EOFException)) {
        String message = String.valueOf(e.getMessage());
        if (!message.contains("end of stream")) {
          notJsonRpc.add(e.toString());
        }
      }
    }
  }

  private static String headerLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new java.io.EOFException("end of stream");
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
