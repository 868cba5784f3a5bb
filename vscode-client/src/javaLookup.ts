/**
 * Finds the Java 17+ runtime that starts the CarbonLens server: the `carbonlens.java.home` setting,
 * then `JAVA_HOME`, then `java` on the PATH. The first one that runs and reports version 17 or newer
 * wins; when none does, the result says what was tried and why each was refused.
 *
 * Pure Node module (no `vscode` import), unit-tested with fake Java homes whose `bin/java` is a shell
 * script printing a version to stderr.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const MINIMUM_JAVA = 17;

export interface JavaCandidate {
  /** Where it comes from, for messages: `carbonlens.java.home`, `JAVA_HOME` or `PATH`. */
  source: 'carbonlens.java.home' | 'JAVA_HOME' | 'PATH';
  /** The java executable. */
  executable: string;
}

export type JavaLookup =
  | { ok: true; java: string; version: number; source: JavaCandidate['source']; tried: string[] }
  | { ok: false; message: string; tried: string[] };

export interface JavaLookupOptions {
  /** The `carbonlens.java.home` setting (empty or undefined when unset). */
  javaHome?: string;
  /** Environment: JAVA_HOME and PATH are read from it (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Platform (default: process.platform); `win32` looks for java.exe and splits PATH on ';'. */
  platform?: NodeJS.Platform;
  /** Guard for one `java -version` run (default 20 s: a cold JVM on a busy machine). */
  timeoutMs?: number;
}

/**
 * The major version in `java -version` output (stderr): `openjdk version "17.0.15" 2025-04-15`,
 * `java version "1.8.0_292"` (8), `openjdk version "21" 2023-09-19`, `openjdk version "22-ea"`.
 */
export function parseJavaVersion(output: string): number | undefined {
  const m = /\bversion\s+"(\d+)(?:\.(\d+))?[^"]*"/.exec(output);
  if (!m) {
    return undefined;
  }
  const first = Number(m[1]);
  if (first === 1 && m[2] !== undefined) {
    return Number(m[2]); // 1.8.0 -> 8
  }
  return first;
}

function javaIn(home: string, platform: NodeJS.Platform): string {
  return path.join(home, 'bin', platform === 'win32' ? 'java.exe' : 'java');
}

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** The candidates in order, without running them; a PATH entry only where `java` is there. */
export function javaCandidates(options: JavaLookupOptions = {}): JavaCandidate[] {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const out: JavaCandidate[] = [];
  const setting = options.javaHome?.trim();
  if (setting) {
    out.push({ source: 'carbonlens.java.home', executable: javaIn(setting, platform) });
  }
  const javaHome = env.JAVA_HOME?.trim();
  if (javaHome) {
    out.push({ source: 'JAVA_HOME', executable: javaIn(javaHome, platform) });
  }
  const pathVar = (platform === 'win32' ? env.Path ?? env.PATH : env.PATH) ?? '';
  const name = platform === 'win32' ? 'java.exe' : 'java';
  for (const dir of pathVar.split(platform === 'win32' ? ';' : ':')) {
    if (!dir) {
      continue;
    }
    const file = path.join(dir, name);
    if (isExecutableFile(file, platform)) {
      out.push({ source: 'PATH', executable: file });
      break; // the one a shell would run
    }
  }
  return out;
}

/** Runs `java -version` and reads the major version from its output (stderr, or stdout for some builds). */
export function javaVersion(executable: string, timeoutMs = 20_000): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile(executable, ['-version'], { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      if (error && !stderr && !stdout) {
        resolve(undefined);
        return;
      }
      resolve(parseJavaVersion(`${stderr}\n${stdout}`));
    });
  });
}

/** The first candidate that runs and is Java 17 or newer. */
export async function findJava(options: JavaLookupOptions = {}): Promise<JavaLookup> {
  const platform = options.platform ?? process.platform;
  const tried: string[] = [];
  for (const c of javaCandidates(options)) {
    if (!isExecutableFile(c.executable, platform)) {
      tried.push(`${c.source}: no Java at ${c.executable}`);
      continue;
    }
    const version = await javaVersion(c.executable, options.timeoutMs);
    if (version === undefined) {
      tried.push(`${c.source}: ${c.executable} did not report a Java version`);
    } else if (version < MINIMUM_JAVA) {
      tried.push(`${c.source}: ${c.executable} is Java ${version}`);
    } else {
      tried.push(`${c.source}: ${c.executable} is Java ${version}`);
      return { ok: true, java: c.executable, version, source: c.source, tried };
    }
  }
  const found = tried.length === 0 ? 'no Java was found (carbonlens.java.home and JAVA_HOME are unset, and no java on the PATH)' : tried.join('; ');
  return {
    ok: false,
    tried,
    message: `CarbonLens needs Java ${MINIMUM_JAVA} or newer to run its language server: ${found}. ` +
      'Install a JDK or JRE 17+ and set carbonlens.java.home (or JAVA_HOME) to it.',
  };
}
