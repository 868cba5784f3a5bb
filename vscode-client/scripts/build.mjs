// Bundles the extension with esbuild into dist/extension.js (vscode stays external), and compiles each
// pure module to out/ so the unit tests can load it without a bundle.
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');

await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  external: ['vscode'],
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
});

await esbuild.build({
  absWorkingDir: root,
  entryPoints: readdirSync(join(root, 'src'))
    .filter((f) => f.endsWith('.ts') && f !== 'extension.ts')
    .map((f) => `src/${f}`),
  outdir: 'out',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
