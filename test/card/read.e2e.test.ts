import { expect, it } from 'vitest';
import { INS } from '../../src/card/apdu.js';
import { CardReadError } from '../../src/card/errors.js';
import { readCardCertificatesFromReader } from '../../src/card/read-certificates.js';
import { useCardBench } from '../helpers/card-bench.js';
import { PCSC_PREREQUISITES } from '../helpers/pcscd.js';
import { describeWith } from '../helpers/prereq.js';
import { testPki } from '../helpers/pki.js';
import { Iso7816Card } from '../emulator/iso7816-card.js';
import { cardWithoutPkcs15, SITHS_TEST_ATR, sithsTestCard } from '../emulator/pkcs15-image.js';

const READ_ONLY = new Set<number>(Object.values(INS));

describeWith('reading certificates through pcscd, vpcd and the emulated SITHS TEST card', PCSC_PREREQUISITES, () => {
  const bench = useCardBench();

  it('returns every certificate byte-identical to the TEST PKI files, sending nothing but reads', async () => {
    const pki = testPki();
    const card = await bench().insert({ atr: SITHS_TEST_ATR, applet: new Iso7816Card(sithsTestCard().mf) });
    try {
      const read = await readCardCertificatesFromReader(bench().pcsc, bench().reader(0), { timeoutMs: 5000 });
      const expected = ['card-hsa-auth-valid', 'card-hsa-sign-valid', 'card-pnr-auth-valid', 'card-pnr-sign-valid', 'siths-root', 'siths-hsa-ca', 'siths-id-ca'];
      expect(read.certificates.map((c) => c.der.toString('base64'))).toEqual(expected.map((name) => pki.der(name).toString('base64')));
      expect(read.certificates.map((c) => [c.source, c.authority])).toEqual([...Array(4).fill(['certificates', false]), ...Array(3).fill(['trusted', true])]);
      expect(read.apduCount).toBe(card.apdus.length);
      const instructions = card.instructions();
      expect(instructions.filter((ins) => !READ_ONLY.has(ins))).toEqual([]);
      expect(instructions).not.toContain(0x20);
      expect(card.apdus.every((r) => r.response !== undefined)).toBe(true);
    } finally {
      await bench().remove(card);
    }
  });

  it('says the layout is not supported, with the ATR, for a card without PKCS#15', async () => {
    const card = await bench().insert({ atr: SITHS_TEST_ATR, applet: new Iso7816Card(cardWithoutPkcs15()) });
    try {
      const err = await readCardCertificatesFromReader(bench().pcsc, bench().reader(0), { timeoutMs: 5000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CardReadError);
      expect(err).toMatchObject({ kind: 'layout-not-supported', atr: '3B 7F 96 00 00 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00' });
    } finally {
      await bench().remove(card);
    }
  });

  it('reports a malformed certificate directory', async () => {
    const image = sithsTestCard({ replace: { 0x4404: Buffer.from('30820fff300302', 'hex') } });
    const card = await bench().insert({ atr: SITHS_TEST_ATR, applet: new Iso7816Card(image.mf) });
    try {
      await expect(readCardCertificatesFromReader(bench().pcsc, bench().reader(0), { timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'malformed' });
    } finally {
      await bench().remove(card);
    }
  });

  it('ends with a clear error, within the time limit, when the card is pulled out mid-read', async () => {
    const card = await bench().insert({ atr: SITHS_TEST_ATR, applet: new Iso7816Card(sithsTestCard().mf) });
    card.pullOutOnApdu(20);
    const started = performance.now();
    const err = await readCardCertificatesFromReader(bench().pcsc, bench().reader(0), { timeoutMs: 3000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CardReadError);
    expect((err as CardReadError).kind).toBe('card-removed');
    expect(performance.now() - started).toBeLessThan(3000 + 2000);
    expect(card.apdus).toHaveLength(20);
    await bench().waitForCard(0, (state) => state === 'absent');
  });

  it('ends with a time-out when the card stops answering in the middle', async () => {
    const card = await bench().insert({ atr: SITHS_TEST_ATR, applet: new Iso7816Card(sithsTestCard().mf) });
    try {
      const applet = card.applet;
      let answered = 0;
      card.applet = { reset: () => applet.reset(), process: (apdu) => (++answered > 10 ? undefined : applet.process(apdu)) };
      const started = performance.now();
      const err = await readCardCertificatesFromReader(bench().pcsc, bench().reader(0), { timeoutMs: 1000 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'timeout' });
      expect(performance.now() - started).toBeLessThan(1000 + 3000);
    } finally {
      await bench().remove(card);
    }
  });
});
