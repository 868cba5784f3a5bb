package dev.carbonlens.check;

import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.engine.Finding;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finding's identity that survives lines moving: the rule id and the text of the flagged line (whitespace
 * collapsed), hashed, plus which occurrence of that pair it is in the file. The same idea as GitHub code
 * scanning's `primaryLocationLineHash`; baselines and SARIF `partialFingerprints` both use it.
 */
public final class FindingFingerprints {
  /** The SARIF `partialFingerprints` key this fingerprint is written under. */
  public static final String SARIF_KEY = "carbonlensFindingHash/v1";

  private FindingFingerprints() {}

  /** Each reported finding of the file to its fingerprint. */
  public static Map<ReportedFinding, String> of(FileAnalysis file) {
    return of(file.document().text(), file.findings());
  }

  static Map<ReportedFinding, String> of(String text, List<ReportedFinding> findings) {
    List<ReportedFinding> ordered = findings.stream()
        .sorted(java.util.Comparator.comparingInt((ReportedFinding f) -> f.finding().range().startLine())
            .thenComparingInt(f -> f.finding().range().startColumn()))
        .toList();
    String[] lines = text.split("\r\n|\r|\n", -1);
    Map<String, Integer> seen = new HashMap<>();
    Map<ReportedFinding, String> out = new IdentityHashMap<>();
    for (ReportedFinding reported : ordered) {
      Finding f = reported.finding();
      int line = f.range().startLine();
      String content = line >= 0 && line < lines.length ? normalise(lines[line]) : "";
      String hash = hash(f.ruleId() + '\u0000' + content);
      int occurrence = seen.merge(hash, 1, Integer::sum);
      out.put(reported, hash + ":" + occurrence);
    }
    return out;
  }

  private static String normalise(String line) {
    return line.strip().replaceAll("\\s+", " ");
  }

  private static String hash(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
