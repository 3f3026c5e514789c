/** ISO/IEC 7816-3 limits an ATR to 33 bytes (TS plus at most 32). */
export const MAX_ATR_LENGTH = 33;

/** "3B 7D 96 00 ...": upper-case hex bytes separated by spaces, as pcsc_scan and smartcard_list.txt write them. */
export function formatAtr(atr: Uint8Array): string {
  return Buffer.from(atr).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');
}

/** Accepts "3B7D96...", "3B 7D 96 ...", "3b:7d:96:..."; undefined for anything else. */
export function parseAtrHex(text: string): Buffer | undefined {
  const hex = text.replace(/[\s:]/g, '');
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(hex)) return undefined;
  return Buffer.from(hex, 'hex');
}

export type AtrProblem = 'empty' | 'too-long' | 'bad-ts' | 'truncated' | 'bad-checksum';

export interface AtrInfo {
  /** Undefined when the ATR is well formed. */
  readonly problem?: AtrProblem;
  /** Transmission protocols offered (0 for T=0, 1 for T=1, ...). */
  readonly protocols: readonly number[];
  readonly historicalBytes: Buffer;
}

/**
 * Walk the ATR structure (TS, T0, the TA/TB/TC/TD chains, historical bytes,
 * TCK). Never reads past the end: a malformed ATR is reported, not thrown.
 */
export function analyseAtr(atr: Uint8Array): AtrInfo {
  const bytes = Buffer.from(atr);
  const empty = Buffer.alloc(0);
  if (bytes.length === 0) return { problem: 'empty', protocols: [], historicalBytes: empty };
  if (bytes.length > MAX_ATR_LENGTH) return { problem: 'too-long', protocols: [], historicalBytes: empty };
  if (bytes[0] !== 0x3b && bytes[0] !== 0x3f) return { problem: 'bad-ts', protocols: [], historicalBytes: empty };
  if (bytes.length < 2) return { problem: 'truncated', protocols: [], historicalBytes: empty };
  const t0 = bytes[1]!;
  const historicalCount = t0 & 0x0f;
  const protocols = new Set<number>();
  let y = t0 >> 4;
  let i = 2;
  let firstTd = true;
  for (;;) {
    // Each set bit of Y announces one interface byte: TA, TB, TC, then TD.
    i += ((y & 1) + ((y >> 1) & 1) + ((y >> 2) & 1));
    if (!(y & 8)) break;
    if (i >= bytes.length) return { problem: 'truncated', protocols: [...protocols], historicalBytes: empty };
    const td = bytes[i++]!;
    protocols.add(td & 0x0f);
    firstTd = false;
    y = td >> 4;
  }
  // Without TD1 the card speaks T=0 only.
  if (firstTd) protocols.add(0);
  const historicalEnd = i + historicalCount;
  if (historicalEnd > bytes.length) return { problem: 'truncated', protocols: [...protocols], historicalBytes: empty };
  const historicalBytes = bytes.subarray(i, historicalEnd);
  // TCK is present when any protocol other than T=0 is offered; XOR of T0..TCK is zero.
  const needsTck = [...protocols].some((p) => p !== 0);
  if (needsTck) {
    if (historicalEnd >= bytes.length) return { problem: 'truncated', protocols: [...protocols], historicalBytes };
    let check = 0;
    for (let k = 1; k <= historicalEnd; k++) check ^= bytes[k]!;
    if (check !== 0) return { problem: 'bad-checksum', protocols: [...protocols], historicalBytes };
  }
  return { protocols: [...protocols].sort(), historicalBytes };
}
