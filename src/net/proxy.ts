import { isIP } from 'node:net';
import { msg, type Localized } from '../i18n/index.js';
import type { DoctorOptions } from '../options.js';
import type { System } from '../system.js';
import type { ProxyDecision } from './types.js';

/** What proxy resolution needs: the options, the outside world, and a time limit. */
export interface ProxyResolutionContext {
  readonly options: DoctorOptions;
  readonly system: System;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** A proxy setting that cannot be used (malformed URL, unsupported scheme, broken PAC). */
export class ProxyConfigError extends Error {
  constructor(readonly text: Localized) {
    super(text.en);
    this.name = 'ProxyConfigError';
  }
}

/**
 * How this machine would reach `target`, in this order: --no-proxy / --proxy;
 * the environment (HTTPS_PROXY, https_proxy, ALL_PROXY, with NO_PROXY);
 * otherwise direct.
 */
export async function resolveProxy(ctx: ProxyResolutionContext, target: URL): Promise<ProxyDecision> {
  const { options } = ctx;
  if (options.noProxy) return { mode: 'direct', source: 'option' };
  if (options.proxy) return { mode: 'http', url: parseProxyUrl(options.proxy, '--proxy'), source: 'option' };
  const fromEnv = proxyFromEnv(ctx.system.env, target);
  if (fromEnv) return fromEnv;
  return { mode: 'direct', source: 'none' };
}

/** The first non-empty of the variables curl and most tools read, scheme-specific first. */
function proxyFromEnv(env: Readonly<Record<string, string | undefined>>, target: URL): ProxyDecision | undefined {
  const names = target.protocol === 'https:' ? ['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy'] : ['http_proxy', 'HTTP_PROXY', 'ALL_PROXY', 'all_proxy'];
  const name = names.find((n) => (env[n] ?? '').trim() !== '');
  if (!name) return undefined;
  const noProxy = env.NO_PROXY ?? env.no_proxy ?? '';
  if (noProxyMatches(noProxy, target)) return { mode: 'direct', source: 'env' };
  return { mode: 'http', url: parseProxyUrl(env[name]!.trim(), name), source: 'env' };
}

/** A proxy URL as tools accept it: "host:port" means http://host:port. Only HTTP CONNECT proxies are supported. */
export function parseProxyUrl(value: string, from: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ProxyConfigError(
      msg(`Proxyinställningen i ${from} är inte en giltig adress.`, `The proxy setting in ${from} is not a valid address.`),
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyConfigError(
      msg(
        `Proxyn i ${from} använder ${url.protocol.replace(':', '')}, men bara HTTP-proxyer (CONNECT) stöds.`,
        `The proxy in ${from} uses ${url.protocol.replace(':', '')}, but only HTTP (CONNECT) proxies are supported.`,
      ),
    );
  }
  if (!url.hostname) {
    throw new ProxyConfigError(msg(`Proxyn i ${from} saknar värdnamn.`, `The proxy in ${from} has no host name.`));
  }
  return url;
}

/**
 * NO_PROXY the way curl reads it: comma- or space-separated entries; "*"
 * matches everything; "example.se" and ".example.se" match the domain and
 * its subdomains; an entry may carry a port; IPv4 and IPv6 addresses match
 * exactly and IPv4 CIDR ranges by prefix.
 */
export function noProxyMatches(noProxy: string, target: URL): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(entry.includes(':') && isIP(entry) === 6 ? `[${entry}]` : entry);
    if (!m) continue;
    const [, name = '', entryPort] = m;
    if (entryPort && entryPort !== port) continue;
    if (name.includes('/')) {
      if (isIP(host) === 4 && inCidr4(host, name)) return true;
      continue;
    }
    const bare = name.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

function inCidr4(address: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!base || isIP(base) !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const toInt = (ip: string) => ip.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (toInt(address) & mask) === (toInt(base) & mask);
}
