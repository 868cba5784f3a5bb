package dev.carbonlens.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.cli.Version;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.Finding;
import dev.carbonlens.estimate.Assumption;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.estimate.Footprint;
import dev.carbonlens.estimate.Savings;
import dev.carbonlens.extract.TextEdit;
import dev.carbonlens.limits.LimitNotice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;

/** `--format json`: the object described in shared/spec/report-format.md, plus a few added fields. */
public final class JsonReport {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static String render(CheckResult result) {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode tool = root.putObject("tool");
    tool.put("name", "carbonlens");
    tool.put("version", Version.VERSION);
    ArrayNode findings = root.putArray("findings");
    ArrayNode runs = root.putArray("runs");
    ArrayNode errors = root.putArray("errors");
    // Added to the contract: files a limit kept from being analysed (information, not errors).
    ArrayNode notices = root.putArray("notices");
    // Added to the contract: what `carbonlens: ignore` comments silenced, with their reasons.
    ArrayNode suppressed = root.putArray("suppressed");
    for (FileAnalysis file : result.files()) {
      for (ReportedFinding f : file.findings()) {
        ObjectNode node = finding(file.file(), f);
        if (result.baseline() != Baseline.Comparison.NONE) {
          // Added to the contract: SARIF's vocabulary for a finding compared with a baseline.
          node.put("baselineState", result.baseline().isUnchanged(f) ? "unchanged" : "new");
        }
        findings.add(node);
      }
      for (dev.carbonlens.analysis.SuppressedFinding s : file.suppressed()) {
        ObjectNode node = finding(file.file(), s.finding());
        node.put("suppressedBy", s.directive().wholeFile() ? "ignore-file" : "ignore");
        node.put("suppressionLine", s.directive().line() + 1);
        node.put("reason", s.directive().reason());
        suppressed.add(node);
      }
      for (RunEstimate r : file.runs()) {
        runs.add(run(r));
      }
      for (ParseProblem p : file.problems()) {
        ObjectNode error = errors.addObject();
        error.put("file", file.file());
        error.put("line", Positions.line(p.range()));
        error.put("column", Positions.column(p.range()));
        error.put("message", p.message());
      }
    }
    for (FileAnalysis file : result.files()) {
      for (LimitNotice n : file.notices()) {
        ObjectNode notice = notices.addObject();
        notice.put("file", file.file());
        notice.put("line", Positions.line(n.range()));
        notice.put("column", Positions.column(n.range()));
        notice.put("limit", n.limit());
        notice.put("message", n.message());
      }
    }
    for (CheckResult.UnreadableFile u : result.unreadable()) {
      ObjectNode error = errors.addObject();
      error.put("file", u.file());
      error.put("line", 1);
      error.put("column", 1);
      error.put("message", u.message());
    }
    if (result.baseline() != Baseline.Comparison.NONE) {
      ObjectNode baseline = root.putObject("baseline");
      baseline.put("new", result.newFindings().count());
      baseline.put("unchanged", result.baseline().unchanged().size());
      ArrayNode absent = baseline.putArray("absent");
      for (Baseline.Entry e : result.baseline().absent()) {
        ObjectNode node = absent.addObject();
        node.put("file", e.file());
        node.put("ruleId", e.ruleId());
        node.put("line", e.line());
        node.put("message", e.message());
      }
    }
    try {
      return MAPPER.writeValueAsString(root) + System.lineSeparator();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode finding(String file, ReportedFinding reported) {
    Finding f = reported.finding();
    ObjectNode node = MAPPER.createObjectNode();
    node.put("file", file);
    putRange(node, f.range());
    node.put("ruleId", f.ruleId());
    node.put("category", f.category().label());
    node.put("severity", f.severity().label());
    node.put("message", f.message());
    if (f.savings() == null) {
      node.putNull("savings");
    } else {
      node.set("savings", savings(f.savings()));
    }
    ArrayNode fixes = node.putArray("fixes");
    reported.fixIfAny().ifPresent(fix -> {
      ObjectNode fixNode = fixes.addObject();
      fixNode.put("title", fix.title());
      ArrayNode edits = fixNode.putArray("edits");
      for (TextEdit edit : fix.edits()) {
        ObjectNode e = edits.addObject();
        putRange(e, edit.range());
        e.put("newText", edit.newText());
      }
    });
    node.put("proposedChange", f.change() == null ? null : f.change().title());
    return node;
  }

  static ObjectNode savings(Savings s) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("kgCO2e", Figures.round(s.kgCO2e()));
    node.put("kWh", Figures.round(s.kWh()));
    node.put("fraction", Figures.round(s.fraction()));
    return node;
  }

  static ObjectNode run(RunEstimate estimate) {
    Run run = estimate.run();
    Footprint fp = estimate.footprint();
    ObjectNode node = MAPPER.createObjectNode();
    node.put("file", run.file());
    node.put("line", Positions.line(run.range()));
    node.put("stage", run.stage().label());
    node.put("format", run.format());
    node.put("accelerator", fp.accelerator());
    node.put("acceleratorCount", fp.devices());
    if (run.region() == null) {
      node.putNull("region");
    } else {
      node.put("region", run.region().spec().key());
    }
    node.put("gridIntensity", Figures.round(fp.gridIntensity()));
    node.put("pue", Figures.round(fp.pue()));
    node.put("hours", Figures.round(fp.hours()));
    node.put("hoursBasis", fp.hoursBasis().name().toLowerCase(java.util.Locale.ROOT));
    node.put("powerKW", Figures.round(fp.powerKwPerDevice()));
    node.put("energyKWh", Figures.round(fp.energyKWh()));
    node.put("operationalKgCO2e", Figures.round(fp.operationalKgCO2e()));
    node.put("embodiedKgCO2e", Figures.round(fp.embodiedKgCO2e()));
    node.put("totalKgCO2e", Figures.round(fp.totalKgCO2e()));
    ObjectNode range = node.putObject("range");
    range.put("lowKgCO2e", Figures.round(fp.lowKgCO2e()));
    range.put("highKgCO2e", Figures.round(fp.highKgCO2e()));
    range.put("lowKWh", Figures.round(fp.lowEnergyKWh()));
    range.put("highKWh", Figures.round(fp.highEnergyKWh()));
    if (fp.perThousandTokens() == null) {
      node.putNull("perThousandTokens");
    } else {
      ObjectNode tokens = node.putObject("perThousandTokens");
      tokens.put("energyWh", Figures.round(fp.perThousandTokens().energyWh()));
      tokens.put("gCO2e", Figures.round(fp.perThousandTokens().gramsCO2e()));
      tokens.put("tokensPerSecondPerDevice", Figures.round(fp.perThousandTokens().tokensPerSecondPerDevice()));
    }
    if (estimate.allFindingsSavings() == null) {
      node.putNull("allFindingsSavings");
    } else {
      node.set("allFindingsSavings", savings(estimate.allFindingsSavings()));
    }
    ArrayNode assumptions = node.putArray("assumptions");
    for (Assumption a : fp.assumptions()) {
      assumptions.add(a.toString());
    }
    return node;
  }

  private static void putRange(ObjectNode node, SourceRange range) {
    node.put("line", Positions.line(range));
    node.put("column", Positions.column(range));
    node.put("endLine", Positions.endLine(range));
    node.put("endColumn", Positions.endColumn(range));
  }
}
