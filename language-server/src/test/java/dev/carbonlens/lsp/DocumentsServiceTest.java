package dev.carbonlens.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DocumentDiagnosticParams;
import org.eclipse.lsp4j.DocumentDiagnosticReport;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Scheduling, pull diagnostics, settings and rule files, in process (no JSON-RPC). */
class DocumentsServiceTest {
  private static final CompletableFuture<Analyzer> ANALYZER =
      CompletableFuture.completedFuture(Analyzer.builtIn(EstimatorSettings.defaults()));
  private static final String URI = "file:///work/skypilot/resnet.yaml";
  /** samples/skypilot/resnet-k80.yaml: CL-REG-002 (ap-south-1), CL-HW-001 (K80), CL-ES-001. */
  private static final String SKYPILOT = "name: resnet50-cifar\n\nresources:\n  infra: aws/ap-south-1\n"
      + "  accelerators: K80:4\n\nrun: |\n  python train.py --arch resnet50 --dataset cifar10 --epochs 90 --bf16\n";

  private final RecordingClient client = new RecordingClient();
  private final BlockingQueue<PublishDiagnosticsParams> published = client.published;
  private final DocumentsService service = new DocumentsService(ANALYZER);

  {
    service.connect(client);
  }

  @AfterEach
  void stop() {
    service.stop();
  }

  @Test
  void aTypingBurstEndsWithTheLastVersionsDiagnosticsAndNothingStaleAfter() throws Exception {
    open(URI, SKYPILOT);
    assertThat(next().getVersion()).isEqualTo(1);
    // 50 keystrokes as fast as the client can send them: `K80` -> `K80` + 50 spaces of comment.
    service.didChange(change(2, new Range(new Position(4, 21), new Position(4, 21)), " #"));
    for (int v = 3; v <= 51; v++) {
      service.didChange(change(v, new Range(new Position(4, 21 + v - 1), new Position(4, 21 + v - 1)), "x"));
    }
    List<Integer> versions = new ArrayList<>();
    PublishDiagnosticsParams p;
    do {
      p = next();
      versions.add(p.getVersion());
    } while (p.getVersion() != 51);
    assertThat(versions).isSorted();
    assertThat(p.getDiagnostics()).extracting(d -> d.getCode().getLeft())
        .containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");
    assertThat(published.poll(300, TimeUnit.MILLISECONDS)).as("nothing after the final version").isNull();
  }

  @Test
  void closingPublishesAnEmptySetAndNothingComesAfterIt() throws Exception {
    open(URI, SKYPILOT);
    service.didChange(change(2, new Range(new Position(0, 0), new Position(0, 0)), "# draft\n"));
    service.didClose(new DidCloseTextDocumentParams(new TextDocumentIdentifier(URI)));
    PublishDiagnosticsParams last;
    do {
      last = next();
    } while (!last.getDiagnostics().isEmpty());
    assertThat(published.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void pullDiagnosticsAnswerTheCurrentVersionAndSayUnchangedWhenNothingChanged() throws Exception {
    service.usePullDiagnostics(true, false);
    open(URI, SKYPILOT);
    DocumentDiagnosticReport first = pull(null);
    var full = first.getRelatedFullDocumentDiagnosticReport();
    assertThat(full.getItems()).extracting(d -> d.getCode().getLeft())
        .containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");
    assertThat(full.getResultId()).startsWith("1.");

    var unchanged = pull(full.getResultId()).getRelatedUnchangedDocumentDiagnosticReport();
    assertThat(unchanged.getResultId()).isEqualTo(full.getResultId());

    service.didChange(change(2, new Range(new Position(4, 16), new Position(4, 19)), "L4"));
    var afterEdit = pull(full.getResultId()).getRelatedFullDocumentDiagnosticReport();
    assertThat(afterEdit.getResultId()).startsWith("2.");
    assertThat(afterEdit.getItems()).extracting(d -> d.getCode().getLeft()).containsExactly("CL-REG-002", "CL-ES-001");

    service.applySettings(ClientSettings.parse(JsonParser.parseString("{\"rules\": {\"CL-ES-001\": false}}")));
    var afterSettings = pull(afterEdit.getResultId()).getRelatedFullDocumentDiagnosticReport();
    assertThat(afterSettings.getResultId()).startsWith("2.").isNotEqualTo(afterEdit.getResultId());
    assertThat(afterSettings.getItems()).extracting(d -> d.getCode().getLeft()).containsExactly("CL-REG-002");
    assertThat(published).as("pull mode never pushes").isEmpty();

    var notOpen = service.diagnostic(new DocumentDiagnosticParams(new TextDocumentIdentifier("file:///elsewhere.yaml")))
        .get(30, TimeUnit.SECONDS);
    assertThat(notOpen.getRelatedFullDocumentDiagnosticReport().getItems()).isEmpty();
  }

  @Test
  void newSettingsReanalyseOpenDocumentsWithoutRestart() throws Exception {
    open(URI, SKYPILOT);
    assertThat(next().getDiagnostics()).hasSize(3);
    service.applySettings(ClientSettings.parse(JsonParser.parseString(
        "{\"carbonlens\": {\"rules\": {\"CL-ES-001\": false}, \"severity\": {\"CL-HW-001\": \"error\"}}}")));
    PublishDiagnosticsParams again = next();
    assertThat(again.getVersion()).isEqualTo(1);
    assertThat(again.getDiagnostics()).extracting(d -> d.getCode().getLeft()).containsExactly("CL-REG-002", "CL-HW-001");
    Diagnostic hardware = again.getDiagnostics().get(1);
    assertThat(hardware.getSeverity()).isEqualTo(DiagnosticSeverity.Error);
  }

  @Test
  void defaultRegionAndPueFromSettingsPriceRunsThatNameNone() throws Exception {
    String uri = "file:///work/train_args.json";
    service.applySettings(ClientSettings.parse(JsonParser.parseString(
        "{\"defaults\": {\"region\": \"FR\", \"pue\": 1.25}}")));
    open(uri, "{\"model_name_or_path\": \"gpt2\", \"num_train_epochs\": 3, \"bf16\": true, \"max_steps\": 1000}");
    next();
    var lens = service.codeLens(new org.eclipse.lsp4j.CodeLensParams(new TextDocumentIdentifier(uri)))
        .get(30, TimeUnit.SECONDS);
    assertThat(lens).hasSize(1);
    var footprint = service.published(uri).runs().get(0).footprint();
    assertThat(footprint.gridIntensity()).isEqualTo(ReferenceData.builtIn().country("FR").orElseThrow().gridIntensity());
    assertThat(footprint.pue()).isEqualTo(1.25);
  }

  @Test
  void badSettingsAreSkippedAndTheOthersApply() throws Exception {
    ClientSettings s = ClientSettings.parse(JsonParser.parseString("{\"severity\": {\"CL-HW-001\": \"loud\"},"
        + " \"rules\": {\"CL-ES-001\": false}}"));
    service.applySettings(s);
    open(URI, SKYPILOT);
    assertThat(next().getDiagnostics()).extracting(d -> d.getCode().getLeft()).containsExactly("CL-REG-002", "CL-HW-001");
    assertThat(s.problems()).containsExactly("severity CL-HW-001: unknown severity: loud");
  }

  @Test
  void aTeamRuleFileGetsSyntaxAndMetadataDiagnostics() throws Exception {
    String uri = "file:///work/rules/team.drl";
    open(uri, "package acme;\nimport dev.carbonlens.model.Run;\nglobal dev.carbonlens.engine.FindingSink findings;\nrule \"Too many GPUs\"\n"
        + "  @id(\"ACME-001\") @category(\"policy\") @severity(\"warning\")\nwhen\n  $r : Run( deviceCount() > 64 \nthen\nend\n");
    PublishDiagnosticsParams broken = next();
    assertThat(broken.getDiagnostics()).singleElement().satisfies(d -> {
      assertThat(d.getCode().getLeft()).isEqualTo("parse");
      assertThat(d.getRange()).isEqualTo(new Range(new Position(7, 0), new Position(7, 4)));
      assertThat(d.getMessage().getLeft()).isEqualTo("mismatched input 'then' in rule \"Too many GPUs\"");
    });
    service.didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, 2), List.of(
        new TextDocumentContentChangeEvent("package acme;\nimport dev.carbonlens.model.Run;\nglobal dev.carbonlens.engine.FindingSink findings;\nrule \"Too many GPUs\"\n"
            + "  @id(\"CL-HW-001\") @category(\"policy\") @severity(\"warning\")\nwhen\n  $r : Run( deviceCount() > 64 )\n"
            + "then\nend\n"))));
    PublishDiagnosticsParams collision = next();
    assertThat(collision.getDiagnostics()).singleElement().satisfies(d -> {
      assertThat(d.getRange()).isEqualTo(new Range(new Position(3, 0), new Position(3, 20)));
      assertThat(d.getMessage().getLeft()).startsWith("Rule id CL-HW-001 is a built-in CarbonLens rule");
    });
  }

  private void open(String uri, String text) {
    service.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 1, text)));
  }

  private static DidChangeTextDocumentParams change(int version, Range range, String text) {
    return new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(URI, version),
        List.of(new TextDocumentContentChangeEvent(range, text)));
  }

  private DocumentDiagnosticReport pull(String previousResultId) throws Exception {
    DocumentDiagnosticParams params = new DocumentDiagnosticParams(new TextDocumentIdentifier(URI));
    params.setPreviousResultId(previousResultId);
    return service.diagnostic(params).get(30, TimeUnit.SECONDS);
  }

  private PublishDiagnosticsParams next() throws InterruptedException {
    PublishDiagnosticsParams p = published.poll(30, TimeUnit.SECONDS);
    assertThat(p).as("diagnostics published").isNotNull();
    return p;
  }
}
