import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/ports.js';
import { phaseDurations } from '../src/net/timings.js';
import type { CheckResult } from '../src/model.js';
import type { DoctorOptions } from '../src/options.js';
import { clockProbe, type ClockDetails } from '../src/probes/clock.js';
import { proxyProbe } from '../src/probes/proxy.js';
import { testPageProbe, type TestPageDetails } from '../src/probes/test-page.js';
import { runProbes } from '../src/runner.js';
import { startHttpsServer, startSilentServer, testSite, type LoopbackServer } from './helpers/https-servers.js';
import { siteOptions } from './helpers/site.js';
import { testSystem } from './helpers/system.js';

const TIMEOUT = 1500;
const BOUND = 4 * TIMEOUT;

async function check(options: DoctorOptions): Promise<{ page: CheckResult<TestPageDetails>; clock: CheckResult<ClockDetails>; ms: number }> {
  const started = performance.now();
  const results = await runProbes({ probes: [clockProbe, proxyProbe, testPageProbe], options, system: testSystem() });
  const byId = new Map(results.map((r) => [r.id, r]));
  return {
    page: byId.get('test-page') as CheckResult<TestPageDetails>,
    clock: byId.get('clock') as CheckResult<ClockDetails>,
    ms: performance.now() - started,
  };
}

describe('the test-page and clock checks against loopback servers', () => {
  let site: LoopbackServer;
  const servers: LoopbackServer[] = [];
  const options = (path: string, server = site, extra: Partial<DoctorOptions> = {}) => siteOptions(server.port, path, { timeoutMs: TIMEOUT, ...extra });

  beforeAll(async () => {
    site = await startHttpsServer(testSite);
    servers.push(site);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('passes on a 200 page, with timings that add up and the next step in the browser', async () => {
    const { page, clock } = await check(options('/'));
    expect(page.status).toBe('pass');
    expect(page.summary.en).toMatch(/^The test page answered 200 OK in \d+\.\d s \(direct\)\.$/);
    expect(page.advice?.en).toContain(`open https://test.siths.se:${site.port}/ in the browser, choose your SITHS certificate`);
    expect(page.advice?.sv).toContain('legitimeringskod (PIN) i Net iD');
    const d = page.details!;
    expect(d.finalUrl).toBe(`https://test.siths.se:${site.port}/`);
    expect(d.timings!.totalMs).toBe(phaseDurations(d.timings!).reduce((n, p) => n + p.ms, 0));
    expect(d.tls?.issuer).toBe('TEST Global G2 TLS RSA SHA256 2020 CA1');
    expect(page.notes?.at(-1)?.en).toMatch(/^DNS \d+ ms · TCP \d+ ms · TLS \d+ ms · first byte \d+ ms · body \d+ ms = \d+ ms$/);
    // The clock reads the test page's Date header instead of asking again.
    expect(clock.status).toBe('pass');
    expect(clock.details?.source).toBe('test-page');
    expect(Math.abs(clock.details!.offsetSeconds!)).toBeLessThan(3);
  });

  it('follows the PAC answer past a proxy that does not answer, as browsers do (PROXY dead; DIRECT)', async () => {
    const dead = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'siths-pac-'));
    const pac = path.join(dir, 'proxy.pac');
    writeFileSync(pac, `function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:${dead}; DIRECT"; }`);
    try {
      const { page } = await check(options('/', site, { noProxy: false, pac }));
      expect(page.status, page.summary.en).toBe('pass');
      expect(page.details?.via).toBe('direct');
      expect(page.summary.en).toContain('(direct)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('follows a redirect chain and lists every hop', async () => {
    const { page } = await check(options('/chain/3'));
    expect(page.status).toBe('pass');
    expect(page.summary.en).toContain('after 3 redirects');
    expect(page.details!.hops.map((h) => `${new URL(h.url).pathname} ${h.status}`)).toEqual(['/chain/3 302', '/chain/2 302', '/chain/1 302', '/chain/0 200']);
    expect(page.details!.finalUrl).toBe(`https://test.siths.se:${site.port}/chain/0`);
  });

  it('fails on a redirect loop as soon as an address repeats, and on one redirect too many', async () => {
    const loop = (await check(options('/loop/a'))).page;
    expect(loop.status).toBe('fail');
    expect(loop.details?.cause).toBe('redirect-loop');
    expect(loop.details?.hops).toHaveLength(2);
    expect(loop.summary.en).toBe(`The test page redirects in a circle: https://test.siths.se:${site.port}/loop/a was already visited.`);
    const long = (await check(options('/chain/6'))).page;
    expect(long.details?.cause).toBe('too-many-redirects');
    expect(long.details?.hops).toHaveLength(6);
    expect((await check(options('/chain/5'))).page.status).toBe('pass');
    const bad = (await check(options('/bad-redirect'))).page;
    expect(bad.status).toBe('fail');
    expect(bad.summary.en).toBe('The test page answered 302 Found (direct).');
  });

  it('fails on a 500 and a 404 with advice of their own, and warns on a 403', async () => {
    const error = (await check(options('/error'))).page;
    expect(error.status).toBe('fail');
    expect(error.summary.en).toBe('The test page answered 500 Internal Server Error (direct).');
    expect(error.advice?.en).toContain('reports an error of its own');
    expect((await check(options('/missing'))).page.advice?.en).toContain('Check --test-url');
    const forbidden = (await check(options('/forbidden'))).page;
    expect(forbidden.status).toBe('warn');
    expect(forbidden.advice?.en).toContain('The way there works');
  });

  it('fails in bounded time on a server that accepts and never answers, and on one that never sends a response', async () => {
    const silent = await startSilentServer();
    servers.push(silent);
    const quiet = await check(options('/', silent));
    expect(quiet.page.status).toBe('fail');
    expect(quiet.page.summary.en).toBe(`The test page could not be reached: The server test.siths.se did not answer within 1.5 s (TLS handshake).`);
    expect(quiet.page.details).toMatchObject({ cause: 'timeout', phase: 'tls' });
    expect(quiet.ms).toBeLessThan(3 * BOUND);
    const hang = await check(options('/hang'));
    expect(hang.page.details).toMatchObject({ cause: 'timeout', phase: 'firstByte' });
    expect(hang.ms).toBeLessThan(3 * BOUND);
  });

  it('fails on a connection closed mid-response', async () => {
    const { page } = await check(options('/close-mid'));
    expect(page.status).toBe('fail');
    expect(page.details).toMatchObject({ cause: 'reset', phase: 'body' });
    expect(page.summary.en).toContain('closed the connection unexpectedly (reading the page)');
  });

  it('reads only the start of a never-ending page, and passes saying so', async () => {
    const { page, ms } = await check(options('/endless'));
    expect(page.status).toBe('pass');
    expect(page.details?.bodyTruncated).toBe(true);
    expect(page.notes?.map((n) => n.en)).toContain('The page was larger than what was read; only its start was fetched.');
    expect(ms).toBeLessThan(BOUND);
  });

  it('points at idp-tls when the certificate is not trusted, and at the clock when it looks expired', async () => {
    const untrusted = (await check(options('/', site, { caFiles: [] }))).page;
    expect(untrusted.status).toBe('fail');
    expect(untrusted.details?.cause).toBe('cert-untrusted');
    expect(untrusted.advice?.en).toContain('See the idp-tls check');
    const expiredServer = await startHttpsServer(testSite, { certificate: 'tls-test-siths-expired' });
    const wrongHost = await startHttpsServer(testSite, { certificate: 'tls-wrong-host' });
    servers.push(expiredServer, wrongHost);
    const expired = await check(options('/', expiredServer));
    expect(expired.page.details?.cause).toBe('cert-expired');
    expect(expired.page.advice?.en).toContain('clock check');
    // The clock still reads the server's time: it does not need a trusted certificate for that.
    expect(expired.clock.status).toBe('pass');
    expect(expired.clock.details?.source).toBe('own-request');
    expect((await check(options('/', wrongHost))).page.details?.cause).toBe('cert-wrong-host');
  });

  it('counts a server that demands a client certificate as reachable, and says so', async () => {
    const mutual = await startHttpsServer(testSite, { requestCert: true, requireClientCert: true });
    servers.push(mutual);
    const { page } = await check(options('/', mutual));
    expect(page.status).toBe('pass');
    expect(page.details?.clientCertificateRequested).toBe(true);
    expect(page.summary.en).toBe('The test page is reachable; the server asks for a client certificate, as a card login does (whether it asks for SITHS as such, the idp-tls check shows).');
    // It cannot see which authorities are asked for (a proxy asks for its own): it must not promise the card.
    expect(JSON.stringify(page)).not.toMatch(/SITHS card|SITHS-kort\)/);
  });

  it('warns when the clock is 2 minutes off and fails when it is 10 minutes off, explaining why', async () => {
    const warn = (await check(options('/date/-120'))).clock;
    expect(warn.status).toBe('warn');
    expect(warn.summary.en).toMatch(/^This computer's clock is (1 min 5\d s|2 min( \d s)?) ahead of test\.siths\.se:\d+\.$/);
    expect(warn.advice?.en).toContain('Set the date and time automatically');
    const fail = (await check(options('/date/600'))).clock;
    expect(fail.status).toBe('fail');
    expect(fail.summary.en).toMatch(/^This computer's clock is (9 min 5\d s|10 min( \d s)?) behind test\.siths\.se:\d+\.$/);
    expect(fail.summary.sv).toMatch(/går (9 min 5\d s|10 min( \d s)?) efter/);
    expect(fail.advice?.en).toContain('look expired or not yet valid');
    expect(fail.details!.offsetSeconds).toBeGreaterThan(598);
    expect(fail.details!.offsetSeconds).toBeLessThan(602);
    expect(fail.details!.uncertaintySeconds).toBeLessThan(2);
  });

  it('asks the server itself when the page gave no time, and errors in bounded time when nobody answers', async () => {
    const noDate = await check(options('/no-date'));
    expect(noDate.page.status).toBe('pass');
    // The clock's own request goes to the same page, which has no Date either; the IdP (the same server, at /) has one.
    expect(noDate.clock.status).toBe('pass');
    expect(noDate.clock.details?.server).toBe(`https://m00-mg-local.idp.funktionstjanster.se:${site.port}/`);
    const silent = await startSilentServer();
    servers.push(silent);
    const nobody = await check(options('/', silent));
    // The test page timed out on the silent server; the clock does not wait its turn at a server just
    // as far away but is skipped at once because of it. The whole run stays bounded (slack for load).
    expect(nobody.page.summary.en).toContain('did not answer within 1.5 s (TLS handshake)');
    expect(nobody.page.details?.cause).toBe('timeout');
    expect(nobody.clock.status).toBe('skip');
    expect(nobody.clock.summary.en).toBe('Skipped because “SITHS test page” could not be reached.');
    expect(nobody.ms).toBeLessThan(TIMEOUT + 1000 + 3000);
  });
});
