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
 * CarbonLens in Neovim's built-in LSP client, headless: the shipped editors/neovim/carbonlens.lua starts
 * the real server through the launcher (vim.lsp.start_client on 0.7, vim.lsp.start on 0.8+), and
 * src/test/resources/neovim/e2e.lua reads back what Neovim holds: vim.diagnostic.get, a hover, the code
 * actions, and the diagnostics after new settings.
 */
class NeovimEndToEndTest {

  @Test
  void diagnosticsHoverCodeActionsAndSettingsThroughNeovim(@TempDir Path tmp) throws Exception {
    Path nvim = EditorRun.onPath("nvim");
    Assumptions.assumeTrue(nvim != null, "Neovim is not installed (apt-get install neovim)");
    Path repo = EditorRun.repository();
    Path file = EditorRun.copySample(tmp, "skypilot/resnet-k80.yaml");
    Path script = Path.of("src/test/resources/neovim/e2e.lua").toAbsolutePath();

    JsonNode result = new EditorRun(tmp, List.of(nvim.toString(), "--headless", "-u", "NONE", "-i", "NONE",
            "-c", "luafile " + script))
        .env("CARBONLENS_CONFIG", repo.resolve("editors/neovim/carbonlens.lua").toString())
        .env("CARBONLENS_FILE", file.toString())
        .log(tmp.resolve("cache/nvim/lsp.log")) // Neovim 0.7
        .log(tmp.resolve("state/nvim/lsp.log")) // 0.8 and later
        .run();

    assertThat(result.path("client").asText()).isEqualTo("carbonlens");
    assertThat(result.path("filetype").asText()).isEqualTo("yaml");
    // 0-based lines and columns; severities 1 error, 2 warning, 3 info. CL-ES-001 is a warning by
    // default: the script's settings (initializationOptions) make it an error.
    assertThat(list(result.path("diagnostics")))
        .extracting(d -> d.path("code").asText(), d -> d.path("lnum").asInt(), d -> d.path("col").asInt(),
            d -> d.path("severity").asInt(), d -> d.path("source").asText())
        .containsExactlyInAnyOrder(
            tuple("CL-REG-002", 4, 9, 3, "carbonlens"),
            tuple("CL-HW-001", 5, 16, 2, "carbonlens"),
            tuple("CL-ES-001", 8, 52, 1, "carbonlens"));
    JsonNode hw = list(result.path("diagnostics")).stream()
        .filter(d -> d.path("code").asText().equals("CL-HW-001")).findFirst().orElseThrow();
    assertThat(hw.path("end_col").asInt()).isEqualTo(21); // "K80:4"
    assertThat(hw.path("message").asText()).startsWith("K80 (kepler, 2014) has no tensor cores");

    assertThat(result.path("hover").asText())
        .startsWith("**CL-HW-001**")
        .contains("**Proposed:** Use L4", "Assumptions and sources:", "`carbonlens explain CL-HW-001`");

    assertThat(list(result.path("code_actions"))).extracting(JsonNode::asText)
        .anySatisfy(t -> assertThat(t).startsWith("Use L4 (CL-HW-001, saves"))
        .contains("Ignore CL-HW-001 on this line (carbonlens: ignore comment)")
        .anySatisfy(t -> assertThat(t).startsWith("Apply all CarbonLens fixes in this file"));

    JsonNode summary = result.path("summary");
    assertThat(summary.path("uri").asText()).isEqualTo(file.toUri().toString());
    assertThat(summary.path("runs").asInt()).isEqualTo(1);
    assertThat(summary.path("findings").asInt()).isEqualTo(3);
    assertThat(summary.path("footprintKgCO2e").asDouble()).isPositive();
    assertThat(summary.path("savingsKgCO2e").asDouble()).isPositive();

    // require('carbonlens').update{rules = {['CL-ES-001'] = false}}: didChangeConfiguration, no restart.
    assertThat(list(result.path("after_update")))
        .extracting(d -> d.path("code").asText(), d -> d.path("lnum").asInt(), d -> d.path("col").asInt())
        .containsExactlyInAnyOrder(tuple("CL-REG-002", 4, 9), tuple("CL-HW-001", 5, 16));
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items;
  }
}
