import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSmartcardList, lookUpAtr, MAX_LIST_BYTES, parseSmartcardList, SMARTCARD_LIST_PATHS } from '../../src/card/smartcard-list.js';
import { cardProbe } from '../../src/probes/card.js';
import { pcscServiceProbe } from '../../src/probes/pcsc-service.js';
import { readerProbe } from '../../src/probes/reader.js';
import { realPlatform, type FileSystem } from '../../src/system.js';
import { runMain, type JsonCheck } from '../helpers/cli.js';
import { recordedPcsc } from '../helpers/recorded-pcsc.js';

/** The real list from Debian's pcsc-tools package (.ci/run installs it). */
const REAL_LIST = '/usr/share/pcsc/smartcard_list.txt';
const haveList = existsSync(REAL_LIST);
const SWEDBANK_VISA = '3B 67 00 00 7C 20 40 34 2B 90 00';

/** A file system holding only the given files (everything else is "not there"). */
function filesOnly(files: Record<string, Buffer | string>): FileSystem {
  return {
    async stat(path) {
      const f = files[path];
      return f === undefined ? undefined : { isFile: true, isDirectory: false, size: Buffer.byteLength(f), mtime: new Date(0) };
    },
    async readFile(path) {
      const f = files[path];
      if (f === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return Buffer.from(f);
    },
    async readdir() {
      return [];
    },
  };
}

async function cardCheck(atr: string, fs: FileSystem): Promise<JsonCheck> {
  const run = await runMain(['check', 'card', '--format', 'json'], [pcscServiceProbe, readerProbe, cardProbe], {
    system: { pcsc: recordedPcsc({ readers: [{ name: 'OMNIKEY 3x21 0', card: 'present', atr }] }), platform: { ...realPlatform(), os: 'linux' }, fs },
  });
  return (JSON.parse(run.stdout) as { checks: JsonCheck[] }).checks.find((c) => c.id === 'card')!;
}

describe("pcsc-tools' smartcard_list.txt, the real file", () => {
  // Without the package the test must fail in CI, never pass by skipping.
  it.skipIf(!haveList && !process.env.CI)('is installed where the card check looks for it', () => {
    expect(haveList).toBe(true);
    expect(SMARTCARD_LIST_PATHS).toContain(REAL_LIST);
  });

  it.skipIf(!haveList && !process.env.CI)('parses every entry of the real list and names a bank card as the list does', () => {
    const text = readFileSync(REAL_LIST, 'utf8');
    const entries = parseSmartcardList(text);
    const patterns = text.split('\n').filter((l) => /^[0-9A-F]/.test(l)).length;
    // Every pattern line of the real list is understood (none is skipped as garbage).
    expect(entries.length).toBe(patterns);
    expect(lookUpAtr(entries, SWEDBANK_VISA)?.descriptions).toEqual(['Swedbank Visa card']);
    // Patterns with classes and wildcards: "3B 67 25 00 2A 20 00 4[05] 68 90 00".
    expect(lookUpAtr(entries, '3B 67 25 00 2A 20 00 45 68 90 00')?.descriptions).toEqual(['Swedish cashcard (proton)']);
  });

  it.skipIf(!haveList && !process.env.CI)('the card check names an unknown card from it: a Swedbank Visa card, not "unknown card"', async () => {
    const check = await cardCheck(SWEDBANK_VISA, filesOnly({ [REAL_LIST]: readFileSync(REAL_LIST) }));
    expect(check.status).toBe('warn');
    expect(check.summary).toBe(`Card in “OMNIKEY 3x21 0” that, by pcsc-tools' list of cards, looks like: Swedbank Visa card (ATR ${SWEDBANK_VISA}). It is not a SITHS card.`);
    expect(check.advice).toContain('not a bank card');
    expect((check.details as { cards: { looksLike?: string }[] }).cards[0]!.looksLike).toBe('Swedbank Visa card');
  });
});

describe('a damaged or hostile list', () => {
  it('skips garbage, regex-hostile patterns and control characters, and never throws', () => {
    const garbage = [
      '(a+)+$',
      '3B (((((((((( 00',
      '3B [^\\]]* 00',
      '\x00\x01\x02\xff binary',
      '3B 67 00 00 7C 20 40 34 2B 90 00',
      '\tSwedbank \x1b[31mVisa\x1b[0m card',
      `3B ${'.* '.repeat(500)}`,
      '\t a description without a pattern',
      '',
      '3B 02 99 51',
      '',
    ].join('\n');
    const entries = parseSmartcardList(garbage);
    expect(entries.map((e) => e.pattern)).toEqual(['3B 67 00 00 7C 20 40 34 2B 90 00']);
    // Terminal escapes in a description come out visible, not executed.
    expect(lookUpAtr(entries, SWEDBANK_VISA)?.descriptions[0]).toBe('Swedbank \\x1b[31mVisa\\x1b[0m card');
    expect(lookUpAtr(entries, '3B 02 99 51')).toBeUndefined();
  });

  it('reads nothing past the size bound, and a missing or garbage list only leaves the card unnamed', async () => {
    const huge = { isFile: true, isDirectory: false, size: MAX_LIST_BYTES + 1, mtime: new Date(0) };
    const fs: FileSystem = { stat: async () => huge, readFile: async () => { throw new Error('must not be read'); }, readdir: async () => [] };
    expect(await loadSmartcardList(fs)).toBeUndefined();
    const none = await cardCheck(SWEDBANK_VISA, filesOnly({}));
    expect(none.summary).toBe(`Unknown card in “OMNIKEY 3x21 0” (ATR ${SWEDBANK_VISA}).`);
    const random = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 256));
    const damaged = await cardCheck(SWEDBANK_VISA, filesOnly({ [REAL_LIST]: random }));
    expect(damaged.status).toBe('warn');
    expect(damaged.summary).toBe(`Unknown card in “OMNIKEY 3x21 0” (ATR ${SWEDBANK_VISA}).`);
  });
});
