import { afterAll, beforeAll, expect, it } from 'vitest';
import { INS } from '../../src/card/apdu.js';
import { readCardCertificatesFromReader } from '../../src/card/read-certificates.js';
import { CardBench } from '../helpers/card-bench.js';
import { OPENSC_PREREQUISITE, parseCertificateList, pemToDer, pkcs15Tool, writeOpenscConfig } from '../helpers/opensc.js';
import { PCSC_PREREQUISITES } from '../helpers/pcscd.js';
import { describeWith } from '../helpers/prereq.js';
import { Iso7816Card } from '../emulator/iso7816-card.js';
import { SITHS_TEST_ATR, sithsTestCard } from '../emulator/pkcs15-image.js';
import type { VirtualCard } from '../emulator/vpcd-card.js';

describeWith('cross-check with OpenSC: pkcs15-tool reads the same certificates from the emulated card', [...PCSC_PREREQUISITES, OPENSC_PREREQUISITE], () => {
  let bench: CardBench;
  let card: VirtualCard;
  let env: Record<string, string>;
  beforeAll(async () => {
    bench = await CardBench.start();
    card = await bench.insert({ atr: SITHS_TEST_ATR, applet: new Iso7816Card(sithsTestCard().mf) });
    env = { ...bench.env, OPENSC_CONF: writeOpenscConfig(bench.pcscd.dir, SITHS_TEST_ATR) };
  });
  afterAll(async () => {
    await bench?.stop();
  });

  it('lists the same certificates (label, iD, authority) and reads the same bytes for each', async () => {
    const ours = await readCardCertificatesFromReader(bench.pcsc, bench.reader(0), { timeoutMs: 5000 });

    const list = await pkcs15Tool(['--list-certificates'], env);
    expect(list.code, list.stderr).toBe(0);
    const theirs = parseCertificateList(list.stdout);
    expect(theirs.map((c) => [c.label, c.id, c.authority])).toEqual(ours.certificates.map((c) => [c.label, c.id, c.authority]));
    // OpenSC shows the file path without index and length.
    expect(theirs.map((c) => c.path)).toEqual(ours.certificates.map((c) => c.path.split(' ')[0]));

    for (const certificate of ours.certificates) {
      const read = await pkcs15Tool(['--read-certificate', certificate.id], env);
      expect(read.code, read.stderr).toBe(0);
      expect(pemToDer(read.stdout).equals(certificate.der), certificate.label).toBe(true);
    }
    // Each pkcs15-tool run probes the card anew (~70 APDUs) and vpcd costs ~40 ms per APDU.
  }, 120_000);

  it('OpenSC, like siths-doctor, read the card without a PIN (no VERIFY in the emulator log)', () => {
    const instructions = new Set(card.instructions());
    expect(instructions.has(0x20)).toBe(false);
    expect(instructions.has(INS.READ_BINARY)).toBe(true);
  });
});
