package dev.carbonlens.engine;

import dev.carbonlens.model.Category;
import dev.carbonlens.model.Severity;
import java.util.Map;

/** A rule's identity as declared in its DRL metadata. */
public record RuleInfo(String id, String name, Category category, Severity severity) {

  static RuleInfo of(String name, Map<String, Object> metadata) {
    Object id = metadata.get("id");
    Object category = metadata.get("category");
    Object severity = metadata.get("severity");
    if (id == null || category == null || severity == null) {
      throw new IllegalStateException("rule '" + name + "' lacks @id, @category or @severity metadata");
    }
    return new RuleInfo(unquote(id), name, Category.fromLabel(unquote(category)), Severity.fromLabel(unquote(severity)));
  }

  private static String unquote(Object value) {
    String s = String.valueOf(value).trim();
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }
}
