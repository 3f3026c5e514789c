import net from 'node:net';
import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { openConnection, type ConnectionPlan } from '../src/net/connect.js';
import { NetError, toNetError, type NetErrorInfo, type NetFailureKind } from '../src/net/errors.js';
import { PhaseLimits } from '../src/net/limits.js';
import { PhaseClock } from '../src/net/timings.js';
import { MAX_CONNECT_HEAD } from '../src/net/tunnel.js';
import { fromNetError } from '../src/tls/errors.js';
import { judgeFailure } from '../src/tls/failure-verdict.js';
import { testPki } from './helpers/pki.js';
import { freePort } from './helpers/ports.js';
import { startRawServer, type RunningServer } from './helpers/tls-servers.js';

/**
 * The one connector behind test-page, clock and idp-tls, at its own depth:
 * what it asks a proxy, and what it makes of every kind of answer, in the
 * HTTP layer's words (NetError) and in idp-tls's (fromNetError).
 */
const TIMEOUT = 1000;
const BOUND = 3 * TIMEOUT;
const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function plan(extra: Partial<ConnectionPlan>): ConnectionPlan {
  return { host: 'idp.test', port: 443, tls: false, forwardThroughProxy: false, resolve: [], verify: 'all', limits: new PhaseLimits(TIMEOUT), clock: new PhaseClock(), ...extra };
}

async function failure(p: ConnectionPlan): Promise<NetError> {
  try {
    (await openConnection(p)).socket.destroy();
  } catch (err) {
    expect(err).toBeInstanceOf(NetError);
    return err as NetError;
  }
  throw new Error('the connection opened');
}

interface Proxy {
  readonly url: string;
  /** Every request head received, in order. */
  readonly heads: string[];
  /** How many of its connections have closed. */
  closed(): number;
}

/** A proxy on loopback that records each request head and answers as `answer` says. */
async function proxy(answer: (socket: net.Socket, head: string) => void): Promise<Proxy> {
  const heads: string[] = [];
  let closed = 0;
  const server = await startRawServer((socket) => {
    socket.on('close', () => closed++);
    let received = '';
    const onData = (chunk: Buffer): void => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      heads.push(received.slice(0, end));
      answer(socket, received.slice(0, end));
    };
    socket.on('data', onData);
  });
  servers.push(server);
  return { url: `http://127.0.0.1:${server.port}`, heads, closed: () => closed };
}

const established = (after = ''): ((socket: net.Socket) => void) => (socket) => socket.write(`HTTP/1.1 200 Connection established\r\n\r\n${after}`);

/** The first bytes the raw connection delivers. */
function firstData(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
    socket.resume();
  });
}

describe('what the connector asks a proxy', () => {
  it('asks for the name, or for the --resolve rule’s address, since the proxy cannot know the rule', async () => {
    const p = await proxy(established('hello from the host'));
    const open = (resolve: ConnectionPlan['resolve']) => openConnection(plan({ proxy: new URL(p.url), resolve }));

    const byName = await open([]);
    // The raw tunnel, with the bytes that came in the same packet as the answer.
    expect(await firstData(byName.socket)).toBe('hello from the host');
    byName.socket.destroy();
    (await open([{ host: 'idp.test', port: 443, address: '192.0.2.7' }])).socket.destroy();
    (await open([{ host: 'idp.test', port: 443, address: '2001:db8::7' }])).socket.destroy();
    // A rule for another port is not this host:port.
    (await open([{ host: 'idp.test', port: 8443, address: '192.0.2.7' }])).socket.destroy();

    expect(p.heads.map((h) => h.split('\r\n').slice(0, 2))).toEqual([
      ['CONNECT idp.test:443 HTTP/1.1', 'Host: idp.test:443'],
      ['CONNECT 192.0.2.7:443 HTTP/1.1', 'Host: 192.0.2.7:443'],
      ['CONNECT [2001:db8::7]:443 HTTP/1.1', 'Host: [2001:db8::7]:443'],
      ['CONNECT idp.test:443 HTTP/1.1', 'Host: idp.test:443'],
    ]);
  });

  it('honours a --resolve rule for the proxy’s own name and port', async () => {
    const p = await proxy(established());
    const port = Number(new URL(p.url).port);
    const named = new URL(`http://proxy.example.invalid:${port}`);
    const opened = await openConnection(plan({ proxy: named, resolve: [{ host: 'proxy.example.invalid', port, address: '127.0.0.1' }] }));
    expect(opened.remoteAddress).toBe(`127.0.0.1:${port}`);
    opened.socket.destroy();
    const unresolved = await failure(plan({ proxy: named }));
    expect(unresolved).toMatchObject({ kind: 'dns', phase: 'dns', info: { host: 'proxy.example.invalid', atProxy: true } });
    expect(fromNetError(unresolved)).toMatchObject({ kind: 'dns', phase: 'dns', info: { at: 'proxy', endpoint: `proxy.example.invalid:${port}` } });
  });

  it('sends the proxy URL’s credentials as Basic, decoded as browsers do, and none without them', async () => {
    const p = await proxy(established());
    const withCredentials = new URL(p.url);
    withCredentials.username = 'anna%20b';
    withCredentials.password = 'p%40ss%3Aord';
    (await openConnection(plan({ proxy: withCredentials }))).socket.destroy();
    (await openConnection(plan({ proxy: new URL(p.url) }))).socket.destroy();
    expect(p.heads[0]).toContain(`\r\nProxy-Authorization: Basic ${Buffer.from('anna b:p@ss:ord').toString('base64')}`);
    expect(p.heads[0]).toMatch(/\r\nUser-Agent: siths-doctor\//);
    expect(p.heads[1]).not.toContain('Proxy-Authorization');
  });
});

describe('every answer a proxy can give ends in a clear cause, in bounded time, and the socket closed', () => {
  const oversized = 'HTTP/1.1 200 OK\r\n' + 'X-Padding: ' + 'x'.repeat(MAX_CONNECT_HEAD + 100);
  const cases: [string, (socket: net.Socket) => void, { kind: NetFailureKind; info?: Partial<NetErrorInfo> }, object][] = [
    [
      '407 with two schemes',
      (s) => s.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Negotiate\r\nProxy-Authenticate: Basic realm="x"\r\n\r\n'),
      { kind: 'proxy-auth', info: { statusCode: 407, proxyAuthSchemes: ['Negotiate', 'Basic'], credentialsSent: false, atProxy: true } },
      { kind: 'proxy-auth', info: { httpStatus: 407, authSchemes: ['Negotiate', 'Basic'], credentialsSent: false, at: 'proxy' } },
    ],
    ['401 (tinyproxy’s answer to wrong credentials)', (s) => s.end('HTTP/1.0 401 Unauthorized\r\n\r\n'), { kind: 'proxy-auth', info: { statusCode: 401 } }, { kind: 'proxy-auth' }],
    ['403', (s) => s.end('HTTP/1.1 403 Forbidden\r\n\r\n'), { kind: 'proxy-refused', info: { statusCode: 403 } }, { kind: 'proxy-forbidden', info: { httpStatus: 403 } }],
    ['502', (s) => s.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'), { kind: 'proxy-refused', info: { statusCode: 502 } }, { kind: 'proxy-upstream', info: { httpStatus: 502 } }],
    ['another status', (s) => s.end('HTTP/1.1 418 I am a teapot\r\n\r\n'), { kind: 'proxy-refused', info: { statusCode: 418 } }, { kind: 'proxy-status' }],
    ['not HTTP', (s) => s.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'), { kind: 'protocol', info: { preview: 'SSH-2.0-OpenSSH_9.2' } }, { kind: 'proxy-protocol', info: { preview: 'SSH-2.0-OpenSSH_9.2' } }],
    ['an oversized head', (s) => s.write(oversized), { kind: 'protocol', info: { limit: MAX_CONNECT_HEAD } }, { kind: 'proxy-protocol', info: { limit: MAX_CONNECT_HEAD } }],
    // An orderly close is a reset without an OS code, which idp-tls calls closed.
    ['a close without an answer', (s) => s.end(), { kind: 'reset' }, { kind: 'closed', phase: 'proxy', info: { at: 'proxy' } }],
    ['a close in mid-answer', (s) => s.end('HTTP/1.1 200 Conn'), { kind: 'protocol', info: { preview: 'HTTP/1.1 200 Conn' } }, { kind: 'proxy-protocol' }],
    ['a reset', (s) => s.resetAndDestroy(), { kind: 'reset', info: { code: 'ECONNRESET' } }, { kind: 'reset' }],
    ['silence', () => undefined, { kind: 'timeout', info: { limitMs: TIMEOUT } }, { kind: 'timeout', phase: 'proxy', info: { limitMs: TIMEOUT, at: 'proxy' } }],
  ];

  it.concurrent.each(cases)('%s', async (_name, answer, net, tlsWords) => {
    const p = await proxy(answer);
    const started = performance.now();
    const err = await failure(plan({ proxy: new URL(p.url) }));
    expect(performance.now() - started).toBeLessThan(BOUND);
    expect(err).toMatchObject({ phase: 'proxyConnect', ...net });
    expect(fromNetError(err)).toMatchObject(tlsWords);
    for (let i = 0; i < 50 && p.closed() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(p.closed()).toBe(1);
  });

  it('gives each phase only what is left of a total', async () => {
    const p = await proxy(() => undefined);
    const started = performance.now();
    const err = await failure(plan({ proxy: new URL(p.url), limits: new PhaseLimits(30_000, undefined, 300) }));
    expect(err.kind).toBe('timeout');
    expect(err.info.limitMs).toBeLessThanOrEqual(300);
    expect(performance.now() - started).toBeLessThan(BOUND);
  });

  it('lets go at once when the caller aborts, closing the half-open tunnel', async () => {
    const p = await proxy(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const err = await failure(plan({ proxy: new URL(p.url), limits: new PhaseLimits(30_000, controller.signal) }));
    expect(err).toMatchObject({ kind: 'aborted', phase: 'proxyConnect' });
    expect(fromNetError(err).kind).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(TIMEOUT);
    for (let i = 0; i < 50 && p.closed() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(p.closed()).toBe(1);
  });

  it('a refused port and an unknown name, directly', async () => {
    const port = await freePort();
    const refused = await failure(plan({ host: '127.0.0.1', port }));
    expect(refused).toMatchObject({ kind: 'refused', phase: 'connect', info: { atProxy: false } });
    expect(fromNetError(refused)).toMatchObject({ kind: 'refused', phase: 'connect', info: { at: 'target', endpoint: `127.0.0.1:${port}` } });
    expect(await failure(plan({ host: 'nowhere.invalid' }))).toMatchObject({ kind: 'dns', phase: 'dns' });
  });
});

describe('an https:// proxy', () => {
  const pki = testPki();
  const ca = [...tls.rootCertificates, pki.pem('web-root')];

  it('is verified unless the plan says none, and a failure there is TLS to the proxy', async () => {
    // TLS to the proxy itself (as test.siths.se), then a CONNECT answered with 200.
    const server = tls.createServer({ cert: pki.pem('tls-test-siths') + pki.pem('web-ca'), key: pki.keyPem('tls-test-siths') }, (socket) => {
      socket.once('data', () => socket.write('HTTP/1.1 200 Connection established\r\n\r\n'));
      socket.on('error', () => undefined);
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    servers.push({ port, close: () => new Promise((r) => server.close(() => r())) });
    const https = new URL(`https://test.siths.se:${port}`);
    const resolve = [{ host: 'test.siths.se', port, address: '127.0.0.1' }];

    (await openConnection(plan({ proxy: https, resolve, ca, verify: 'proxy' }))).socket.destroy();
    (await openConnection(plan({ proxy: https, resolve, verify: 'none' }))).socket.destroy();
    for (const verify of ['all', 'proxy'] as const) {
      const untrusted = await failure(plan({ proxy: https, resolve, verify }));
      expect(untrusted).toMatchObject({ kind: 'cert-untrusted', phase: 'proxyConnect', info: { atProxy: true, proxyTls: true } });
      expect(fromNetError(untrusted)).toMatchObject({ kind: 'proxy-tls', phase: 'proxy', info: { at: 'proxy' } });
    }
  });
});

describe('socket errors, classified once, in idp-tls’s words', () => {
  it.each([
    ['ENOTFOUND', 'dns'],
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['EPIPE', 'reset'],
    ['EHOSTUNREACH', 'unreachable'],
    ['ENETUNREACH', 'unreachable'],
    ['ETIMEDOUT', 'timeout'],
    ['SOMETHING_NEW', 'network'],
  ])('%s is %s, with a plain verdict', (code, kind) => {
    const failure = fromNetError(toNetError(Object.assign(new Error(code), { code }), 'connect', { host: 'idp.test', port: 443 }));
    expect(failure).toMatchObject({ kind, phase: 'connect', info: { code, at: 'target', endpoint: 'idp.test:443' } });
    const judged = judgeFailure('idp.test', 443, failure);
    expect(judged.status).toBe('fail');
    expect(judged.summary.sv).not.toBe('');
    expect(judged.advice.en).not.toBe('');
  });
});
