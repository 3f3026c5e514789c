import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Prerequisite } from './prereq.js';
import { stopChild, waitForListening } from './children.js';
import { freePort } from './ports.js';

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
    await waitForListening(child, [port], 'mitmdump', 30_000);
  } catch (err) {
    await stop();
    throw new Error(`mitmdump did not start: ${(err as Error).message}\n${output}`);
  }
  return { port, caFile, caPem: () => readFileSync(caFile, 'utf8'), log: () => output, stop };
}
