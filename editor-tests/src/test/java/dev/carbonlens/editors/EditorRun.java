package dev.carbonlens.editors;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One run of a real editor, headless, against the real launcher: the repository's paths, the process
 * with its guard, and everything worth printing when it goes wrong.
 */
final class EditorRun {

  /** A guard so a stuck editor cannot hang the build; the scripts' own waits end well before it. */
  static final long GUARD_SECONDS = 180;

  /** The repository root: the module runs in editor-tests/, the launcher is ../carbonlens. */
  static Path repository() {
    Path root = Path.of("").toAbsolutePath().getParent();
    if (root == null || !Files.isRegularFile(root.resolve("carbonlens"))) {
      throw new IllegalStateException("run from editor-tests/: no ../carbonlens launcher beside " + Path.of("").toAbsolutePath());
    }
    return root;
  }

  /** The first executable called {@code name} on PATH, or null. */
  static Path onPath(String name) {
    String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Copies a sample into the temporary folder (the server reads a .carbonlens.yaml above it, if any). */
  static Path copySample(Path tmp, String sample) throws IOException {
    Path source = repository().resolve("samples").resolve(sample);
    Path target = tmp.resolve("workspace").resolve(source.getFileName().toString());
    Files.createDirectories(target.getParent());
    return Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
  }

  private final Path tmp;
  private final List<String> command;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<Path> logs = new ArrayList<>();
  private final Path out;

  EditorRun(Path tmp, List<String> command) {
    this.tmp = tmp;
    this.command = List.copyOf(command);
    this.out = tmp.resolve("out.json");
    // Keep the user's editor configuration and caches out of the run.
    environment.put("HOME", tmp.resolve("home").toString());
    environment.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
    environment.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    environment.put("XDG_STATE_HOME", tmp.resolve("state").toString());
    environment.put("XDG_DATA_HOME", tmp.resolve("data").toString());
    environment.put("CARBONLENS_OUT", out.toString());
    environment.put("CARBONLENS_LAUNCHER", repository().resolve("carbonlens").toString());
  }

  EditorRun env(String key, String value) {
    environment.put(key, value);
    return this;
  }

  /** A file the editor writes as it goes, printed when the run fails. */
  EditorRun log(Path file) {
    logs.add(file);
    return this;
  }

  /** Runs the editor to its end and returns the JSON its script wrote; fails with every log otherwise. */
  JsonNode run() throws IOException, InterruptedException {
    Files.createDirectories(tmp.resolve("home"));
    Path stdout = tmp.resolve("editor.stdout");
    Path stderr = tmp.resolve("editor.stderr");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(tmp.resolve("workspace").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    boolean finished = process.waitFor(GUARD_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      // The editor and the server it started (the launcher execs java).
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      fail("%s still running after %d s (killed)%n%s", command.get(0), GUARD_SECONDS, diagnostics(stdout, stderr));
    }
    if (process.exitValue() != 0 || !Files.isRegularFile(out)) {
      fail("%s exited with %d%n%s", command.get(0), process.exitValue(), diagnostics(stdout, stderr));
    }
    String json = Files.readString(out, StandardCharsets.UTF_8);
    try {
      return new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json + "\n" + diagnostics(stdout, stderr), e);
    }
  }

  /** What to print when a run fails: the script's error, the editor's output and the client logs. */
  String diagnostics(Path stdout, Path stderr) {
    StringBuilder text = new StringBuilder("command: ").append(String.join(" ", command)).append('\n');
    List<Path> files = new ArrayList<>(List.of(Path.of(out + ".error"), stdout, stderr, Path.of(out + ".log")));
    files.addAll(logs);
    for (Path file : files) {
      if (Files.isRegularFile(file)) {
        text.append("--- ").append(file.getFileName()).append(" ---\n").append(tail(file)).append('\n');
      }
    }
    return text.toString();
  }

  private static String tail(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      return s.length() > 20_000 ? "..." + s.substring(s.length() - 20_000) : s;
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** The editor's own check that it can run (an Emacs package loads, say): true when it exits with 0. */
  static boolean succeeds(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
