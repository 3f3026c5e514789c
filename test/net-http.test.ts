import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetError, toNetError } from '../src/net/errors.js';
import { explainNetError } from '../src/net/explain.js';
import { httpRequest, type HttpRequest } from '../src/net/http.js';
import { phaseDurations, type Timings } from '../src/net/timings.js';
import { startHttpsServer, startHttpServer, startSilentServer, testSite, type LoopbackServer } from './helpers/https-servers.js';
import { freePort } from './helpers/ports.js';
import { testPki } from './helpers/pki.js';

const TIMEOUT = 1500;
/** Generous: a hostile case must end within a few time limits, never hang. */
const BOUND = 4 * TIMEOUT;

function sumOf(timings: Timings): number {
  return phaseDurations(timings).reduce((n, p) => n + p.ms, 0);
}

async function failure(request: HttpRequest): Promise<NetError> {
  try {
    await httpRequest(request);
  } catch (err) {
    expect(err).toBeInstanceOf(NetError);
    return err as NetError;
  }
  throw new Error('the request succeeded');
}

describe('HTTP layer against real TLS servers on loopback', () => {
  const servers: LoopbackServer[] = [];
  let site: LoopbackServer;
  let ca: string[];
  const request = (path: string, extra: Partial<HttpRequest> = {}, server = site): HttpRequest => ({
    url: new URL(`https://test.siths.se:${server.port}${path}`),
    resolve: [{ host: 'test.siths.se', port: server.port, address: '127.0.0.1' }],
    ca,
    timeoutMs: TIMEOUT,
    ...extra,
  });

  beforeAll(async () => {
    ca = [...(await import('node:tls')).rootCertificates, testPki().pem('web-root')];
    site = await startHttpsServer(testSite);
    servers.push(site);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('reaches the real name through --resolve, keeping it for SNI, the certificate and Host', async () => {
    const seenHost: string[] = [];
    const server = await startHttpsServer((req, res) => {
      seenHost.push(req.headers.host ?? '');
      res.end('ok');
    });
    servers.push(server);
    const response = await httpRequest(request('/', {}, server));
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('ok');
    expect(response.remoteAddress).toBe(`127.0.0.1:${server.port}`);
    expect(response.tls).toMatchObject({ subject: 'test.siths.se', issuer: 'TEST Global G2 TLS RSA SHA256 2020 CA1' });
    expect(seenHost).toEqual([`test.siths.se:${server.port}`]);
  });

  it('times every phase, and the phases add up to the total', async () => {
    const response = await httpRequest(request('/'));
    const { timings } = response;
    expect(Object.keys(timings)).toEqual(['dnsMs', 'connectMs', 'tlsMs', 'firstByteMs', 'bodyMs', 'totalMs']);
    expect(sumOf(timings)).toBe(timings.totalMs);
    for (const { ms } of phaseDurations(timings)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(response.firstByteAtMs).toBeGreaterThanOrEqual(response.sentAtMs);
  });

  it('does not reuse TLS sessions: every exchange is a full handshake', async () => {
    const handshakes: boolean[] = [];
    const server = await startHttpsServer((req, res) => {
      handshakes.push((req.socket as import('node:tls').TLSSocket).isSessionReused());
      res.end('ok');
    });
    servers.push(server);
    for (let i = 0; i < 3; i++) await httpRequest(request('/', {}, server));
    expect(handshakes).toEqual([false, false, false]);
  });

  it('reads at most the cap of a body that never ends, and stops', async () => {
    const started = performance.now();
    const response = await httpRequest(request('/endless', { maxBodyBytes: 10_000 }));
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(10_000);
    expect(response.bodyTruncated).toBe(true);
    expect(performance.now() - started).toBeLessThan(BOUND);
  });

  it('trusts only Node’s roots unless --ca-file adds the TEST root', async () => {
    const err = await failure(request('/', { ca: undefined }));
    expect(err.kind).toBe('cert-untrusted');
    expect(err.phase).toBe('tls');
    expect(explainNetError(err, { timeoutMs: TIMEOUT }).advice.en).toContain('idp-tls');
  });

  it('names a wrong-host and an expired certificate', async () => {
    const wrong = await startHttpsServer(testSite, { certificate: 'tls-wrong-host' });
    const expired = await startHttpsServer(testSite, { certificate: 'tls-test-siths-expired' });
    servers.push(wrong, expired);
    expect((await failure(request('/', {}, wrong))).kind).toBe('cert-wrong-host');
    const old = await failure(request('/', {}, expired));
    expect(old.kind).toBe('cert-expired');
    expect(explainNetError(old, { timeoutMs: TIMEOUT }).advice.en).toContain('clock');
    // Reading a server's clock does not need a trusted certificate.
    expect((await httpRequest(request('/', { verifyTls: false }, expired))).status).toBe(200);
  });

  it('says the connection was refused, with the time it took', async () => {
    const port = await freePort();
    const err = await failure({ ...request('/'), url: new URL(`https://test.siths.se:${port}/`), resolve: [{ host: 'test.siths.se', port, address: '127.0.0.1' }] });
    expect(err.kind).toBe('refused');
    expect(err.phase).toBe('connect');
    expect(err.timings && sumOf(err.timings)).toBe(err.timings?.totalMs);
  });

  it('gives up on a server that accepts and never answers, naming the phase, in bounded time', async () => {
    const silent = await startSilentServer();
    servers.push(silent);
    const started = performance.now();
    const err = await failure(request('/', {}, silent));
    expect(err.kind).toBe('timeout');
    expect(err.phase).toBe('tls');
    expect(performance.now() - started).toBeLessThan(BOUND);
    expect(explainNetError(err, { timeoutMs: TIMEOUT }).cause.en).toBe('The server test.siths.se did not answer within 1.5 s (TLS handshake)');
  });

  it('gives up on a request that is never answered (first byte) and on a body cut off midway', async () => {
    const started = performance.now();
    const hang = await failure(request('/hang'));
    expect([hang.kind, hang.phase]).toEqual(['timeout', 'firstByte']);
    expect(performance.now() - started).toBeLessThan(BOUND);
    const cut = await failure(request('/close-mid'));
    expect([cut.kind, cut.phase]).toEqual(['reset', 'body']);
    expect(cut.timings && sumOf(cut.timings)).toBe(cut.timings?.totalMs);
  });

  it('recognises a TLS 1.3 server that demands a client certificate', async () => {
    const mutual = await startHttpsServer(testSite, { requestCert: true, requireClientCert: true });
    servers.push(mutual);
    const err = await failure(request('/', {}, mutual));
    expect(err.kind).toBe('client-cert-required');
  });

  it('stops at once when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const err = await failure(request('/hang', { signal: controller.signal, timeoutMs: 30_000 }));
    expect(err.kind).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('speaks plain HTTP too', async () => {
    const plain = await startHttpServer((_req, res) => res.end('plain'));
    servers.push(plain);
    const response = await httpRequest({ url: new URL(`http://127.0.0.1:${plain.port}/x`), timeoutMs: TIMEOUT });
    expect(response.body.toString()).toBe('plain');
    expect(response.timings.tlsMs).toBeUndefined();
    expect(sumOf(response.timings)).toBe(response.timings.totalMs);
  });
});

describe('error classification', () => {
  it.each([
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['EHOSTUNREACH', 'unreachable'],
    ['CERT_HAS_EXPIRED', 'cert-expired'],
    ['CERT_NOT_YET_VALID', 'cert-not-yet-valid'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'cert-untrusted'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'cert-wrong-host'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['HPE_INVALID_CONSTANT', 'protocol'],
    ['UND_ERR_HEADERS_OVERFLOW', 'too-large'],
    ['SOMETHING_NEW', 'other'],
  ])('%s is %s', (code, kind) => {
    const err = toNetError(Object.assign(new Error(code), { code }), 'connect', { host: 'h' });
    expect(err.kind).toBe(kind);
    // Every kind has words in both languages.
    const words = explainNetError(err, { timeoutMs: 1000 });
    expect(words.cause.sv).not.toBe('');
    expect(words.advice.en).not.toBe('');
  });

  it('puts undici’s own timeouts in their phase', () => {
    expect(toNetError(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'connect', { host: 'h' }).phase).toBe('firstByte');
    expect(toNetError(Object.assign(new Error('x'), { code: 'UND_ERR_BODY_TIMEOUT' }), 'firstByte', { host: 'h' }).phase).toBe('body');
  });
});
