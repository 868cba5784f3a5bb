package dev.carbonlens.editors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No network at run time (issue 12): `check` and an LSP session run under {@code strace}, which records every
 * socket connect, bind and addressed send of the JVM and all its threads; none may use an internet address
 * (AF_INET or AF_INET6). Local sockets (AF_UNIX, e.g. the name-service cache) are allowed and printed. Skips
 * when strace is missing or cannot trace here (ptrace not permitted, as in some containers).
 */
class NoNetworkTest {
  /** Socket calls that reach out (connect, addressed sends) or listen (bind). */
  private static final String SOCKET_CALLS = "connect,bind,sendto,sendmsg";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path strace;

  @BeforeEach
  void straceCanTrace(@TempDir Path tmp) throws Exception {
    strace = EditorRun.onPath("strace");
    Assumptions.assumeTrue(strace != null, "strace is not on PATH (apt-get install strace): cannot watch sockets");
    Path trace = tmp.resolve("probe.trace");
    Path output = tmp.resolve("probe.out");
    Process probe = new ProcessBuilder(traced(trace, List.of("true"))).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    boolean ended = probe.waitFor(60, TimeUnit.SECONDS);
    if (!ended) {
      probe.destroyForcibly();
    }
    Assumptions.assumeTrue(ended && probe.exitValue() == 0,
        () -> "strace cannot trace here (ptrace not permitted?): " + read(output).strip());
  }

  @Test
  void checkOpensNoInternetSocketAndReportsTheSameFindings(@TempDir Path tmp) throws Exception {
    Path repo = EditorRun.repository();
    List<String> check = List.of(java(), "-jar", jar().toString(), "check", "samples", "--format", "json");

    Finished plain = runIn(repo, check, tmp.resolve("plain"));
    Path trace = tmp.resolve("check.trace");
    Finished underStrace = runIn(repo, traced(trace, check), tmp.resolve("traced"));

    assertThat(plain.status()).as("check of samples/ finds problems: exit 1; stderr: %s", plain.stderr()).isEqualTo(1);
    assertThat(underStrace.status()).as("stderr: %s", underStrace.stderr()).isEqualTo(1);
    JsonNode expected = JSON.readTree(plain.stdout());
    assertThat(expected.path("findings").size()).as("findings in samples/").isPositive();
    assertThat(JSON.readTree(underStrace.stdout())).as("the JSON report under strace").isEqualTo(expected);
    assertNoInternetSockets(trace);
  }

  @Test
  void lspSessionOpensNoInternetSocket(@TempDir Path tmp) throws Exception {
    Path file = EditorRun.copySample(tmp, "skypilot/resnet-k80.yaml");
    Path trace = tmp.resolve("lsp.trace");
    Path stderr = tmp.resolve("lsp.stderr");
    Process server = new ProcessBuilder(traced(trace, List.of(java(), "-jar", jar().toString(), "lsp")))
        .directory(file.getParent().toFile())
        .redirectError(stderr.toFile())
        .start();
    try (Rpc rpc = new Rpc(server)) {
      String root = file.getParent().toUri().toString();
      String uri = file.toUri().toString();
      rpc.request(1, "initialize", JSON.createObjectNode().put("processId", ProcessHandle.current().pid())
          .put("rootUri", root).set("capabilities", JSON.createObjectNode()));
      rpc.await(m -> m.path("id").asInt() == 1, stderr);
      rpc.notify("initialized", JSON.createObjectNode());
      ObjectNode document = JSON.createObjectNode().put("uri", uri).put("languageId", "yaml").put("version", 1)
          .put("text", Files.readString(file));
      rpc.notify("textDocument/didOpen", JSON.createObjectNode().set("textDocument", document));
      JsonNode published = rpc.await(m -> m.path("method").asText().equals("textDocument/publishDiagnostics")
          && m.path("params").path("uri").asText().equals(uri), stderr);
      List<String> codes = new ArrayList<>();
      published.path("params").path("diagnostics").forEach(d -> codes.add(d.path("code").asText()));
      assertThat(codes).containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");
      rpc.request(2, "shutdown", null);
      rpc.await(m -> m.path("id").asInt() == 2 && m.has("result"), stderr);
      rpc.notify("exit", null);
    }
    if (!server.waitFor(EditorRun.GUARD_SECONDS, TimeUnit.SECONDS)) {
      server.descendants().forEach(ProcessHandle::destroyForcibly);
      server.destroyForcibly();
      fail("the server did not exit after shutdown and exit; stderr:%n%s", read(stderr));
    }
    assertThat(server.exitValue()).as("exit status after shutdown; stderr: %s", read(stderr)).isZero();
    assertNoInternetSockets(trace);
  }

  // ---- strace ----

  /** The command under strace: every thread and child (-f), only the socket calls, into {@code trace}. */
  private List<String> traced(Path trace, List<String> command) {
    List<String> full = new ArrayList<>(List.of(strace.toString(), "-f", "-qq", "-e", "trace=" + SOCKET_CALLS,
        "-o", trace.toString()));
    full.addAll(command);
    return full;
  }

  /** No traced call names an internet address; the local ones are printed, for the record. */
  private static void assertNoInternetSockets(Path trace) throws IOException {
    assertThat(trace).as("strace wrote its trace").isRegularFile();
    List<String> calls = Files.readAllLines(trace).stream().filter(l -> l.contains("sa_family=")).toList();
    List<String> internet = calls.stream().filter(l -> l.contains("AF_INET")).toList(); // AF_INET and AF_INET6
    System.out.printf("%s: %d socket calls with an address, %d to the internet%n", trace.getFileName(), calls.size(),
        internet.size());
    calls.stream().filter(l -> !l.contains("AF_INET")).forEach(l -> System.out.println("  local: " + l));
    assertThat(internet).as("connect/bind/send to an AF_INET or AF_INET6 address").isEmpty();
  }

  // ---- processes ----

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The packaged server: its manifest's Class-Path names lib/ beside it, so it runs from anywhere. */
  private static Path jar() {
    Path target = EditorRun.repository().resolve("language-server").resolve("target");
    Path jar = target.resolve("carbonlens.jar");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(target.resolve("lib"))) {
      fail("%s with lib/ beside it is missing: package language-server first (mvn package -pl language-server)", jar);
    }
    return jar;
  }

  private record Finished(int status, byte[] stdout, String stderr) {}

  /** Runs a command to its end in {@code dir}, its output in files under {@code scratch} (no pipe can fill). */
  private static Finished runIn(Path dir, List<String> command, Path scratch) throws Exception {
    Files.createDirectories(scratch);
    Path out = scratch.resolve("stdout");
    Path err = scratch.resolve("stderr");
    Process p = new ProcessBuilder(command).directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(EditorRun.GUARD_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("%s still running after %d s; stderr:%n%s", command, EditorRun.GUARD_SECONDS, read(err));
    }
    return new Finished(p.exitValue(), Files.readAllBytes(out), read(err));
  }

  private static String read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /**
   * JSON-RPC over the server's stdin/stdout with LSP's Content-Length framing: what an editor sends, and a reader
   * thread queueing what the server answers, so every wait has a guard.
   */
  private static final class Rpc implements AutoCloseable {
    private final OutputStream in;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final Thread reader;

    Rpc(Process server) {
      this.in = server.getOutputStream();
      InputStream out = server.getInputStream();
      this.reader = new Thread(() -> readAll(out), "no-network-rpc-reader");
      reader.setDaemon(true);
      reader.start();
    }

    void request(int id, String method, JsonNode params) throws IOException {
      ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
      send(params == null ? message : message.set("params", params));
    }

    void notify(String method, JsonNode params) throws IOException {
      ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
      send(params == null ? message : message.set("params", params));
    }

    private void send(JsonNode message) throws IOException {
      byte[] body = JSON.writeValueAsBytes(message);
      in.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      in.write(body);
      in.flush();
    }

    /** The first message from the server that matches, skipping the others (log messages, registrations). */
    JsonNode await(Predicate<JsonNode> wanted, Path stderr) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EditorRun.GUARD_SECONDS);
      while (System.nanoTime() < deadline) {
        JsonNode message = received.poll(1, TimeUnit.SECONDS);
        if (message != null && wanted.test(message)) {
          return message;
        }
      }
      return fail("no expected message from the server within %d s; stderr:%n%s", EditorRun.GUARD_SECONDS,
          read(stderr));
    }

    private void readAll(InputStream out) {
      try {
        while (true) {
          int length = contentLength(out);
          if (length < 0) {
            return;
          }
          received.add(JSON.readTree(out.readNBytes(length)));
        }
      } catch (IOException e) {
        // the server ended: the waits report it
      }
    }

    /** Reads one header block; -1 at the end of the stream. */
    private static int contentLength(InputStream out) throws IOException {
      int length = -1;
      while (true) {
        String line = headerLine(out);
        if (line == null) {
          return -1;
        }
        if (line.isEmpty()) {
          return length;
        }
        if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
    }

    private static String headerLine(InputStream out) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = out.read()) != '\n') {
        if (b < 0) {
          return null;
        }
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
      in.close(); // after `exit`: the server's stdin ends as an editor's would
    }
  }
}
