import { describe, expect, it } from 'vitest';
import { defaultOptions, type DoctorOptions } from '../src/options.js';
import { noProxyMatches, ProxyConfigError, resolveProxy } from '../src/net/proxy.js';
import { proxyForDisplay } from '../src/net/types.js';
import { proxyProbe } from '../src/probes/proxy.js';
import { runProbes } from '../src/runner.js';
import { testSystem } from './helpers/system.js';

const target = new URL('https://m00-mg-local.idp.funktionstjanster.se/');

function ctx(env: Record<string, string>, options: Partial<DoctorOptions> = {}) {
  return { options: defaultOptions(options), system: testSystem({ env }), timeoutMs: 1000 };
}

describe('proxy resolution', () => {
  it('lets --no-proxy and --proxy win over the environment', async () => {
    const env = { HTTPS_PROXY: 'http://env-proxy:3128' };
    expect(await resolveProxy(ctx(env, { noProxy: true }), target)).toEqual({ mode: 'direct', source: 'option' });
    const chosen = await resolveProxy(ctx(env, { proxy: 'http://u:p@opt-proxy:8080' }), target);
    expect(chosen.source).toBe('option');
    expect(chosen.url?.href).toBe('http://u:p@opt-proxy:8080/');
  });

  it('reads HTTPS_PROXY, then https_proxy, then ALL_PROXY, and a bare host:port', async () => {
    expect((await resolveProxy(ctx({ HTTPS_PROXY: 'http://a:1', https_proxy: 'http://b:2' }), target)).url?.host).toBe('a:1');
    expect((await resolveProxy(ctx({ https_proxy: 'http://b:2', ALL_PROXY: 'http://c:3' }), target)).url?.host).toBe('b:2');
    expect((await resolveProxy(ctx({ ALL_PROXY: 'c:3' }), target)).url?.href).toBe('http://c:3/');
    expect(await resolveProxy(ctx({ HTTP_PROXY: 'http://only-http:1' }), target)).toEqual({ mode: 'direct', source: 'none' });
  });

  it('honours NO_PROXY', async () => {
    const decision = await resolveProxy(ctx({ HTTPS_PROXY: 'http://p:1', NO_PROXY: 'localhost,.funktionstjanster.se' }), target);
    expect(decision).toEqual({ mode: 'direct', source: 'env', setting: 'NO_PROXY' });
  });

  it('rejects unusable proxy settings with a plain reason', async () => {
    await expect(resolveProxy(ctx({ HTTPS_PROXY: 'socks5://p:1080' }), target)).rejects.toThrow(/only HTTP \(CONNECT\) proxies/);
    await expect(resolveProxy(ctx({ HTTPS_PROXY: 'http://' }), target)).rejects.toBeInstanceOf(ProxyConfigError);
  });
});

describe('NO_PROXY matching', () => {
  const url = (u: string) => new URL(u);
  it.each([
    ['*', 'https://anything.example/', true],
    ['funktionstjanster.se', 'https://m00-mg-local.idp.funktionstjanster.se/', true],
    ['.funktionstjanster.se', 'https://funktionstjanster.se/', true],
    ['*.siths.se', 'https://test.siths.se/', true],
    ['siths.se', 'https://notsiths.se/', false],
    ['test.siths.se:8443', 'https://test.siths.se/', false],
    ['test.siths.se:443', 'https://test.siths.se/', true],
    ['10.0.0.0/8', 'https://10.1.2.3/', true],
    ['10.0.0.0/8', 'https://11.1.2.3/', false],
    ['::1', 'https://[::1]/', true],
    ['  a.se ,  b.se ', 'https://b.se/', true],
    ['', 'https://b.se/', false],
  ])('%s matches %s: %s', (entry, u, expected) => {
    expect(noProxyMatches(entry, url(u))).toBe(expected);
  });
});

describe('the proxy check', () => {
  it('names the proxy and where it came from, never the password', async () => {
    const [result] = await runProbes({
      probes: [proxyProbe],
      options: defaultOptions(),
      system: testSystem({ env: { HTTPS_PROXY: 'http://anna:hemligt@proxy.region.example:3128' } }),
    });
    expect(result!.status).toBe('pass');
    expect(result!.summary.en).toBe('Via proxy http://***@proxy.region.example:3128 (from the environment variable HTTPS_PROXY).');
    expect(JSON.stringify(result)).not.toContain('hemligt');
    expect(JSON.stringify(result)).not.toContain('anna');
    // The two default IdP hosts (src/tls/idp-hosts.ts) and the test page.
    expect((result!.details as { targets: unknown[] }).targets).toHaveLength(3);
  });

  it('says direct when nothing is configured, and fails on a broken setting', async () => {
    const [direct] = await runProbes({ probes: [proxyProbe], options: defaultOptions(), system: testSystem({ env: {} }) });
    expect(direct!.summary.sv).toBe('Direkt anslutning: ingen proxy är inställd.');
    const [broken] = await runProbes({ probes: [proxyProbe], options: defaultOptions(), system: testSystem({ env: { HTTPS_PROXY: 'socks5://x:1' } }) });
    expect(broken!.status).toBe('fail');
  });

  it('shows different routes per target', async () => {
    const [result] = await runProbes({
      probes: [proxyProbe],
      options: defaultOptions(),
      system: testSystem({ env: { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'siths.se' } }),
    });
    expect(result!.summary.en).toBe('Different routes for different addresses, see evidence.');
    expect(result!.notes!.map((n) => n.en)).toEqual([
      'm00-mg-local.idp.funktionstjanster.se: via http://p:3128 (from the environment variable HTTPS_PROXY)',
      'idp.inera.se: via http://p:3128 (from the environment variable HTTPS_PROXY)',
      'test.siths.se: direct (per the environment variable NO_PROXY)',
    ]);
  });
});

describe('proxyForDisplay', () => {
  it('hides credentials', () => {
    expect(proxyForDisplay(new URL('http://u:p@h:1'))).toBe('http://***@h:1');
    expect(proxyForDisplay(new URL('http://h:1'))).toBe('http://h:1');
    expect(proxyForDisplay(undefined)).toBeUndefined();
  });
});
