package dev.carbonlens.editors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CarbonLens in Emacs through Eglot and Flymake, in batch: the shipped editors/emacs/carbonlens-eglot.el
 * registers the server, Eglot starts the real launcher for the YAML file, and
 * src/test/resources/emacs/e2e.el writes back what Flymake holds.
 */
class EmacsEndToEndTest {

  @Test
  void flymakeShowsTheFindingsThroughEglot(@TempDir Path tmp) throws Exception {
    Path emacs = EditorRun.onPath("emacs");
    Assumptions.assumeTrue(emacs != null && EditorRun.succeeds(List.of(emacs.toString(), "--batch", "--eval",
            "(progn (package-initialize) (require 'eglot))")),
        "Emacs with Eglot is not installed (apt-get install emacs-nox elpa-eglot)");
    Path repo = EditorRun.repository();
    Path file = EditorRun.copySample(tmp, "skypilot/resnet-k80.yaml");
    Path script = Path.of("src/test/resources/emacs/e2e.el").toAbsolutePath();

    JsonNode result = new EditorRun(tmp, List.of(emacs.toString(), "--batch", "-l", script.toString()))
        .env("CARBONLENS_CONFIG", repo.resolve("editors/emacs/carbonlens-eglot.el").toString())
        .env("CARBONLENS_FILE", file.toString())
        .run();

    // Emacs 28 has no YAML mode: the shipped file's minimal one takes .yaml.
    assertThat(result.path("mode").asText()).isIn("carbonlens-yaml-mode", "yaml-mode", "yaml-ts-mode");
    assertThat(result.path("server").asText()).isEqualTo("carbonlens-eglot-server");
    // Flymake: 1-based lines, 0-based columns; Eglot writes "source [code]: message". CL-ES-001 is a
    // warning by default: carbonlens-settings make it an error, which shows they reached the server
    // past Eglot's own (empty) workspace configuration.
    List<JsonNode> diagnostics = new ArrayList<>();
    result.path("diagnostics").forEach(diagnostics::add);
    assertThat(diagnostics)
        .extracting(d -> d.path("line").asInt(), d -> d.path("column").asInt(), d -> d.path("type").asText(),
            d -> d.path("text").asText().replaceFirst(":.*", ""))
        .containsExactly(
            tuple(5, 9, "eglot-note", "carbonlens [CL-REG-002]"),
            tuple(6, 16, "eglot-warning", "carbonlens [CL-HW-001]"),
            tuple(9, 52, "eglot-error", "carbonlens [CL-ES-001]"));
    assertThat(diagnostics.get(1).path("text").asText())
        .startsWith("carbonlens [CL-HW-001]: K80 (kepler, 2014) has no tensor cores");
  }
}
