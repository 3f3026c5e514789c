/**
 * Windows proxy settings as the tools print them: the user's Internet
 * Settings (WinINet, what Edge and Chrome use) from `reg query`, and the
 * machine's WinHTTP proxy from `netsh winhttp show proxy`.
 */

export const INTERNET_SETTINGS_KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings';

export interface WinInetSettings {
  readonly proxyEnable: boolean;
  readonly proxyServer?: string;
  readonly proxyOverride?: string;
  readonly autoConfigUrl?: string;
}

/**
 * The values of one key from `reg query KEY` (no /s): lines of
 * "    Name    REG_TYPE    data", four spaces apart; names may hold spaces.
 * Subkeys, listed after the values, start with HKEY_ and are ignored.
 */
export function parseRegValues(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line);
    if (m) values.set(m[1]!.toLowerCase(), (m[3] ?? '').trim());
  }
  return values;
}

export function winInetSettings(stdout: string): WinInetSettings {
  const values = parseRegValues(stdout);
  const text = (name: string): string | undefined => {
    const v = values.get(name.toLowerCase());
    return v ? v : undefined;
  };
  const enable = text('ProxyEnable');
  return {
    proxyEnable: enable !== undefined && Number(enable) !== 0,
    ...(text('ProxyServer') ? { proxyServer: text('ProxyServer') } : {}),
    ...(text('ProxyOverride') ? { proxyOverride: text('ProxyOverride') } : {}),
    ...(text('AutoConfigURL') ? { autoConfigUrl: text('AutoConfigURL') } : {}),
  };
}

export interface WinHttpSettings {
  readonly proxyServer?: string;
  readonly bypassList?: string;
}

/**
 * `netsh winhttp show proxy` in any display language: the heading, then
 * either one sentence ("Direct access (no proxy server).") or two
 * "label : value" lines, proxy servers first and the bypass list second.
 * Labels are translated (and arrive in the console's code page), so only the
 * shape is trusted, never the words. "(none)" in any language is empty.
 */
export function winHttpSettings(stdout: string): WinHttpSettings {
  const fields: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^\s+\S.*?\s*:\s+(\S.*?)\s*$/.exec(line);
    if (m) fields.push(m[1]!);
  }
  const value = (v: string | undefined) => (v === undefined || /^\(.*\)$/.test(v) ? undefined : v);
  const proxyServer = value(fields[0]);
  const bypassList = value(fields[1]);
  return { ...(proxyServer ? { proxyServer } : {}), ...(bypassList ? { bypassList } : {}) };
}

/** What a Windows proxy server list says for one URL scheme. */
export type ServerListChoice = { readonly kind: 'proxy'; readonly server: string } | { readonly kind: 'direct' } | { readonly kind: 'socks'; readonly server: string };

/**
 * A ProxyServer value: "host:port" for every scheme, or per scheme as
 * "http=host:port;https=host:port;socks=host:port". With a per-scheme list,
 * a scheme without an entry goes direct, unless a socks= entry catches it.
 */
export function serverForScheme(list: string, protocol: string): ServerListChoice {
  const items = list.split(/[;\s]+/).filter(Boolean);
  if (!items.some((item) => item.includes('='))) return { kind: 'proxy', server: items[0] ?? '' };
  const scheme = protocol.replace(/:$/, '').toLowerCase();
  const entries = new Map(items.map((item) => {
    const [key = '', ...rest] = item.split('=');
    return [key.toLowerCase(), rest.join('=')] as const;
  }));
  const own = entries.get(scheme);
  if (own) return { kind: 'proxy', server: own };
  const socks = entries.get('socks');
  if (socks) return { kind: 'socks', server: socks };
  return { kind: 'direct' };
}

/** ProxyOverride and WinHTTP bypass lists separate entries with semicolons (spaces and commas seen too). */
export function splitBypassList(list: string | undefined): string[] {
  return (list ?? '').split(/[;,\s]+/).filter(Boolean);
}
