import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CardReadError } from '../../src/card/errors.js';
import { readCardCertificatesFromReader } from '../../src/card/read-certificates.js';
import type { CardChannel, Pcsc, PcscContext } from '../../src/pcsc/types.js';
import { cardCert } from '../../src/probes/card-cert.js';
import { cardProbe } from '../../src/probes/card.js';
import { pcscServiceProbe } from '../../src/probes/pcsc-service.js';
import { readerProbe } from '../../src/probes/reader.js';
import { CardBench } from '../helpers/card-bench.js';
import { runMain, type JsonCheck } from '../helpers/cli.js';
import { OPENSC_PREREQUISITE, pkcs15Tool, writeOpenscConfig } from '../helpers/opensc.js';
import { PCSC_PREREQUISITES } from '../helpers/pcscd.js';
import { describeWith } from '../helpers/prereq.js';
import { testPki } from '../helpers/pki.js';
import { Iso7816Card } from '../emulator/iso7816-card.js';
import { SITHS_TEST_ATR, sithsTestCard } from '../emulator/pkcs15-image.js';
import type { VirtualCard } from '../emulator/vpcd-card.js';

const PCSC_CLIENT = fileURLToPath(new URL('../helpers/pcsc-client.mjs', import.meta.url));
const EXPECTED = ['card-hsa-auth-valid', 'card-hsa-sign-valid', 'card-pnr-auth-valid', 'card-pnr-sign-valid', 'siths-root', 'siths-hsa-ca', 'siths-id-ca'];

/** Our second PC/SC client (test/helpers/pcsc-client.mjs), started and waited for until it printed `ready`. */
async function otherClient(mode: 'hold' | 'reset', reader: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [PCSC_CLIENT, mode, reader], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = mode === 'hold' ? 'held' : 'reset';
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes(ready)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the other PC/SC client ended (${code}) before "${ready}"`)));
  });
  return child;
}

describeWith('card reads that share the card with other programs (transactions), through the real pcscd', [...PCSC_PREREQUISITES, OPENSC_PREREQUISITE], () => {
  let bench: CardBench;
  let card: VirtualCard;
  let expected: string[];
  beforeAll(async () => {
    bench = await CardBench.start();
    card = await bench.insert({ atr: SITHS_TEST_ATR, applet: new Iso7816Card(sithsTestCard().mf) });
    const pki = testPki();
    expected = EXPECTED.map((name) => pki.der(name).toString('base64'));
  });
  afterAll(async () => {
    await bench?.stop();
  });

  it('reads the same certificates 50 times in a row while OpenSC reads the same card in a loop', async () => {
    const env = { ...bench.env, OPENSC_CONF: writeOpenscConfig(bench.pcscd.dir, SITHS_TEST_ATR) };
    let hammering = true;
    let openscRuns = 0;
    let openscOk = 0;
    const hammer = (async () => {
      while (hammering) {
        const run = await pkcs15Tool(['--list-certificates'], env);
        openscRuns++;
        if (run.code === 0) openscOk++;
        // pcsc-lite's waiting SCardBeginTransaction looks again every 100 ms; back-to-back
        // OpenSC runs with no gap at all could starve it for longer than any time limit.
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    })();
    const apdusBefore = card.apdus.length;
    try {
      for (let run = 0; run < 50; run++) {
        const read = await readCardCertificatesFromReader(bench.pcsc, bench.reader(0), { timeoutMs: 20_000 });
        expect(read.certificates.map((c) => c.der.toString('base64')), `run ${run + 1}`).toEqual(expected);
        // A run of siths-doctor reads once; fifty reads back to back, each in a transaction, could starve
        // OpenSC's waiting SCardBeginTransaction (pcsc-lite looks again every 100 ms) for the whole loop.
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    } finally {
      hammering = false;
      await hammer;
    }
    // The other program really ran alongside and read the card too (whether each of its runs
    // got through the contention is OpenSC's business; ours all did).
    expect(openscRuns).toBeGreaterThan(1);
    expect(openscOk).toBeGreaterThan(0);
    expect(card.apdus.length - apdusBefore).toBeGreaterThan(50 * 48);
  }, 900_000);

  it('ends with "another program was using the card" when one holds a transaction longer than the time limit, and reads once it lets go', async () => {
    const holder = await otherClient('hold', bench.reader(0), bench.env);
    try {
      const err = await readCardCertificatesFromReader(bench.pcsc, bench.reader(0), { timeoutMs: 1500 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CardReadError);
      expect(err).toMatchObject({ kind: 'card-busy' });
      // pcsc-lite makes SCardConnect wait for the other transaction; Windows makes SCardBeginTransaction wait.
      expect((err as CardReadError).message).toMatch(/^SCard(Connect|BeginTransaction): another program held the card/);

      // The same through card-cert, as a person sees it: plain words, the PC/SC detail only in the details (--verbose).
      const run = await runMain(['check', 'card-cert', '--format', 'json', '--timeout', '2000'], [pcscServiceProbe, readerProbe, cardProbe, cardCert], { system: bench.system() });
      const check = (JSON.parse(run.stdout) as { checks: JsonCheck[] }).checks.find((c) => c.id === 'card-cert')!;
      expect(check.status).toBe('error');
      expect(check.summary).toBe('Another program was using the card at the same time, so the certificates could not be read.');
      expect(check.summary).not.toContain('SCard');
      expect(check.details).toMatchObject({ readError: 'card-busy' });
      expect(String(check.details.technical)).toMatch(/SCard(Connect|BeginTransaction)/);
    } finally {
      holder.stdin!.end();
      await once(holder, 'exit');
    }
    const read = await readCardCertificatesFromReader(bench.pcsc, bench.reader(0), { timeoutMs: 10_000 });
    expect(read.certificates.map((c) => c.der.toString('base64'))).toEqual(expected);
  }, 120_000);

  it('reads again, once, when the file it selected was lost mid-read (SW 6986), and reports a card that keeps refusing as it is', async () => {
    // A card whose selection is gone half-way through a file: what another program's SELECT, or a reset
    // nobody reported, looks like from inside our read. `times` refusals at the first READ BINARY past 256 bytes.
    const losing = (times: number) => {
      const applet = new Iso7816Card(sithsTestCard().mf);
      let left = times;
      return {
        process(apdu: Buffer) {
          if (left > 0 && apdu[1] === 0xb0 && apdu[2] === 0x01 && apdu[3] === 0x00) {
            left--;
            return Buffer.from([0x69, 0x86]);
          }
          return applet.process(apdu);
        },
        reset: () => applet.reset(),
      };
    };
    const once = await bench.insert({ atr: SITHS_TEST_ATR, applet: losing(1), slot: 1 });
    try {
      const read = await readCardCertificatesFromReader(bench.pcsc, bench.reader(1), { timeoutMs: 5000 });
      expect(read.certificates.map((c) => c.der.toString('base64'))).toEqual(expected);
    } finally {
      await bench.remove(once);
    }
    const always = await bench.insert({ atr: SITHS_TEST_ATR, applet: losing(1000), slot: 1 });
    try {
      const err = await readCardCertificatesFromReader(bench.pcsc, bench.reader(1), { timeoutMs: 5000 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'card-error', sw: 0x6986 });
    } finally {
      await bench.remove(always);
    }
  });

  it('recovers when another program resets the card in the middle of the read: reconnects and reads again once', async () => {
    let resets = 0;
    let reconnects = 0;
    // The real adapter, with a hook where the reset must land: after our connect, before our transaction.
    const hooked: Pcsc = {
      close: () => bench.pcsc.close(),
      async establish(options) {
        const context = await bench.pcsc.establish(options);
        const wrapped: PcscContext = {
          ...context,
          listReaders: (o) => context.listReaders(o),
          watch: (l, o) => context.watch(l, o),
          release: () => context.release(),
          async connect(reader, o) {
            const channel = await context.connect(reader, o);
            const hookedChannel: CardChannel = {
              reader: channel.reader,
              atr: channel.atr,
              protocol: channel.protocol,
              transmit: (apdu, t) => channel.transmit(apdu, t),
              disconnect: () => channel.disconnect(),
              endTransaction: () => channel.endTransaction!(),
              async beginTransaction(t) {
                if (resets === 0) {
                  resets++;
                  const resetter = await otherClient('reset', bench.reader(0), bench.env);
                  await once(resetter, 'exit');
                }
                return channel.beginTransaction!(t);
              },
              async reconnect(t) {
                reconnects++;
                return channel.reconnect!(t);
              },
            };
            return hookedChannel;
          },
        };
        return wrapped;
      },
    };
    const read = await readCardCertificatesFromReader(hooked, bench.reader(0), { timeoutMs: 10_000 });
    expect(read.certificates.map((c) => c.der.toString('base64'))).toEqual(expected);
    expect(resets).toBe(1);
    // pcscd really told us of the reset (SCARD_W_RESET_CARD), and the read reconnected once.
    expect(reconnects).toBe(1);
  }, 120_000);
});
