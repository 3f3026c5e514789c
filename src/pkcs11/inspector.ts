import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { helperCommand, helperEnv } from '../launch/helpers.js';
import { PROTOCOL_FD, parseLine, type ChildResult, type Stage } from './protocol.js';

export interface Pkcs11InspectOptions {
  /** Hard limit for the whole child process; it is killed when the time is up. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /**
   * The environment of the child: the run's environment (ctx.system.env),
   * less what only slows a helper's start (helperEnv). It is how a library's
   * own settings reach it, such as SOFTHSM2_CONF for SoftHSM in the tests.
   */
  readonly env: ChildEnv;
}

type ChildEnv = Readonly<Record<string, string | undefined>>;

/** How looking at a PKCS#11 library through the child process ended. */
export type Pkcs11Inspection =
  | ChildResult
  /** The child did not finish in time and was killed; `stage` is the call it was in. */
  | { readonly kind: 'timed-out'; readonly stage?: Stage; readonly timeoutMs: number }
  /** The child died without a result: the library crashed it (a signal) or it exited early. */
  | { readonly kind: 'crashed'; readonly stage?: Stage; readonly signal?: string; readonly exitCode?: number; readonly stderr: string }
  /** The child could not be started, or spoke nonsense. */
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'aborted' };

export interface Pkcs11Inspector {
  (library: string, options: Pkcs11InspectOptions): Promise<Pkcs11Inspection>;
  /**
   * Start a child now, for the next inspection with this same `env`: a child
   * takes as long to start as the rest of a run, so starting it with the run
   * takes that off the time to the report. Returns how to stop it when no
   * inspection came.
   */
  prepare?(env: ChildEnv): () => void;
}

/** Where the child's entry script is when running from dist/ (it is built next to this file). */
function defaultChildScript(): string {
  return fileURLToPath(new URL('./child-main.js', import.meta.url));
}

const MAX_PROTOCOL_BYTES = 8 * 1024 * 1024;
const MAX_STDERR = 8 * 1024;
/** After its result, the child may finalize the library; it is killed if that takes longer. */
const FINALIZE_GRACE_MS = 1000;

/** The real inspector: a child process (src/pkcs11/child.ts) per library, started ahead when asked to. */
export function pkcs11Inspector(childScript: string = defaultChildScript()): Pkcs11Inspector {
  let spare: { readonly child: Pkcs11Child; readonly env: ChildEnv } | undefined;
  const inspect: Pkcs11Inspector = (library, options) => {
    if (options.signal?.aborted) return Promise.resolve({ kind: 'aborted' });
    const ready = spare?.env === options.env ? spare.child : undefined;
    if (spare && !ready) spare.child.kill();
    spare = undefined;
    return (ready ?? new Pkcs11Child(childScript, options.env)).inspect(library, options);
  };
  inspect.prepare = (env) => {
    spare ??= { child: new Pkcs11Child(childScript, env), env };
    const mine = spare;
    return () => {
      if (spare !== mine) return;
      spare = undefined;
      mine.child.kill();
    };
  };
  return inspect;
}

/**
 * One child process and what it said. It runs apart from the doctor because
 * a library may hang (a C_Initialize that never returns) or crash the
 * process. Until it is given a library it keeps nothing alive: the doctor
 * may end without using it, and the child ends when its stdin closes.
 */
class Pkcs11Child {
  private readonly process: ChildProcess;
  private stage: Stage | undefined;
  private stderr = '';
  private received = 0;
  private pending = '';
  private outcome: Pkcs11Inspection | undefined;
  private settle: ((result: Pkcs11Inspection) => void) | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(childScript: string, env: ChildEnv) {
    const { command, args } = helperCommand('pkcs11-child', childScript, []);
    // In the temp folder: a library that crashes may leave a core file in the working folder.
    this.process = spawn(command, args, { env: helperEnv(env), cwd: os.tmpdir(), stdio: ['pipe', 'ignore', 'pipe', 'pipe'], windowsHide: true });
    const child = this.process;
    // A child that died early (its result was already final) cannot take the path: nothing to report there.
    child.stdin!.on('error', () => undefined);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      if (this.stderr.length < MAX_STDERR) this.stderr = (this.stderr + chunk).slice(0, MAX_STDERR);
    });
    const protocol = child.stdio[PROTOCOL_FD] as NodeJS.ReadableStream;
    protocol.setEncoding('utf8');
    protocol.on('data', (chunk: string) => this.onProtocol(chunk));
    child.on('error', (err) => this.finish({ kind: 'failed', message: err.message }));
    child.on('close', (code, signal) => {
      for (const t of this.timers) clearTimeout(t);
      this.finish({
        kind: 'crashed',
        stderr: this.stderr.trim(),
        ...(this.stage ? { stage: this.stage } : {}),
        ...(signal ? { signal } : {}),
        ...(code !== null ? { exitCode: code } : {}),
      });
    });
    this.hold(false);
  }

  /** Inspect `library`: hand the child the path and wait for its result, bounded by the options' time limit and signal. */
  inspect(library: string, options: Pkcs11InspectOptions): Promise<Pkcs11Inspection> {
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.kill();
        this.finish({ kind: 'aborted' });
      };
      this.settle = (result) => {
        options.signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      // What it said before it was asked (koffi missing, or it died starting) is the answer.
      if (this.outcome) {
        this.settle(this.outcome);
        return;
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(
        setTimeout(() => {
          this.kill();
          this.finish({ kind: 'timed-out', timeoutMs: options.timeoutMs, ...(this.stage ? { stage: this.stage } : {}) });
        }, options.timeoutMs),
      );
      this.hold(true);
      this.process.stdin!.end(`${JSON.stringify(path.resolve(library))}\n`);
    });
  }

  kill(): void {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
  }

  /** Whether the child and its pipes keep this process's event loop alive: only while an inspection waits for it. */
  private hold(on: boolean): void {
    const handles = [this.process, this.process.stdin, this.process.stderr, this.process.stdio[PROTOCOL_FD]] as (ChildProcess | Socket | null)[];
    for (const h of handles) {
      if (on) h?.ref();
      else h?.unref();
    }
  }

  /** The first outcome is final; it goes to the inspection waiting, or waits for one. */
  private finish(result: Pkcs11Inspection): void {
    if (this.outcome) return;
    this.outcome = result;
    this.settle?.(result);
  }

  private onProtocol(chunk: string): void {
    this.received += chunk.length;
    if (this.received > MAX_PROTOCOL_BYTES) {
      this.kill();
      this.finish({ kind: 'failed', message: 'the PKCS#11 child sent more than expected' });
      return;
    }
    this.pending += chunk;
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl);
      this.pending = this.pending.slice(nl + 1);
      const parsed = parseLine(line);
      if (!parsed) {
        this.kill();
        this.finish({ kind: 'failed', message: 'the PKCS#11 child sent a line that is not its protocol' });
        return;
      }
      if ('stage' in parsed) this.stage = parsed.stage;
      else {
        this.finish(parsed.result);
        this.timers.push(setTimeout(() => this.kill(), FINALIZE_GRACE_MS));
      }
    }
  }
}
