import { counted, type Localized } from '../i18n/index.js';
import { attributeOf } from './dn.js';

/** The domain the advice asks IT to exempt from inspection. */
export function bypassName(host: string): string {
  return host === 'idp.funktionstjanster.se' || host.endsWith('.idp.funktionstjanster.se') ? '*.idp.funktionstjanster.se' : host;
}

/** "TEST Region Test Proxy CA (Region Test (TEST))": the common name, with the organisation when it adds something. */
export function shortName(displayName: string): string {
  const cn = attributeOf(displayName, 'CN');
  const o = attributeOf(displayName, 'O');
  if (!cn) return o ?? displayName;
  return o && !cn.includes(o) ? `${cn} (${o})` : cn;
}

export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** "1 certificate authority" / "2 certificate authorities", in both languages ("utfärdare" is both). */
export function authorities(count: number): Localized {
  return counted(count, { one: 'utfärdare', other: 'utfärdare' }, { one: 'certificate authority', other: 'certificate authorities' });
}
