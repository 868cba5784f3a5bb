package dev.carbonlens.lsp;

import static dev.carbonlens.lsp.RecordingClient.codes;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.estimate.EstimatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.TextDocumentItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workspace team rules in the server: never compiled untrusted; reloaded when a rule file changes. */
class TeamRulesInServerTest {
  private static final CompletableFuture<Analyzer> ANALYZER =
      CompletableFuture.completedFuture(Analyzer.builtIn(EstimatorSettings.defaults()));
  private static final String HEAD = "package acme;\nimport dev.carbonlens.model.Run;\n"
      + "import dev.carbonlens.engine.ProposedChange.UseDevices;\n"
      + "global dev.carbonlens.engine.FindingSink findings;\n";
  /** Four K80s in Mumbai: CL-REG-002, CL-HW-001, CL-ES-001 from the catalog. */
  private static final String TASK = "resources:\n  infra: aws/ap-south-1\n  accelerators: K80:4\n\n"
      + "run: python train.py --epochs 90\n";

  private final RecordingClient client = new RecordingClient();
  private final DocumentsService service = new DocumentsService(ANALYZER);

  @TempDir
  Path workspace;

  @AfterEach
  void stop() {
    service.stop();
  }

  private static String gpuRule(String id, int max) {
    return HEAD + "rule \"More than " + max + " GPUs\" @id(\"" + id + "\") @category(\"policy\") @severity(\"error\")\n"
        + "when\n  $run : Run( devices != null, devices.count > " + max + " )\nthen\n"
        + "  findings.report(drools, $run, $run.devices().range(), new UseDevices(" + max + "), \"over " + max + "\");\nend\n";
  }

  @Test
  void anUntrustedWorkspacesRuleIsNeverCompiledOrRunAndATrustedOnesIs() throws Exception {
    Path rules = Files.createDirectories(workspace.resolve(".carbonlens").resolve("rules"));
    Path marker = workspace.resolve("rule-ran.txt");
    // A rule whose consequence writes a file: proof of whether anything in it was executed.
    Files.writeString(rules.resolve("evil.drl"), HEAD + "rule \"Writes a file\" @id(\"ACME-EVIL-001\")"
        + " @category(\"policy\") @severity(\"error\")\nwhen\n  $run : Run()\nthen\n"
        + "  java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + marker.toString().replace("\\", "\\\\")
        + "\"), \"ran\");\n  findings.report(drools, $run, null, new UseDevices(1), \"evil ran\");\nend\n");
    service.connect(client);
    service.applySettings(ClientSettings.parse(JsonParser.parseString("{}")));
    service.useRuleFolders(List.of(rules));
    String uri = workspace.resolve("task.yaml").toUri().toString();
    service.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 1, TASK)));
    assertThat(codes(client.next())).containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");
    assertThat(service.teamRules().files()).as("not even read").isEmpty();
    assertThat(marker).doesNotExist();

    // The user trusts the workspace: the same rule now compiles and runs.
    service.applySettings(ClientSettings.parse(JsonParser.parseString("{\"trustWorkspaceRules\": true}")));
    PublishDiagnosticsParams trusted = client.waitFor(p -> codes(p).contains("ACME-EVIL-001"));
    assertThat(codes(trusted)).contains("CL-HW-001");
    assertThat(marker).hasContent("ran");
  }

  @Test
  void editingATeamRuleOnDiskChangesOpenDocumentsDiagnosticsWithoutRestart() throws Exception {
    Path rules = Files.createDirectories(workspace.resolve(".carbonlens").resolve("rules"));
    Path rule = rules.resolve("gpus.drl");
    Files.writeString(rule, gpuRule("ACME-GPU-001", 2));
    service.connect(client);
    service.applySettings(ClientSettings.parse(JsonParser.parseString("{\"trustWorkspaceRules\": true}")));
    service.useRuleFolders(List.of(rules));
    String uri = workspace.resolve("task.yaml").toUri().toString();
    service.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 1, TASK)));
    client.waitFor(p -> codes(p).contains("ACME-GPU-001"));

    Files.writeString(rule, gpuRule("ACME-GPU-001", 8));
    service.watchedFilesChanged(List.of(rule.toUri().toString()));
    PublishDiagnosticsParams after = client.waitFor(p -> !codes(p).contains("ACME-GPU-001"));
    assertThat(codes(after)).containsExactly("CL-REG-002", "CL-HW-001", "CL-ES-001");

    // A compile error in the rule file shows on the file, at its line, once it is opened.
    Files.writeString(rule, gpuRule("ACME-GPU-001", 8).replace("devices.count", "devices.cnt"));
    service.watchedFilesChanged(List.of(rule.toUri().toString()));
    String ruleUri = rule.toUri().toString();
    service.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(ruleUri, "drools", 1, Files.readString(rule))));
    PublishDiagnosticsParams onRule = client.waitFor(p -> p.getUri().equals(ruleUri) && !p.getDiagnostics().isEmpty());
    assertThat(onRule.getDiagnostics().get(0).getRange().getStart().getLine()).isEqualTo(6);
    assertThat(onRule.getDiagnostics().get(0).getMessage().getLeft()).contains("DeviceCount.cnt()");
  }

  @Test
  void declarativePoliciesLoadInAnUntrustedWorkspaceAndShowTheirProblemsWhenOpened() throws Exception {
    Path rules = Files.createDirectories(workspace.resolve(".carbonlens").resolve("rules"));
    Path policy = rules.resolve("green-ai.yaml");
    Files.writeString(policy, "policies:\n  - id: ACME-HW-001\n    deniedAccelerators: [K80]\n    severity: error\n");
    service.connect(client);
    service.applySettings(ClientSettings.parse(JsonParser.parseString("{}")));
    service.useRuleFolders(List.of(rules));
    String uri = workspace.resolve("task.yaml").toUri().toString();
    service.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "yaml", 1, TASK)));
    PublishDiagnosticsParams withPolicy = client.waitFor(p -> codes(p).contains("ACME-HW-001"));
    assertThat(withPolicy.getDiagnostics().stream().filter(d -> d.getCode().getLeft().equals("ACME-HW-001")).findFirst()
        .orElseThrow().getRange().getStart()).isEqualTo(new org.eclipse.lsp4j.Position(2, 16));

    // A typo in the open policy file: the problem shows on it, at the value; the policy stops applying.
    String policyUri = policy.toUri().toString();
    String typo = "policies:\n  - id: ACME-HW-001\n    deniedAccelerators: [K8O]\n    severity: error\n";
    service.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(policyUri, "yaml", 1, typo)));
    service.didChange(new org.eclipse.lsp4j.DidChangeTextDocumentParams(
        new org.eclipse.lsp4j.VersionedTextDocumentIdentifier(policyUri, 2),
        List.of(new org.eclipse.lsp4j.TextDocumentContentChangeEvent(typo))));
    // Both files are published again, in either order.
    PublishDiagnosticsParams onPolicy = null;
    boolean taskWithoutPolicy = false;
    while (onPolicy == null || !taskWithoutPolicy) {
      PublishDiagnosticsParams p = client.next();
      if (p.getUri().equals(policyUri) && !p.getDiagnostics().isEmpty()) {
        onPolicy = p;
      } else if (p.getUri().equals(uri) && !codes(p).contains("ACME-HW-001")) {
        taskWithoutPolicy = true;
      }
    }
    assertThat(onPolicy.getDiagnostics().get(0).getRange().getStart().getLine()).isEqualTo(2);
    assertThat(onPolicy.getDiagnostics().get(0).getMessage().getLeft()).contains("K8O");
  }
}
