import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decisionFromPac, parsePacResult } from '../src/net/pac.js';
import { ProxyConfigError, resolveProxy } from '../src/net/proxy.js';
import { defaultOptions, type DoctorOptions } from '../src/options.js';
import { proxyProbe, type ProxyDetails } from '../src/probes/proxy.js';
import { runProbes } from '../src/runner.js';
import { startHttpServer, type LoopbackServer } from './helpers/https-servers.js';
import { testSystem } from './helpers/system.js';

const TIMEOUT = 1500;
const target = new URL('https://test.siths.se/');

const SCRIPTS: Record<string, string> = {
  // What organisations write: their own domains direct, everything else through the proxy.
  'region.pac': `function FindProxyForURL(url, host) {
    if (isPlainHostName(host) || dnsDomainIs(host, ".region.example")) return "DIRECT";
    if (shExpMatch(host, "*.siths.se")) return "PROXY proxy.region.example:3128; DIRECT";
    return "PROXY fallback.region.example:8080";
  }`,
  'throws.pac': 'function FindProxyForURL(url, host) { throw new Error("no route for " + host); }',
  'loops.pac': 'function FindProxyForURL(url, host) { while (true) {} }',
  'allocates.pac': 'function FindProxyForURL(url, host) { var a = []; while (true) a.push("x" + a.length + Math.random()); }',
  'socks.pac': 'function FindProxyForURL(url, host) { return "SOCKS5 socks.region.example:1080"; }',
  'socks-then-proxy.pac': 'function FindProxyForURL(url, host) { return "SOCKS socks.region.example:1080; PROXY proxy.region.example:3128"; }',
  'syntax.pac': 'function FindProxyForURL(url, host) { return "DIRECT" ',
  'no-function.pac': 'var proxy = "DIRECT";',
  'number.pac': 'function FindProxyForURL(url, host) { return 42; }',
  'chatty.pac': 'function FindProxyForURL(url, host) { alert("hello from PAC"); return "DIRECT"; }',
  // DNS in a PAC script follows --resolve; the address proves which answer was used.
  'dns.pac': `function FindProxyForURL(url, host) {
    if (isInNet(dnsResolve(host), "127.0.0.0", "255.0.0.0") && isResolvable(host)) return "PROXY inside.example:1";
    return "PROXY outside.example:2";
  }`,
  'my-ip.pac': 'function FindProxyForURL(url, host) { return myIpAddress() ? "DIRECT" : "PROXY x:1"; }',
  'path.pac': 'function FindProxyForURL(url, host) { return url.indexOf("secret") >= 0 ? "PROXY leak:1" : "DIRECT"; }',
};

describe('PAC scripts, served over HTTP and from files', () => {
  let server: LoopbackServer;
  let dir: string;
  const hanging: unknown[] = [];
  const ctx = (pac: string, options: Partial<DoctorOptions> = {}) => ({
    options: defaultOptions({ pac, timeoutMs: TIMEOUT, ...options }),
    system: testSystem(),
    timeoutMs: TIMEOUT,
  });
  const served = (name: string) => `http://127.0.0.1:${server.port}/${name}`;

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      const name = (req.url ?? '').slice(1);
      if (name === 'hang.pac') return void hanging.push(res);
      const script = SCRIPTS[name];
      if (!script) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' }).end(script);
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'siths-pac-'));
    for (const [name, script] of Object.entries(SCRIPTS)) writeFileSync(path.join(dir, name), script);
  });
  afterAll(() => server.close());

  it('fetches the script and follows its answer, keeping the answer as evidence', async () => {
    const decision = await resolveProxy(ctx(served('region.pac')), target);
    expect(decision).toMatchObject({ mode: 'http', source: 'pac', pac: served('region.pac'), pacSource: 'option', pacResult: 'PROXY proxy.region.example:3128; DIRECT' });
    expect(decision.url?.href).toBe('http://proxy.region.example:3128/');
    expect((await resolveProxy(ctx(served('region.pac')), new URL('https://intranet.region.example/'))).mode).toBe('direct');
  });

  it('fetches the script once per run, however many addresses it decides', async () => {
    const before = server.requests.length;
    const c = ctx(served('region.pac'));
    for (const host of ['a.siths.se', 'b.siths.se', 'c.example']) await resolveProxy(c, new URL(`https://${host}/`));
    expect(server.requests.length - before).toBe(1);
  });

  it('reads a local file (path or file: URL) as well', async () => {
    const file = path.join(dir, 'region.pac');
    expect((await resolveProxy(ctx(file), target)).url?.host).toBe('proxy.region.example:3128');
    expect((await resolveProxy(ctx(`file://${file}`), target)).url?.host).toBe('proxy.region.example:3128');
  });

  it.each([
    ['throws.pac', /stopped with an error \(no route for test\.siths\.se\)/],
    ['syntax.pac', /the script has an error/],
    ['no-function.pac', /the script has an error .*FindProxyForURL/],
    ['number.pac', /returned no proxy list/],
    ['socks.pac', /offers only routes that are not supported \(SOCKS5 socks\.region\.example:1080\)/],
  ])('turns %s into a plain reason', async (name, reason) => {
    const err = await resolveProxy(ctx(served(name)), target).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProxyConfigError);
    expect((err as ProxyConfigError).text.en).toMatch(reason);
    expect((err as ProxyConfigError).text.sv).toContain('Proxyskriptet (PAC)');
  });

  it.each(['loops.pac', 'allocates.pac'])('stops %s within the time limit', async (name) => {
    const started = performance.now();
    const err = await resolveProxy(ctx(served(name)), target).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProxyConfigError);
    expect((err as ProxyConfigError).text.en).toMatch(/did not finish within 1\.5 s|too much memory/);
    expect(performance.now() - started).toBeLessThan(3 * TIMEOUT);
  });

  it('skips a SOCKS entry for the next usable one and says so', async () => {
    const decision = await resolveProxy(ctx(served('socks-then-proxy.pac')), target);
    expect(decision.url?.host).toBe('proxy.region.example:3128');
    expect(decision.notes?.[0]?.en).toContain('SOCKS socks.region.example:1080, which is not supported');
  });

  it('prints nothing for alert(), honours --resolve in DNS functions, and keeps https paths from the script', async () => {
    const log = vi.spyOn(console, 'log');
    expect((await resolveProxy(ctx(served('chatty.pac')), target)).mode).toBe('direct');
    expect(log).not.toHaveBeenCalled();
    log.mockRestore();
    const resolve = [{ host: 'test.siths.se', port: 443, address: '127.0.0.2' }];
    expect((await resolveProxy(ctx(served('dns.pac'), { resolve }), target)).url?.host).toBe('inside.example:1');
    expect((await resolveProxy(ctx(served('my-ip.pac')), target)).mode).toBe('direct');
    expect((await resolveProxy(ctx(served('path.pac')), new URL('https://test.siths.se/secret?token=1'))).mode).toBe('direct');
  });

  it('never shows credentials in a PAC address, and says so plainly when a file: URL or file is wrong', async () => {
    const withCredentials = `http://wpad:hemligt@127.0.0.1:${server.port}/absent.pac`;
    const err = (await resolveProxy(ctx(withCredentials), target).catch((e: unknown) => e)) as ProxyConfigError;
    expect(err.text.en).toBe(`The proxy auto-config (PAC) script http://***@127.0.0.1:${server.port}/absent.pac could not be fetched: the server answered 404.`);
    expect(JSON.stringify(err.text)).not.toContain('hemligt');
    const badUrl = (await resolveProxy(ctx('file://remote-host/proxy.pac'), target).catch((e: unknown) => e)) as ProxyConfigError;
    expect(badUrl.text.en).toContain('could not be read: it is not a valid file: URL');
    const missing = (await resolveProxy(ctx(path.join(dir, 'absent.pac')), target).catch((e: unknown) => e)) as ProxyConfigError;
    expect(missing.text.en).toContain('could not be read: the file does not exist');
  });

  it('fails with the cause when the script cannot be fetched: missing, or a server that never answers', async () => {
    const missing = await resolveProxy(ctx(served('absent.pac')), target).catch((e: unknown) => e);
    expect((missing as ProxyConfigError).text.en).toBe(`The proxy auto-config (PAC) script ${served('absent.pac')} could not be fetched: the server answered 404.`);
    const started = performance.now();
    const hang = await resolveProxy(ctx(served('hang.pac')), target).catch((e: unknown) => e);
    expect((hang as ProxyConfigError).text.en).toMatch(/could not be fetched: The server 127\.0\.0\.1 did not answer within 1\.5 s \(waiting for the answer\)/);
    expect(performance.now() - started).toBeLessThan(3 * TIMEOUT);
  });

  it('makes the proxy check fail with the reason, in bounded time', async () => {
    const started = performance.now();
    const [result] = await runProbes({ probes: [proxyProbe], options: defaultOptions({ pac: served('loops.pac'), timeoutMs: TIMEOUT }), system: testSystem() });
    expect(result!.status).toBe('fail');
    expect(result!.summary.en).toMatch(/did not finish within 1\.5 s \(it may loop forever\)/);
    expect(result!.advice?.en).toContain(`check the script at ${served('loops.pac')}`);
    expect(performance.now() - started).toBeLessThan(3 * TIMEOUT);
  });

  it('reports the PAC route in the proxy check, and offline leaves a network PAC unfetched', async () => {
    const [online] = await runProbes({ probes: [proxyProbe], options: defaultOptions({ pac: served('region.pac'), timeoutMs: TIMEOUT }), system: testSystem() });
    expect(online!.status).toBe('pass');
    expect(online!.notes?.map((n) => n.en)).toContain(`test.siths.se: via http://proxy.region.example:3128 (from the PAC script ${served('region.pac')})`);
    const before = server.requests.length;
    const [offline] = await runProbes({ probes: [proxyProbe], options: defaultOptions({ pac: served('region.pac'), offline: true, timeoutMs: TIMEOUT }), system: testSystem() });
    expect(server.requests.length).toBe(before);
    expect(offline!.status).toBe('pass');
    expect(offline!.summary.en).toBe(`The route is decided by the PAC script ${served('region.pac')}, not fetched (--offline).`);
    expect((offline!.details as ProxyDetails).targets.every((t) => t.mode === 'pac-not-fetched')).toBe(true);
    // A local file is no network: it is still evaluated offline.
    const [local] = await runProbes({ probes: [proxyProbe], options: defaultOptions({ pac: path.join(dir, 'region.pac'), offline: true, timeoutMs: TIMEOUT }), system: testSystem() });
    expect((local!.details as ProxyDetails).targets.at(-1)).toMatchObject({ mode: 'http', proxy: 'http://proxy.region.example:3128' });
  });
});

describe('PAC answers', () => {
  it('parses the list the way browsers write it', () => {
    expect(parsePacResult('PROXY a:1;  proxy b:2 ; DIRECT;')).toEqual([
      { type: 'PROXY', hostPort: 'a:1' },
      { type: 'PROXY', hostPort: 'b:2' },
      { type: 'DIRECT' },
    ]);
  });

  it('takes PROXY without a port as port 80 and HTTPS as a TLS proxy on 443', () => {
    expect(decisionFromPac('PROXY p', 'x', 'option').url?.href).toBe('http://p/');
    expect(decisionFromPac('HTTPS secure.example', 'x', 'option').url?.href).toBe('https://secure.example/');
    expect(decisionFromPac('HTTPS secure.example:8443', 'x', 'option').url?.port).toBe('8443');
  });

  it('rejects an empty answer', () => {
    expect(() => decisionFromPac('  ', 'x', 'option')).toThrow(/empty answer/);
  });
});
