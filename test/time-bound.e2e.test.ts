import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runChild } from './helpers/children.js';
import { BIN } from './helpers/cli.js';
import { describeWith } from './helpers/prereq.js';

const BLACKHOLE = fileURLToPath(new URL('./helpers/blackhole-dns.sh', import.meta.url));
const TIMEOUT_MS = 2000;
// The promise is --timeout + 1 s; the slack is for start-up on a loaded machine. A run that waits for the
// resolver (15 s a try in the black hole's resolv.conf) is far beyond it.
const BOUND_MS = TIMEOUT_MS + 1000 + 9000;

/** Runs siths-doctor where DNS swallows every query; the wall time is measured by the shell around the process. */
function inBlackHole(args: readonly string[]): { wallMs: number; code: number; stdout: string; stderr: string; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-dns-'));
  const run = spawnSync(BLACKHOLE, [dir, process.execPath, process.execPath, BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  const wall = /wall_ms=(\d+)/.exec(run.stdout);
  const code = /code=(\d+)/.exec(run.stdout);
  if (!wall || !code) throw new Error(`the black-hole run did not complete: ${run.stdout}\n${run.stderr}`);
  return {
    wallMs: Number(wall[1]),
    code: Number(code[1]),
    stdout: readFileSync(path.join(dir, 'stdout'), 'utf8'),
    stderr: readFileSync(path.join(dir, 'stderr'), 'utf8'),
    dir,
  };
}

describeWith(
  'the time bound with a DNS server that never answers (private network namespace)',
  [
    { need: 'unshare', debianPackage: 'util-linux' },
    { need: 'ip', debianPackage: 'iproute2' },
  ],
  () => {
    it('exits within --timeout + 1 s, not when the system resolver gives up', () => {
      const run = inBlackHole(['check', 'test-page', '--no-proxy', '--test-url', 'https://blackhole.example/', '--timeout', String(TIMEOUT_MS), '--format', 'json']);
      expect(run.code, run.stderr).toBe(1);
      const page = JSON.parse(run.stdout).checks.find((c: { id: string }) => c.id === 'test-page');
      expect(page.summary).toContain('(name lookup (DNS))');
      expect(run.wallMs).toBeLessThan(BOUND_MS);
    }, 60_000);

    it('runs every check and still writes the report file in time while lookups hang', () => {
      const args = ['--no-proxy', '--test-url', 'https://blackhole.example/', '--idp-host', 'idp.blackhole.example', '--idp-host', 'idp2.blackhole.example'];
      const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-dns-out-'));
      const out = path.join(dir, 'report.json');
      const run = inBlackHole([...args, '--timeout', String(TIMEOUT_MS), '--format', 'json', '-o', out]);
      expect(run.code, run.stderr).toBe(1);
      const report = JSON.parse(readFileSync(out, 'utf8'));
      expect(report.checks.find((c: { id: string }) => c.id === 'clock').status).toBe('skip');
      expect(run.wallMs).toBeLessThan(BOUND_MS);
    }, 60_000);

    it('names the PAC when its dnsResolve() gets no answer', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-pac-'));
      const pac = path.join(dir, 'proxy.pac');
      writeFileSync(pac, 'function FindProxyForURL(url, host) { return dnsResolve("wpad.blackhole.example") ? "PROXY 127.0.0.1:9" : "DIRECT"; }\n');
      const run = inBlackHole(['check', 'proxy', '--pac', pac, '--timeout', String(TIMEOUT_MS), '--format', 'json']);
      const proxy = JSON.parse(run.stdout).checks.find((c: { id: string }) => c.id === 'proxy');
      expect(proxy.summary).toContain('The proxy auto-config (PAC) script');
      expect(proxy.summary).toContain('name lookup (dnsResolve) of wpad.blackhole.example got no answer');
      expect(run.wallMs).toBeLessThan(BOUND_MS);
    }, 60_000);
  },
);

it('ends a run whose PAC loops forever within the deadline, not once per check', () => {
  // A longer --timeout, so that running the script to its limit twice (as each check did) cannot fit in the bound.
  const timeoutMs = 8000;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-pac-'));
  const pac = path.join(dir, 'loop.pac');
  writeFileSync(pac, 'function FindProxyForURL(url, host) { for (;;) {} }\n');
  const started = performance.now();
  const run = spawnSync(process.execPath, [BIN, 'check', '--pac', pac, 'proxy', 'test-page', 'idp-tls', 'clock', '--test-url', 'https://127.0.0.1:9/', '--idp-host', '127.0.0.1:9', '--timeout', String(timeoutMs), '--format', 'json'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const wallMs = performance.now() - started;
  expect(run.status, run.stderr).not.toBeNull();
  const proxy = JSON.parse(run.stdout).checks.find((c: { id: string }) => c.id === 'proxy');
  expect(proxy.summary).toContain('(it may loop forever)');
  expect(wallMs).toBeLessThan(timeoutMs + 1000 + 4000);
}, 60_000);

/**
 * A loopback peer that never gets anywhere: `silent` accepts and says nothing (a proxy
 * that swallows CONNECT), `trickle` sends one byte a second forever (a server that
 * starts a TLS record and never finishes it).
 */
async function stuckPeer(kind: 'silent' | 'trickle'): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    // TLS handshake record header, then a byte a second that never completes it.
    if (kind === 'trickle') timers.add(setInterval(() => socket.write(Buffer.from([0x16])), 1000));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close() {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

it.each([
  ['a proxy that accepts and never answers', 'silent' as const],
  ['a server that sends one byte a second', 'trickle' as const],
])('ends a run against %s within --timeout + 1 s, measured from outside', async (_name, kind) => {
  // As with the looping PAC: long enough that waiting for the peer once per check cannot fit the bound.
  const timeoutMs = 8000;
  const peer = await stuckPeer(kind);
  try {
    const where =
      kind === 'silent'
        ? ['--proxy', `http://127.0.0.1:${peer.port}`, '--test-url', 'https://test.siths.se/', '--idp-host', 'm00-mg-local.idp.funktionstjanster.se']
        : ['--no-proxy', '--test-url', `https://127.0.0.1:${peer.port}/`, '--idp-host', `127.0.0.1:${peer.port}`];
    const started = performance.now();
    const run = await runChild(process.execPath, [BIN, 'check', 'proxy', 'test-page', 'idp-tls', 'clock', ...where, '--timeout', String(timeoutMs), '--format', 'json'], {
      env: process.env,
      timeoutMs: 60_000,
    });
    const wallMs = performance.now() - started;
    expect(run.code, run.stderr).toBe(1);
    const checks = JSON.parse(run.stdout).checks as { id: string; status: string }[];
    expect(checks.find((c) => c.id === 'idp-tls')?.status).not.toBe('pass');
    expect(checks.find((c) => c.id === 'test-page')?.status).not.toBe('pass');
    expect(wallMs).toBeLessThan(timeoutMs + 1000 + 4000);
  } finally {
    peer.close();
  }
}, 60_000);
