import { spawn } from 'node:child_process';
import { helperCommand } from '../launch/helpers.js';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIMITS, PROTOCOL_FD, type ChildLine, type ChildResult, type InspectionReport, type SlotReport, type Stage } from './protocol.js';

export interface Pkcs11InspectOptions {
  /** Hard limit for the whole child process; it is killed when the time is up. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /**
   * The complete environment of the child: the run's environment
   * (ctx.system.env). It is how a library's own settings reach it, such as
   * SOFTHSM2_CONF for SoftHSM in the tests.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
}

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

export type Pkcs11Inspector = (library: string, options: Pkcs11InspectOptions) => Promise<Pkcs11Inspection>;

/** Where the child's entry script is when running from dist/ (it is built next to this file). */
function defaultChildScript(): string {
  return fileURLToPath(new URL('./child-main.js', import.meta.url));
}

/**
 * The one place that decides how the child process is started: Node runs
 * the entry script on the library. A single-file executable changes only
 * this function (starting itself in PKCS#11 child mode).
 */
export function childCommand(childScript: string, library: string): { command: string; args: string[] } {
  // Node on the script, or this program itself in helper mode when it is the bundle or an executable (src/launch/helpers.ts).
  return helperCommand('pkcs11-child', childScript, [path.resolve(library)]);
}

const MAX_PROTOCOL_BYTES = 8 * 1024 * 1024;
const MAX_STDERR = 8 * 1024;
/** After its result, the child may finalize the library; it is killed if that takes longer. */
const FINALIZE_GRACE_MS = 1000;

/** The real inspector: a Node child process running `childScript` on the library. */
export function pkcs11Inspector(childScript: string = defaultChildScript()): Pkcs11Inspector {
  return (library, options) =>
    new Promise((resolve) => {
      if (options.signal?.aborted) {
        resolve({ kind: 'aborted' });
        return;
      }
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
      // In the temp folder: a library that crashes may leave a core file in the working folder.
      const { command, args } = childCommand(childScript, library);
      const child = spawn(command, args, {
        env,
        cwd: os.tmpdir(),
        stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });

      let settled = false;
      let stage: Stage | undefined;
      let stderr = '';
      let received = 0;
      let pending = '';
      const timers: NodeJS.Timeout[] = [];
      const kill = (): void => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      };
      const finish = (result: Pkcs11Inspection): void => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const onAbort = (): void => {
        kill();
        finish({ kind: 'aborted' });
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      timers.push(
        setTimeout(() => {
          kill();
          finish({ kind: 'timed-out', timeoutMs: options.timeoutMs, ...(stage ? { stage } : {}) });
        }, options.timeoutMs),
      );

      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        if (stderr.length < MAX_STDERR) stderr = (stderr + chunk).slice(0, MAX_STDERR);
      });
      const protocol = child.stdio[PROTOCOL_FD] as NodeJS.ReadableStream;
      protocol.setEncoding('utf8');
      protocol.on('data', (chunk: string) => {
        received += chunk.length;
        if (received > MAX_PROTOCOL_BYTES) {
          kill();
          finish({ kind: 'failed', message: 'the PKCS#11 child sent more than expected' });
          return;
        }
        pending += chunk;
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          const parsed = parseLine(line);
          if (!parsed) {
            kill();
            finish({ kind: 'failed', message: 'the PKCS#11 child sent a line that is not its protocol' });
            return;
          }
          if ('stage' in parsed) stage = parsed.stage;
          else {
            finish(parsed.result);
            timers.push(setTimeout(kill, FINALIZE_GRACE_MS));
          }
        }
      });

      child.on('error', (err) => finish({ kind: 'failed', message: err.message }));
      child.on('close', (code, signal) => {
        for (const t of timers) clearTimeout(t);
        options.signal?.removeEventListener('abort', onAbort);
        finish({
          kind: 'crashed',
          stderr: stderr.trim(),
          ...(stage ? { stage } : {}),
          ...(signal ? { signal } : {}),
          ...(code !== null ? { exitCode: code } : {}),
        });
      });
    });
}

const STAGES: readonly Stage[] = [
  'load-ffi',
  'load-library',
  'C_Initialize',
  'C_GetInfo',
  'C_GetSlotList',
  'C_GetSlotInfo',
  'C_GetTokenInfo',
  'C_OpenSession',
  'C_FindObjects',
  'C_GetAttributeValue',
  'C_CloseSession',
  'C_Finalize',
];

/** One protocol line, checked: the child is ours, but what it relays comes from the library. */
function parseLine(line: string): ChildLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  if (typeof value.stage === 'string') return STAGES.includes(value.stage as Stage) ? { stage: value.stage as Stage } : undefined;
  const result = value.result;
  if (!isObject(result)) return undefined;
  switch (result.kind) {
    case 'binding-missing':
    case 'load-failed':
      return { result: { kind: result.kind, message: str(result.message, 500) } };
    case 'pkcs11-error':
      if (!STAGES.includes(result.stage as Stage)) return undefined;
      return { result: { kind: 'pkcs11-error', stage: result.stage as Stage, message: str(result.message, 500) } };
    case 'ok': {
      const report = checkReport(result.report);
      return report ? { result: { kind: 'ok', report } } : undefined;
    }
    default:
      return undefined;
  }
}

function checkReport(value: unknown): InspectionReport | undefined {
  if (!isObject(value) || !isObject(value.library) || !Array.isArray(value.slots)) return undefined;
  const lib = value.library;
  return {
    library: {
      manufacturer: str(lib.manufacturer),
      description: str(lib.description),
      libraryVersion: str(lib.libraryVersion),
      cryptokiVersion: str(lib.cryptokiVersion),
    },
    slots: value.slots.slice(0, LIMITS.slots).filter(isObject).map(checkSlot),
    slotCount: typeof value.slotCount === 'number' ? value.slotCount : value.slots.length,
  };
}

function checkSlot(s: Record<string, unknown>): SlotReport {
  const token = isObject(s.token) ? s.token : undefined;
  const error = isObject(s.error) && STAGES.includes(s.error.stage as Stage) ? { stage: s.error.stage as Stage, message: str(s.error.message, 500) } : undefined;
  return {
    id: str(s.id),
    description: str(s.description),
    manufacturer: str(s.manufacturer),
    tokenPresent: s.tokenPresent === true,
    removable: s.removable === true,
    hardware: s.hardware === true,
    ...(token
      ? {
          token: {
            label: str(token.label),
            manufacturer: str(token.manufacturer),
            model: str(token.model),
            serialNumber: str(token.serialNumber),
            flags: typeof token.flags === 'number' ? token.flags : 0,
            initialized: token.initialized === true,
            userPinLocked: token.userPinLocked === true,
            userPinFinalTry: token.userPinFinalTry === true,
          },
        }
      : {}),
    ...(Array.isArray(s.certificates)
      ? {
          certificates: s.certificates
            .slice(0, LIMITS.certificatesPerToken)
            .filter(isObject)
            .map((c) => ({
              label: str(c.label),
              id: str(c.id, 128),
              ...(typeof c.der === 'string' && c.der.length <= (LIMITS.derBytes * 4) / 3 + 4 ? { der: c.der } : {}),
              size: typeof c.size === 'number' ? c.size : 0,
            })),
        }
      : {}),
    ...(error ? { error } : {}),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, max: number = LIMITS.text): string {
  return typeof v === 'string' ? v.slice(0, max) : '';
}
