import { spawn, type ChildProcess } from 'node:child_process';
import { helperEnv, helperCommand as selfOrNode } from '../launch/helpers.js';
import { PcscError } from './errors.js';
import type { HostMessage, HostRequest, WireError, WireWatchEvent } from './host-protocol.js';

type RequestBody = HostRequest extends infer R ? (R extends HostRequest ? Omit<R, 'id'> : never) : never;

export interface HostLaunch {
  /** The compiled entry script, src/pcsc/host-main.ts. */
  readonly script: string;
  /** The PC/SC library to load instead of the platform's. */
  readonly library?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly execArgv: readonly string[];
}

const STDERR_KEEP = 2048;
const MAX_EARLY_EVENTS = 1000;
const live = new Set<HostProcess>();
let exitHookInstalled = false;

export function toPcscError(error: WireError): PcscError {
  return new PcscError(error.kind, error.message, error.code, error.moduleProblem);
}

/**
 * The one place that decides how the helper process is started: Node runs
 * the entry script; the library override travels as its argument. A
 * single-file executable changes only this function (starting itself in
 * helper mode). The thread pool is made larger: every blocking PC/SC call
 * (a watch waits there for good) holds one of its threads.
 */
export function helperCommand(launch: HostLaunch): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  // Node on the script, or this program itself in helper mode when it is the bundle or an executable (src/launch/helpers.ts).
  const { command, args } = selfOrNode('pcsc-host', launch.script, launch.library ? [launch.library] : [], launch.execArgv);
  return { command, args, env: { ...helperEnv(launch.env), UV_THREADPOOL_SIZE: '16' } };
}

/**
 * One PC/SC helper process (src/pcsc/host.ts) and the requests in flight to
 * it. It keeps the event loop alive only while something waits on it.
 */
export class HostProcess {
  /** Resolves when the helper has loaded the PC/SC library; rejects when it cannot. */
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  private readonly watchers = new Map<number, (event: WireWatchEvent) => void>();
  /** Watch events that came in before their listener: the helper sends them right behind its reply. */
  private readonly early = new Map<number, WireWatchEvent[]>();
  private nextId = 1;
  private stderrTail = '';
  private ended: PcscError | undefined;
  private settleReady!: (err?: Error) => void;

  constructor(launch: HostLaunch) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = (err) => (err ? reject(err) : resolve());
    });
    // Nobody may be waiting on `ready` when it fails (the failure also reaches every request).
    this.ready.catch(() => undefined);
    const { command, args, env } = helperCommand(launch);
    this.child = spawn(command, args, { env, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_KEEP);
    });
    this.child.on('message', (message: HostMessage) => this.onMessage(message));
    this.child.on('error', (err) => this.end(new PcscError('helper-failed', `the PC/SC helper could not start: ${err.message}`)));
    this.child.on('exit', (code, signal) => {
      const why = signal ? `signal ${signal}` : `exit code ${code}`;
      const lines = this.stderrTail.trim().split('\n').map((l) => l.trim());
      const detail = lines.find((l) => /^\w*Error\b/.test(l)) ?? lines.slice(-3).join(' | ');
      this.end(new PcscError('helper-failed', `the PC/SC helper ended unexpectedly (${why})${detail ? `: ${detail}` : ''}`));
    });
    live.add(this);
    installExitHook();
    this.updateRef();
  }

  /** True once the process has ended or was killed: make a new one. */
  get dead(): boolean {
    return this.ended !== undefined;
  }

  request(body: RequestBody): { id: number; reply: Promise<unknown> } {
    const id = this.nextId++;
    if (this.ended) return { id, reply: Promise.reject(this.ended) };
    const reply = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
    });
    this.send({ ...body, id } as HostRequest);
    this.updateRef();
    return { id, reply };
  }

  /** Fire and forget (stopping a watch). */
  notify(body: RequestBody): void {
    if (!this.ended) this.send({ ...body, id: this.nextId++ } as HostRequest);
  }

  /** A helper that just died may not have reported its exit yet: sending then fails, and ends it. */
  private send(request: HostRequest): void {
    try {
      this.child.send(request, (err) => {
        if (err) this.kill(new PcscError('helper-failed', `the PC/SC helper cannot be reached: ${err.message}`));
      });
    } catch (err) {
      this.kill(new PcscError('helper-failed', `the PC/SC helper cannot be reached: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  onWatch(watch: number, listener: ((event: WireWatchEvent) => void) | undefined): void {
    const waiting = this.early.get(watch) ?? [];
    this.early.delete(watch);
    if (listener) this.watchers.set(watch, listener);
    else this.watchers.delete(watch);
    this.updateRef();
    if (listener) for (const event of waiting) listener(event);
  }

  /** Kill it: it may be stuck in a native call that will never return. */
  kill(reason: PcscError): void {
    this.end(reason);
    this.child.kill('SIGKILL');
  }

  private onMessage(message: HostMessage): void {
    if (message.type === 'hello') {
      if (message.ok) this.settleReady();
      else this.kill(toPcscError(message.error));
      return;
    }
    if (message.type === 'watch') {
      const listener = this.watchers.get(message.watch);
      if (listener) listener(message.event);
      else {
        const waiting = this.early.get(message.watch) ?? [];
        if (waiting.length < MAX_EARLY_EVENTS) waiting.push(message.event);
        this.early.set(message.watch, waiting);
      }
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    this.updateRef();
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(toPcscError(message.error));
  }

  private end(reason: PcscError): void {
    if (this.ended) return;
    this.ended = reason;
    live.delete(this);
    this.settleReady(reason);
    for (const waiting of this.pending.values()) waiting.reject(reason);
    this.pending.clear();
    const error: WireWatchEvent = { kind: 'error', error: { kind: reason.kind, message: reason.message, ...(reason.code === undefined ? {} : { code: reason.code }) } };
    for (const listener of [...this.watchers.values()]) listener(error);
    this.watchers.clear();
  }

  /** Hold the event loop open only while a request or a watch waits. */
  private updateRef(): void {
    const busy = this.pending.size > 0 || this.watchers.size > 0;
    const handles = [this.child, this.child.channel, this.child.stderr] as ({ ref?(): void; unref?(): void } | null | undefined)[];
    for (const handle of handles) {
      if (busy) handle?.ref?.();
      else handle?.unref?.();
    }
  }
}

/** A helper must not outlive siths-doctor, even one stuck in a native call. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const host of live) host.kill(new PcscError('cancelled', 'siths-doctor is exiting'));
  });
}
