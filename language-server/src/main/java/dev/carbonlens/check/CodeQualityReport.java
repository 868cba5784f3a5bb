package dev.carbonlens.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.Finding;
import dev.carbonlens.limits.LimitNotice;
import java.util.Map;

/**
 * `--format gitlab`: GitLab's code quality report (a Code Climate issue list), which merge requests show
 * beside the diff. New findings only when a baseline is given; fingerprints are the baseline's, so GitLab
 * tells introduced from resolved findings across pipelines the same way.
 */
public final class CodeQualityReport {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CodeQualityReport() {}

  public static String render(CheckResult result) {
    ArrayNode issues = MAPPER.createArrayNode();
    for (FileAnalysis file : result.files()) {
      Map<ReportedFinding, String> fingerprints = FindingFingerprints.of(file);
      for (ReportedFinding reported : file.findings()) {
        if (result.baseline().isUnchanged(reported)) {
          continue;
        }
        Finding f = reported.finding();
        ObjectNode issue = issue(file.file(), Positions.line(f.range()), Positions.endLine(f.range()),
            f.message() + TextReport.savings(f.savings()), f.ruleId(), severity(f.severity()),
            file.file() + ":" + fingerprints.get(reported));
        issue.putArray("categories").add("Performance");
        issues.add(issue);
      }
      for (ParseProblem p : file.problems()) {
        issues.add(issue(file.file(), Positions.line(p.range()), Positions.line(p.range()), p.message(), "parse",
            "blocker", file.file() + ":parse:" + Positions.line(p.range())));
      }
    }
    for (FileAnalysis file : result.files()) {
      for (LimitNotice n : file.notices()) {
        issues.add(issue(file.file(), Positions.line(n.range()), Positions.line(n.range()), n.message(), "limit",
            "info", file.file() + ":limit:" + n.limit() + ":" + Positions.line(n.range())));
      }
    }
    for (CheckResult.UnreadableFile u : result.unreadable()) {
      issues.add(issue(u.file(), 1, 1, u.message(), "parse", "blocker", u.file() + ":unreadable"));
    }
    try {
      return MAPPER.writeValueAsString(issues) + System.lineSeparator();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode issue(String file, int line, int endLine, String description, String check,
      String severity, String identity) {
    ObjectNode issue = MAPPER.createObjectNode();
    issue.put("type", "issue");
    issue.put("check_name", check);
    issue.put("description", description);
    issue.put("severity", severity);
    issue.put("fingerprint", md5(identity));
    ObjectNode location = issue.putObject("location");
    location.put("path", file);
    ObjectNode lines = location.putObject("lines");
    lines.put("begin", line);
    lines.put("end", endLine);
    return issue;
  }

  /** Code Climate's levels: info, minor, major, critical, blocker. */
  private static String severity(dev.carbonlens.model.Severity severity) {
    return switch (severity) {
      case ERROR -> "critical";
      case WARNING -> "major";
      case INFO -> "minor";
      case HINT -> "info";
    };
  }

  /** GitLab expects an MD5-shaped fingerprint; it is an identity here, not a security measure. */
  private static String md5(String value) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("MD5").digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every JVM", e);
    }
  }
}
