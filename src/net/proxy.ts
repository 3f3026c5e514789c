import { isIP } from 'node:net';
import { msg } from '../i18n/index.js';
import type { DoctorOptions } from '../options.js';
import type { System } from '../system.js';
import { bypassListMatches } from './bypass.js';
import { inIpv4Cidr } from './ipv4.js';
import { macProxySettings, parseScutil } from './macos-proxy.js';
import { once } from './memo.js';
import { decisionFromPac, evaluatePac, loadPac } from './pac.js';
import { parseProxyUrl, ProxyConfigError } from './proxy-url.js';
import { bare, portOf } from './tunnel.js';
import type { ProxyDecision, ProxySource } from './types.js';
import { INTERNET_SETTINGS_KEY, serverForScheme, splitBypassList, winHttpSettings, winInetSettings, type ServerListChoice } from './windows-proxy.js';

export { parseProxyUrl, ProxyConfigError } from './proxy-url.js';

/** What proxy resolution needs: the options, the outside world, and a time limit. */
export interface ProxyResolutionContext {
  readonly options: DoctorOptions;
  readonly system: System;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** The setting that applies to a URL before any PAC script runs: a route, or a script to ask. */
export type ProxySetting =
  | { readonly kind: 'fixed'; readonly decision: ProxyDecision }
  | { readonly kind: 'pac'; readonly location: string; readonly source: ProxySource };

/**
 * How this machine would reach `target`. The first of these that says
 * anything decides:
 *  1. --no-proxy, --proxy URL
 *  2. --pac URL|FILE
 *  3. the environment: HTTPS_PROXY, https_proxy, ALL_PROXY, all_proxy (http_proxy first for http: URLs), with NO_PROXY
 *  4. the operating system: on Windows the user's Internet Settings (AutoConfigURL, then
 *     ProxyEnable/ProxyServer/ProxyOverride), then the WinHTTP proxy; on macOS `scutil --proxy`
 *     (the PAC URL, then the HTTPS/HTTP proxy with ExceptionsList)
 *  5. direct
 * The environment comes before the OS settings: it is the per-run override
 * an agent or a script sets on purpose, as curl reads it. Workstations rarely
 * set it; when it decides on Windows or macOS, the proxy check says whether
 * the browser, which follows the OS settings, would go another way.
 * A PAC script is fetched once per run and evaluated per URL.
 */
export async function resolveProxy(ctx: ProxyResolutionContext, target: URL): Promise<ProxyDecision> {
  return decide(ctx, await proxySettingFor(ctx, target), target);
}

/** Turn a setting into a route, running the PAC script when the setting is one. */
export async function decide(ctx: ProxyResolutionContext, setting: ProxySetting, target: URL): Promise<ProxyDecision> {
  if (setting.kind === 'fixed') return setting.decision;
  const script = await loadPac(ctx, setting.location);
  const result = await evaluatePac(ctx, script, setting.location, target);
  return decisionFromPac(result, setting.location, setting.source);
}

export async function proxySettingFor(ctx: ProxyResolutionContext, target: URL): Promise<ProxySetting> {
  const { options } = ctx;
  if (options.noProxy) return fixed({ mode: 'direct', source: 'option' });
  if (options.proxy) return fixed({ mode: 'http', url: parseProxyUrl(options.proxy, '--proxy'), source: 'option' });
  if (options.pac) return { kind: 'pac', location: options.pac, source: 'option' };
  const fromEnv = proxyFromEnv(ctx.system.env, target);
  if (fromEnv) return fixed(fromEnv);
  return (await osProxySetting(ctx, target)) ?? fixed({ mode: 'direct', source: 'none' });
}

const fixed = (decision: ProxyDecision): ProxySetting => ({ kind: 'fixed', decision });

/** The first non-empty of the variables curl and most tools read, scheme-specific first. */
function proxyFromEnv(env: Readonly<Record<string, string | undefined>>, target: URL): ProxyDecision | undefined {
  const names = target.protocol === 'https:' ? ['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy'] : ['http_proxy', 'HTTP_PROXY', 'ALL_PROXY', 'all_proxy'];
  const name = names.find((n) => (env[n] ?? '').trim() !== '');
  if (!name) return undefined;
  const noProxyName = env.NO_PROXY !== undefined ? 'NO_PROXY' : 'no_proxy';
  const noProxy = env[noProxyName] ?? '';
  if (noProxyMatches(noProxy, target)) return { mode: 'direct', source: 'env', setting: noProxyName };
  return { mode: 'http', url: parseProxyUrl(env[name]!.trim(), name), source: 'env', setting: name };
}

/** The operating system's own proxy setting for `target`, or undefined when it has none (or is not Windows or macOS). */
export async function osProxySetting(ctx: ProxyResolutionContext, target: URL): Promise<ProxySetting | undefined> {
  if (ctx.system.platform.os === 'win32') return windowsSetting(ctx, target);
  if (ctx.system.platform.os === 'darwin') return macSetting(ctx, target);
  return undefined;
}

/** A tool's output, read once per run; undefined when the tool is missing, fails or hangs (then the setting counts as absent). */
function toolOutput(ctx: ProxyResolutionContext, file: string, args: readonly string[]): Promise<string | undefined> {
  return once(ctx.system, `exec:${file} ${args.join(' ')}`, async () => {
    try {
      const run = await ctx.system.exec(file, args, { timeoutMs: ctx.timeoutMs });
      return run.code === 0 && !run.timedOut ? run.stdout : undefined;
    } catch {
      return undefined;
    }
  });
}

async function windowsSetting(ctx: ProxyResolutionContext, target: URL): Promise<ProxySetting | undefined> {
  const reg = await toolOutput(ctx, 'reg', ['query', INTERNET_SETTINGS_KEY]);
  if (reg !== undefined) {
    const user = winInetSettings(reg);
    // Internet Options try the automatic configuration script before the manual proxy.
    if (user.autoConfigUrl) return { kind: 'pac', location: user.autoConfigUrl, source: 'windows-user' };
    if (user.proxyEnable && user.proxyServer) {
      return fixed(fromServerList(serverForScheme(user.proxyServer, target.protocol), splitBypassList(user.proxyOverride), target, 'windows-user', 'ProxyServer'));
    }
  }
  const netsh = await toolOutput(ctx, 'netsh', ['winhttp', 'show', 'proxy']);
  if (netsh === undefined) return undefined;
  const machine = winHttpSettings(netsh);
  if (!machine.proxyServer) return undefined;
  return fixed(fromServerList(serverForScheme(machine.proxyServer, target.protocol), splitBypassList(machine.bypassList), target, 'windows-winhttp', 'WinHTTP'));
}

function fromServerList(choice: ServerListChoice, bypass: readonly string[], target: URL, source: ProxySource, from: string): ProxyDecision {
  const setting = from === 'WinHTTP' ? 'netsh winhttp' : from;
  if (bypassListMatches(bypass, target)) return { mode: 'direct', source, setting: from === 'WinHTTP' ? 'netsh winhttp (bypass-list)' : 'ProxyOverride' };
  if (choice.kind === 'direct' || isLoopback(target)) return { mode: 'direct', source, setting };
  if (choice.kind === 'socks') throw socksUnsupported(choice.server, from);
  return { mode: 'http', url: parseProxyUrl(choice.server, from), source, setting };
}

async function macSetting(ctx: ProxyResolutionContext, target: URL): Promise<ProxySetting | undefined> {
  const out = await toolOutput(ctx, 'scutil', ['--proxy']);
  if (out === undefined) return undefined;
  const mac = macProxySettings(parseScutil(out));
  if (mac.pacUrl) return { kind: 'pac', location: mac.pacUrl, source: 'macos' };
  const server = target.protocol === 'https:' ? mac.https : mac.http;
  if (!server && !mac.socks) {
    if (!mac.autoDiscovery) return undefined;
    return fixed({
      mode: 'direct',
      source: 'macos',
      notes: [
        msg(
          'Automatisk proxyidentifiering (WPAD) är på i macOS; siths-doctor letar inte själv efter ett proxyskript, så vägen kan skilja sig från webbläsarens.',
          'Automatic proxy discovery (WPAD) is on in macOS; siths-doctor does not search for a PAC script itself, so the route may differ from the browser’s.',
        ),
      ],
    });
  }
  if (bypassListMatches(mac.exceptions, target) || isLoopback(target)) return fixed({ mode: 'direct', source: 'macos' });
  if (!server) throw socksUnsupported(mac.socks!, 'scutil --proxy');
  return fixed({ mode: 'http', url: parseProxyUrl(server, 'scutil --proxy'), source: 'macos' });
}

function socksUnsupported(server: string, from: string): ProxyConfigError {
  return new ProxyConfigError(
    msg(
      `${from} anger en SOCKS-proxy (${server}); siths-doctor kan bara testa HTTP-proxyer.`,
      `${from} sets a SOCKS proxy (${server}); siths-doctor can only test HTTP proxies.`,
    ),
  );
}

/** Windows and macOS never send loopback addresses to a proxy. */
function isLoopback(target: URL): boolean {
  const host = bare(target.hostname).toLowerCase();
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/**
 * NO_PROXY the way curl reads it: comma- or space-separated entries; "*"
 * matches everything; "example.se" and ".example.se" match the domain and
 * its subdomains; an entry may carry a port; IPv4 and IPv6 addresses match
 * exactly and IPv4 CIDR ranges by prefix.
 */
export function noProxyMatches(noProxy: string, target: URL): boolean {
  const host = bare(target.hostname).toLowerCase();
  const port = String(portOf(target));
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(entry.includes(':') && isIP(entry) === 6 ? `[${entry}]` : entry);
    if (!m) continue;
    const [, name = '', entryPort] = m;
    if (entryPort && entryPort !== port) continue;
    if (name.includes('/')) {
      // curl reads only a whole address before the slash, not macOS's "169.254/16".
      if (isIP(name.slice(0, name.indexOf('/'))) === 4 && inIpv4Cidr(host, name)) return true;
      continue;
    }
    const bare = name.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}
