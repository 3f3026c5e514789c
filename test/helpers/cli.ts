import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { main, type CliDeps } from '../../src/cli.js';
import { msg, type Localized } from '../../src/i18n/index.js';
import type { Probe, ProbeOutcome } from '../../src/model.js';
import type { RenderedCheck } from '../../src/report/report.js';
import { runChild } from './children.js';
import { testSystem } from './system.js';

export const BIN = fileURLToPath(new URL('../../bin/siths-doctor.js', import.meta.url));

/** A probe of the test: "Titel <id>" / "Title <id>", answering `status` with "<id> sv" / "<id> en", and `advice` when given. */
export function testProbe(id: string, status: ProbeOutcome['status'], extra: Partial<Probe> = {}, advice?: Localized): Probe {
  return {
    id,
    title: msg(`Titel ${id}`, `Title ${id}`),
    description: msg(`Kontrollerar ${id}`, `Checks ${id}`),
    run: async () => ({ status, summary: msg(`${id} sv`, `${id} en`), ...(advice ? { advice } : {}) }),
    ...extra,
  };
}

/** The environment of a child run of the tool: PATH, HOME and a UTF-8 locale, then `extra` (an undefined value removes a variable). */
function childEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra })) {
    if (v !== undefined) env[k] = v;
  }
  return env;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run the built tool as a child process, the way users and fleet scripts do. */
export async function runBin(args: readonly string[], options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<CliRun> {
  const started = performance.now();
  const run = await runChild(process.execPath, [BIN, ...args], { env: childEnv(options.env), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  return { ...run, ms: performance.now() - started };
}

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
  // What a terminal stream offers and ora uses.
  columns = 80;
  cursorTo(_x: number, _y?: number | (() => void), cb?: () => void): boolean {
    cb?.();
    return true;
  }
  moveCursor(_dx: number, _dy: number, cb?: () => void): boolean {
    cb?.();
    return true;
  }
  clearLine(_dir: number, cb?: () => void): boolean {
    cb?.();
    return true;
  }
}

/** Run the CLI in-process with probes of the test's own: commander, runner and renderers all real. */
export async function runMain(
  args: readonly string[],
  probes: readonly Probe<object>[],
  options: { env?: Record<string, string | undefined>; tty?: boolean; system?: Partial<ReturnType<typeof testSystem>> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture(options.tty);
  const stderr = new Capture(options.tty);
  const env = { LANG: 'C.UTF-8', ...options.env };
  const deps: CliDeps = {
    io: { stdout, stderr, env },
    probes,
    createSystem: () => testSystem({ env, ...options.system }),
  };
  const code = await main(['node', 'siths-doctor', ...args], deps);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A running siths-doctor child process whose output lines can be awaited as they come (for `readers --watch`). */
export interface LiveRun {
  readonly lines: string[];
  readonly stderr: () => string;
  /** Resolves with the first line (already seen or still to come) that matches, or rejects after `timeoutMs`. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<string>;
  readonly exit: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

export function startBin(args: readonly string[], options: { env?: Record<string, string | undefined> } = {}): LiveRun {
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let partial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  void exit.then(() => clearTimeout(killer));
  return {
    lines,
    stderr: () => stderr,
    exit,
    kill: (signal) => child.kill(signal),
    waitForLine(match, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const line = lines.find(match);
          if (line === undefined) return false;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(line);
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no matching line within ${timeoutMs} ms; got:\n${lines.join('\n')}\nstderr:\n${stderr}`));
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      });
    },
  };
}

/** A check as the JSON report (schema 1) has it; details loosely typed, for assertions. */
export type JsonCheck = Omit<RenderedCheck, 'details'> & { readonly details: Record<string, any> };
