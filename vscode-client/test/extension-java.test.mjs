// activate() under the mock `vscode` when no Java 17+ can be found: a clear error with a button that
// opens Adoptium, and no server.
import '../test-support/register-vscode.cjs';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vscode = require('vscode');
const extension = require('../dist/extension.js');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mock = vscode.__mock;

test('no Java 17+: an error message whose button opens https://adoptium.net/', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'carbonlens-nojava-'));
  const saved = { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME };
  process.env.PATH = empty;
  delete process.env.JAVA_HOME;
  after(() => {
    process.env.PATH = saved.PATH;
    if (saved.JAVA_HOME !== undefined) {
      process.env.JAVA_HOME = saved.JAVA_HOME;
    }
    rmSync(empty, { recursive: true, force: true });
  });
  mock.setConfig('carbonlens.java.home', join(empty, 'no-such-jdk'));
  mock.state.messageAnswer = ({ items }) => items.find((i) => i === 'Get Java 17');
  const context = { subscriptions: [], extensionPath: root, extensionUri: vscode.Uri.file(root) };
  const api = extension.activate(context);
  await mock.openDocument(join(root, '..', 'samples', 'skypilot', 'resnet-k80.yaml'), 'yaml');
  const client = await api.whenStarted();
  assert.equal(client, undefined);
  assert.equal(api.serverState, 'idle');
  const error = mock.state.messages.find((m) => m.type === 'error');
  assert.match(error.message, /CarbonLens needs Java 17 or newer/);
  assert.match(error.message, /carbonlens\.java\.home: no Java at .*no-such-jdk\/bin\/java/);
  assert.deepEqual(error.items, ['Get Java 17']);
  await new Promise((resolve) => setImmediate(resolve)); // the button's promise chain
  assert.deepEqual(mock.state.openedExternal, ['https://adoptium.net/']);
  await extension.deactivate();
  context.subscriptions.forEach((d) => d.dispose());
});
