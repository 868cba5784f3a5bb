// Bundles the CarbonLens language server into the extension: runs `../carbonlens --version` (which
// builds language-server/target/carbonlens.jar and its lib/ with Maven when missing or stale), then
// copies the jar and lib/*.jar into server/ (git-ignored), replacing what was there.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const project = join(root, '..');
const target = join(project, 'language-server', 'target');
const launcher = join(project, process.platform === 'win32' ? 'carbonlens.cmd' : 'carbonlens');

if (process.env.CARBONLENS_SKIP_SERVER_BUILD !== '1') {
  // The launcher prints its version once the jar is up to date; its build output goes to stderr.
  const version = execFileSync(launcher, ['--version'], {
    cwd: project,
    stdio: ['ignore', 'pipe', 'inherit'],
    shell: process.platform === 'win32',
    encoding: 'utf8',
  }).trim();
  console.log(`server: ${version}`);
}

const jar = join(target, 'carbonlens.jar');
const lib = join(target, 'lib');
if (!existsSync(jar) || !existsSync(lib)) {
  console.error(`server: ${jar} or ${lib} is missing; build the language server first (../carbonlens --version)`);
  process.exit(1);
}
const out = join(root, 'server');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'lib'), { recursive: true });
copyFileSync(jar, join(out, 'carbonlens.jar'));
// Only the libraries the jar's manifest Class-Path names: target/lib may keep jars of older builds.
const classPath = await manifestClassPath(jar);
const jars = classPath.length > 0
  ? classPath.filter((e) => e.startsWith('lib/')).map((e) => e.slice(4))
  : readdirSync(lib).filter((f) => f.endsWith('.jar'));
const missing = jars.filter((f) => !existsSync(join(lib, f)));
if (missing.length > 0) {
  console.error(`server: the jar's Class-Path names libraries missing from ${lib}: ${missing.join(', ')}`);
  process.exit(1);
}
for (const f of jars) {
  copyFileSync(join(lib, f), join(out, 'lib', f));
}
console.log(`server: copied carbonlens.jar and ${jars.length} libraries into server/`);

/** The entries of the jar's META-INF/MANIFEST.MF Class-Path (yauzl comes with @vscode/vsce). */
function manifestClassPath(file) {
  const yauzl = require('yauzl');
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) {
        reject(err);
        return;
      }
      let found = false;
      zip.on('entry', (entry) => {
        if (entry.fileName !== 'META-INF/MANIFEST.MF') {
          zip.readEntry();
          return;
        }
        found = true;
        zip.openReadStream(entry, (e, stream) => {
          if (e) {
            reject(e);
            return;
          }
          const chunks = [];
          stream.on('data', (c) => chunks.push(c));
          stream.on('end', () => {
            zip.close();
            // manifest lines wrap at 72 bytes: a continuation line starts with one space
            const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n /g, '');
            const line = text.split(/\r?\n/).find((l) => l.startsWith('Class-Path:'));
            resolve(line ? line.slice('Class-Path:'.length).trim().split(/\s+/).filter(Boolean) : []);
          });
        });
      });
      zip.on('end', () => {
        if (!found) {
          resolve([]);
        }
      });
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
