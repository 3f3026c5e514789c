/**
 * Time to the first pcsc-service result: start the PC/SC helper process,
 * load the PC/SC library, SCardEstablishContext, reply. The koffi path
 * (what siths-doctor does now) against the old native `pcsclite` binding,
 * median of 10 each, against a private pcscd.
 *
 * The old binding is not a dependency any more. Build it outside the
 * repository to compare (g++ and libpcsclite-dev needed):
 *   mkdir /tmp/old-pcsclite && cd /tmp/old-pcsclite && npm init -y && npm_config_nodedir=/usr npm install pcsclite@1.0.1
 * and pass its folder: npm run bench:card -- --old-pcsclite /tmp/old-pcsclite
 * (default: $OLD_PCSCLITE_DIR, else /tmp/koffi-old-pcsclite).
 */
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPcsc } from '../src/pcsc/client.js';

const RUNS = 10;
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The new path, exactly as pcsc-service takes it: a fresh adapter, its helper, one establish. */
async function koffiOnce(env: NodeJS.ProcessEnv): Promise<number> {
  const pcsc = createPcsc({ env });
  const started = performance.now();
  try {
    await pcsc.establish({ timeoutMs: 10_000 });
    return performance.now() - started;
  } finally {
    await pcsc.close();
  }
}

/** The old helper's start, reduced to what counted: a Node process that loads pcsclite's .node file and makes PCSCLite (SCardEstablishContext). */
function oldOnce(script: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('message', () => {
      const ms = performance.now() - started;
      child.kill('SIGKILL');
      resolve(ms);
    });
    child.once('exit', (code) => reject(new Error(`old pcsclite helper ended (${code}): ${stderr.slice(0, 300)}`)));
  });
}

function oldScript(dir: string): string | undefined {
  const moduleDir = path.join(dir, 'node_modules', 'pcsclite');
  if (!existsSync(path.join(moduleDir, 'build', 'Release', 'pcsclite.node'))) return undefined;
  const script = path.join(dir, 'old-helper.cjs');
  writeFileSync(
    script,
    `const b = require(${JSON.stringify(path.join(dir, 'node_modules', 'bindings'))})({ bindings: 'pcsclite', module_root: ${JSON.stringify(moduleDir)} });\n` +
      `globalThis.keep = new b.PCSCLite();\nprocess.send('ok');\n`,
  );
  return script;
}

/** The new path reduced the same way as the old one: a Node process that loads winscard.ts (koffi + the library), establishes, replies. */
function koffiReducedScript(): string {
  const script = path.join(mkdtempSync(path.join(os.tmpdir(), 'siths-doctor-startup-')), 'koffi-helper.mjs');
  const winscard = fileURLToPath(new URL('../src/pcsc/winscard.js', import.meta.url));
  writeFileSync(script, `import { WinSCard } from ${JSON.stringify(winscard)};\nawait WinSCard.open().establish();\nprocess.send('ok');\n`);
  return script;
}

export async function benchStartup(pcscdEnv: Record<string, string>, oldDir: string): Promise<void> {
  const env = { ...process.env, ...pcscdEnv };
  const koffi: number[] = [];
  for (let i = 0; i < RUNS; i++) koffi.push(await koffiOnce(env));
  console.log(`\nTime to the first pcsc-service result (helper start + library + context), median of ${RUNS}:`);
  const reduced: number[] = [];
  const reducedScript = koffiReducedScript();
  for (let i = 0; i < RUNS; i++) reduced.push(await oldOnce(reducedScript, env));
  console.log(`  koffi, as pcsc-service does it (helper, IPC, establish):     ${median(koffi).toFixed(0).padStart(5)} ms`);
  console.log(`  koffi, reduced (process + winscard.ts + establish):          ${median(reduced).toFixed(0).padStart(5)} ms`);
  const script = oldScript(oldDir);
  if (!script) {
    console.log(`  pcsclite 1.0.1 (old), reduced the same way: not measured: no built pcsclite in ${oldDir} (see bench/pcsc-startup.ts for how to build one outside the repository)`);
    return;
  }
  const old: number[] = [];
  for (let i = 0; i < RUNS; i++) old.push(await oldOnce(script, env));
  console.log(`  pcsclite 1.0.1 (old), reduced (process + .node + establish): ${median(old).toFixed(0).padStart(5)} ms`);
}
