import { createRequire } from 'node:module';
import path from 'node:path';
import type { ModuleProblem } from './errors.js';

/**
 * The classes of the native `pcsclite` module, as its C++ side defines them
 * (node_modules/pcsclite/src). We use them directly rather than the module's
 * JavaScript wrapper: the wrapper starts watching every reader as soon as it
 * is created, connects exclusively by default, and cannot say "there are no
 * readers" apart from "not yet".
 */
export interface RawPcscLite {
  /** Starts a thread: SCardListReaders, then SCardGetStatusChange on \\?PnP?\Notification, again and again. */
  start(callback: (err: Error | undefined, readers?: Buffer) => void): void;
  /** SCardCancel, then joins the thread. Blocks until it ends. */
  close(): void;
}

export interface RawCardReader {
  readonly name: string;
  /** Starts a thread with its own context: SCardGetStatusChange on this reader, reporting every change. */
  get_status(callback: (err: Error | undefined, state?: number, atr?: Buffer) => void): void;
  _connect(shareMode: number, protocols: number, callback: (err: Error | null, protocol?: number) => void): void;
  _transmit(apdu: Buffer, maxResponse: number, protocol: number, callback: (err: Error | null, response?: Buffer) => void): void;
  _disconnect(disposition: number, callback: (err: Error | null) => void): void;
  /** Stops the status thread (blocks until it ends). Must not be called from inside its own callback. */
  close(): void;
  on(event: '_end', listener: () => void): void;
  readonly SCARD_SHARE_SHARED: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_PROTOCOL_RAW: number;
  readonly SCARD_LEAVE_CARD: number;
}

export interface Binding {
  readonly PCSCLite: new () => RawPcscLite;
  readonly CardReader: new (name: string) => RawCardReader;
}

export type BindingLoad = { readonly ok: true; readonly binding: Binding } | { readonly ok: false; readonly problem: ModuleProblem; readonly message: string };

// A variable, so the TypeScript build does not need the optional module to be installed.
const MODULE_NAME = 'pcsclite';

/**
 * Load the native module. The dynamic import goes through Node's ESM loader
 * (so a test can make it fail with an `--import` hook, as a missing module
 * would), and it also gives the native classes the EventEmitter methods the
 * C++ side calls. The raw classes come from the same loaded `.node` file.
 */
export async function loadBinding(): Promise<BindingLoad> {
  try {
    await import(MODULE_NAME);
    const require = createRequire(import.meta.url);
    const packageDir = path.dirname(require.resolve(`${MODULE_NAME}/package.json`));
    const bindings = createRequire(path.join(packageDir, 'package.json'))('bindings') as (opts: object) => Binding;
    const binding = bindings({ bindings: MODULE_NAME, module_root: packageDir });
    if (typeof binding?.PCSCLite !== 'function' || typeof binding?.CardReader !== 'function') {
      return { ok: false, problem: 'cannot-load', message: 'the pcsclite module does not export PCSCLite and CardReader' };
    }
    return { ok: true, binding };
  } catch (err) {
    return { ok: false, problem: moduleProblem(err), message: err instanceof Error ? err.message : String(err) };
  }
}

function moduleProblem(err: unknown): ModuleProblem {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(MODULE_NAME)) return 'not-installed';
  // The package is there but node-gyp never produced the .node file.
  if (/Could not locate the bindings file/i.test(message)) return 'not-built';
  // ERR_DLOPEN_FAILED: libpcsclite missing, or built for another Node version.
  return 'cannot-load';
}
