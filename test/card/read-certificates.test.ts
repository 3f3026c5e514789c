import { describe, expect, it } from 'vitest';
import { INS, ReadOnlyCard } from '../../src/card/apdu.js';
import { CardReadError } from '../../src/card/errors.js';
import { readCardCertificates } from '../../src/card/read-certificates.js';
import { redactText } from '../../src/personal.js';
import { Iso7816Card, type Iso7816Options } from '../emulator/iso7816-card.js';
import { directChannel } from '../emulator/direct-channel.js';
import { cardWithoutPkcs15, SITHS_TEST_ATR, sithsTestCard, type SithsCardOptions } from '../emulator/pkcs15-image.js';
import { der, sequence } from '../emulator/der.js';

const READ_ONLY = new Set<number>(Object.values(INS));

function emulated(options: SithsCardOptions = {}, cardOptions: Iso7816Options = {}) {
  const image = sithsTestCard(options);
  const channel = directChannel(new Iso7816Card(image.mf, cardOptions), SITHS_TEST_ATR);
  return { image, channel };
}

const failure = (promise: Promise<unknown>): Promise<CardReadError> =>
  promise.then(
    () => {
      throw new Error('expected the read to fail');
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(CardReadError);
      return err as CardReadError;
    },
  );

describe('reading the certificates of a PKCS#15 card (emulated card, no pcscd)', () => {
  it('reads every certificate byte for byte, with label, iD, authority flag, directory and path', async () => {
    const { image, channel } = emulated();
    const read = await readCardCertificates(channel, { timeoutMs: 1000 });
    expect(read.certificates.map((c) => ({ label: c.label, id: c.id, authority: c.authority, source: c.source, der: c.der }))).toEqual(
      image.certificates.map((c) => ({ label: c.label, id: c.id, authority: c.authority, source: c.source, der: c.der })),
    );
    expect(read.certificates.map((c) => c.path)).toEqual([
      '3F0050154331',
      '3F0050154332',
      '3F0050154333',
      '3F0050154334',
      `3F0050154340 [0+${image.certificates[4]!.der.length}]`,
      `3F0050154340 [${image.certificates[4]!.der.length}+${image.certificates[5]!.der.length}]`,
      `3F0050154340 [${image.certificates[4]!.der.length + image.certificates[5]!.der.length}+${image.certificates[6]!.der.length}]`,
    ]);
    expect(read.certificates.every((c) => c.der.length > 256)).toBe(true);
    expect(read).toMatchObject({ reader: channel.reader, atr: '3B 7F 96 00 00 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00', apduCount: channel.log.length });
    expect(read.tokenInfo).toMatchObject({ manufacturer: 'TEST Inera AB', label: 'SITHS TEST-kort' });
  });

  it('marks the card serial number as personal data', async () => {
    const { image, channel } = emulated();
    const serial = (await readCardCertificates(channel, { timeoutMs: 1000 })).tokenInfo!.serialNumber!;
    expect(redactText(serial, true, 'en')).toBe(image.serial);
    expect(redactText(serial, false, 'sv')).toBe('[kortnummer dolt]');
  });

  it('sends only SELECT, READ BINARY and GET RESPONSE: no VERIFY, nothing that writes', async () => {
    const { channel } = emulated({}, { getResponseStyle: true });
    await readCardCertificates(channel, { timeoutMs: 1000 });
    const instructions = new Set(channel.log.map((apdu) => apdu[1]!));
    expect([...instructions].every((ins) => READ_ONLY.has(ins))).toBe(true);
    expect(instructions.has(0x20)).toBe(false);
    expect(channel.log.every((apdu) => apdu[0] === 0x00)).toBe(true);
  });

  it('refuses, in one place, to send anything but the read-only instructions', async () => {
    const { channel } = emulated();
    const card = new ReadOnlyCard(channel, { timeoutMs: 1000 });
    for (const ins of [0x20, 0x24, 0x2c, 0xd6, 0xd0, 0xda, 0xe0, 0xe4, 0x44, 0x88]) {
      await expect(card.send({ ins, p1: 0, p2: 0 })).rejects.toThrow(/only reads cards/);
    }
    expect(channel.log).toEqual([]);
  });

  it('finds the application by its AID when there is no EF.DIR, and follows relative paths', async () => {
    const { image, channel } = emulated({ withoutEfDir: true });
    const read = await readCardCertificates(channel, { timeoutMs: 1000 });
    expect(read.certificates.map((c) => c.der)).toEqual(image.certificates.map((c) => c.der));
    expect(channel.log.some((apdu) => apdu[1] === INS.SELECT && apdu[2] === 0x04)).toBe(true);
  });

  it('copes with a T=0-style card (61xx, GET RESPONSE), 6Cxx answers and an FCI without size', async () => {
    const { image, channel } = emulated({}, { getResponseStyle: true, exactLe: true, omitFileSize: true });
    const read = await readCardCertificates(channel, { timeoutMs: 1000 });
    expect(read.certificates.map((c) => c.der)).toEqual(image.certificates.map((c) => c.der));
    expect(channel.log.some((apdu) => apdu[1] === INS.GET_RESPONSE)).toBe(true);
  });

  it('drops the padding after a certificate in a bigger file', async () => {
    const { image, channel } = emulated({ padding: 300 }, { omitFileSize: true });
    const read = await readCardCertificates(channel, { timeoutMs: 1000 });
    expect(read.certificates.map((c) => c.der)).toEqual(image.certificates.map((c) => c.der));
  });

  it('says "layout not supported", with the ATR, for a card without a PKCS#15 application', async () => {
    const channel = directChannel(new Iso7816Card(cardWithoutPkcs15()), SITHS_TEST_ATR);
    const err = await failure(readCardCertificates(channel, { timeoutMs: 1000 }));
    expect(err).toMatchObject({ kind: 'layout-not-supported', atr: '3B 7F 96 00 00 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00' });
  });

  it('reports a malformed certificate directory as such', async () => {
    const { channel } = emulated({ replace: { 0x4404: Buffer.from('30 84 7f ff ff ff 01 02'.replace(/ /g, ''), 'hex') } });
    const err = await failure(readCardCertificates(channel, { timeoutMs: 1000 }));
    expect(err.kind).toBe('malformed');
    expect(err.message).toContain('certificates directory');
  });

  it('reports a certificate entry without a usable path, and a certificate that is cut short', async () => {
    const noPath = emulated({ replace: { 0x4404: sequence(sequence(der(0x0c, Buffer.from('x'))), sequence(der(0x04, Buffer.from([1]))), der(0xa1, sequence(sequence(der(0x04, Buffer.from([0x43]))))) ) } });
    expect((await failure(readCardCertificates(noPath.channel, { timeoutMs: 1000 }))).message).toContain('no usable path');
    const pki = sithsTestCard().certificates[0]!.der;
    const cut = emulated({ replace: { 0x4331: pki.subarray(0, 700) } });
    expect((await failure(readCardCertificates(cut.channel, { timeoutMs: 1000 }))).message).toContain('not a complete DER certificate');
  });

  it('does not believe a card that announces a gigantic file', async () => {
    const { channel } = emulated({}, { fakeFileSize: 0x7fffffff });
    const err = await failure(readCardCertificates(channel, { timeoutMs: 1000 }));
    expect(err.kind).toBe('malformed');
    expect(channel.log.length).toBeLessThan(10);
  });

  it('ends with a timeout when the card stops answering, and stops when cancelled', async () => {
    const { channel } = emulated();
    const applet = new Iso7816Card(sithsTestCard().mf);
    let answers = 5;
    const silentAfterFive = directChannel({ process: (apdu) => (answers-- > 0 ? applet.process(apdu) : undefined), reset: () => applet.reset() }, SITHS_TEST_ATR);
    expect(await failure(readCardCertificates(silentAfterFive, { timeoutMs: 1000 }))).toMatchObject({ kind: 'timeout' });
    const cancelled = new AbortController();
    cancelled.abort();
    expect(await failure(readCardCertificates(channel, { timeoutMs: 1000, signal: cancelled.signal }))).toMatchObject({ kind: 'cancelled' });
  });
});
