// Checks a packaged .vsix: it must hold the bundled extension, the server jar and its libraries, and
// nothing from node_modules, src or test. Lists the zip with yauzl (a dependency of @vscode/vsce).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const yauzl = require('yauzl');

export function listVsix(file) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) {
        reject(err);
        return;
      }
      const names = [];
      zip.on('entry', (e) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

export function problems(names) {
  const out = [];
  for (const needed of ['extension/package.json', 'extension/dist/extension.js', 'extension/server/carbonlens.jar']) {
    if (!names.includes(needed)) {
      out.push(`missing ${needed}`);
    }
  }
  if (!names.some((n) => /^extension\/server\/lib\/[^/]+\.jar$/.test(n))) {
    out.push('missing extension/server/lib/*.jar');
  }
  for (const n of names) {
    if (/^extension\/(node_modules|src|test|test-support|scripts|out)\//.test(n)) {
      out.push(`should not ship ${n}`);
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? 'carbonlens-0.1.0.vsix';
  const names = await listVsix(file);
  const bad = problems(names);
  if (bad.length > 0) {
    console.error(`${file}:\n  ${bad.join('\n  ')}`);
    process.exit(1);
  }
  const libs = names.filter((n) => n.startsWith('extension/server/lib/')).length;
  console.log(`${file}: ${names.length} entries, server jar and ${libs} libraries, no sources or node_modules`);
}
