import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_KEY_FILE, buildKey } from '../../scripts/package.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RELEASE = path.join(ROOT, 'release');
export const LINUX_EXE = path.join(RELEASE, 'siths-doctor-linux-x64');
export const WIN_EXE = path.join(RELEASE, 'siths-doctor-win-x64.exe');
const LOCK = path.join(ROOT, '.cache', 'sea-build.lock');

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * The executables of the current sources, built once per change of their
 * inputs (`npm run package` records them in release/.build-key): test files
 * share one build instead of building per test or per file. A lock keeps two
 * test workers from building at once.
 */
export function ensureExecutables(): { linux: string; win: string } {
  const key = `${buildKey()} linux-x64,win-x64\n`;
  const fresh = (): boolean => existsSync(LINUX_EXE) && existsSync(WIN_EXE) && existsSync(BUILD_KEY_FILE) && readFileSync(BUILD_KEY_FILE, 'utf8') === key;
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
    if (!fresh()) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'package.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  } finally {
    rmdirSync(LOCK);
  }
  return { linux: LINUX_EXE, win: WIN_EXE };
}
