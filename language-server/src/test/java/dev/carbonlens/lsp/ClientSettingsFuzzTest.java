package dev.carbonlens.lsp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.fuzz.FuzzInputs;

/**
 * An editor's settings (`initializationOptions`, `workspace/didChangeConfiguration`) as any JSON a client
 * may send: parsing never throws, a bad entry becomes a problem for the user, the debounce stays within
 * its bounds and the defaults apply to the server's estimator settings. Here, not in dev.carbonlens.fuzz,
 * because ClientSettings is package-private.
 */
class ClientSettingsFuzzTest {

  @FuzzTest
  void clientSettings(byte[] data) {
    JsonElement json;
    try {
      json = JsonParser.parseString(FuzzInputs.text(data));
    } catch (JsonParseException | StackOverflowError e) {
      return; // not JSON: LSP4J never hands such a payload to the server
    }
    ClientSettings settings = ClientSettings.parse(json);
    if (settings.debounceMs() < 0 || settings.debounceMs() > 5_000) {
      throw new AssertionError("debounce out of bounds: " + settings.debounceMs());
    }
    if (settings.problems().stream().anyMatch(p -> p == null || p.isBlank())) {
      throw new AssertionError("a blank problem: " + settings.problems());
    }
    EstimatorSettings applied = settings.defaults().apply(EstimatorSettings.defaults());
    if (applied == null) {
      throw new AssertionError("the defaults gave null settings");
    }
    settings.severities().levels().keySet().forEach(id -> settings.severities().severityOf(id));
    ClientSettings.addressesCarbonLens(json);
  }
}
