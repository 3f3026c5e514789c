import { existsSync, mkdtempSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild, type ChildOutput } from './children.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Every node binary on this machine that a program could find: the usual
 * places, each folder on PATH, version managers' folders, the node running
 * the tests, and the pinned runtimes the executables are built from.
 */
export function nodeBinaries(): string[] {
  const home = os.homedir();
  const candidates = ['/usr/bin/node', '/usr/local/bin/node', '/bin/node', '/opt/node/bin/node', '/snap/bin/node', process.execPath];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, 'node'), path.join(dir, 'nodejs'));
  const versionDirs = [path.join(home, '.nvm', 'versions', 'node'), path.join(home, '.volta', 'tools', 'image', 'node'), path.join(home, '.local', 'share', 'fnm', 'node-versions')];
  for (const dir of versionDirs) {
    if (!existsSync(dir)) continue;
    for (const v of readdirSync(dir)) candidates.push(path.join(dir, v, 'bin', 'node'), path.join(dir, v, 'installation', 'bin', 'node'));
  }
  const runtimes = path.join(ROOT, '.cache', 'node-runtimes');
  if (existsSync(runtimes)) for (const r of readdirSync(runtimes)) candidates.push(path.join(runtimes, r, 'bin', 'node'));
  const found = new Set<string>();
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    found.add(realpathSync(c));
  }
  return [...found].sort();
}

export type NoNodeRun = ChildOutput;

/**
 * Runs `program args` where no node exists: in a private mount namespace
 * (`unshare -m`) with an empty file bind-mounted over every node binary, and
 * an empty environment (`env -i`) apart from `env`. Needs root, as the tests
 * of the private pcscd do.
 */
export function runWithoutNode(program: string, args: readonly string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<NoNodeRun> {
  const empty = path.join(mkdtempSync(path.join(os.tmpdir(), 'siths-no-node-')), 'no-node');
  writeFileSync(empty, '');
  const mounts = nodeBinaries().map((b) => `mount --bind '${empty}' '${b}' || exit 97`);
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const script = `${mounts.join('; ')}; exec env -i "$@"`;
  return runChild('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', ...assignments, program, ...args], {
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    timeoutMs,
  });
}
