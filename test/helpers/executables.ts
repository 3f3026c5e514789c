import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RELEASE = path.join(ROOT, 'release');
export const LINUX_EXE = path.join(RELEASE, 'siths-doctor-linux-x64');
export const WIN_EXE = path.join(RELEASE, 'siths-doctor-win-x64.exe');
const KEY_FILE = path.join(RELEASE, '.build-key');
const LOCK = path.join(ROOT, '.cache', 'sea-build.lock');

/** Every input of `npm run package`: the sources, the build scripts, the locked dependencies. */
function buildKey(): string {
  const hash = createHash('sha256');
  const add = (file: string): void => {
    if (statSync(file).isDirectory()) {
      for (const name of readdirSync(file).sort()) add(path.join(file, name));
    } else {
      hash.update(path.relative(ROOT, file)).update(readFileSync(file));
    }
  };
  for (const f of ['src', 'scripts/bundle.mjs', 'scripts/package.mjs', 'scripts/node-runtime.mjs', 'package-lock.json']) add(path.join(ROOT, f));
  return hash.digest('hex');
}

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * The executables of the current sources, built once per change: test files
 * share one build (keyed on every input) instead of building per test or per
 * file. A lock keeps two test workers from building at once.
 */
export function ensureExecutables(): { linux: string; win: string } {
  const key = buildKey();
  const fresh = (): boolean => existsSync(LINUX_EXE) && existsSync(WIN_EXE) && existsSync(KEY_FILE) && readFileSync(KEY_FILE, 'utf8') === key;
  mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    if (fresh()) return { linux: LINUX_EXE, win: WIN_EXE };
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another worker is building; a lock older than the longest build is left over from a killed run.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 10 * 60_000) rmdirSync(LOCK);
      } catch {
        // It went away meanwhile.
      }
      sleep(1000);
    }
  }
  try {
    if (!fresh()) {
      execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'package.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      writeFileSync(KEY_FILE, key);
    }
  } finally {
    rmdirSync(LOCK);
  }
  return { linux: LINUX_EXE, win: WIN_EXE };
}
