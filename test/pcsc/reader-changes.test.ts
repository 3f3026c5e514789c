import { describe, expect, it } from 'vitest';
import { kindOfCode, PcscError } from '../../src/pcsc/errors.js';
import type { WireWatchEvent } from '../../src/pcsc/host-protocol.js';
import { ReaderTracker } from '../../src/pcsc/reader-changes.js';
import { cardPresence, flagNames, parseMultiString, readerState, SCARD_STATE } from '../../src/pcsc/reader-state.js';
import { displayReaderName, readerKind } from '../../src/pcsc/reader-names.js';

const ATR = Buffer.from('3B7F96000080318065B0855956FB120FFE829000', 'hex');
const status = (reader: string, flags: number, atr = Buffer.alloc(0)): WireWatchEvent => ({ kind: 'status', reader, flags, atr });
const kinds = (tracker: ReaderTracker, events: WireWatchEvent[]): string[] =>
  events.flatMap((e) => tracker.apply(e)).map((c) => (c.kind === 'snapshot' ? `snapshot:${c.readers.map((r) => `${r.name}=${r.card}`).join(',')}` : `${c.kind}:${'reader' in c ? c.reader : ''}`));

describe('reader changes from status notifications', () => {
  it('starts with a snapshot once every listed reader has reported, then reports each change once', () => {
    const tracker = new ReaderTracker();
    // Recorded from pcscd 1.9.9 with vpcd: statuses carry CHANGED and the event counter in the high word.
    expect(
      kinds(tracker, [
        { kind: 'readers', names: ['A', 'B'] },
        status('A', 0x10022, ATR),
        status('B', 0x12),
        status('A', 0x20012),
        status('A', 0x20012),
        status('A', 0x30022, ATR),
        status('A', 0x40222, ATR),
      ]),
    ).toEqual(['snapshot:A=present,B=absent', 'card-removed:A', 'card-inserted:A', 'card-mute:A']);
  });

  it('reports readers attached and removed, and a card already in a new reader', () => {
    const tracker = new ReaderTracker();
    expect(
      kinds(tracker, [
        { kind: 'readers', names: [] },
        { kind: 'readers', names: ['A'] },
        status('A', SCARD_STATE.PRESENT, ATR),
        { kind: 'reader-gone', reader: 'A' },
        { kind: 'readers', names: [] },
      ]),
    ).toEqual(['snapshot:', 'reader-attached:A', 'card-inserted:A', 'reader-removed:A']);
  });

  it('treats a swapped card (another ATR, no absent state in between) as removed and inserted', () => {
    const tracker = new ReaderTracker();
    const other = Buffer.from('3B021450', 'hex');
    expect(kinds(tracker, [{ kind: 'readers', names: ['A'] }, status('A', SCARD_STATE.PRESENT, ATR), status('A', SCARD_STATE.PRESENT, other)])).toEqual([
      'snapshot:A=present',
      'card-removed:A',
      'card-inserted:A',
    ]);
  });

  it('ignores the errors of a dying service (the watch ends on its own error) but drops a reader that fails alone', () => {
    const tracker = new ReaderTracker();
    tracker.apply({ kind: 'readers', names: ['A', 'B'] });
    tracker.apply(status('A', SCARD_STATE.EMPTY));
    tracker.apply(status('B', SCARD_STATE.EMPTY));
    expect(tracker.apply({ kind: 'reader-error', reader: 'A', error: { kind: 'no-service', message: 'RPC transport error' } })).toEqual([]);
    expect(tracker.apply({ kind: 'reader-error', reader: 'B', error: { kind: 'unknown-reader', message: 'gone' } })).toEqual([{ kind: 'reader-removed', reader: 'B' }]);
  });
});

describe('reader states and names', () => {
  it('derives the card presence from the flags, ignoring the event counter', () => {
    expect(cardPresence(SCARD_STATE.EMPTY)).toBe('absent');
    expect(cardPresence(SCARD_STATE.PRESENT | SCARD_STATE.INUSE)).toBe('present');
    expect(cardPresence(SCARD_STATE.PRESENT | SCARD_STATE.MUTE)).toBe('mute');
    expect(cardPresence(SCARD_STATE.UNKNOWN)).toBe('unknown');
    expect(readerState('A', 0x00050022, ATR)).toMatchObject({ flags: 0x22, card: 'present', atr: ATR });
    // A stale ATR is not a card.
    expect(readerState('A', SCARD_STATE.EMPTY, ATR).atr.length).toBe(0);
    expect(flagNames(0x322)).toBe('PRESENT INUSE MUTE');
  });

  it('splits the reader multi-string, dropping empty names', () => {
    expect(parseMultiString(Buffer.from('Reader A\0Reader B\0\0'))).toEqual(['Reader A', 'Reader B']);
    expect(parseMultiString(Buffer.alloc(0))).toEqual([]);
  });

  it('tells virtual readers from card readers', () => {
    for (const name of ['Windows Hello for Business 1', 'Microsoft UICC ISO Reader 5ed4d0a3 0', 'Microsoft Virtual Smart Card 0']) expect(readerKind(name), name).toBe('virtual');
    for (const name of ['Alcor Micro USB Smart Card Reader 0', 'Microsoft Usbccid Smartcard Reader (WUDF) 0', 'Virtual PCD 00 00', 'HID Global OMNIKEY 3x21 Smart Card Reader [OMNIKEY 3x21 Smart Card Reader] 00 00']) {
      expect(readerKind(name), name).toBe('card-reader');
    }
  });

  it('shows odd reader names safely: control characters escaped, personal-data markers defused, long names cut', () => {
    expect(displayReaderName('Reader\n\u0007 1')).toBe('Reader\\u000a\\u0007 1');
    expect(displayReaderName('R \uE000name\uE001x\uE002')).toBe('R \\ue000name\\ue001x\\ue002');
    expect([...displayReaderName('Ü'.repeat(500))].length).toBe(120);
    expect(displayReaderName('Läsare – ”kontor”')).toBe('Läsare – ”kontor”');
  });
});

describe('PC/SC error codes', () => {
  it('maps the codes the PC/SC library returns to plain causes, and names them', () => {
    expect(PcscError.fromCode(0x8010001d, 'SCardEstablishContext')).toMatchObject({ kind: 'no-service', code: 0x8010001d, codeName: 'SCARD_E_NO_SERVICE', message: 'SCardEstablishContext: SCARD_E_NO_SERVICE (0x8010001D)' });
    // Windows returns LONG as a negative 32-bit number.
    expect(PcscError.fromCode(0x80100068 | 0, 'SCardTransmit')).toMatchObject({ kind: 'reset-card', code: 0x80100068 });
    expect(PcscError.fromCode(0x80100123, 'SCardTransmit').message).toBe('SCardTransmit: 0x80100123');
    expect(PcscError.fromCode(0x80100013, 'SCardConnect').kind).toBe('no-service');
    expect(PcscError.fromCode(0x80100069, 'SCardConnect').kind).toBe('removed-card');
    expect(PcscError.fromCode(0x80100066, 'SCardConnect').kind).toBe('mute-card');
    expect(PcscError.fromCode(0x80100067, 'SCardConnect').kind).toBe('mute-card');
    expect(PcscError.fromCode(0x80100009, 'SCardConnect').kind).toBe('unknown-reader');
    expect(PcscError.fromCode(0x8010000b, 'SCardConnect').kind).toBe('sharing-violation');
    expect(kindOfCode(0x8010002e)).toBe('no-readers');
    expect(kindOfCode(0x8010000a)).toBe('timeout');
    expect(kindOfCode(0x8010006a)).toBe('access-denied');
  });
});
