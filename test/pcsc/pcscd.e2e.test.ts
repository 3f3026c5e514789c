import { expect, it } from 'vitest';
import { isPcscError, PcscError } from '../../src/pcsc/errors.js';
import { cardPresence } from '../../src/pcsc/reader-state.js';
import { useCardBench } from '../helpers/card-bench.js';
import { runBin, runMain, type JsonCheck } from '../helpers/cli.js';
import { cardProbe } from '../../src/probes/card.js';
import { pcscServiceProbe } from '../../src/probes/pcsc-service.js';
import { readerProbe } from '../../src/probes/reader.js';
import { PCSC_PREREQUISITES, startPcscd } from '../helpers/pcscd.js';
import { describeWith } from '../helpers/prereq.js';
import { testPcsc } from '../helpers/system.js';
import { Iso7816Card } from '../emulator/iso7816-card.js';
import { SITHS_TEST_ATR, sithsTestCard, TOO_LONG_ATR, UNKNOWN_ATR } from '../emulator/pkcs15-image.js';

const PCSC_PROBES = [pcscServiceProbe, readerProbe, cardProbe];
const SITHS_ATR_TEXT = '3B 7F 96 00 00 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00';


describeWith('PC/SC checks against a private pcscd with the vpcd reader and our emulated cards', PCSC_PREREQUISITES, () => {
  const bench = useCardBench();

  const check = async (args: string[] = []): Promise<{ code: number | null; checks: Record<string, JsonCheck>; stdout: string }> => {
    const run = await runBin(['check', 'reader', 'card', '--format', 'json', ...args], { env: bench().env });
    const json = JSON.parse(run.stdout) as { checks: JsonCheck[] };
    return { code: run.code, stdout: run.stdout, checks: Object.fromEntries(json.checks.map((c) => [c.id, c])) };
  };
  const card = () => new Iso7816Card(sithsTestCard().mf);

  it('lists both vpcd readers through the real binding, with no card in them', async () => {
    const context = await bench().pcsc.establish({ timeoutMs: 5000 });
    const readers = await context.listReaders({ timeoutMs: 5000 });
    await context.release();
    expect(readers.map((r) => [r.name, r.card])).toEqual([
      [bench().reader(0), 'absent'],
      [bench().reader(1), 'absent'],
    ]);
  });

  it('without a card: the reader passes, the card fails with advice (siths-doctor as a child process)', async () => {
    const { code, checks } = await check();
    expect(code).toBe(1);
    expect(checks['pcsc-service']!.status).toBe('pass');
    expect(checks.reader).toMatchObject({ status: 'pass', summary: `2 card readers attached: “${bench().reader(0)}”, “${bench().reader(1)}”.` });
    expect(checks.card).toMatchObject({ status: 'fail', summary: 'No card in the card reader.' });
    expect(checks.card!.advice).not.toBe('');
  });

  it('with the emulated SITHS TEST card: reports the reader, the card, its ATR and type', async () => {
    const inserted = await bench().insert({ atr: SITHS_TEST_ATR, applet: card() });
    try {
      const { code, checks } = await check();
      expect(code).toBe(0);
      expect(checks.card!.status).toBe('pass');
      expect(checks.card!.details.cards).toEqual([{ reader: bench().reader(0), atr: SITHS_ATR_TEXT, cardType: 'Thales IDPrime 940', family: 'idprime', state: 'present', protocol: 'T=0' }]);
      const text = await runBin(['check', 'reader', 'card', '--lang', 'sv'], { env: bench().env });
      expect(text.stdout).toContain(`[✓] Kort`);
      expect(text.stdout).toContain(`Kort i ”${bench().reader(0)}”: Thales IDPrime 940`);
      // Checking a card reads nothing from it.
      expect(inserted.apdus).toEqual([]);
    } finally {
      await bench().remove(inserted);
    }
  });

  it('warns about a card with an unknown ATR', async () => {
    const inserted = await bench().insert({ atr: UNKNOWN_ATR, applet: card() });
    try {
      const { code, checks } = await check();
      expect(code).toBe(0);
      expect(checks.card).toMatchObject({ status: 'warn', summary: `Unknown card in “${bench().reader(0)}” (ATR 3B 02 99 51).` });
    } finally {
      await bench().remove(inserted);
    }
  });

  it('reports each card when both readers hold one', async () => {
    const first = await bench().insert({ atr: SITHS_TEST_ATR, applet: card(), slot: 0 });
    const second = await bench().insert({ atr: UNKNOWN_ATR, applet: card(), slot: 1 });
    try {
      const { checks } = await check();
      expect(checks.card!.status).toBe('pass');
      expect(checks.card!.summary).toBe(`2 cards: Thales IDPrime 940 in “${bench().reader(0)}”, an unknown card in “${bench().reader(1)}”.`);
      expect(checks.card!.details.cards.map((c: { reader: string; atr: string }) => [c.reader, c.atr])).toEqual([
        [bench().reader(0), SITHS_ATR_TEXT],
        [bench().reader(1), '3B 02 99 51'],
      ]);
    } finally {
      await Promise.all([bench().remove(first), bench().remove(second)]);
    }
  });

  it('fails for a mute card (an ATR longer than 33 bytes cannot be powered up)', async () => {
    const inserted = await bench().insert({ atr: TOO_LONG_ATR, applet: card() });
    try {
      const context = await bench().pcsc.establish({ timeoutMs: 5000 });
      const reader = (await context.listReaders({ timeoutMs: 5000 })).find((r) => r.name === bench().reader(0))!;
      await context.release();
      expect(cardPresence(reader.flags)).toBe('mute');
      const { checks } = await check(['--lang', 'sv']);
      expect(checks.card).toMatchObject({ status: 'fail', summary: `Kortet i ”${bench().reader(0)}” svarar inte (ATR saknas).` });
      expect(checks.card!.advice).toContain('annan USB-port');
    } finally {
      await bench().remove(inserted);
    }
  });

  it('says clearly when the reader to connect to is not there', async () => {
    const context = await bench().pcsc.establish({ timeoutMs: 5000 });
    try {
      await expect(context.connect('Virtual PCD 00 07', { timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'unknown-reader', codeName: 'SCARD_E_UNKNOWN_READER' });
      await expect(context.connect(bench().reader(0), { timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'no-card' });
    } finally {
      await context.release();
    }
  });

  it('bounds a transmit to a card that never answers, and recovers for the next call', async () => {
    const inserted = await bench().insert({ atr: SITHS_TEST_ATR, applet: card() });
    try {
      inserted.silent = true;
      const context = await bench().pcsc.establish({ timeoutMs: 5000 });
      const channel = await context.connect(bench().reader(0), { timeoutMs: 5000 });
      const started = performance.now();
      const failure = await channel.transmit(Buffer.from('00A4040000', 'hex'), { timeoutMs: 800 }).catch((err: unknown) => err);
      expect(isPcscError(failure, 'timeout')).toBe(true);
      expect(performance.now() - started).toBeLessThan(3000);
      // The stuck helper was replaced: a fresh context works (once the card lets go of vpcd).
      await inserted.remove();
      const again = await bench().pcsc.establish({ timeoutMs: 5000 });
      expect((await again.listReaders({ timeoutMs: 5000 })).length).toBe(2);
      await again.release();
    } finally {
      await bench().remove(inserted);
    }
  });

  it('gives up on an abort at once', async () => {
    const aborted = new AbortController();
    aborted.abort();
    await expect(bench().pcsc.establish({ timeoutMs: 5000, signal: aborted.signal })).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('reports a missing PC/SC library, and one that is not PC/SC at all, as typed outcomes naming it', async () => {
    for (const [library, moduleProblem, named] of [
      ['/nonexistent/libpcsclite.so.1', 'library-missing', '/nonexistent/libpcsclite.so.1'],
      // A real shared library without a single SCard function.
      ['libz.so.1', 'wrong-library', 'does not export SCardEstablishContext'],
    ] as const) {
      const pcsc = testPcsc({ env: { ...process.env, ...bench().env }, library });
      try {
        const failure = await pcsc.establish({ timeoutMs: 5000 }).catch((err: unknown) => err);
        expect(failure).toBeInstanceOf(PcscError);
        expect(failure).toMatchObject({ kind: 'module-unavailable', moduleProblem });
        expect((failure as PcscError).message).toContain(named);
      } finally {
        await pcsc.close();
      }
    }
  });

  it('still runs, and says what is missing and what to install, when the PC/SC library cannot load', async () => {
    const pcsc = testPcsc({ env: { ...process.env, ...bench().env }, library: '/nonexistent/libpcsclite.so.1' });
    try {
      const run = await runMain(['check', 'reader', 'card', '--format', 'json'], PCSC_PROBES, { system: { pcsc } });
      expect(run.code).toBe(1);
      const checks = Object.fromEntries((JSON.parse(run.stdout) as { checks: JsonCheck[] }).checks.map((c) => [c.id, c]));
      expect(checks['pcsc-service']).toMatchObject({ status: 'error', details: { pcscError: { kind: 'module-unavailable' } } });
      expect(checks['pcsc-service']!.summary).toContain('libpcsclite.so.1');
      expect(checks['pcsc-service']!.advice).toContain('libpcsclite1');
      expect(checks.reader!.status).toBe('skip');
      expect(checks.card!.status).toBe('skip');
    } finally {
      await pcsc.close();
    }
  });

  it('asks each reader for its attributes over a direct connection, which never touches the card; vpcd has none, so none are shown', async () => {
    const inserted = await bench().insert({ atr: SITHS_TEST_ATR, applet: card() });
    try {
      const context = await bench().pcsc.establish({ timeoutMs: 5000 });
      // SCardConnect(SCARD_SHARE_DIRECT) works with a card and without one.
      expect(await context.readerAttributes!(bench().reader(0), { timeoutMs: 5000 })).toEqual({});
      expect(await context.readerAttributes!(bench().reader(1), { timeoutMs: 5000 })).toEqual({});
      await context.release();
      const before = inserted.apdus.length;
      const run = await runMain(['check', 'reader', '--format', 'json'], PCSC_PROBES, { system: bench().system() });
      const reader = (JSON.parse(run.stdout) as { checks: JsonCheck[] }).checks.find((c) => c.id === 'reader')!;
      expect(reader.status).toBe('pass');
      expect(JSON.stringify(reader.details)).not.toContain('attributes');
      expect(inserted.apdus.length).toBe(before);
    } finally {
      await bench().remove(inserted);
    }
  });

  it('lists readers and cards once with the readers command', async () => {
    const inserted = await bench().insert({ atr: SITHS_TEST_ATR, applet: card() });
    try {
      const run = await runBin(['readers'], { env: bench().env });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`[✓] Card reader`);
      expect(run.stdout).toContain(`Card in “${bench().reader(0)}”: Thales IDPrime 940`);
      const misuse = await runBin(['readers', '--duration', '5'], { env: bench().env });
      expect(misuse.code).toBe(2);
      expect(misuse.stderr).toContain('--duration only goes with --watch');
    } finally {
      await bench().remove(inserted);
    }
  });

  it('carries reader names with non-ASCII characters through pcscd, the binding and the report', async () => {
    const odd = await startPcscd({ friendlyName: 'Läsare åäö (kontor) #1' });
    try {
      const run = await runBin(['check', 'reader', '--format', 'json', '--lang', 'sv'], { env: { ...odd.env } });
      const reader = (JSON.parse(run.stdout) as { checks: JsonCheck[] }).checks.find((c) => c.id === 'reader')!;
      expect(reader.summary).toBe('2 kortläsare anslutna: ”Läsare åäö (kontor) #1 00 00”, ”Läsare åäö (kontor) #1 00 01”.');
      expect(reader.details.readers.map((r: { name: string }) => r.name)).toEqual([...odd.readers]);
    } finally {
      await odd.stop();
    }
  });
});
