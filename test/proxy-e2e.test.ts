import tls from 'node:tls';
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { phaseDurations, type Timings } from '../src/net/timings.js';
import type { CheckResult } from '../src/model.js';
import { proxyProbe } from '../src/probes/proxy.js';
import { testPageProbe, type TestPageDetails } from '../src/probes/test-page.js';
import { runProbes } from '../src/runner.js';
import { runBin, type JsonCheck } from './helpers/cli.js';
import { startHttpServer, startHttpsServer, testSite, type LoopbackServer } from './helpers/https-servers.js';
import { freePort } from './helpers/ports.js';
import { testPki } from './helpers/pki.js';
import { describeWith } from './helpers/prereq.js';
import { siteArgs, siteOptions } from './helpers/site.js';
import { testSystem } from './helpers/system.js';
import { startTinyproxy, TINYPROXY, type Tinyproxy } from './helpers/tinyproxy.js';

const TIMEOUT = 2000;
const USER = { user: 'anna', password: 'hemligt-ord_2' };


async function cli(args: string[], env: Record<string, string> = {}) {
  const run = await runBin(['check', 'proxy', 'test-page', 'clock', '--format', 'json', ...args], { env });
  if (!run.stdout.startsWith('{')) throw new Error(`no report (exit ${run.code}): ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { checks: JsonCheck[] };
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  return { ...run, byId, raw: run.stdout };
}

const adds = (t: Timings) => phaseDurations(t).reduce((n, p) => n + p.ms, 0) === t.totalMs;

describeWith('through a real forward proxy (tinyproxy)', [TINYPROXY], () => {
  let site: LoopbackServer;
  let open: Tinyproxy;
  let guarded: Tinyproxy;
  let narrow: Tinyproxy;
  let pacServer: LoopbackServer;
  const extra: LoopbackServer[] = [];

  beforeAll(async () => {
    site = await startHttpsServer(testSite);
    [open, guarded, narrow] = await Promise.all([
      startTinyproxy({ connectPorts: [site.port] }),
      startTinyproxy({ basicAuth: USER, connectPorts: [site.port] }),
      // CONNECT only to 443: our server's port is refused (403).
      startTinyproxy({ connectPorts: [443] }),
    ]);
    pacServer = await startHttpServer((req, res) => {
      const scripts: Record<string, string> = {
        '/proxy.pac': `function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:${open.port}; DIRECT"; }`,
        '/socks.pac': 'function FindProxyForURL(url, host) { return "SOCKS 127.0.0.1:1080"; }',
      };
      const script = scripts[req.url ?? ''];
      if (script) res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' }).end(script);
      else res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await Promise.all([site?.close(), pacServer?.close(), open?.stop(), guarded?.stop(), narrow?.stop(), ...extra.map((s) => s.close())]);
  });

  it('CLI: reaches the test page through the proxy, timing the CONNECT, and the clock reads its answer', async () => {
    const run = await cli([...siteArgs(site.port, '/', TIMEOUT), '--proxy', open.url()]);
    expect(run.code, run.stderr + open.log()).toBe(0);
    expect(run.byId.proxy!.summary).toBe(`Via proxy http://127.0.0.1:${open.port} (from the command line).`);
    const page = run.byId['test-page']!;
    expect(page.status).toBe('pass');
    expect(page.summary).toContain(`(via proxy http://127.0.0.1:${open.port})`);
    const timings = page.details.timings as Timings;
    expect(timings.proxyConnectMs).toBeGreaterThanOrEqual(0);
    expect(Object.keys(timings)).toEqual(['dnsMs', 'connectMs', 'proxyConnectMs', 'tlsMs', 'firstByteMs', 'bodyMs', 'totalMs']);
    expect(adds(timings)).toBe(true);
    expect(run.byId.clock!.status).toBe('pass');
    expect(open.log()).toMatch(new RegExp(`CONNECT 127\\.0\\.0\\.1:${site.port}`));
  });

  it('CLI: a proxy that wants credentials gives 407 without them, and works with them, never printing the password', async () => {
    const without = await cli([...siteArgs(site.port, '/', TIMEOUT), '--proxy', guarded.url()]);
    expect(without.code).toBe(1);
    const refused = without.byId['test-page']!;
    expect(refused.status).toBe('fail');
    expect(refused.summary).toBe(`The test page could not be reached: The proxy 127.0.0.1 requires authentication (407, Basic).`);
    expect(refused.advice).toContain('The proxy wants a user name and password');
    expect(refused.details).toMatchObject({ cause: 'proxy-auth', phase: 'proxyConnect' });

    const withCredentials = await cli([...siteArgs(site.port, '/', TIMEOUT), '--proxy', guarded.url(USER)]);
    expect(withCredentials.code, withCredentials.raw).toBe(0);
    expect(withCredentials.byId['test-page']!.status).toBe('pass');
    expect(withCredentials.byId.proxy!.summary).toBe(`Via proxy http://***@127.0.0.1:${guarded.port} (from the command line).`);
    expect(withCredentials.raw).not.toContain('hemligt');
    expect(withCredentials.raw).not.toContain(encodeURIComponent(USER.password));

    const wrong = await cli([...siteArgs(site.port, '/', TIMEOUT), '--proxy', guarded.url({ user: 'anna', password: 'fel' })]);
    expect(wrong.byId['test-page']!.advice).toContain('did not accept the user name and password');
    // tinyproxy answers wrong credentials with 401: the report says what the proxy said.
    expect(wrong.byId['test-page']!.summary).toContain('requires authentication (401');
  });

  it('CLI: the proxy from HTTPS_PROXY and from a PAC script served over HTTP', async () => {
    const env = await cli(siteArgs(site.port, '/', TIMEOUT), { HTTPS_PROXY: open.url() });
    expect(env.code, env.raw).toBe(0);
    expect(env.byId.proxy!.summary).toBe(`Via proxy http://127.0.0.1:${open.port} (from the environment variable HTTPS_PROXY).`);
    const pacUrl = `http://127.0.0.1:${pacServer.port}/proxy.pac`;
    const pac = await cli([...siteArgs(site.port, '/', TIMEOUT), '--pac', pacUrl]);
    expect(pac.code, pac.raw).toBe(0);
    expect(pac.byId.proxy!.summary).toBe(`Via proxy http://127.0.0.1:${open.port} (from the PAC script ${pacUrl}).`);
    expect(pac.byId['test-page']!.status).toBe('pass');
    const socks = await cli([...siteArgs(site.port, '/', TIMEOUT), '--pac', `http://127.0.0.1:${pacServer.port}/socks.pac`]);
    expect(socks.code).toBe(1);
    expect(socks.byId.proxy!.status).toBe('fail');
    expect(socks.byId['test-page']!.status).toBe('skip');
  });

  it('CLI in Swedish: the text report names the proxy refusal in plain words', async () => {
    const run = await runBin(['check', 'proxy', 'test-page', ...siteArgs(site.port, '/', TIMEOUT), '--proxy', narrow.url(), '--lang', 'sv']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`Testsidan gick inte att nå: Proxyn 127.0.0.1 stoppade anslutningen (403).`);
    expect(run.stdout).toContain('Be IT öppna proxyn för test.siths.se och *.idp.funktionstjanster.se (port 443).');
  });

  it('a proxy that cannot reach the server answers 5xx: said plainly', async () => {
    const port = await freePort();
    const options = siteOptions(site.port, '/', { timeoutMs: TIMEOUT, proxy: open.url() });
    // The test page's name points at a closed port; tinyproxy is allowed to try any port here.
    const anyPort = await startTinyproxy();
    try {
      const results = await runProbes({
        probes: [proxyProbe, testPageProbe],
        options: { ...options, proxy: anyPort.url(), testUrl: `https://test.siths.se:${port}/`, resolve: [{ host: 'test.siths.se', port, address: '127.0.0.1' }] },
        system: testSystem(),
      });
      const page = results[1] as CheckResult<TestPageDetails>;
      expect(page.status).toBe('fail');
      expect(page.details).toMatchObject({ cause: 'proxy-refused', phase: 'proxyConnect' });
      expect(page.summary.en).toMatch(/The proxy 127\.0\.0\.1 could not reach the server \(5\d\d\)/);
    } finally {
      await anyPort.stop();
    }
  });

  it('a proxy spoken to over TLS (PAC "HTTPS host:port") tunnels the same way', async () => {
    const pki = testPki();
    // A TLS front for tinyproxy, with the test.siths.se certificate: the proxy's name is test.siths.se here.
    const front = tls.createServer({ cert: pki.pem('tls-test-siths') + pki.pem('web-ca'), key: pki.keyPem('tls-test-siths') }, (client) => {
      const upstream = net.connect(open.port, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close);
      upstream.on('error', close);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const frontPort = (front.address() as net.AddressInfo).port;
    try {
      const options = siteOptions(site.port, '/', { timeoutMs: TIMEOUT, proxy: `https://test.siths.se:${frontPort}` });
      const results = await runProbes({
        probes: [proxyProbe, testPageProbe],
        options: { ...options, resolve: [...options.resolve, { host: 'test.siths.se', port: frontPort, address: '127.0.0.1' }] },
        system: testSystem(),
      });
      const page = results[1] as CheckResult<TestPageDetails>;
      expect(page.status, page.summary.en).toBe('pass');
      expect(page.details?.via).toBe(`https://test.siths.se:${frontPort}`);
    } finally {
      await new Promise((resolve) => front.close(resolve));
    }
  });

  it('a plain http: page goes to the proxy as a whole URL, with credentials when given', async () => {
    const plain = await startHttpServer((_req, res) => res.end('<title>plain</title>'));
    extra.push(plain);
    const options = siteOptions(site.port, '/', { timeoutMs: TIMEOUT, testUrl: `http://127.0.0.1:${plain.port}/start` });
    const run = (proxy: string) => runProbes({ probes: [proxyProbe, testPageProbe], options: { ...options, proxy }, system: testSystem() });
    const refused = (await run(guarded.url()))[1] as CheckResult<TestPageDetails>;
    expect(refused.details).toMatchObject({ cause: 'proxy-auth' });
    const through = (await run(guarded.url(USER)))[1] as CheckResult<TestPageDetails>;
    expect(through.status).toBe('pass');
    expect(plain.requests).toEqual(['/start']);
  });
});
