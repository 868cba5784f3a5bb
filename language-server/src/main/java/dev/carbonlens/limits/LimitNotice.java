package dev.carbonlens.limits;

import dev.carbonlens.model.SourceRange;

/**
 * A limit that stopped CarbonLens from analysing a file (or one document of it): an information notice, not an
 * error in the file. {@code limit} names the limit ({@link AnalysisLimits} lists them); the message says what
 * was over it, by how much, and which setting raises it.
 */
public record LimitNotice(String limit, String message, SourceRange range) {
  public static final String FILE_SIZE = "file-size";
  public static final String TIME_BUDGET = "time-budget";
  public static final String YAML_CODE_POINTS = "yaml-code-points";
  public static final String NESTING_DEPTH = "nesting-depth";
  public static final String ALIAS_EXPANSION = "alias-expansion";
  public static final String SYNTAX_NODES = "syntax-nodes";
}
