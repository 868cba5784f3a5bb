// The bundled server (server/carbonlens.jar) over stdio, driven with vscode-languageserver-protocol as
// any LSP client would: initialize, diagnostics, hover, code actions, code lens, completion, the
// workspace commands, shutdown and exit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const p = require('vscode-languageserver-protocol/node');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const k80Path = join(root, '..', 'samples', 'skypilot', 'resnet-k80.yaml');
const uri = pathToFileURL(k80Path).toString();
const text = readFileSync(k80Path, 'utf8');
const GUARD_MS = 60_000;

function guard(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), GUARD_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

describe('CarbonLens server over stdio', () => {
  let proc;
  let conn;
  let exited;
  const published = [];
  let onPublish = () => {};

  before(() => {
    proc = spawn('java', ['-XX:+UseSerialGC', '-jar', join(root, 'server', 'carbonlens.jar'), 'lsp'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    conn = p.createProtocolConnection(new p.StreamMessageReader(proc.stdout), new p.StreamMessageWriter(proc.stdin));
    conn.onNotification(p.PublishDiagnosticsNotification.type, (params) => {
      published.push(params);
      onPublish();
    });
    conn.onRequest(() => null); // registerCapability and the like
    conn.listen();
  });

  after(() => {
    conn.dispose();
    if (proc.exitCode === null) {
      proc.kill();
    }
  });

  function diagnosticsFor(u) {
    return guard(new Promise((resolve) => {
      const check = () => {
        const found = published.find((d) => d.uri === u);
        if (found) {
          resolve(found);
        }
      };
      onPublish = check;
      check();
    }), `publishDiagnostics for ${u}`);
  }

  test('initialize: hover, code actions, code lens, completion and the three commands', async () => {
    const result = await guard(conn.sendRequest(p.InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: { trustWorkspaceRules: false },
    }), 'initialize');
    const c = result.capabilities;
    assert.equal(c.hoverProvider, true);
    assert.deepEqual(c.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.carbonlens']);
    assert.deepEqual(c.codeLensProvider, { resolveProvider: false });
    assert.ok(c.completionProvider, 'completion');
    assert.deepEqual(c.executeCommandProvider.commands, ['carbonlens.summary', 'carbonlens.report', 'carbonlens.explain']);
    assert.equal(c.diagnosticProvider, undefined, 'push diagnostics for a client without pull support');
    await conn.sendNotification(p.InitializedNotification.type, {});
  });

  test('didOpen the K80 sample: published diagnostics with codes, ranges and savings', async () => {
    await conn.sendNotification(p.DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    const { diagnostics, version } = await diagnosticsFor(uri);
    assert.equal(version, 1);
    const brief = diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.data.category]);
    assert.deepEqual(brief, [
      ['CL-REG-002', 4, 9, 4, 23, 'region'],
      ['CL-HW-001', 5, 16, 5, 21, 'hardware'],
      ['CL-ES-001', 8, 52, 8, 63, 'early-stopping'],
    ]);
    for (const d of diagnostics) {
      assert.equal(d.source, 'carbonlens');
      assert.ok(d.data.savings.kgCO2e > 0, `${d.code} saves kgCO2e`);
    }
  });

  test('hover on K80: the savings and the L4 proposal', async () => {
    const hover = await guard(conn.sendRequest(p.HoverRequest.type, {
      textDocument: { uri }, position: { line: 5, character: 17 },
    }), 'hover');
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /^\*\*CL-HW-001\*\*/);
    assert.match(hover.contents.value, /\*\*Proposed:\*\* Use L4/);
    assert.match(hover.contents.value, /\*\*Saves ≈ 13 kgCO2e\*\*/);
    assert.deepEqual(hover.range, { start: { line: 5, character: 16 }, end: { line: 5, character: 21 } });
  });

  test('code actions at CL-HW-001: the L4 quick fix, the ignore comment, fix all', async () => {
    const { diagnostics } = await diagnosticsFor(uri);
    const hw = diagnostics.find((d) => d.code === 'CL-HW-001');
    const actions = await guard(conn.sendRequest(p.CodeActionRequest.type, {
      textDocument: { uri }, range: hw.range, context: { diagnostics: [hw] },
    }), 'codeAction');
    assert.deepEqual(actions.map((a) => [a.title, a.kind]), [
      ['Use L4 (CL-HW-001, saves ≈ 13 kgCO2e)', 'quickfix'],
      ['Ignore CL-HW-001 on this line (carbonlens: ignore comment)', 'quickfix'],
      ['Apply all CarbonLens fixes in this file (2)', 'source.fixAll.carbonlens'],
    ]);
    const fix = actions[0];
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.edit.changes, {
      [uri]: [{ range: { start: { line: 5, character: 16 }, end: { line: 5, character: 21 } }, newText: 'L4:4' }],
    });
    assert.deepEqual(fix.diagnostics.map((d) => d.code), ['CL-HW-001']);
  });

  test('code lens: one per run', async () => {
    const lenses = await guard(conn.sendRequest(p.CodeLensRequest.type, { textDocument: { uri } }), 'codeLens');
    assert.equal(lenses.length, 1);
    assert.deepEqual(lenses[0].range.start, { line: 3, character: 0 });
    assert.match(lenses[0].command.title, /^CarbonLens: ≈ 13\.2 kgCO2e · 18 kWh · 96 GPU-hours \(4 × K80\) · fixing all findings saves ≈ 13\.2 kgCO2e/);
  });

  test('completion at the accelerator value offers L4', async () => {
    const list = await guard(conn.sendRequest(p.CompletionRequest.type, {
      textDocument: { uri }, position: { line: 5, character: 16 },
    }), 'completion');
    const items = Array.isArray(list) ? list : list.items;
    const l4 = items.find((i) => i.label === 'L4');
    assert.ok(l4, `L4 among ${items.map((i) => i.label).join(', ')}`);
    assert.match(l4.detail, /72 W/);
    assert.deepEqual(l4.textEdit, { range: { start: { line: 5, character: 16 }, end: { line: 5, character: 19 } }, newText: 'L4' });
  });

  test('executeCommand carbonlens.summary', async () => {
    const s = await guard(conn.sendRequest(p.ExecuteCommandRequest.type, { command: 'carbonlens.summary', arguments: [uri] }), 'summary');
    assert.deepEqual(Object.keys(s).sort(), ['embodiedKgCO2e', 'findings', 'footprintKgCO2e', 'operationalKgCO2e', 'runs', 'savingsKgCO2e', 'uri', 'version']);
    assert.deepEqual([s.uri, s.version, s.runs, s.findings], [uri, 1, 1, 3]);
    assert.ok(Math.abs(s.footprintKgCO2e - (s.operationalKgCO2e + s.embodiedKgCO2e)) < 1e-3);
    assert.ok(s.savingsKgCO2e > 0 && s.savingsKgCO2e <= s.footprintKgCO2e);
  });

  test('executeCommand carbonlens.summary of a document that is not open answers null', async () => {
    const s = await guard(conn.sendRequest(p.ExecuteCommandRequest.type, {
      command: 'carbonlens.summary', arguments: ['file:///not/open.yaml'],
    }), 'summary of a closed document');
    assert.equal(s, null);
  });

  test('executeCommand carbonlens.report and carbonlens.explain', async () => {
    const report = await guard(conn.sendRequest(p.ExecuteCommandRequest.type, { command: 'carbonlens.report', arguments: [uri] }), 'report');
    assert.match(report.html, /^<!DOCTYPE html>/i);
    assert.match(report.html, /Content-Security-Policy/);
    assert.doesNotMatch(report.html, /<script/i);
    const explained = await guard(conn.sendRequest(p.ExecuteCommandRequest.type, { command: 'carbonlens.explain', arguments: ['cl-hw-001'] }), 'explain');
    assert.equal(explained.id, 'CL-HW-001');
    assert.match(explained.markdown, /CL-HW-001/);
    await assert.rejects(
      guard(conn.sendRequest(p.ExecuteCommandRequest.type, { command: 'carbonlens.explain', arguments: ['CL-NOPE-999'] }), 'explain error'),
      (e) => e.code === p.ErrorCodes.InvalidParams && /no rule CL-NOPE-999/.test(e.message),
    );
  });

  test('shutdown and exit: the process exits 0', async () => {
    await guard(conn.sendRequest(p.ShutdownRequest.type), 'shutdown');
    await conn.sendNotification(p.ExitNotification.type);
    assert.equal(await guard(exited, 'exit'), 0);
  });
});
