import type { Localized } from '../i18n/index.js';

/** Where the proxy setting that applies came from. */
export type ProxySource =
  | 'option' // --proxy, --no-proxy or --pac
  | 'env' // HTTPS_PROXY, https_proxy, ALL_PROXY (with NO_PROXY)
  | 'pac' // a PAC script decided (pacSource says where the script was set)
  | 'windows-user' // HKCU Internet Settings
  | 'windows-winhttp' // netsh winhttp show proxy
  | 'macos' // scutil --proxy
  | 'none'; // nothing configured: direct

/** How to reach one target URL. */
export interface ProxyDecision {
  /** 'http': through an HTTP CONNECT proxy (spoken to over TLS when `url` is https:). */
  readonly mode: 'direct' | 'http';
  /** The proxy, with credentials when configured. Use it; never print it (print `proxyForDisplay`). */
  readonly url?: URL;
  readonly source: ProxySource;
  /**
   * The exact setting within the source, so IT knows what to change: the
   * environment variable (HTTPS_PROXY, https_proxy, ALL_PROXY, NO_PROXY), the
   * Internet Settings value (ProxyServer, ProxyOverride) or WinHTTP.
   */
  readonly setting?: string;
  /** The PAC script's location when one decided. */
  readonly pac?: string;
  /** Where the PAC script was set: --pac ('option'), Windows AutoConfigURL ('windows-user') or macOS ('macos'). */
  readonly pacSource?: ProxySource;
  /** The PAC script's answer, as it gave it ("PROXY p:3128; DIRECT"). */
  readonly pacResult?: string;
  /** Things worth knowing about this route (an entry skipped, a setting not evaluated). */
  readonly notes?: readonly Localized[];
  /** The PAC answer's further usable entries, in order: tried when this route's proxy does not answer. */
  readonly fallbacks?: readonly ProxyDecision[];
}

/** A proxy URL without its credentials, for reports. */
export function proxyForDisplay(url: URL | undefined): string | undefined {
  if (!url) return undefined;
  const shown = new URL(url.href);
  const hadCredentials = shown.username !== '' || shown.password !== '';
  shown.username = '';
  shown.password = '';
  const text = shown.href.replace(/\/$/, '');
  return hadCredentials ? text.replace('://', '://***@') : text;
}

/** A location (a PAC script's URL) for reports: any user:password@ in it hidden, anything else as given. */
export function locationForDisplay(location: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(location)) return location;
  try {
    return proxyForDisplay(new URL(location)) ?? location;
  } catch {
    return location.replace(/\/\/[^/]*@/, '//***@');
  }
}
