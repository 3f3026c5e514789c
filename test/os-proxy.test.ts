import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bypassEntryMatches } from '../src/net/bypass.js';
import { macProxySettings, parseScutil } from '../src/net/macos-proxy.js';
import { ProxyConfigError, resolveProxy } from '../src/net/proxy.js';
import { serverForScheme, winHttpSettings, winInetSettings } from '../src/net/windows-proxy.js';
import { defaultOptions, type DoctorOptions } from '../src/options.js';
import { proxyProbe } from '../src/probes/proxy.js';
import { runProbes } from '../src/runner.js';
import type { CommandRunner, ExecResult, System } from '../src/system.js';
import { startHttpServer, type LoopbackServer } from './helpers/https-servers.js';
import { testSystem } from './helpers/system.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/net/${name}`, import.meta.url), 'utf8');
const https = (host: string) => new URL(`https://${host}/`);
const IDP = https('m00-mg-local.idp.funktionstjanster.se');

/** A machine of another OS whose tools print the recorded outputs; `calls` shows what was run. */
function recordedMachine(os: 'win32' | 'darwin', outputs: Record<string, string | undefined>, env: Record<string, string> = {}) {
  const calls: string[] = [];
  const exec: CommandRunner = async (file, args) => {
    const command = [file, ...args].join(' ');
    calls.push(command);
    const stdout = outputs[command];
    if (stdout === undefined) return { code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.', timedOut: false } satisfies ExecResult;
    return { code: 0, stdout, stderr: '', timedOut: false };
  };
  const base = testSystem();
  const system: System = { ...base, env, exec, platform: { ...base.platform, os } };
  return { system, calls };
}

const REG = 'reg query HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings';
const NETSH = 'netsh winhttp show proxy';
const SCUTIL = 'scutil --proxy';
const ctx = (system: System, options: Partial<DoctorOptions> = {}) => ({ options: defaultOptions(options), system, timeoutMs: 1500 });

describe('Windows: the user’s Internet Settings (reg query)', () => {
  it('reads the values, names with spaces included, and ignores the subkeys', () => {
    expect(winInetSettings(fixture('windows/reg-internet-settings-manual.txt'))).toEqual({
      proxyEnable: true,
      proxyServer: 'proxy.region-test.example:8080',
      proxyOverride: '*.region-test.example;10.*;<local>',
    });
    expect(winInetSettings(fixture('windows/reg-internet-settings-off.txt')).proxyEnable).toBe(false);
  });

  it('uses the manual proxy, with ProxyOverride and <local>', async () => {
    const { system } = recordedMachine('win32', { [REG]: fixture('windows/reg-internet-settings-manual.txt') });
    const decision = await resolveProxy(ctx(system), IDP);
    expect(decision).toMatchObject({ mode: 'http', source: 'windows-user' });
    expect(decision.url?.href).toBe('http://proxy.region-test.example:8080/');
    for (const bypassed of ['intranet.region-test.example', '10.1.2.3', 'printer', 'localhost']) {
      expect(await resolveProxy(ctx(system), https(bypassed))).toMatchObject({ mode: 'direct', source: 'windows-user' });
    }
    // The exact value that sent it direct, for IT.
    expect(await resolveProxy(ctx(system), https('intranet.region-test.example'))).toEqual({ mode: 'direct', source: 'windows-user', setting: 'ProxyOverride' });
    expect(decision.setting).toBe('ProxyServer');
  });

  it('picks the https= entry of a per-scheme list, and goes direct when https has none', async () => {
    const perScheme = recordedMachine('win32', { [REG]: fixture('windows/reg-internet-settings-per-scheme.txt') });
    expect((await resolveProxy(ctx(perScheme.system), IDP)).url?.host).toBe('secure.region-test.example:8443');
    expect((await resolveProxy(ctx(perScheme.system), new URL('http://plain.example/'))).url?.host).toBe('web.region-test.example:8080');
    const httpOnly = recordedMachine('win32', { [REG]: fixture('windows/reg-internet-settings-http-only.txt') });
    expect(await resolveProxy(ctx(httpOnly.system), IDP)).toEqual({ mode: 'direct', source: 'windows-user', setting: 'ProxyServer' });
  });

  it('says a SOCKS-only setting is unsupported', async () => {
    const { system } = recordedMachine('win32', { [REG]: fixture('windows/reg-internet-settings-socks.txt') });
    await expect(resolveProxy(ctx(system), IDP)).rejects.toThrow(/SOCKS proxy \(socks\.region-test\.example:1080\)/);
  });

  it('falls back to the WinHTTP proxy when the user has none switched on', async () => {
    const { system, calls } = recordedMachine('win32', {
      [REG]: fixture('windows/reg-internet-settings-off.txt'),
      [NETSH]: fixture('windows/netsh-winhttp-proxy-en.txt'),
    });
    const decision = await resolveProxy(ctx(system), IDP);
    expect(decision).toMatchObject({ mode: 'http', source: 'windows-winhttp' });
    expect(decision.url?.host).toBe('winhttp.region-test.example:8080');
    expect(await resolveProxy(ctx(system), https('a.region-test.example'))).toEqual({ mode: 'direct', source: 'windows-winhttp', setting: 'netsh winhttp (bypass-list)' });
    // Each tool runs once per run, however many addresses are decided.
    expect(calls).toEqual([REG, NETSH]);
  });

  it('says direct when nothing is set, and when the tools are missing', async () => {
    const direct = recordedMachine('win32', { [REG]: fixture('windows/reg-internet-settings-off.txt'), [NETSH]: fixture('windows/netsh-winhttp-direct-en.txt') });
    expect(await resolveProxy(ctx(direct.system), IDP)).toEqual({ mode: 'direct', source: 'none' });
    const base = testSystem();
    const noTools: System = { ...base, platform: { ...base.platform, os: 'win32' }, exec: () => Promise.reject(Object.assign(new Error('spawn reg ENOENT'), { code: 'ENOENT' })) };
    expect(await resolveProxy(ctx(noTools), IDP)).toEqual({ mode: 'direct', source: 'none' });
  });

  it('evaluates AutoConfigURL before the manual proxy', async () => {
    let pac: LoopbackServer | undefined;
    try {
      pac = await startHttpServer((_req, res) => res.end('function FindProxyForURL(u, h) { return "PROXY from-pac.region-test.example:3128"; }'));
      const url = `http://127.0.0.1:${pac.port}/proxy.pac`;
      const reg = fixture('windows/reg-internet-settings-pac.txt').replace('http://wpad.region-test.example/proxy.pac', url);
      const { system } = recordedMachine('win32', { [REG]: reg });
      const decision = await resolveProxy(ctx(system), IDP);
      expect(decision).toMatchObject({ mode: 'http', source: 'pac', pac: url, pacSource: 'windows-user' });
      const [result] = await runProbes({ probes: [proxyProbe], options: defaultOptions({ timeoutMs: 1500 }), system });
      expect(result!.summary.en).toBe(`Via proxy http://from-pac.region-test.example:3128 (from the PAC script ${url}, set in Windows Internet Settings).`);
    } finally {
      await pac?.close();
    }
  });
});

describe('Windows: WinHTTP (netsh), in any display language', () => {
  it.each([
    ['windows/netsh-winhttp-proxy-en.txt', { proxyServer: 'winhttp.region-test.example:8080', bypassList: '<local>;*.region-test.example' }],
    ['windows/netsh-winhttp-proxy-sv.txt', { proxyServer: 'winhttp.region-test.example:8080', bypassList: '<local>;*.region-test.example' }],
    ['windows/netsh-winhttp-proxy-none-bypass-en.txt', { proxyServer: 'winhttp.region-test.example:8080' }],
    ['windows/netsh-winhttp-direct-en.txt', {}],
    ['windows/netsh-winhttp-direct-sv.txt', {}],
  ])('%s', (name, expected) => {
    expect(winHttpSettings(fixture(name))).toEqual(expected);
  });

  it('reads the shape even when the console code page mangled the Swedish letters', () => {
    const mangled = fixture('windows/netsh-winhttp-proxy-sv.txt').replace(/[åäöÅÄÖ]/g, '\uFFFD');
    expect(winHttpSettings(mangled).proxyServer).toBe('winhttp.region-test.example:8080');
    expect(winHttpSettings(fixture('windows/netsh-winhttp-direct-sv.txt').replace(/å/g, '\uFFFD'))).toEqual({});
  });

  it('reads a server list with a scheme and per-scheme entries', () => {
    expect(serverForScheme('http://p.example:8080', 'https:')).toEqual({ kind: 'proxy', server: 'http://p.example:8080' });
    expect(serverForScheme('http=a:1;https=b:2', 'https:')).toEqual({ kind: 'proxy', server: 'b:2' });
    expect(serverForScheme('ftp=a:1', 'https:')).toEqual({ kind: 'direct' });
    expect(serverForScheme('http=a:1;socks=s:1080', 'https:')).toEqual({ kind: 'socks', server: 's:1080' });
  });
});

describe('macOS: scutil --proxy', () => {
  it('reads the top level and ignores the per-interface copies', () => {
    const settings = macProxySettings(parseScutil(fixture('macos/scutil-proxy-manual.txt')));
    expect(settings).toEqual({
      autoDiscovery: false,
      http: 'proxy.region-test.example:3128',
      https: 'proxy.region-test.example:3128',
      exceptions: ['*.local', '169.254/16', '*.region-test.example', '<local>'],
    });
  });

  it('uses the HTTPS proxy with the exceptions', async () => {
    const { system } = recordedMachine('darwin', { [SCUTIL]: fixture('macos/scutil-proxy-manual.txt') });
    expect((await resolveProxy(ctx(system), IDP)).url?.host).toBe('proxy.region-test.example:3128');
    for (const bypassed of ['printer.local', '169.254.10.20', 'intranet.region-test.example', 'printer']) {
      expect(await resolveProxy(ctx(system), https(bypassed))).toEqual({ mode: 'direct', source: 'macos' });
    }
  });

  it('finds the PAC URL, says nothing is set, notes auto-discovery, and rejects SOCKS', async () => {
    const pac = recordedMachine('darwin', { [SCUTIL]: fixture('macos/scutil-proxy-pac.txt') });
    const { proxySettingFor } = await import('../src/net/proxy.js');
    expect(await proxySettingFor(ctx(pac.system), IDP)).toEqual({ kind: 'pac', location: 'http://wpad.region-test.example/proxy.pac', source: 'macos' });
    const none = recordedMachine('darwin', { [SCUTIL]: fixture('macos/scutil-proxy-none.txt') });
    expect(await resolveProxy(ctx(none.system), IDP)).toEqual({ mode: 'direct', source: 'none' });
    const wpad = recordedMachine('darwin', { [SCUTIL]: fixture('macos/scutil-proxy-wpad.txt') });
    expect((await resolveProxy(ctx(wpad.system), IDP)).notes?.[0]?.en).toContain('Automatic proxy discovery (WPAD) is on');
    const socks = recordedMachine('darwin', { [SCUTIL]: fixture('macos/scutil-proxy-socks.txt') });
    await expect(resolveProxy(ctx(socks.system), IDP)).rejects.toBeInstanceOf(ProxyConfigError);
  });

  it('survives malformed and absurdly nested output', () => {
    const deep = '<dictionary> {\n' + 'a : <dictionary> {\n'.repeat(500) + '}\n'.repeat(501) + '  HTTPSEnable : 1\n';
    expect(() => parseScutil(deep)).not.toThrow();
    expect(parseScutil('garbage\n}}}\n : \n')).toEqual({});
  });
});

describe('order: options and environment before the OS settings', () => {
  const machine = () => recordedMachine('win32', { [REG]: fixture('windows/reg-internet-settings-manual.txt') }, { HTTPS_PROXY: 'http://env-proxy.example:3128' });

  it('lets --no-proxy, --proxy and the environment win, and never asks the OS then', async () => {
    const { system, calls } = machine();
    expect((await resolveProxy(ctx(system, { noProxy: true }), IDP)).source).toBe('option');
    expect((await resolveProxy(ctx(system, { proxy: 'http://opt.example:1' }), IDP)).source).toBe('option');
    expect((await resolveProxy(ctx(system), IDP)).url?.host).toBe('env-proxy.example:3128');
    expect(calls).toEqual([]);
  });

  it('notes in the proxy check that the browser follows the OS setting instead', async () => {
    const { system } = machine();
    const [result] = await runProbes({ probes: [proxyProbe], options: defaultOptions(), system });
    expect(result!.summary.en).toBe('Via proxy http://env-proxy.example:3128 (from the environment variable HTTPS_PROXY).');
    expect(result!.notes?.map((n) => n.en)).toContain(
      "m00-mg-local.idp.funktionstjanster.se: the browser follows the operating system's setting and goes via http://proxy.region-test.example:8080 (from Windows Internet Settings (ProxyServer)), not the way the environment variables say.",
    );
  });
});

describe('bypass entries', () => {
  it.each([
    ['*.region.se', 'https://a.b.region.se/', true],
    ['*.region.se', 'https://region.se/', false],
    ['10.*', 'https://10.0.0.1/', true],
    ['<local>', 'https://printer/', true],
    ['<local>', 'https://printer.region.se/', false],
    ['<-loopback>', 'https://localhost/', false],
    ['https://secure.example', 'https://secure.example/', true],
    ['http://secure.example', 'https://secure.example/', false],
    ['secure.example:8443', 'https://secure.example:8443/', true],
    ['secure.example:8443', 'https://secure.example/', false],
    ['169.254/16', 'https://169.254.1.1/', true],
    ['192.168.0.0/16', 'https://192.169.0.1/', false],
    ['', 'https://x/', false],
  ])('%s against %s: %s', (entry, url, expected) => {
    expect(bypassEntryMatches(entry, new URL(url))).toBe(expected);
  });
});

describe('Linux', () => {
  it('asks no OS tool: the environment is the setting there', async () => {
    const calls: string[] = [];
    const base = testSystem();
    const exec: CommandRunner = async (file, args) => {
      calls.push(`${file} ${args.join(' ')}`);
      return { code: 0, stdout: '', stderr: '', timedOut: false };
    };
    const system: System = { ...base, platform: { ...base.platform, os: 'linux' }, exec };
    expect(await resolveProxy(ctx(system), IDP)).toEqual({ mode: 'direct', source: 'none' });
    expect(calls).toEqual([]);
  });
});
