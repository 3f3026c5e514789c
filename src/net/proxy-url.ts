import { msg, type Localized } from '../i18n/index.js';

/** A proxy setting that cannot be used (malformed URL, unsupported scheme, broken PAC). */
export class ProxyConfigError extends Error {
  constructor(readonly text: Localized) {
    super(text.en);
    this.name = 'ProxyConfigError';
  }
}

/**
 * A proxy URL as tools accept it: "host:port" means http://host:port.
 * http: proxies get a CONNECT tunnel; https: proxies are spoken to over TLS
 * first. SOCKS is not supported.
 */
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
