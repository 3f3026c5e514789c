import { readFileSync } from 'node:fs';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLIGHT_LIMITS } from '../src/tls/handshake-reader.js';
import { runIdpTls } from './helpers/idp-tls-run.js';
import { freePort } from './helpers/ports.js';
import { handshakeMessage, tlsRecord } from './helpers/tls-records.js';
import { startRawServer, type RunningServer } from './helpers/tls-servers.js';

/**
 * Servers and proxies that misbehave. Each must end in a clear outcome
 * within the time limit (per phase 1.5 s here; a host gets twice that) and
 * without reading more than the reader's bounds.
 */
const TIMEOUT_MS = 1500;
const BOUND_MS = 2 * TIMEOUT_MS + 1500;

const flight = readFileSync(new URL('../fixtures/tls/node-request-cert.bin', import.meta.url));
const serverHello = flight.subarray(0, 5 + flight.readUInt16BE(3));

/** Answer once the ClientHello has arrived. */
const afterHello = (answer: (socket: net.Socket) => void) => (socket: net.Socket) => socket.once('data', () => answer(socket));

/** Write until the peer goes away, honouring backpressure, never more than `total` bytes. */
function stream(socket: net.Socket, chunk: Buffer, total: number): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !socket.destroyed) {
      sent += chunk.length;
      if (!socket.write(chunk)) return void socket.once('drain', pump);
    }
  };
  pump();
}

const hostile: Record<string, (socket: net.Socket) => void> = {
  garbage: afterHello((s) => s.end(Buffer.from('\x00\x01\x02 this is not TLS \xff\xfe', 'latin1'))),
  http: afterHello((s) => s.end('HTTP/1.1 400 Bad Request\r\nServer: some-firewall\r\nContent-Length: 0\r\n\r\n')),
  truncated: afterHello((s) => s.end(flight.subarray(0, 1000))),
  hugeCertificate: afterHello((s) => {
    // A Certificate message announced at 8 MiB, then streamed for real.
    s.write(Buffer.concat([serverHello, tlsRecord(22, handshakeMessage(11, Buffer.alloc(0), 8 * 1024 * 1024))]));
    stream(s, tlsRecord(22, Buffer.alloc(16_000, 0x41)), 8 * 1024 * 1024);
  }),
  endless: afterHello((s) => {
    // Small handshake messages of an unknown type, forever.
    const junk = Buffer.concat(Array.from({ length: 100 }, () => handshakeMessage(99, Buffer.alloc(150))));
    s.write(serverHello);
    stream(s, tlsRecord(22, junk), 64 * 1024 * 1024);
  }),
  oneBytePerSecond: afterHello((s) => {
    let at = 0;
    const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write(flight.subarray(at, ++at))), 1000);
    s.on('close', () => clearInterval(timer));
  }),
  alert: afterHello((s) => s.end(Buffer.from([21, 3, 3, 0, 2, 2, 40]))),
  silent: () => undefined,
  // A firewall that resets the connection once it has seen the server name.
  reset: afterHello((s) => s.resetAndDestroy()),
};
const servers: Record<string, RunningServer> = {};

beforeAll(async () => {
  for (const [name, behaviour] of Object.entries(hostile)) servers[name] = await startRawServer(behaviour);
  servers.silentProxy = await startRawServer(() => undefined);
  servers.garbageProxy = await startRawServer((s) => s.once('data', () => s.end('SSH-2.0-OpenSSH_9.2\r\n\r\n')));
});

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

describe.concurrent('hostile servers end in a clear outcome, in time, within bounds', () => {
  it.each([
    ['garbage', 'not-tls'],
    ['http', 'not-tls'],
    ['truncated', 'truncated'],
    ['hugeCertificate', 'too-large'],
    ['endless', 'too-large'],
    ['oneBytePerSecond', 'timeout'],
    ['alert', 'tls-alert'],
    ['silent', 'timeout'],
    ['reset', 'reset'],
  ])('%s → %s', async (name, outcome) => {
    const { result, host, ms } = await runIdpTls(servers[name]!.port, { timeoutMs: TIMEOUT_MS });
    expect(result.status).toBe('fail');
    expect(host.outcome).toBe(outcome);
    expect(host.error?.phase).toBe('handshake');
    expect(ms).toBeLessThan(BOUND_MS);
    expect(host.error?.bytesRead ?? 0).toBeLessThanOrEqual(FLIGHT_LIMITS.maxFlightBytes + 64 * 1024);
    expect(result.summary.en).not.toMatch(/\n\s+at /);
    expect(result.advice?.sv).toBeTruthy();
  });

  it('shows what a peer that is not TLS said', async () => {
    const { result } = await runIdpTls(servers.http!.port, { timeoutMs: TIMEOUT_MS });
    expect(result.summary.en).toContain('HTTP/1.1 400 Bad Request');
  });

  it('stops reading a multi-megabyte certificate at its announced length', async () => {
    const { host } = await runIdpTls(servers.hugeCertificate!.port, { timeoutMs: TIMEOUT_MS });
    expect(host.error?.limit).toBe(FLIGHT_LIMITS.maxHandshakeMessage);
    expect(host.error?.bytesRead).toBeLessThan(FLIGHT_LIMITS.maxHandshakeMessage);
  });

  it('a refused port → refused', async () => {
    const port = await freePort();
    const { host, ms } = await runIdpTls(port, { timeoutMs: TIMEOUT_MS });
    expect(host).toMatchObject({ outcome: 'refused', error: { phase: 'connect', at: 'target' } });
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('a name that does not exist → DNS', async () => {
    const { result, host } = await runIdpTls(443, { idpHosts: [{ host: 'nowhere.invalid', port: 443 }], resolve: [], timeoutMs: TIMEOUT_MS });
    expect(host).toMatchObject({ outcome: 'dns', error: { phase: 'dns' } });
    expect(result.summary.en).toContain('nowhere.invalid');
  });

  it('a proxy that accepts and never answers → proxy timeout', async () => {
    const { result, host, ms } = await runIdpTls(443, { noProxy: false, proxy: `http://127.0.0.1:${servers.silentProxy!.port}`, resolve: [], timeoutMs: TIMEOUT_MS });
    expect(host).toMatchObject({ outcome: 'timeout', error: { phase: 'proxy', at: 'proxy' } });
    expect(result.summary.en).toContain('The proxy 127.0.0.1');
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('a proxy that does not speak HTTP → proxy-protocol', async () => {
    const { host } = await runIdpTls(443, { noProxy: false, proxy: `http://127.0.0.1:${servers.garbageProxy!.port}`, resolve: [], timeoutMs: TIMEOUT_MS });
    expect(host).toMatchObject({ outcome: 'proxy-protocol', error: { preview: 'SSH-2.0-OpenSSH_9.2' } });
  });

  it('lets go of the connection at once when the run is cancelled', async () => {
    let closed = false;
    let cancelledAt = 0;
    const controller = new AbortController();
    // Cancel once the ClientHello has arrived, while the check waits for an answer.
    const holder = await startRawServer((s) => {
      s.on('close', () => (closed = true));
      s.once('data', () => {
        cancelledAt = performance.now();
        controller.abort();
      });
    });
    try {
      const { result } = await runIdpTls(holder.port, { timeoutMs: TIMEOUT_MS }, controller.signal);
      expect(result.status).toBe('error');
      expect(performance.now() - cancelledAt).toBeLessThan(TIMEOUT_MS);
      for (let i = 0; i < 50 && !closed; i++) await new Promise((r) => setTimeout(r, 20));
      expect(closed).toBe(true);
    } finally {
      await holder.close();
    }
  });
});
