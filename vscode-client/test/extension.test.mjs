// activate() of the bundled extension (dist/extension.js) under a MOCK `vscode` module, with the REAL
// vscode-languageclient (bundled) against the REAL server jar (server/carbonlens.jar).
import '../test-support/register-vscode.cjs';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vscode = require('vscode');
const extension = require('../dist/extension.js');
const { formatFigure } = require('../out/format.js');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const k80Path = join(root, '..', 'samples', 'skypilot', 'resnet-k80.yaml');
const mock = vscode.__mock;
const GUARD_MS = 60_000; // Java start-up on two busy cores; a guard, not an assertion

/** Resolves when check() holds, re-checked on every diagnostics change; rejects after the guard. */
function until(what, check) {
  return new Promise((resolve, reject) => {
    const done = () => {
      let value;
      try {
        value = check();
      } catch (e) {
        return;
      }
      if (value) {
        clearTimeout(timer);
        sub.dispose();
        resolve(value);
      }
    };
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, GUARD_MS);
    const sub = vscode.languages.onDidChangeDiagnostics(done);
    done();
  });
}

describe('extension activate() with the real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carbonlens-ext-'));
  const context = {
    subscriptions: [],
    extensionPath: root,
    extensionUri: vscode.Uri.file(root),
    globalState: { get() {}, update: async () => {} },
    workspaceState: { get() {}, update: async () => {} },
  };
  let api;

  before(() => {
    mock.setTrusted(false);
    // Trace level on the client's log channel: the client logs every message it sends, initialize included.
    mock.setLogLevel(vscode.LogLevel.Trace);
    mock.setConfig('carbonlens.trace.server', 'verbose');
    api = extension.activate(context);
  });

  after(async () => {
    await extension.deactivate();
    for (const d of context.subscriptions) {
      d.dispose();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('activation registers the commands and starts nothing', () => {
    assert.deepEqual(
      mock.commands().filter((c) => c.startsWith('carbonlens.')).sort(),
      ['carbonlens.explainRule', 'carbonlens.restartServer', 'carbonlens.showReport'],
    );
    assert.equal(api.serverState, 'idle');
  });

  test('a plain YAML file opened first does not start the server', async () => {
    const compose = join(dir, 'docker-compose.yml');
    writeFileSync(compose, 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n');
    await mock.openDocument(compose, 'yaml');
    assert.equal(api.serverState, 'idle');
    assert.equal(api.client, undefined);
    assert.equal(mock.state.statusBarItems[0].visible, false);
  });

  test('a training config starts the server; its diagnostics arrive', async () => {
    const doc = await mock.openDocument(k80Path, 'yaml');
    assert.equal(api.serverState, 'starting');
    const client = await api.whenStarted();
    assert.ok(client, 'client started');
    assert.equal(api.serverState, 'running');
    const diags = await until('CL-HW-001', () => {
      const d = mock.diagnostics(doc.uri);
      return d.some((x) => x.code === 'CL-HW-001') ? d : undefined;
    });
    const hw = diags.find((d) => d.code === 'CL-HW-001');
    assert.equal(hw.source, 'carbonlens');
    assert.deepEqual([hw.range.start.line, hw.range.start.character, hw.range.end.line, hw.range.end.character], [5, 16, 5, 21]);
    assert.equal(hw.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(diags.map((d) => d.code).sort(), ['CL-ES-001', 'CL-HW-001', 'CL-REG-002']);
    assert.equal(hw.data.category, 'hardware');
    // the plain YAML opened first got nothing
    assert.deepEqual(mock.diagnostics(vscode.Uri.file(join(dir, 'docker-compose.yml'))), []);
  });

  test('initializationOptions carried the settings with trustWorkspaceRules false (untrusted workspace)', () => {
    const log = mock.state.outputChannels.find((c) => c.name === 'CarbonLens').lines.join('\n');
    const m = /Sending request 'initialize - \(\d+\)'\.\s*Params: (\{[\s\S]*?\n\})/.exec(log);
    assert.ok(m, 'initialize traced in the CarbonLens output channel');
    const params = JSON.parse(m[1]);
    assert.deepEqual(params.initializationOptions, { defaults: {}, severity: {}, rules: {}, trustWorkspaceRules: false });
  });

  test('the status bar shows the footprint from carbonlens.summary', async () => {
    const uri = vscode.Uri.file(k80Path);
    const summary = await api.summary(uri);
    assert.equal(summary.runs, 1);
    assert.equal(summary.findings, 3);
    await api.refreshStatus();
    const item = mock.state.statusBarItems[0];
    assert.equal(item.visible, true);
    assert.equal(item.text, `$(flame) ≈ ${formatFigure(summary.footprintKgCO2e)} kgCO2e · saves ${formatFigure(summary.savingsKgCO2e)}`);
    assert.equal(item.text, '$(flame) ≈ 13.2 kgCO2e · saves 13.2');
    assert.match(item.tooltip, /1 run, 3 findings/);
    assert.match(item.tooltip, /operational 12\.8 \+ embodied 0\.411/);
    assert.equal(item.command, 'carbonlens.showReport');
  });

  test('the status bar hides for a document the server does not analyse', async () => {
    await mock.openDocument(join(dir, 'docker-compose.yml'), 'yaml');
    await api.refreshStatus();
    assert.equal(mock.state.statusBarItems[0].visible, false);
    await mock.openDocument(k80Path, 'yaml');
    await api.refreshStatus();
    assert.equal(mock.state.statusBarItems[0].visible, true);
  });

  test('CarbonLens: Show report opens the HTML report in a webview without scripts', async () => {
    await vscode.commands.executeCommand('carbonlens.showReport');
    const panel = mock.state.webviewPanels.at(-1);
    assert.ok(panel, 'a webview panel');
    assert.equal(panel.options.enableScripts, false);
    assert.equal(panel.title, 'CarbonLens: resnet-k80.yaml');
    assert.match(panel.webview.html, /^<!DOCTYPE html>/i);
    assert.match(panel.webview.html, /resnet-k80\.yaml/);
    assert.doesNotMatch(panel.webview.html, /<script/i);
  });

  test('CarbonLens: Explain rule explains the diagnostic under the cursor', async () => {
    mock.setCursor(5, 18); // inside K80:4
    await vscode.commands.executeCommand('carbonlens.explainRule');
    const preview = mock.state.executed.filter((e) => e.command === 'markdown.showPreview').at(-1);
    assert.ok(preview, 'markdown preview opened');
    const md = vscode.workspace.textDocuments.find((d) => d.uri.toString() === preview.args[0].toString());
    assert.equal(md.languageId, 'markdown');
    assert.match(md.getText(), /CL-HW-001/);
  });

  test('Explain rule offers the file\'s rule ids when the cursor is on none', async () => {
    mock.setCursor(1, 0);
    mock.state.quickPickAnswer = (items) => items.find((i) => i === 'CL-ES-001');
    await vscode.commands.executeCommand('carbonlens.explainRule');
    const pick = mock.state.messages.filter((m) => m.type === 'quickPick').at(-1);
    assert.deepEqual(pick.items, ['CL-ES-001', 'CL-HW-001', 'CL-REG-002']);
    const preview = mock.state.executed.filter((e) => e.command === 'markdown.showPreview').at(-1);
    const md = vscode.workspace.textDocuments.find((d) => d.uri.toString() === preview.args[0].toString());
    assert.match(md.getText(), /CL-ES-001/);
  });

  test('changed settings reach the server at once: a rule turned off disappears', async () => {
    const uri = vscode.Uri.file(k80Path);
    mock.setConfig('carbonlens.rules', { 'CL-ES-001': false });
    await until('CL-ES-001 gone', () => {
      const codes = mock.diagnostics(uri).map((d) => d.code);
      return codes.includes('CL-HW-001') && !codes.includes('CL-ES-001');
    });
    mock.setConfig('carbonlens.rules', undefined);
    await until('CL-ES-001 back', () => mock.diagnostics(uri).some((d) => d.code === 'CL-ES-001'));
  });

  test('deactivate() stops the server', async () => {
    const client = api.client;
    await extension.deactivate();
    assert.equal(client.isRunning(), false);
    assert.equal(api.serverState, 'idle');
  });
});
