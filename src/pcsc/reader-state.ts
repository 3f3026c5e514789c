import type { CardPresence, ReaderState } from './types.js';

/** SCARD_STATE_* bits (the same in pcsc-lite, macOS and Windows). */
export const SCARD_STATE = {
  UNAWARE: 0x0000,
  IGNORE: 0x0001,
  CHANGED: 0x0002,
  UNKNOWN: 0x0004,
  UNAVAILABLE: 0x0008,
  EMPTY: 0x0010,
  PRESENT: 0x0020,
  ATRMATCH: 0x0040,
  EXCLUSIVE: 0x0080,
  INUSE: 0x0100,
  MUTE: 0x0200,
  UNPOWERED: 0x0400,
} as const;

/** pcsc-lite counts card events in the high 16 bits of the state; they say nothing about the state itself. */
export function stateFlags(raw: number): number {
  return (raw >>> 0) & 0xffff;
}

export function cardPresence(flags: number): CardPresence {
  if (flags & SCARD_STATE.PRESENT) return flags & SCARD_STATE.MUTE ? 'mute' : 'present';
  if (flags & SCARD_STATE.EMPTY) return 'absent';
  return 'unknown';
}

export function readerState(name: string, rawFlags: number, atr: Uint8Array | undefined): ReaderState {
  const flags = stateFlags(rawFlags);
  const card = cardPresence(flags);
  return {
    name,
    flags,
    card,
    // A stale ATR can linger in the structure after the card left; only a present card has one.
    atr: card === 'present' || card === 'mute' ? Buffer.from(atr ?? []) : Buffer.alloc(0),
    inUse: (flags & SCARD_STATE.INUSE) !== 0,
    exclusive: (flags & SCARD_STATE.EXCLUSIVE) !== 0,
  };
}

/** Names of the set flags that describe the state, for evidence lines: "PRESENT INUSE" (CHANGED and IGNORE say nothing). */
export function flagNames(flags: number): string {
  const names = Object.entries(SCARD_STATE)
    .filter(([name, bit]) => bit !== 0 && name !== 'CHANGED' && name !== 'IGNORE' && (flags & bit) !== 0)
    .map(([name]) => name);
  return names.length > 0 ? names.join(' ') : 'UNAWARE';
}

/**
 * pcsc-lite and WinSCard list readers as one multi-string:
 * "Reader A\0Reader B\0\0". Empty names are dropped.
 */
export function parseMultiString(data: Uint8Array): string[] {
  return Buffer.from(data)
    .toString('utf8')
    .split('\0')
    .filter((name) => name !== '');
}
