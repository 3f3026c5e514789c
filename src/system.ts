import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import { pkcs11Inspector, type Pkcs11Inspector } from './pkcs11/inspector.js';
import { realTlsClient } from './tls/read-presented.js';
import type { TlsClient } from './tls/types.js';
import { realNetwork, type Network } from './net/http.js';
import { createPcsc } from './pcsc/client.js';
import type { Pcsc } from './pcsc/types.js';

/**
 * The outside world as probes see it. `createSystem()` gives the real machine;
 * tests build their own System from the real thing, a recording, or both.
 * Issues that add I/O (PC/SC, network, PKCS#11) add a field here.
 */
export interface System {
  readonly clock: Clock;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: PlatformInfo;
  readonly fs: FileSystem;
  readonly exec: CommandRunner;
  /** Looks at a PKCS#11 library in a child process (slots, tokens, public certificates). */
  readonly pkcs11: Pkcs11Inspector;
  /** TLS connections that read what a server presents (the idp-tls check). */
  readonly tls: TlsClient;
  /** HTTP(S) with per-phase timings, proxies, --resolve and extra roots (src/net/http.ts). */
  readonly net: Network;
  /** The PC/SC service (pcscd, SCardSvr) through the platform library and koffi; see src/pcsc/types.ts. */
  readonly pcsc: Pcsc;
}

export interface Clock {
  now(): Date;
  /** Milliseconds from an arbitrary origin, never going backwards: for durations. */
  monotonicMs(): number;
}

export interface PlatformInfo {
  readonly os: NodeJS.Platform;
  readonly arch: string;
  readonly release: string;
  readonly homedir: string;
  readonly nodeVersion: string;
}

export interface FileStat {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly size: number;
  readonly mtime: Date;
}

export interface FileSystem {
  readFile(path: string): Promise<Buffer>;
  /** Stat that says "not there" with undefined instead of throwing ENOENT/ENOTDIR. */
  stat(path: string): Promise<FileStat | undefined>;
  readdir(path: string): Promise<string[]>;
}

export interface ExecOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Extra environment variables, on top of the process's own. */
  readonly env?: Readonly<Record<string, string>>;
  /** Cap on captured output per stream, in bytes (default 4 MiB). */
  readonly maxBuffer?: number;
}

export interface ExecResult {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/**
 * Runs a program without a shell. Resolves with whatever the program did,
 * including a non-zero exit or a timeout; rejects only when it cannot be
 * started at all (not installed: error code ENOENT).
 */
export type CommandRunner = (file: string, args: readonly string[], options: ExecOptions) => Promise<ExecResult>;

export const realClock: Clock = {
  now: () => new Date(),
  monotonicMs: () => performance.now(),
};

export const realFileSystem: FileSystem = {
  readFile: (path) => fsp.readFile(path),
  async stat(path) {
    try {
      const s = await fsp.stat(path);
      return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, mtime: s.mtime };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw err;
    }
  },
  readdir: (path) => fsp.readdir(path),
};

export const realExec: CommandRunner = (file, args, options) =>
  new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      {
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: options.maxBuffer ?? 4 * 1024 * 1024,
        env: options.env ? { ...process.env, ...options.env } : process.env,
        windowsHide: true,
        signal: options.signal,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
          if (typeof e.code === 'string' && e.code !== 'ABORT_ERR' && e.code !== 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
            reject(error);
            return;
          }
          resolve({
            code: typeof e.code === 'number' ? e.code : null,
            stdout,
            stderr,
            timedOut: Boolean(e.killed) || e.code === 'ABORT_ERR',
          });
          return;
        }
        resolve({ code: 0, stdout, stderr, timedOut: false });
      },
    );
    child.stdin?.end();
  });

export function realPlatform(): PlatformInfo {
  return {
    os: process.platform,
    arch: process.arch,
    release: os.release(),
    homedir: os.homedir(),
    nodeVersion: process.versions.node,
  };
}

export function createSystem(): System {
  return {
    clock: realClock,
    env: process.env,
    platform: realPlatform(),
    fs: realFileSystem,
    exec: realExec,
    pkcs11: pkcs11Inspector(),
    tls: realTlsClient,
    net: realNetwork,
    pcsc: createPcsc(),
  };
}
