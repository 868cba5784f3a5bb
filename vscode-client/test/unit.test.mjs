// Unit tests of the extension's pure modules: which documents start the server (by content), the Java
// lookup (fake Java homes), VS Code settings -> the server's settings object, and figure formatting.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { isCarbonLensDocument, matchesTrainingContent, isCarbonLensFile } = require('../out/contentPatterns.js');
const { findJava, javaCandidates, parseJavaVersion } = require('../out/javaLookup.js');
const { toServerSettings } = require('../out/settings.js');
const { formatFigure } = require('../out/format.js');

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]);
}

const languageOf = (f) =>
  f.endsWith('.py') ? 'python' : f.endsWith('.java') ? 'java' : f.endsWith('.json') ? 'json' : f.endsWith('.drl') ? 'drl' : 'yaml';

describe('contentPatterns', () => {
  test('every sample under ../samples is a CarbonLens document', () => {
    const files = walk(join(root, '..', 'samples'));
    assert.ok(files.length >= 25, `samples found: ${files.length}`);
    const missed = files.filter((f) => !isCarbonLensDocument(f, languageOf(f), readFileSync(f, 'utf8')));
    assert.deepEqual(missed.map((f) => relative(root, f)), []);
  });

  const corpus = join(root, '..', '..', 'shared', 'corpus');
  test('every corpus config is recognised by content alone', { skip: !existsSync(corpus) && 'no shared corpus' }, () => {
    const files = walk(corpus).filter((f) => /\.(ya?ml|json)$/.test(f));
    assert.ok(files.length >= 60, `corpus files found: ${files.length}`);
    // by content only: a neutral path and no language hint
    const missed = files.filter((f) => !matchesTrainingContent(readFileSync(f, 'utf8')));
    assert.deepEqual(missed.map((f) => relative(corpus, f)), []);
  });

  test('ordinary files do not start the server', () => {
    const workflow = `name: CI
on:
  push:
    branches: [main]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci && npm test
`;
    const compose = `services:
  web:
    image: nginx:1.27
    ports:
      - "8080:80"
    depends_on: [db]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
    volumes:
      - data:/var/lib/postgresql/data
volumes:
  data: {}
`;
    const pkg = readFileSync(join(root, 'package.json'), 'utf8');
    const script = `import csv
import sys


def main(path):
    """Sums the second column of a CSV file."""
    total = 0
    with open(path, newline="") as f:
        for row in csv.reader(f):
            total += float(row[1])
    print(f"total: {total}")


if __name__ == "__main__":
    main(sys.argv[1])
`;
    assert.equal(isCarbonLensDocument('/w/.github/workflows/ci.yml', 'yaml', workflow), false);
    assert.equal(isCarbonLensDocument('/w/docker-compose.yml', 'yaml', compose), false);
    assert.equal(isCarbonLensDocument('/w/package.json', 'json', pkg), false);
    assert.equal(isCarbonLensDocument('/w/tools/sum_csv.py', 'python', script), false);
    assert.equal(isCarbonLensDocument('/w/tsconfig.json', 'jsonc', readFileSync(join(root, 'tsconfig.json'), 'utf8')), false);
  });

  test('team rule files and project configs are recognised by path', () => {
    assert.equal(isCarbonLensFile('/w/policies/gpu.drl'), true);
    assert.equal(isCarbonLensFile('/w/.carbonlens.yaml'), true);
    assert.equal(isCarbonLensFile('C:\\w\\.carbonlens\\rules\\team.yaml'), true);
    assert.equal(isCarbonLensFile('/w/.carbonlens/rules/nested/policy.yml'), true);
    assert.equal(isCarbonLensFile('/w/rules/policy.yaml'), false);
    assert.equal(isCarbonLensDocument('/w/untitled', 'drl', ''), true);
  });

  test('telling keys and calls', () => {
    for (const text of [
      'per_device_train_batch_size: 8',
      'args = TrainingArguments(output_dir="out")',
      'base_model: meta-llama/Llama-3.1-8B',
      'resources:\n  accelerators: A100:8',
      '{"zero_optimization": {"stage": 3}}',
      'distributed_type: FSDP',
      'limits:\n  nvidia.com/gpu: 1',
      'args: ["--model", "m", "--tensor-parallel-size", "8"]',
      'method: bayes\nmetric:\n  name: loss\nparameters:\n  lr:\n    min: 0.0001',
      'import ai.djl.training.Trainer;',
      'import org.deeplearning4j.nn.conf.MultiLayerConfiguration;',
      'trainer:\n  max_epochs: 3',
    ]) {
      assert.equal(matchesTrainingContent(text), true, text);
    }
    for (const text of ['method: GET\nurl: /x', 'parameters:\n  a: 1', 'name: app\nversion: 1.0.0', 'print("hello")']) {
      assert.equal(matchesTrainingContent(text), false, text);
    }
  });
});

describe('javaLookup', () => {
  const base = mkdtempSync(join(tmpdir(), 'carbonlens-java-'));
  after(() => rmSync(base, { recursive: true, force: true }));

  /** A fake Java home whose bin/java prints `version` to stderr as `java -version` does. */
  function fakeJava(name, versionLine) {
    const bin = join(base, name, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'java'), `#!/bin/sh\necho '${versionLine}' >&2\necho 'OpenJDK Runtime Environment' >&2\nexit 0\n`);
    chmodSync(join(bin, 'java'), 0o755);
    return join(base, name);
  }
  const j21 = fakeJava('jdk21', 'openjdk version "21.0.4" 2024-07-16');
  const j17 = fakeJava('jdk17', 'openjdk version "17.0.15" 2025-04-15');
  const j11 = fakeJava('jdk11', 'openjdk version "11.0.22" 2024-01-16');
  const j8 = fakeJava('jdk8', 'java version "1.8.0_392"');
  const broken = join(base, 'broken');
  mkdirSync(join(broken, 'bin'), { recursive: true });
  writeFileSync(join(broken, 'bin', 'java'), '#!/bin/sh\necho "no version here" >&2\nexit 1\n');
  chmodSync(join(broken, 'bin', 'java'), 0o755);
  const empty = join(base, 'empty-path');
  mkdirSync(empty);

  test('parses java -version output', () => {
    assert.equal(parseJavaVersion('openjdk version "17.0.15" 2025-04-15'), 17);
    assert.equal(parseJavaVersion('java version "1.8.0_392"'), 8);
    assert.equal(parseJavaVersion('openjdk version "21" 2023-09-19'), 21);
    assert.equal(parseJavaVersion('openjdk version "23-ea" 2024-09-17'), 23);
    assert.equal(parseJavaVersion('Picked up JAVA_TOOL_OPTIONS: -Xmx1g\nopenjdk version "22.0.1" 2024-04-16'), 22);
    assert.equal(parseJavaVersion('command not found'), undefined);
  });

  test('the setting wins over JAVA_HOME and PATH', async () => {
    const r = await findJava({ javaHome: j21, env: { JAVA_HOME: j17, PATH: join(j17, 'bin') }, platform: 'linux' });
    assert.equal(r.ok, true);
    assert.equal(r.java, join(j21, 'bin', 'java'));
    assert.equal(r.version, 21);
    assert.equal(r.source, 'carbonlens.java.home');
  });

  test('JAVA_HOME, then PATH', async () => {
    const fromHome = await findJava({ env: { JAVA_HOME: j17, PATH: join(j21, 'bin') }, platform: 'linux' });
    assert.deepEqual([fromHome.ok, fromHome.source, fromHome.version], [true, 'JAVA_HOME', 17]);
    const fromPath = await findJava({ env: { PATH: `${empty}:${join(j21, 'bin')}` }, platform: 'linux' });
    assert.deepEqual([fromPath.ok, fromPath.source, fromPath.version, fromPath.java], [true, 'PATH', 21, join(j21, 'bin', 'java')]);
  });

  test('a Java older than 17 is passed over, and named when nothing newer is found', async () => {
    const next = await findJava({ javaHome: j11, env: { PATH: join(j17, 'bin') }, platform: 'linux' });
    assert.deepEqual([next.ok, next.source, next.version], [true, 'PATH', 17]);
    const none = await findJava({ javaHome: j11, env: { JAVA_HOME: j8, PATH: empty }, platform: 'linux' });
    assert.equal(none.ok, false);
    assert.match(none.message, /needs Java 17 or newer/);
    assert.match(none.message, /carbonlens\.java\.home: .*jdk11\/bin\/java is Java 11/);
    assert.match(none.message, /JAVA_HOME: .*jdk8\/bin\/java is Java 8/);
  });

  test('a missing or broken java, and no java at all', async () => {
    const missing = await findJava({ javaHome: join(base, 'nope'), env: { JAVA_HOME: broken, PATH: '' }, platform: 'linux' });
    assert.equal(missing.ok, false);
    assert.deepEqual(missing.tried, [
      `carbonlens.java.home: no Java at ${join(base, 'nope', 'bin', 'java')}`,
      `JAVA_HOME: ${join(broken, 'bin', 'java')} did not report a Java version`,
    ]);
    const nothing = await findJava({ env: { PATH: empty }, platform: 'linux' });
    assert.equal(nothing.ok, false);
    assert.match(nothing.message, /no Java was found/);
  });

  test('Windows: java.exe and ; in Path', () => {
    const c = javaCandidates({ javaHome: 'C:\\jdk', env: { JAVA_HOME: '' }, platform: 'win32' });
    assert.equal(c.length, 1);
    assert.match(c[0].executable, /java\.exe$/);
  });
});

describe('settings', () => {
  const reader = (flat) => (key) => {
    if (key in flat) {
      return flat[key];
    }
    return undefined;
  };

  test('flat VS Code settings become the server object', () => {
    const s = toServerSettings(reader({
      'defaults.provider': 'gcp',
      'defaults.region': ' europe-west1 ',
      'defaults.pue': 1.2,
      'defaults.gridSignal': 'marginal',
      'defaults.accelerator': 'H100-SXM',
      'defaults.hours': 24,
      'defaults.utilisation': 0.8,
      'defaults.hostOverhead': 0.1,
      'defaults.mfu': 0.4,
      'defaults.hardwareLifetime': 4,
      'defaults.servingThroughput': 1500,
      severity: { 'CL-PREC-001': 'Info' },
      rules: { 'CL-ES-001': false, 'CL-HW-001': true },
      debounceMs: 50,
      'limits.maxFileSizeKB': 4096,
      'limits.timeBudgetMs': 500,
    }), true);
    assert.deepEqual(s, {
      defaults: {
        provider: 'gcp', region: 'europe-west1', pue: 1.2, gridSignal: 'marginal', accelerator: 'H100-SXM', hours: 24,
        utilisation: 0.8, hostOverhead: 0.1, mfu: 0.4, hardwareLifetime: 4, servingThroughput: 1500,
      },
      severity: { 'CL-PREC-001': 'info' },
      rules: { 'CL-ES-001': false, 'CL-HW-001': true },
      debounceMs: 50,
      limits: { maxFileSizeKB: 4096, timeBudgetMs: 500 },
      trustWorkspaceRules: true,
    });
  });

  test('unset settings are left out; trust follows the workspace', () => {
    const s = toServerSettings(reader({
      'defaults.provider': '', 'defaults.region': '', 'defaults.pue': null, severity: {}, rules: {}, debounceMs: null,
      'limits.maxFileSizeKB': null, 'limits.timeBudgetMs': null,
    }), false);
    assert.deepEqual(s, { defaults: {}, severity: {}, rules: {}, trustWorkspaceRules: false });
  });

  test('a malformed number reaches the server, which names it; non-boolean rules are dropped', () => {
    const s = toServerSettings(reader({ 'defaults.pue': 'high', rules: { 'CL-ES-001': 'no' } }), false);
    assert.deepEqual(s.defaults, { pue: 'high' });
    assert.deepEqual(s.rules, {});
  });
});

describe('format', () => {
  test('three significant digits, half up on the written decimal, as the server does', () => {
    assert.equal(formatFigure(13.2375), '13.2');
    assert.equal(formatFigure(0.410959), '0.411');
    assert.equal(formatFigure(1.185), '1.19');
    assert.equal(formatFigure(70.55), '70.6');
    assert.equal(formatFigure(13), '13');
    assert.equal(formatFigure(0), '0');
    assert.equal(formatFigure(999.5), '1000');
    assert.equal(formatFigure(1234.5), '1,235');
    assert.equal(formatFigure(12345678), '12,345,678');
    assert.equal(formatFigure(0.000123456), '0.000123');
    assert.equal(formatFigure(1e-7), '0.0000001');
    assert.equal(formatFigure(-2.345), '-2.35');
  });
});
