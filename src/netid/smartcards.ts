import type { RegKey } from './reg-query.js';

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
