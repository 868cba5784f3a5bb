package dev.carbonlens.lsp;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;

/**
 * A diagnostic's `data`: the finding's category and savings (null when not estimated), the same
 * figures as the JSON report's `savings`; for a limit notice also `limit`, which limit it was.
 */
public record DiagnosticData(String category, SavingsData savings, String limit) {

  public DiagnosticData(String category, SavingsData savings) {
    this(category, savings, null);
  }

  public record SavingsData(double kgCO2e, double kWh, double fraction) {}

  /**
   * LSP4J's Gson drops null members; the spec asks for `"savings": null`, so this type writes its
   * own nulls.
   */
  public static final class GsonAdapter extends TypeAdapter<DiagnosticData> {
    @Override
    public void write(JsonWriter out, DiagnosticData data) throws IOException {
      if (data == null) {
        out.nullValue();
        return;
      }
      boolean serializeNulls = out.getSerializeNulls();
      out.setSerializeNulls(true);
      try {
        out.beginObject();
        out.name("category").value(data.category());
        out.name("savings");
        if (data.savings() == null) {
          out.nullValue();
        } else {
          out.beginObject();
          out.name("kgCO2e").value(data.savings().kgCO2e());
          out.name("kWh").value(data.savings().kWh());
          out.name("fraction").value(data.savings().fraction());
          out.endObject();
        }
        if (data.limit() != null) {
          out.name("limit").value(data.limit());
        }
        out.endObject();
      } finally {
        out.setSerializeNulls(serializeNulls);
      }
    }

    @Override
    public DiagnosticData read(JsonReader in) throws IOException {
      JsonElement element = JsonParser.parseReader(in);
      if (!element.isJsonObject()) {
        return null;
      }
      JsonObject o = element.getAsJsonObject();
      SavingsData savings = null;
      if (o.has("savings") && o.get("savings").isJsonObject()) {
        JsonObject s = o.getAsJsonObject("savings");
        savings = new SavingsData(s.get("kgCO2e").getAsDouble(), s.get("kWh").getAsDouble(), s.get("fraction").getAsDouble());
      }
      return new DiagnosticData(o.has("category") ? o.get("category").getAsString() : null, savings,
          o.has("limit") && o.get("limit").isJsonPrimitive() ? o.get("limit").getAsString() : null);
    }
  }
}
