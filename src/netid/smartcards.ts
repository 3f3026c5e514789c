import type { ProbeContext } from '../model.js';
import type { RegKey } from './reg-query.js';
import { regQuery, system32 } from './windows-registry.js';

const SMART_CARDS = 'HKLM\\SOFTWARE\\Microsoft\\Cryptography\\Calais\\SmartCards';
const SMART_CARDS_32 = 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Cryptography\\Calais\\SmartCards';

/**
 * Smart cards Windows knows, from `reg query HKLM\SOFTWARE\Microsoft\
 * Cryptography\Calais\SmartCards /s`: one subkey per card type with its ATR
 * and ATRMask (REG_BINARY, printed as hex), and the minidriver in the value
 * named 80000001 (Microsoft, "Smart Card Minidriver Specification",
 * registration). A card matches when its ATR, masked, equals the entry's.
 */
export interface KnownCard {
  readonly name: string;
  readonly atr: Buffer;
  readonly mask?: Buffer;
  readonly minidriver?: string;
}

export function parseSmartCards(keys: readonly RegKey[], root: string): KnownCard[] {
  const prefix = root.toLowerCase() + '\\';
  const cards: KnownCard[] = [];
  for (const key of keys) {
    if (!key.path.toLowerCase().startsWith(prefix)) continue;
    const value = (name: string): { type: string; data: string } | undefined => key.values.find((v) => v.name.toLowerCase() === name.toLowerCase());
    const atr = value('ATR');
    if (!atr || atr.type !== 'REG_BINARY' || !/^[0-9a-f]+$/i.test(atr.data) || atr.data.length % 2) continue;
    const mask = value('ATRMask');
    const driver = value('80000001');
    cards.push({
      name: key.path.slice(prefix.length),
      atr: Buffer.from(atr.data, 'hex'),
      ...(mask && mask.type === 'REG_BINARY' && /^([0-9a-f]{2})+$/i.test(mask.data) ? { mask: Buffer.from(mask.data, 'hex') } : {}),
      ...(driver && (driver.type === 'REG_SZ' || driver.type === 'REG_EXPAND_SZ') && driver.data.trim() ? { minidriver: driver.data.trim() } : {}),
    });
  }
  return cards;
}

/** "3B 7F 96 ..." as bytes. */
export function atrBytes(hex: string): Buffer | undefined {
  const clean = hex.replace(/[\s:]/g, '');
  return /^([0-9a-f]{2})+$/i.test(clean) ? Buffer.from(clean, 'hex') : undefined;
}

export function atrMatches(atr: Buffer, card: KnownCard): boolean {
  if (atr.length !== card.atr.length) return false;
  const mask = card.mask && card.mask.length === atr.length ? card.mask : Buffer.alloc(atr.length, 0xff);
  for (let i = 0; i < atr.length; i++) if ((atr[i]! & mask[i]!) !== (card.atr[i]! & mask[i]!)) return false;
  return true;
}

/** The cards Windows knows, 64- and 32-bit registrations; the reason as a string when reg.exe cannot answer. */
export async function readSmartCards(ctx: ProbeContext): Promise<KnownCard[] | string> {
  const roots = [SMART_CARDS, SMART_CARDS_32];
  const reads = await Promise.all(roots.map((key) => regQuery(ctx, system32(ctx.system.env, 'reg.exe'), [key, '/s'])));
  if (reads[0]!.kind === 'failed') return reads[0]!.reason;
  return reads.flatMap((read, i) => (read.kind === 'keys' ? parseSmartCards(read.keys, roots[i]!.replace(/^HKLM/, 'HKEY_LOCAL_MACHINE')) : []));
}
