import { attributeOf } from './dn.js';

/** The domain the advice asks IT to exempt from inspection. */
export function bypassName(host: string): string {
  return host === 'idp.funktionstjanster.se' || host.endsWith('.idp.funktionstjanster.se') ? '*.idp.funktionstjanster.se' : host;
}

/**
 * Hosts known to ask for a card at the TLS handshake: the SITHS login on
 * *.idp.funktionstjanster.se is mutual TLS (../shared/DESIGN.md). For any
 * other --idp-host a missing request is only a warning.
 */
export function expectsClientCertificate(host: string): boolean {
  return bypassName(host) === '*.idp.funktionstjanster.se';
}

/** "TEST Region Test Proxy CA (Region Test (TEST))": the common name, with the organisation when it adds something. */
export function shortName(displayName: string): string {
  const cn = attributeOf(displayName, 'CN');
  const o = attributeOf(displayName, 'O');
  if (!cn) return o ?? displayName;
  return o && !cn.includes(o) ? `${cn} (${o})` : cn;
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
