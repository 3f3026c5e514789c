import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { Iso7816Card } from './emulator/iso7816-card.js';
import { SITHS_TEST_ATR, sithsTestCard } from './emulator/pkcs15-image.js';
import { CardBench } from './helpers/card-bench.js';
import { PCSC_PREREQUISITES } from './helpers/pcscd.js';
import { SOFTHSM_LIBRARY, SOFTHSM_PREREQUISITES, SoftHsm } from './helpers/softhsm.js';
import { ensureExecutables } from './helpers/executables.js';
import type { JsonCheck } from './helpers/cli.js';
import { nodeBinaries, runWithoutNode } from './helpers/no-node.js';
import { testPki } from './helpers/pki.js';
import { describeWith } from './helpers/prereq.js';

const PREREQUISITES = [{ need: 'unshare', debianPackage: 'util-linux' }, ...PCSC_PREREQUISITES, ...SOFTHSM_PREREQUISITES];

describeWith('the Linux executable where no node exists', PREREQUISITES, () => {
  let exe: string;
  let bench: CardBench | undefined;
  beforeAll(() => {
    exe = ensureExecutables().linux;
  }, 900_000);
  afterAll(async () => {
    await bench?.stop();
  });

  it('really has no node: every node binary is hidden', async () => {
    expect(nodeBinaries()).toContain('/usr/bin/node');
    for (const node of nodeBinaries()) {
      const r = await runWithoutNode(node, ['-e', 'process.stdout.write("node runs")']);
      expect(r.stdout).toBe('');
      expect(r.code).not.toBe(0);
    }
    const viaPath = await runWithoutNode('/bin/sh', ['-c', 'node -e 0'], { PATH: process.env.PATH ?? '' });
    expect(viaPath.code).not.toBe(0);
  });

  it('prints its version', async () => {
    const r = await runWithoutNode(exe, ['--version']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('explains a support code it made itself', async () => {
    const check = await runWithoutNode(exe, ['check', '--offline', '--format', 'json']);
    const code = JSON.parse(check.stdout).summary.supportCode as string;
    const r = await runWithoutNode(exe, ['explain', code, '--lang', 'sv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(code);
    expect(r.stdout).toContain('Kortprogramvara');
  });

  it('judges a test certificate with cert --cert', async () => {
    const r = await runWithoutNode(exe, ['cert', '--cert', testPki().path('card-hsa-auth-expiring.pem'), '--format', 'json', '--lang', 'en']);
    expect(r.code).toBe(0);
    const [check] = JSON.parse(r.stdout).checks as JsonCheck[];
    expect(check).toMatchObject({ id: 'card-cert', status: 'warn' });
    expect(check!.summary).toMatch(/expires on \d{4}-\d\d-\d\d, in 10 days/);
  });

  it('reads the emulated SITHS TEST card in the real pcscd: check card-cert through its own PC/SC helper', async () => {
    bench = await CardBench.start();
    const card = await bench.insert({ atr: SITHS_TEST_ATR, applet: new Iso7816Card(sithsTestCard().mf) });
    try {
      const r = await runWithoutNode(exe, ['check', 'card-cert', '--format', 'json', '--lang', 'en', '--timeout', '10000'], bench.env);
      const checks = JSON.parse(r.stdout).checks as JsonCheck[];
      expect(checks.find((c) => c.id === 'pcsc-service')!.status).toBe('pass');
      const cert = checks.find((c) => c.id === 'card-cert')!;
      expect(cert.status).toBe('pass');
      expect(cert.summary).toMatch(/^TEST CERTIFICATE: The HSA-id based authentication certificate of \[name hidden\] \(TEST SITHS e-id\) is valid until/);
      expect(cert.details).toMatchObject({ source: 'card' });
      expect(r.code).toBe(0);
    } finally {
      if (card.inserted) await bench.remove(card);
    }
  });

  it('asks SoftHSM2 through its own PKCS#11 child: check netid-token', async () => {
    const hsm = new SoftHsm();
    onTestFinished(() => hsm.remove());
    hsm.initToken('TEST SITHS');
    hsm.writeCertificate('TEST SITHS', testPki().der('card-hsa-auth-valid'), 'Legitimering', '01');
    const r = await runWithoutNode(exe, ['check', 'netid-token', '--pkcs11-module', SOFTHSM_LIBRARY, '--format', 'json', '--lang', 'en'], hsm.env);
    const token = (JSON.parse(r.stdout).checks as JsonCheck[]).find((c) => c.id === 'netid-token')!;
    expect(token.status).toBe('pass');
    expect(token.summary).toBe('The PKCS#11 library sees the card “TEST SITHS” (SoftHSM project SoftHSM v2) with 1 certificate: “Legitimering”.');
    expect(r.code).toBe(0);
  });

  it('evaluates a PAC script in its WebAssembly sandbox (quickjs.wasm travels inside the executable)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'siths-exe-pac-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const pac = path.join(dir, 'proxy.pac');
    writeFileSync(pac, 'function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:3128"; }\n');
    const r = await runWithoutNode(exe, ['check', 'proxy', '--pac', pac, '--format', 'json', '--lang', 'en']);
    const proxy = (JSON.parse(r.stdout).checks as JsonCheck[]).find((c) => c.id === 'proxy')!;
    expect(proxy.status).toBe('pass');
    expect(proxy.summary).toBe(`Via proxy http://127.0.0.1:3128 (from the PAC script ${pac}).`);
  });
});
