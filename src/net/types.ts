/** Where the proxy setting that applies came from. */
export type ProxySource =
  | 'option' // --proxy or --no-proxy
  | 'env' // HTTPS_PROXY, https_proxy, ALL_PROXY (with NO_PROXY)
  | 'pac' // a PAC script: --pac, or AutoConfigURL
  | 'windows-user' // HKCU Internet Settings
  | 'windows-winhttp' // netsh winhttp show proxy
  | 'macos' // scutil --proxy
  | 'none'; // nothing configured: direct

/** How to reach one target URL. */
export interface ProxyDecision {
  readonly mode: 'direct' | 'http';
  /** The proxy, with credentials when configured. Use it; never print it (print `proxyForDisplay`). */
  readonly url?: URL;
  readonly source: ProxySource;
  /** The PAC script's location when one decided. */
  readonly pac?: string;
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
