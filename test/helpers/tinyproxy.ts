import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stopChild, waitForListening } from './children.js';
import { freePort } from './ports.js';
import type { Prerequisite } from './prereq.js';

export const TINYPROXY: Prerequisite = { need: 'tinyproxy', debianPackage: 'tinyproxy' };

export interface TinyproxyOptions {
  /** Demand these credentials (tinyproxy 1.11 BasicAuth): 407 without them. */
  readonly basicAuth?: { readonly user: string; readonly password: string };
  /** Ports CONNECT may reach; others get 403. Empty or absent: every port. */
  readonly connectPorts?: readonly number[];
}

export interface Tinyproxy {
  readonly port: number;
  /** http://[user:password@]127.0.0.1:port */
  url(credentials?: { user: string; password: string }): string;
  /** What tinyproxy logged so far (for failing tests). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * A real tinyproxy of our own: its own config and log in a temp folder, on
 * an ephemeral loopback port, in the foreground (-d) so that stopping the
 * child stops it. Another process may grab the port between our probe and
 * tinyproxy's bind, so a start that does not come up is retried on a new port.
 */
export async function startTinyproxy(options: TinyproxyOptions = {}): Promise<Tinyproxy> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options, await freePort());
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function startOnce(options: TinyproxyOptions, port: number): Promise<Tinyproxy> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'siths-tinyproxy-'));
  const config = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 30',
    'MaxClients 20',
    'Allow 127.0.0.1',
    'LogLevel Info',
    ...(options.basicAuth ? [`BasicAuth ${options.basicAuth.user} ${options.basicAuth.password}`] : []),
    ...(options.connectPorts ?? []).map((p) => `ConnectPort ${p}`),
  ];
  const file = path.join(dir, 'tinyproxy.conf');
  writeFileSync(file, config.join('\n') + '\n');
  let output = '';
  const child = spawn('tinyproxy', ['-d', '-c', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const stop = () => stopChild(child, 'SIGTERM', 2000).finally(() => rmSync(dir, { recursive: true, force: true }));
  try {
    await waitForListening(child, [port], 'tinyproxy', 5000, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    port,
    url: (credentials) => `http://${credentials ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@` : ''}127.0.0.1:${port}`,
    log: () => output,
    stop,
  };
}
