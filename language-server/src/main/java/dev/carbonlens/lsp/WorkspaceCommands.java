package dev.carbonlens.lsp;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.RunTotals;
import dev.carbonlens.check.CheckResult;
import dev.carbonlens.engine.RuleDocs;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.report.HtmlReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * `workspace/executeCommand` for editor clients: the footprint of a document for a status bar, the HTML
 * report of open documents, and a rule's documentation. Each answers from the analysis behind the
 * diagnostics last given, so it shows what the user sees.
 */
final class WorkspaceCommands {
  static final String SUMMARY = "carbonlens.summary";
  static final String REPORT = "carbonlens.report";
  static final String EXPLAIN = "carbonlens.explain";
  static final List<String> ALL = List.of(SUMMARY, REPORT, EXPLAIN);

  private final DocumentsService documents;

  WorkspaceCommands(DocumentsService documents) {
    this.documents = documents;
  }

  Object execute(String command, List<Object> arguments) {
    List<String> args = new ArrayList<>();
    if (arguments != null) {
      for (Object a : arguments) {
        args.add(a instanceof JsonPrimitive p && p.isString() ? p.getAsString() : a == null ? null : String.valueOf(a));
      }
    }
    return switch (command == null ? "" : command) {
      case SUMMARY -> summary(one(command, args));
      case REPORT -> report(args);
      case EXPLAIN -> explain(one(command, args));
      default -> throw invalid("unknown command: " + command + " (known: " + String.join(", ", ALL) + ")");
    };
  }

  /** Runs, findings and the footprint of one open document; null when it is not open or not analysed yet. */
  private JsonElement summary(String uri) {
    Optional<DocumentsService.Published> state = documents.publishedState(uri);
    if (state.isEmpty()) {
      return JsonNull.INSTANCE;
    }
    FileAnalysis analysis = state.get().analysis();
    JsonObject out = new JsonObject();
    out.addProperty("uri", uri);
    out.addProperty("version", state.get().version());
    out.addProperty("runs", analysis.runs().size());
    out.addProperty("findings", analysis.findings().size());
    if (analysis.runs().isEmpty()) {
      out.add("footprintKgCO2e", JsonNull.INSTANCE);
      out.add("operationalKgCO2e", JsonNull.INSTANCE);
      out.add("embodiedKgCO2e", JsonNull.INSTANCE);
      out.add("savingsKgCO2e", JsonNull.INSTANCE);
      return out;
    }
    RunTotals totals = RunTotals.of(analysis.runs());
    out.addProperty("footprintKgCO2e", Figures.round(totals.totalKgCO2e()));
    out.addProperty("operationalKgCO2e", Figures.round(totals.operationalKgCO2e()));
    out.addProperty("embodiedKgCO2e", Figures.round(totals.embodiedKgCO2e()));
    if (totals.savedKgCO2e() == null) {
      out.add("savingsKgCO2e", JsonNull.INSTANCE);
    } else {
      out.addProperty("savingsKgCO2e", Figures.round(totals.savedKgCO2e()));
    }
    return out;
  }

  /** The HTML report of the given open documents, or of every open document when none is named. */
  private JsonElement report(List<String> uris) {
    List<FileAnalysis> files = new ArrayList<>();
    for (String uri : uris.isEmpty() ? documents.publishedUris() : uris) {
      documents.publishedState(uri).ifPresent(p -> files.add(p.analysis()));
    }
    JsonObject out = new JsonObject();
    out.addProperty("html", HtmlReport.render(new CheckResult(files, List.of())));
    return out;
  }

  /** The rule's documentation page, as `carbonlens explain` prints it. */
  private JsonElement explain(String ruleId) {
    String id = ruleId.trim().toUpperCase(Locale.ROOT);
    String markdown = RuleDocs.markdown(id)
        .orElseThrow(() -> invalid("no rule " + ruleId + " in the CarbonLens catalog"));
    JsonObject out = new JsonObject();
    out.addProperty("id", id);
    out.addProperty("markdown", markdown);
    return out;
  }

  private static String one(String command, List<String> args) {
    if (args.size() != 1 || args.get(0) == null || args.get(0).isBlank()) {
      throw invalid(command + " takes one argument, got " + args.size());
    }
    return args.get(0);
  }

  private static ResponseErrorException invalid(String message) {
    return new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams, message, null));
  }
}
