package dev.carbonlens.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.carbonlens.model.Severity;
import org.junit.jupiter.api.Test;

class SeveritySettingsTest {
  @Test
  void initializationOptionsSetLevelsAndSkipBadEntries() {
    var options = JsonParser.parseString("{\"severity\": {\"CL-PREC-001\": \"info\", \"CL-ES-001\": \"off\","
        + " \"CL-REG-001\": \"loud\"}}");
    var overrides = CarbonLensLanguageServer.severitiesFrom(options);
    assertThat(overrides.severityOf("CL-PREC-001")).hasValue(Severity.INFO);
    assertThat(overrides.isOff("CL-ES-001")).isTrue();
    assertThat(overrides.levels()).doesNotContainKey("CL-REG-001");
  }

  @Test
  void noOrOddOptionsMeanNoOverrides() {
    assertThat(CarbonLensLanguageServer.severitiesFrom(null).levels()).isEmpty();
    assertThat(CarbonLensLanguageServer.severitiesFrom(JsonParser.parseString("[1]")).levels()).isEmpty();
    assertThat(CarbonLensLanguageServer.severitiesFrom(JsonParser.parseString("{\"severity\": 3}")).levels()).isEmpty();
  }
}
