import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stopChild, waitForListening } from './children.js';
import { freePort } from './ports.js';
import type { Prerequisite } from './prereq.js';
import type { RunningServer } from './tls-servers.js';

export const OPENSSL_SERVER: Prerequisite = { need: 'openssl', debianPackage: 'openssl' };
export const GNUTLS: readonly Prerequisite[] = [
  { need: 'gnutls-serv', debianPackage: 'gnutls-bin' },
  { need: 'gnutls-cli', debianPackage: 'gnutls-bin' },
  { need: 'unshare', debianPackage: 'util-linux' },
  { need: 'ip', debianPackage: 'iproute2' },
];
export const NGINX: Prerequisite = { need: 'nginx', debianPackage: 'nginx' };

/** A real server process on loopback, stopped by close(). */
async function started(child: ChildProcess, port: number, what: string): Promise<RunningServer> {
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await waitForListening(child, [port], what, 15_000, () => output);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return { port, close: () => stopChild(child) };
}

/** `openssl s_server` on 127.0.0.1 with these extra arguments (certificate, chain, versions, client CA request). */
export async function startOpensslServer(args: readonly string[]): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-quiet', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  return started(child, port, 'openssl s_server');
}

/** nginx on 127.0.0.1 in the foreground with its own prefix, serving one TLS server block. */
export async function startNginx(options: { readonly chainFile: string; readonly keyFile: string; readonly clientCaFile?: string }): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'siths-nginx-'));
  const port = await freePort();
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'master_process off;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log;`,
      'events { worker_connections 64; }',
      'http {',
      `  access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};`,
      '  server {',
      `    listen 127.0.0.1:${port} ssl;`,
      `    ssl_certificate ${options.chainFile};`,
      `    ssl_certificate_key ${options.keyFile};`,
      ...(options.clientCaFile ? [`    ssl_client_certificate ${options.clientCaFile};`, '    ssl_verify_client optional;'] : []),
      '    location / { return 200 "ok"; }',
      '  }',
      '}',
    ].join('\n') + '\n',
  );
  const child = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = await started(child, port, 'nginx');
  return { port, close: () => server.close().then(() => rmSync(dir, { recursive: true, force: true })) };
}

/**
 * Run a shell script in a fresh network namespace with only loopback up, for
 * servers that cannot be told to listen on loopback alone (gnutls-serv binds
 * every address). Whatever talks to them runs in the same script.
 */
export function inNetworkNamespace(script: string, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'unshare',
      ['-rn', 'bash', '-c', `set -u\nip link set lo up\n${script}`],
      { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
