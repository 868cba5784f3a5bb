package dev.carbonlens.fuzz;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.SyntaxKind;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.engine.RuleInfo;
import dev.carbonlens.reference.ReferenceData;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the fuzz targets share, built once per JVM: a fuzzing run calls a target thousands of times a
 * second, so nothing slow (reference tables, the Drools rule catalog) may be built per input.
 */
public final class FuzzInputs {
  public static final ReferenceData REFERENCE = ReferenceData.builtIn();

  private FuzzInputs() {}

  /**
   * The fuzzer's bytes as text. UTF-8 (what editors and files send): a seed file is its own text, so
   * samples and crash files read the same in a fuzz run, a regression run and an editor.
   */
  public static String text(byte[] data) {
    return new String(data, StandardCharsets.UTF_8);
  }

  /** A file name whose extension matches how the content reads, so that name and content agree. */
  public static String configFileName(String text) {
    return DocumentParser.syntaxOf(null, text) == SyntaxKind.JSON ? "fuzz.json" : "fuzz.yaml";
  }

  /** The built-in rule ids (what a project config may name), read once from the rule catalog. */
  public static Set<String> ruleIds() {
    return RuleIds.ALL;
  }

  /** Holder: the Drools catalog loads (about a second) only for the targets that need its ids. */
  private static final class RuleIds {
    static final Set<String> ALL = RuleEngine.builtIn().rules().stream().map(RuleInfo::id)
        .collect(Collectors.toUnmodifiableSet());
  }
}
