/**
 * How long, and how many APDUs, it takes to read every certificate from the
 * emulated SITHS TEST card: siths-doctor against OpenSC's pkcs15-tool, in one
 * run, on the same card in the same private pcscd. The emulator's APDU log
 * counts what each tool sent.
 *
 *   npm run bench            (Linux, as root: needs pcscd, vsmartcard-vpcd, opensc)
 *   npm run bench -- --runs 5
 *   npm run bench:card -- --old-pcsclite DIR   (also time the old native binding's start; bench/pcsc-startup.ts)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCardCertificatesFromReader } from '../src/card/read-certificates.js';
import { createPcsc } from '../src/pcsc/client.js';
import { makeTestPki, DEFAULT_PKI_DIR } from '../scripts/make-test-pki.mjs';
import { Iso7816Card } from '../test/emulator/iso7816-card.js';
import { SITHS_TEST_ATR, sithsTestCard } from '../test/emulator/pkcs15-image.js';
import { VirtualCard } from '../test/emulator/vpcd-card.js';
import { parseCertificateList, pkcs15Tool, writeOpenscConfig } from '../test/helpers/opensc.js';
import { waitFor } from '../test/helpers/children.js';
import { startPcscd } from '../test/helpers/pcscd.js';
import { benchStartup } from './pcsc-startup.js';

interface Row {
  readonly tool: string;
  readonly runs: number;
  readonly apdus: number[];
  readonly ms: number[];
}

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const oldPcsclite = process.argv.includes('--old-pcsclite') ? process.argv[process.argv.indexOf('--old-pcsclite') + 1]! : (process.env.OLD_PCSCLITE_DIR ?? '/tmp/koffi-old-pcsclite');
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(tool: string, count: number, card: VirtualCard, run: () => Promise<void>): Promise<Row> {
  const row: Row = { tool, runs: count, apdus: [], ms: [] };
  for (let i = 0; i < count; i++) {
    card.clearLog();
    const started = performance.now();
    await run();
    row.ms.push(performance.now() - started);
    row.apdus.push(card.apdus.length);
  }
  return row;
}

async function main(): Promise<void> {
  makeTestPki(DEFAULT_PKI_DIR);
  const pcscd = await startPcscd();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'siths-doctor-bench-'));
  const pcsc = createPcsc({ env: { ...process.env, ...pcscd.env } });
  const card = new VirtualCard(pcscd.port, { atr: SITHS_TEST_ATR, applet: new Iso7816Card(sithsTestCard().mf) });
  try {
    await card.insert();
    const reader = pcscd.readers[0];
    await waitFor(
      async () => {
        const context = await pcsc.establish({ timeoutMs: 5000 });
        const state = (await context.listReaders({ timeoutMs: 5000 })).find((r) => r.name === reader)?.card;
        await context.release();
        return state === 'present';
      },
      10_000,
      () => 'the emulated card did not show up',
    );
    const env = { ...pcscd.env, OPENSC_CONF: writeOpenscConfig(scratch, SITHS_TEST_ATR) };

    const transportMs = await perApduMs(pcsc, reader);

    let certificates = 0;
    const ours = await measure('siths-doctor readCardCertificates', runs, card, async () => {
      // A fresh adapter each run: it starts its helper process, as a siths-doctor run does.
      const fresh = createPcsc({ env: { ...process.env, ...pcscd.env } });
      try {
        certificates = (await readCardCertificatesFromReader(fresh, reader, { timeoutMs: 10_000 })).certificates.length;
      } finally {
        await fresh.close();
      }
    });
    let ids: string[] = [];
    const list = await measure('pkcs15-tool --list-certificates', runs, card, async () => {
      const run = await pkcs15Tool(['--list-certificates'], env);
      if (run.code !== 0) throw new Error(`pkcs15-tool failed: ${run.stderr}`);
      ids = parseCertificateList(run.stdout).map((c) => c.id);
    });
    const each = await measure(`pkcs15-tool --read-certificate, each of ${ids.length}`, 1, card, async () => {
      for (const id of ids) {
        const run = await pkcs15Tool(['--read-certificate', id], env);
        if (run.code !== 0) throw new Error(`pkcs15-tool failed: ${run.stderr}`);
      }
    });

    const rows = [ours, list, each];
    const width = Math.max(...rows.map((r) => r.tool.length));
    console.log(`Reading ${certificates} certificates from the emulated SITHS TEST card (pcscd + vpcd), median of ${runs} runs:\n`);
    console.log(`${'tool'.padEnd(width)}  runs  APDUs  time`);
    for (const r of rows) console.log(`${r.tool.padEnd(width)}  ${String(r.runs).padStart(4)}  ${String(median(r.apdus)).padStart(5)}  ${(median(r.ms) / 1000).toFixed(2).padStart(5)} s`);
    console.log(`\nvpcd transport: ${transportMs.toFixed(1)} ms per APDU with a card that answers at once, so time is mostly APDUs x ${transportMs.toFixed(0)} ms.`);
    await benchStartup(pcscd.env, oldPcsclite);
  } finally {
    await card.remove();
    await pcsc.close();
    await pcscd.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What one APDU costs on this transport, with a card that answers at once. */
async function perApduMs(pcsc: ReturnType<typeof createPcsc>, reader: string): Promise<number> {
  const context = await pcsc.establish({ timeoutMs: 5000 });
  try {
    const channel = await context.connect(reader, { timeoutMs: 5000 });
    const started = performance.now();
    for (let i = 0; i < 20; i++) await channel.transmit(Buffer.from('00A40000023F00', 'hex'), { timeoutMs: 5000 });
    return (performance.now() - started) / 20;
  } finally {
    await context.release();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
