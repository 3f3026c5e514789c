import { expect, it } from 'vitest';
import { isPcscError } from '../../src/pcsc/errors.js';
import type { ReaderChange } from '../../src/pcsc/types.js';
import { useCardBench } from '../helpers/card-bench.js';
import { runBin, startBin } from '../helpers/cli.js';
import { PCSC_PREREQUISITES, startPcscd } from '../helpers/pcscd.js';
import { describeWith } from '../helpers/prereq.js';
import { testPcsc } from '../helpers/system.js';
import { Iso7816Card } from '../emulator/iso7816-card.js';
import { SITHS_TEST_ATR, sithsTestCard } from '../emulator/pkcs15-image.js';
import { VirtualCard } from '../emulator/vpcd-card.js';

const card = () => new Iso7816Card(sithsTestCard().mf);
const json = (line: string): Record<string, string> => JSON.parse(line) as Record<string, string>;

describeWith('readers --watch and a PC/SC service that goes away', PCSC_PREREQUISITES, () => {
  const bench = useCardBench();

  it('prints the readers, then a card inserted and removed as it happens, one JSON object per line', async () => {
    const watch = startBin(['readers', '--watch', '--format', 'json', '--duration', '20'], { env: bench().env });
    try {
      const first = json(await watch.waitForLine((l) => l.includes('"event":"reader"'), 10_000));
      expect(first).toMatchObject({ event: 'reader', reader: bench().reader(0), card: 'absent' });
      expect(Date.parse(first.time!)).not.toBeNaN();

      const virtualCard = new VirtualCard(bench().pcscd.port, { atr: SITHS_TEST_ATR, applet: card() });
      const insertedAt = Date.now();
      await virtualCard.insert();
      const inserted = json(await watch.waitForLine((l) => l.includes('"card-inserted"'), 5000));
      expect(inserted).toMatchObject({ event: 'card-inserted', reader: bench().reader(0), atr: '3B 7F 96 00 00 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00', cardType: 'Thales IDPrime 940' });
      // Within a second of the card going in (vpcd is polled every 400 ms); a loose bound here, the bench measures.
      expect(Date.parse(inserted.time!) - insertedAt).toBeLessThan(3000);

      await virtualCard.remove();
      expect(json(await watch.waitForLine((l) => l.includes('"card-removed"'), 5000))).toMatchObject({ event: 'card-removed', reader: bench().reader(0) });
      for (const line of watch.lines.filter((l) => l !== '')) expect(() => JSON.parse(line)).not.toThrow();
    } finally {
      watch.kill('SIGINT');
      expect(await watch.exit).toBe(0);
    }
  });

  it('ends by itself after --duration with exit code 0, in Swedish text with timestamps', async () => {
    const run = await runBin(['readers', '--watch', '--duration', '1.5', '--lang', 'sv'], { env: bench().env, timeoutMs: 20_000 });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  Kortläsare ”${bench().reader(0)}”: inget kort$`));
    expect(lines.at(-1)).toMatch(/Bevakningen avslutad$/);
    expect(run.stderr).toContain('Avsluta med Ctrl-C');
  });

  it('ends cleanly on Ctrl-C', async () => {
    const watch = startBin(['readers', '--watch'], { env: bench().env });
    await watch.waitForLine((l) => l.includes('Card reader'), 10_000);
    watch.kill('SIGINT');
    expect(await watch.exit).toBe(0);
    expect(watch.lines.filter(Boolean).at(-1)).toMatch(/Watch ended$/);
  });

  it('rejects a bad --duration as a usage error', async () => {
    const run = await runBin(['readers', '--watch', '--duration', '-3'], { env: bench().env });
    expect(run.code).toBe(2);
  });
});

describeWith('a pcscd that stops', PCSC_PREREQUISITES, () => {
  it('is reported as not running when there is none', async () => {
    const run = await runBin(['check', 'card', '--format', 'json'], { env: { PCSCLITE_CSOCK_NAME: '/nonexistent/siths-doctor/pcscd.comm' } });
    const checks = (JSON.parse(run.stdout) as { checks: { id: string; status: string; summary: string }[] }).checks;
    expect(run.code).toBe(1);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['pcsc-service', 'fail'],
      ['reader', 'skip'],
      ['card', 'skip'],
    ]);
    expect(checks[0]!.summary).toBe('The smart card service pcscd is not running.');
  });

  it('fails a call with "no service" after trying once more, when pcscd stops in the middle of a run', async () => {
    const pcscd = await startPcscd();
    const pcsc = testPcsc({ env: { ...process.env, ...pcscd.env } });
    try {
      const context = await pcsc.establish({ timeoutMs: 5000 });
      expect(await context.listReaders({ timeoutMs: 5000 })).toHaveLength(2);
      await pcscd.stop();
      const started = performance.now();
      const failure = await context.listReaders({ timeoutMs: 5000 }).catch((err: unknown) => err);
      expect(isPcscError(failure, 'no-service')).toBe(true);
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      await pcsc.close();
      await pcscd.stop();
    }
  });

  it('ends a watch with a clear message and exit code 1 when pcscd dies', async () => {
    const pcscd = await startPcscd();
    try {
      const watch = startBin(['readers', '--watch', '--format', 'json'], { env: { ...pcscd.env } });
      await watch.waitForLine((l) => l.includes('"event":"reader"'), 10_000);
      await pcscd.stop({ signal: 'SIGKILL', keepDir: true });
      const error = json(await watch.waitForLine((l) => l.includes('"event":"error"'), 10_000));
      expect(error).toMatchObject({ event: 'error', kind: 'no-service', message: 'The smart card service pcscd is not running.' });
      expect(await watch.exit).toBe(1);
    } finally {
      await pcscd.stop();
    }
  });

  it('starts a watch through the adapter with a snapshot, and ends it when aborted', async () => {
    const pcscd = await startPcscd();
    const pcsc = testPcsc({ env: { ...process.env, ...pcscd.env } });
    const changes: ReaderChange[] = [];
    const stop = new AbortController();
    try {
      const context = await pcsc.establish({ timeoutMs: 5000 });
      const watching = context.watch((c) => changes.push(c), { signal: stop.signal, timeoutMs: 5000 });
      await expect.poll(() => changes.length, { timeout: 5000 }).toBeGreaterThan(0);
      expect(changes[0]).toMatchObject({ kind: 'snapshot' });
      stop.abort();
      await expect(watching).resolves.toBeUndefined();
    } finally {
      await pcsc.close();
      await pcscd.stop();
    }
  });
});
