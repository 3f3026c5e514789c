import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Prerequisite } from './prereq.js';
import { freePort } from './tls-servers.js';

export const MITMPROXY_PREREQUISITES: readonly Prerequisite[] = [{ need: 'mitmdump', debianPackage: 'mitmproxy' }];

const ADDON = fileURLToPath(new URL('./mitmproxy-ask-client-cert.py', import.meta.url));

export interface Mitmproxy {
  readonly port: number;
  /** mitmproxy's own CA certificate (PEM), generated in its private confdir at start. */
  caPem(): string;
  readonly caFile: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * mitmdump as a regular (CONNECT) proxy on loopback, intercepting every TLS
 * connection with its own CA "mitmproxy", not verifying the upstream (the
 * TEST PKI), optionally asking the client for a certificate from its own CA.
 */
export async function startMitmproxy(options: { askForClientCertificate: boolean }): Promise<Mitmproxy> {
  const confdir = mkdtempSync(path.join(os.tmpdir(), 'siths-mitm-'));
  const port = await freePort();
  const args = ['--listen-host', '127.0.0.1', '--listen-port', String(port), '--set', `confdir=${confdir}`, '--set', 'ssl_insecure=true', '--set', 'termlog_verbosity=warn'];
  if (options.askForClientCertificate) args.push('-s', ADDON);
  const child = spawn('mitmdump', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: confdir } });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const caFile = path.join(confdir, 'mitmproxy-ca-cert.pem');
  const stop = (): Promise<void> => stopChild(child).then(() => rmSync(confdir, { recursive: true, force: true }));
  try {
    await waitForPort(port, child, 30_000);
  } catch (err) {
    await stop();
    throw new Error(`mitmdump did not start: ${(err as Error).message}\n${output}`);
  }
  return { port, caFile, caPem: () => readFileSync(caFile, 'utf8'), log: () => output, stop };
}

async function waitForPort(port: number, child: ChildProcess, limitMs: number): Promise<void> {
  const until = Date.now() + limitMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mitmdump exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`port ${port} not listening after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
