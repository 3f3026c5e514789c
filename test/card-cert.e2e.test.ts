import { expect, it } from 'vitest';
import { INS } from '../src/card/apdu.js';
import { Iso7816Card } from './emulator/iso7816-card.js';
import { cardWithoutPkcs15, NATIONAL_ID_CARD, SITHS_TEST_ATR, sithsTestCard } from './emulator/pkcs15-image.js';
import type { VirtualCard } from './emulator/vpcd-card.js';
import { useCardBench } from './helpers/card-bench.js';
import { runBin, type JsonCheck as Check } from './helpers/cli.js';
import { PCSC_PREREQUISITES } from './helpers/pcscd.js';
import { testPki } from './helpers/pki.js';
import { describeWith } from './helpers/prereq.js';

const READ_ONLY = new Set<number>(Object.values(INS));


describeWith('siths-doctor check card-cert with the emulated SITHS TEST card in the virtual reader', PCSC_PREREQUISITES, () => {
  const bench = useCardBench();
  const pki = () => testPki();

  async function withCard<T>(holder: { name: string; label: string }[] | undefined, body: (card: VirtualCard) => Promise<T>): Promise<T> {
    const image = sithsTestCard(holder ? { holder } : {});
    const card = await bench().insert({ atr: SITHS_TEST_ATR, applet: new Iso7816Card(image.mf) });
    try {
      return await body(card);
    } finally {
      if (card.inserted) await bench().remove(card);
    }
  }

  async function cardCert(args: string[] = []): Promise<{ code: number | null; check: Check; stdout: string }> {
    const run = await runBin(['check', 'card-cert', '--format', 'json', '--timeout', '5000', ...args], { env: bench().env });
    const check = (JSON.parse(run.stdout) as { checks: Check[] }).checks.find((c) => c.id === 'card-cert')!;
    return { code: run.code, check, stdout: run.stdout };
  }

  it('names the authentication certificate, its expiry and family, reading without a PIN', async () => {
    await withCard(undefined, async (card) => {
      const before = Date.now();
      const { code, check, stdout } = await cardCert();
      const after = Date.now();
      expect(code).toBe(0);
      expect(check.status).toBe('pass');
      // The expected summary comes from the generated certificate alone: days left counted from its notAfter
      // (either side of the run, in case a day boundary passed during it), never from the summary under test.
      const notAfter = new Date(pki().manifest.certificates['card-hsa-auth-valid']!.notAfter);
      const daysLeft = (at: number): number => Math.ceil((notAfter.getTime() - at) / 86_400_000);
      const expected = [...new Set([daysLeft(before), daysLeft(after)])].map(
        (n) => `TEST CERTIFICATE: The HSA-id based authentication certificate of [name hidden] (TEST SITHS e-id) is valid until ${notAfter.toISOString().slice(0, 10)}, ${n} days left.`,
      );
      expect(expected).toContain(check.summary);
      expect(check.notes).toHaveLength(7);
      expect(check.details).toMatchObject({ source: 'card', decidingCertificate: 0, reasons: ['valid'] });
      // Never a PIN, never a write: only the read-only instructions reached the card.
      expect(card.instructions().filter((ins) => !READ_ONLY.has(ins))).toEqual([]);
      expect(card.instructions()).not.toContain(0x20);
      // The card serial from EF.TokenInfo and the holder's name are personal data.
      expect(stdout).not.toContain(pki().manifest.person.commonName);
      expect(stdout).toContain('[card number hidden]');
    });
  });

  it.each([
    ['card-hsa-auth-expired', 'fail', 1, /expired on \d{4}-\d\d-\d\d/],
    ['card-hsa-auth-expiring', 'warn', 0, /expires on \d{4}-\d\d-\d\d, in 10 days/],
    ['card-hsa-auth-notyet', 'fail', 1, /is not valid until .* clock is wrong/],
    ['card-hsa-auth-ec', 'pass', 0, /is valid until/],
    ['card-hsa2-auth-reserve', 'warn', 0, /reserve card \(level 2\)/],
  ] as const)('judges a card whose authentication certificate is %s: %s', async (name, status, exitCode, summary) => {
    await withCard(
      [
        { name, label: 'Autentisering (HSA-id)' },
        { name: 'card-hsa-sign-valid', label: 'Underskrift (HSA-id)' },
      ],
      async () => {
        const { code, check } = await cardCert();
        expect(check.status).toBe(status);
        expect(check.summary).toMatch(summary);
        expect(code).toBe(exitCode);
      },
    );
  });

  it('fails a card with only a signature certificate', async () => {
    await withCard([{ name: 'card-hsa-sign-only', label: 'Underskrift (HSA-id)' }], async () => {
      const { code, check } = await cardCert();
      expect(code).toBe(1);
      expect(check).toMatchObject({ status: 'fail', summary: 'No authentication certificate, only 1 signature certificate, 1 root CA certificate, 2 CA certificates.' });
    });
  });

  it('says the layout is not supported, with the ATR, for a card without PKCS#15', async () => {
    const card = await bench().insert({ atr: SITHS_TEST_ATR, applet: new Iso7816Card(cardWithoutPkcs15()) });
    try {
      const { code, check } = await cardCert(['--lang', 'sv']);
      expect(code).toBe(1);
      expect(check.status).toBe('error');
      expect(check.summary).toBe('Kortet har ingen PKCS#15-applikation, så siths-doctor kan inte läsa dess certifikat (ATR 3B 7F 96 00 00 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00).');
      expect(check.details).toMatchObject({ readError: 'layout-not-supported' });
    } finally {
      await bench().remove(card);
    }
  });

  it('fails clearly, in bounded time, when the card is pulled out mid-read', async () => {
    await withCard(undefined, async (card) => {
      card.pullOutOnApdu(15);
      const started = performance.now();
      const { code, check } = await cardCert(['--timeout', '3000']);
      expect(performance.now() - started).toBeLessThan(2 * 3000 + 1000 + 3000);
      expect(code).toBe(1);
      expect(check.status).toBe('fail');
      expect(check.summary).toBe('The card was taken out (or stopped answering) while the certificates were read.');
      expect(check.advice).toBe('Leave the card in the reader and run again.');
    });
  });

  it('another card from the wallet with the same chip: card names the chip and passes, card-cert fails "not a SITHS card"', async () => {
    const card = await bench().insert({ atr: SITHS_TEST_ATR, applet: new Iso7816Card(sithsTestCard(NATIONAL_ID_CARD).mf) });
    try {
      const run = await runBin(['check', 'card', 'card-cert', '--format', 'json', '--timeout', '5000'], { env: bench().env });
      const checks = (JSON.parse(run.stdout) as { checks: Check[] }).checks;
      const cardCheck = checks.find((c) => c.id === 'card')!;
      const certCheck = checks.find((c) => c.id === 'card-cert')!;
      expect(cardCheck.status).toBe('pass');
      expect(cardCheck.summary).toContain('Thales IDPrime 940 (a Thales IDPrime card; whether it is a SITHS card shows in card-cert)');
      expect(certCheck.status).toBe('fail');
      expect(certCheck.details).toMatchObject({ reasons: ['not-siths'] });
      expect(certCheck.summary).toBe(
        'This is not a SITHS or Efos card: its certificates come from “TEST Nationellt ID-kort CA v1, Nationell ID-kortutgivare (TEST)”. It is most likely another card from the wallet (an ID card, bank card or the like).',
      );
      expect(run.code).toBe(1);
    } finally {
      await bench().remove(card);
    }
  });

  it("a bank card in the reader is named from pcsc-tools' smartcard_list.txt, not called unknown", async () => {
    // A real Swedbank Visa ATR as listed in smartcard_list.txt (pcsc-tools, installed by .ci/run).
    const card = await bench().insert({ atr: Buffer.from('3B6700007C2040342B9000', 'hex'), applet: new Iso7816Card(cardWithoutPkcs15()) });
    try {
      const run = await runBin(['check', 'card', '--format', 'json', '--timeout', '5000'], { env: bench().env });
      const cardCheck = (JSON.parse(run.stdout) as { checks: Check[] }).checks.find((c) => c.id === 'card')!;
      expect(cardCheck.status).toBe('warn');
      expect(cardCheck.summary).toContain("looks like: Swedbank Visa card (ATR 3B 67 00 00 7C 20 40 34 2B 90 00). It is not a SITHS card.");
    } finally {
      await bench().remove(card);
    }
  });
});
