import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseAtr, formatAtr, MAX_ATR_LENGTH, parseAtrHex } from '../../src/card/atr.js';
import { identifyAtr, KNOWN_ATRS } from '../../src/card/atr-table.js';

const hex = (text: string): Buffer => parseAtrHex(text)!;

describe('ATR analysis', () => {
  it('reads the structure of real ATRs', () => {
    // Telia EID IP5a: TA1 TB1 TC1, no TD1, so T=0 only, 13 historical bytes.
    const telia = analyseAtr(hex('3B 7D 96 00 00 80 31 80 65 B0 A3 11 01 F3 83 00 90 00'));
    expect(telia).toEqual({ protocols: [0], historicalBytes: hex('80 31 80 65 B0 A3 11 01 F3 83 00 90 00') });
    // An IDPrime in a T=1 reader: TD1 and TD2 chains and a check byte.
    const eToken = analyseAtr(hex('3B FF 96 00 00 81 31 FE 43 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00 00'));
    expect(eToken.problem).toBeUndefined();
    expect(eToken.protocols).toEqual([1]);
    expect(eToken.historicalBytes).toEqual(hex('80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00'));
  });

  it('names what is wrong with a malformed ATR (recorded: empty, too long, cut, bad TS, bad check byte)', () => {
    expect(analyseAtr(Buffer.alloc(0)).problem).toBe('empty');
    expect(analyseAtr(Buffer.concat([hex('3B 7F'), Buffer.alloc(38, 0x11)])).problem).toBe('too-long');
    expect(analyseAtr(hex('3B 7D 96 00 00 80 31')).problem).toBe('truncated');
    expect(analyseAtr(hex('3B')).problem).toBe('truncated');
    expect(analyseAtr(hex('00 7D 96 00 00')).problem).toBe('bad-ts');
    expect(analyseAtr(hex('3B FF 96 00 00 81 31 FE 43 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00 1A')).problem).toBe('bad-checksum');
  });

  it('never throws and never reads past the end, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const info = analyseAtr(bytes);
        expect(info.historicalBytes.length).toBeLessThanOrEqual(Math.min(bytes.length, 15));
        if (bytes.length > MAX_ATR_LENGTH) expect(info.problem).toBe('too-long');
      }),
      { numRuns: 2000 },
    );
  });

  it('formats and parses hex the way pcsc_scan writes it', () => {
    expect(formatAtr(hex('3b7d96'))).toBe('3B 7D 96');
    expect(formatAtr(Buffer.alloc(0))).toBe('');
    expect(parseAtrHex('3b:7d:96')).toEqual(hex('3B7D96'));
    expect(parseAtrHex('3B 7')).toBeUndefined();
    expect(parseAtrHex('zz')).toBeUndefined();
  });
});

describe('known ATRs', () => {
  it('knows the Telia EID IP5a card of the issue and IDPrime cards', () => {
    expect(identifyAtr(hex('3B 7D 96 00 00 80 31 80 65 B0 A3 11 01 F3 83 00 90 00'))).toMatchObject({ name: 'Telia EID IP5a', family: 'telia' });
    expect(identifyAtr(hex('3B 7F 96 00 00 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00'))).toMatchObject({ name: 'Thales IDPrime 940', family: 'idprime' });
    expect(identifyAtr(hex('3B 7D 96 00 00 80 31 80 65 B0 A3 11 00 C8 83 00 00 00'))).toMatchObject({ family: 'bank' });
  });

  it('matches through a mask: IDPrime revisions differ in the masked bytes', () => {
    // Byte 2 (TA1) and the chip revision bytes are free in OpenSC's IDPrime 940 mask.
    expect(identifyAtr(hex('3B 7F 18 00 00 80 31 80 65 B0 85 11 22 33 12 AA BB 82 90 00'))?.name).toBe('Thales IDPrime 940');
    expect(identifyAtr(hex('3B 7F 96 00 00 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 01'))).toBeUndefined();
  });

  it('does not know an unknown card, nor empty or too-long ATRs', () => {
    expect(identifyAtr(hex('3B 02 14 50'))).toBeUndefined();
    expect(identifyAtr(Buffer.alloc(0))).toBeUndefined();
    expect(identifyAtr(Buffer.alloc(40, 0x3b))).toBeUndefined();
  });

  it('has well-formed entries, each with its source', () => {
    for (const entry of KNOWN_ATRS) {
      expect(identifyAtr(hex(entry.atr)), entry.atr).toBeDefined();
      expect(entry.source).not.toBe('');
      expect(hex(entry.atr).length).toBeLessThanOrEqual(MAX_ATR_LENGTH);
    }
  });
});

describe('the ATR names the chip, not the card (real ATRs from pcsc-tools smartcard_list.txt)', () => {
  it('names the T=1 IDPrime 930/3930 ATRs as such, not as an MD 940 (eToken 5110)', () => {
    for (const atr of [
      '3B FF 96 00 00 81 31 FE 43 80 31 80 65 B0 84 61 60 FB 12 0F FD 82 90 00 0C',
      '3B FF 94 00 00 81 31 FE 43 80 31 80 65 B0 84 61 60 FB 12 0F FD 82 90 00 0E',
      '3B FF 97 00 00 81 31 FE 43 80 31 80 65 B0 84 61 60 FB 12 0F FD 82 90 00 0D',
    ]) {
      expect(identifyAtr(hex(atr)), atr).toMatchObject({ name: 'Thales IDPrime 930/3930', family: 'idprime' });
    }
    expect(identifyAtr(hex('3B FF 96 00 00 81 31 FE 43 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00 00'))?.name).toBe('Thales IDPrime MD 940 (eToken 5110)');
  });

  it('recognises the contactless IDPrime ATRs', () => {
    for (const atr of ['3B 8F 80 01 80 31 80 65 B0 84 23 27 E5 12 0F FE 82 90 00 7E', '3B 8F 80 01 80 31 80 65 B0 84 61 60 FB 12 0F FD 82 90 00 66', '3B 8F 80 01 80 31 80 65 B0 85 03 00 EF 12 0F FE 82 90 00 72']) {
      expect(identifyAtr(hex(atr)), atr).toMatchObject({ name: 'Thales IDPrime (contactless)', family: 'idprime' });
    }
  });

  it('Swedish ID cards, the Skatteverket ID card and MCA cards carry the same chip: named IDPrime, never SITHS', () => {
    for (const atr of [
      '3B 7F 96 00 00 80 31 80 65 B0 85 02 01 F3 12 0F FF 82 90 00', // Swedish National Identity Card (eID)
      '3B 7F 96 00 00 80 31 80 65 B0 85 03 00 EF 12 0F FF 82 90 00', // Swedish ID card from Skatteverket
      '3B 7F 96 00 00 80 31 80 65 B0 85 03 00 EF 12 02 F0 82 90 00', // Swedish MCA (eID)
      '3B 7F 96 00 00 80 31 80 65 B0 85 04 00 11 12 0F FF 82 90 00', // Swedish national ID card (eID)
    ]) {
      const known = identifyAtr(hex(atr));
      expect(known?.family, atr).toBe('idprime');
      expect(known?.name, atr).toMatch(/^Thales IDPrime/);
      expect(known?.name, atr).not.toMatch(/SITHS|Efos/);
    }
  });
});
