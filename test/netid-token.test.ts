import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardProbeDetails } from '../src/card/types.js';
import { msg } from '../src/i18n/index.js';
import type { CheckResult, Probe } from '../src/model.js';
import type { NetidTokenDetails } from '../src/netid/token-outcome.js';
import { defaultOptions, type DoctorOptions } from '../src/options.js';
import { pkcs11Inspector, type Pkcs11Inspection } from '../src/pkcs11/inspector.js';
import { netidProbe } from '../src/probes/netid.js';
import { netidTokenProbe } from '../src/probes/netid-token.js';
import { runProbes, selectProbes } from '../src/runner.js';
import type { System } from '../src/system.js';
import { runChild, waitFor } from './helpers/children.js';
import { runBin } from './helpers/cli.js';
import { buildHostileLibrary } from './helpers/hostile-pkcs11.js';
import { testPki } from './helpers/pki.js';
import { describeWith } from './helpers/prereq.js';
import { SOFTHSM_LIBRARY, SOFTHSM_PREREQUISITES, SoftHsm } from './helpers/softhsm.js';
import { PKCS11_CHILD, testSystem } from './helpers/system.js';

let hsm: SoftHsm;
let scratch: string;
beforeEach(() => {
  hsm = new SoftHsm();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'siths-netid-token-'));
});
afterEach(() => {
  hsm.remove();
  rmSync(scratch, { recursive: true, force: true });
});

/** A `card` result as the card check records it (that probe lives elsewhere; only its details matter here). */
function recordedCardProbe(details: CardProbeDetails): Probe {
  return {
    id: 'card',
    title: msg('Kort', 'Card'),
    description: msg('Inspelat kortresultat', 'Recorded card result'),
    run: async () => ({ status: details.cards.length > 0 ? 'pass' : 'fail', summary: msg('inspelat', 'recorded'), details }),
  };
}
const CARD_IN_READER: CardProbeDetails = {
  cards: [{ reader: 'Identiv uTrust 2700 R Smart Card Reader [CCID Interface] (55041234) 00 00', atr: '3B 7F 96 00 00 80 31 80 65 B0 85 03 00 EF 12 0F FF 82 90 00', state: 'present' }],
};

async function run(options: Partial<DoctorOptions>, system: Partial<System> = {}, extra: Probe[] = []) {
  const results = await runProbes({
    probes: [...extra, netidProbe, netidTokenProbe],
    options: defaultOptions(options),
    system: testSystem({ env: hsm.env, ...system }),
  });
  return { netid: results.find((r) => r.id === 'card-software')!, token: results.find((r) => r.id === 'netid-token') as CheckResult<NetidTokenDetails> };
}

function tokenWithCertificate(): void {
  hsm.initToken('TEST SITHS');
  hsm.writeCertificate('TEST SITHS', testPki().der('card-hsa-auth-valid'), 'Legitimering', '01');
}

const PREREQUISITES = [...SOFTHSM_PREREQUISITES, { need: 'cc', debianPackage: 'gcc' }, { need: '/usr/include/unistd.h', debianPackage: 'libc6-dev' }];

describeWith('netid-token against SoftHSM2 (a real PKCS#11 library)', PREREQUISITES, () => {
  it('sees the token and its public certificate, and only that: a private object stays unseen', async () => {
    tokenWithCertificate();
    hsm.writePrivateCertificate('TEST SITHS', testPki().der('card-hsa-sign-valid'), 'Underskrift (privat)', '02');
    expect(hsm.certificateLabelsAfterLogin('TEST SITHS').sort()).toEqual(['Legitimering', 'Underskrift (privat)']);
    const { token } = await run({ pkcs11Module: SOFTHSM_LIBRARY });
    expect(token.status).toBe('pass');
    expect(token.summary.en).toBe('The PKCS#11 library sees the card “TEST SITHS” (SoftHSM project SoftHSM v2) with 1 certificate: “Legitimering”.');
    expect(token.summary.sv).toBe('PKCS#11-biblioteket ser kortet ”TEST SITHS” (SoftHSM project SoftHSM v2) med 1 certifikat: ”Legitimering”.');
    const details = token.details!;
    expect(details).toMatchObject({ library: SOFTHSM_LIBRARY, tokens: 1, certificates: 1, libraryInfo: { manufacturer: 'SoftHSM', cryptokiVersion: '2.40' } });
    const slot = details.slots!.find((s) => s.token?.initialized)!;
    expect(slot.token!.serialNumber).toMatch(/^\uE000card-serial\uE001[0-9a-f]{16}\uE002$/);
    const [certificate] = slot.certificates!;
    expect(certificate).toMatchObject({ label: 'Legitimering', id: '01', issuer: 'TEST SITHS e-id Person HSA-id 3 CA v1', subject: '\uE000name\uE001Tolvan Tolvansson\uE002' });
    expect(certificate!.notAfter).toBe(testPki().manifest.certificates['card-hsa-auth-valid']!.notAfter);
    // SoftHSM always offers one more, uninitialised slot: listed, not counted as a card.
    expect(details.slots!.some((s) => s.token && !s.token.initialized)).toBe(true);
  });

  it('marks the holder’s name where a label repeats it', async () => {
    hsm.initToken('Tolvan Tolvansson');
    hsm.writeCertificate('Tolvan Tolvansson', testPki().der('card-hsa-auth-valid'), 'Tolvan Tolvansson (Legitimering)', '01');
    const { token } = await run({ pkcs11Module: SOFTHSM_LIBRARY });
    const slot = token.details!.slots!.find((s) => s.token?.initialized)!;
    expect(slot.token!.label).toBe('\uE000name\uE001Tolvan Tolvansson\uE002');
    expect(slot.certificates![0]!.label).toBe('\uE000name\uE001Tolvan Tolvansson\uE002 (Legitimering)');
  });

  it('warns for a token without certificates', async () => {
    hsm.initToken('TEST EMPTY');
    const { token } = await run({ pkcs11Module: SOFTHSM_LIBRARY });
    expect(token.status).toBe('warn');
    expect(token.summary.en).toBe('The PKCS#11 library sees the card “TEST EMPTY” (SoftHSM project SoftHSM v2), but no certificates are visible without logging in.');
    expect(token.details).toMatchObject({ tokens: 1, certificates: 0 });
  });

  it('fails when there is no token, only the uninitialised slot', async () => {
    const { token } = await run({ pkcs11Module: SOFTHSM_LIBRARY });
    expect(token.status).toBe('fail');
    expect(token.summary.en).toBe('The PKCS#11 library sees no card (1 card slot, no card).');
    expect(token.details).toMatchObject({ tokens: 0, slotCount: 1 });
    expect(token.details!.disagreement).toBeUndefined();
  });

  it('says so when the card reader sees a card and the middleware does not', async () => {
    const { token } = await run({ pkcs11Module: SOFTHSM_LIBRARY }, {}, [recordedCardProbe(CARD_IN_READER)]);
    expect(token.status).toBe('fail');
    expect(token.summary.en).toBe(
      'The card reader sees a card (in “Identiv uTrust 2700 R Smart Card Reader [CCID Interface] (55041234) 00 00”), but the PKCS#11 library does not: 1 card slot, no card.',
    );
    expect(token.advice!.en).toMatch(/typical sign of a broken card software installation/);
    expect(token.advice!.sv).toMatch(/typiskt tecken på en trasig installation av kortprogramvaran/);
    expect(token.details).toMatchObject({ disagreement: true, cardReaderSawCard: true });
    expect(token.notes!.map((n) => n.en)).toContainEqual(expect.stringContaining('does not list the reader “Identiv uTrust 2700 R'));
  });

  it('agrees with a card check that saw no card, and never pulls the card check in', async () => {
    const agreeing = await run({ pkcs11Module: SOFTHSM_LIBRARY }, {}, [recordedCardProbe({ cards: [] })]);
    expect(agreeing.token.summary.en).toBe('The PKCS#11 library sees no card (1 card slot, no card). The card reader check agrees: no card in the reader.');
    expect(agreeing.token.details).toMatchObject({ cardReaderSawCard: false });
    const registry = [recordedCardProbe(CARD_IN_READER), netidProbe, netidTokenProbe];
    expect(selectProbes(registry, { ids: ['netid-token'] }, defaultOptions()).map((p) => p.id)).toEqual(['card-software', 'netid-token']);
    tokenWithCertificate();
    const both = await run({ pkcs11Module: SOFTHSM_LIBRARY }, {}, [recordedCardProbe(CARD_IN_READER)]);
    expect(both.token.status).toBe('pass');
    expect(both.token.details).toMatchObject({ cardReaderSawCard: true });
  });

  it('follows Net iD found on Linux to its library (~/.iid/lib/libiidp11.so is SoftHSM here)', async () => {
    tokenWithCertificate();
    const home = path.join(scratch, 'home');
    mkdirSync(path.join(home, '.iid', 'lib'), { recursive: true });
    symlinkSync(SOFTHSM_LIBRARY, path.join(home, '.iid', 'lib', 'libiidp11.so'));
    const platform = { ...testSystem().platform, os: 'linux' as const, homedir: home };
    const { netid, token } = await run({}, { platform });
    // Net iD Enterprise alone is a warning since Inera retired it for SITHS; the token check still asks it, and says so.
    expect(netid.status).toBe('warn');
    expect(token.details).toMatchObject({ middleware: { product: 'enterprise', name: 'Net iD Enterprise' } });
    expect(token.notes![0]!.en).toMatch(/^Asked Net iD Enterprise: .*libiidp11\.so$/);
    expect(token.status).toBe('pass');
    expect(token.summary.en).toMatch(/^Net iD Enterprise sees the card “TEST SITHS”/);
  });

  it('fails netid with advice when the library is removed, and skips the token check', async () => {
    tokenWithCertificate();
    const copy = path.join(scratch, 'libiidp11.so');
    copyFileSync(SOFTHSM_LIBRARY, copy);
    expect((await run({ pkcs11Module: copy })).token.status).toBe('pass');
    unlinkSync(copy);
    const { netid, token } = await run({ pkcs11Module: copy });
    expect(netid.status).toBe('fail');
    expect(netid.summary.en).toBe(`The PKCS#11 library given with --pkcs11-module does not exist: ${copy}`);
    expect(netid.advice!.en).toMatch(/Check the path/);
    expect(token.status).toBe('skip');
    expect(token.details).toMatchObject({ skipReason: 'prerequisite', prerequisite: 'card-software' });
  });

  it('fails clearly for a file that is not a PKCS#11 library', async () => {
    const noEntryPoint = buildHostileLibrary(scratch, 'no-entry-point');
    const notPkcs11 = await run({ pkcs11Module: noEntryPoint });
    expect(notPkcs11.token.status).toBe('fail');
    expect(notPkcs11.token.summary.en).toMatch(/does not load as a PKCS#11 library: .*undefined symbol: C_GetFunctionList/);
    const text = path.join(scratch, 'notes.so');
    writeFileSync(text, 'just text');
    const notElf = await run({ pkcs11Module: text });
    expect(notElf.token.status).toBe('fail');
    expect(notElf.token.details).toMatchObject({ stage: 'load-library' });
  });

  it('fails with the PKCS#11 error when the library refuses to start (SoftHSM without its configuration)', async () => {
    const { token } = await run({ pkcs11Module: SOFTHSM_LIBRARY }, { env: { SOFTHSM2_CONF: path.join(scratch, 'missing.conf') } });
    expect(token.status).toBe('fail');
    expect(token.summary.en).toBe('The PKCS#11 library answered with an error in C_Initialize: CKR_GENERAL_ERROR');
    expect(token.advice!.en).toMatch(/^Restart the computer so that the card software's service restarts\. If the error remains: Ask IT to repair or reinstall the card software\./);
  });

  it('ends in time, naming C_Initialize, when the library hangs there', async () => {
    const hang = buildHostileLibrary(scratch, 'hang');
    const t0 = performance.now();
    const { token } = await run({ pkcs11Module: hang, timeoutMs: 1500 });
    const elapsed = performance.now() - t0;
    expect(token.status).toBe('error');
    expect(token.summary.en).toBe('The PKCS#11 library did not answer within 1.5 s (it was stuck in C_Initialize).');
    expect(token.details).toMatchObject({ timedOut: true, stage: 'C_Initialize' });
    expect(elapsed).toBeLessThan(1500 + 3000);
  });

  it('reports a library that crashes in C_Initialize, and the report goes on', async () => {
    const crash = buildHostileLibrary(scratch, 'crash');
    const { netid, token } = await run({ pkcs11Module: crash });
    expect(netid.status).toBe('pass');
    expect(token.status).toBe('fail');
    expect(token.summary.en).toMatch(/^The PKCS#11 library crashed in C_Initialize \(SIG[A-Z]+\)\.$/);
    expect(token.details).toMatchObject({ stage: 'C_Initialize' });
  });

  it('skips with reinstall advice (no build tools) when koffi cannot be loaded', async () => {
    // The built child and what it imports, copied where no node_modules can be found.
    const lonely = path.join(scratch, 'lonely');
    mkdirSync(path.join(lonely, 'pkcs11'), { recursive: true });
    mkdirSync(path.join(lonely, 'native'));
    for (const file of ['child-main.js', 'child.js', 'cryptoki.js', 'protocol.js']) copyFileSync(path.join(path.dirname(PKCS11_CHILD), file), path.join(lonely, 'pkcs11', file));
    for (const file of ['native/koffi.js', 'native/sea-asset.js', 'version.js']) copyFileSync(path.join(path.dirname(PKCS11_CHILD), '..', file), path.join(lonely, file));
    writeFileSync(path.join(scratch, 'package.json'), '{"type":"module"}');
    const { token } = await run({ pkcs11Module: SOFTHSM_LIBRARY }, { pkcs11: pkcs11Inspector(path.join(lonely, 'pkcs11', 'child-main.js')) });
    expect(token.status).toBe('skip');
    expect(token.details).toMatchObject({ skipReason: 'component-missing', component: 'koffi' });
    expect(token.advice!.en).toContain('Reinstall siths-doctor');
    expect(token.advice!.en).not.toMatch(/build tools|npm install/i);
  });

  it('end to end: siths-doctor check netid netid-token --pkcs11-module shows library, token and certificate, personal parts hidden', async () => {
    tokenWithCertificate();
    const args = ['check', 'netid', 'netid-token', '--pkcs11-module', SOFTHSM_LIBRARY];
    const text = await runBin([...args, '--verbose'], { env: hsm.env });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`\\[✓\\] Card software +Using the PKCS#11 library from --pkcs11-module: ${SOFTHSM_LIBRARY}`));
    expect(text.stdout).toMatch(/\[✓\] The card software sees the card +The PKCS#11 library sees the card “TEST SITHS” \(SoftHSM project SoftHSM v2\) with 1 certificate: “Legitimering”\./);
    expect(text.stdout).toContain('card number [card number hidden]');
    expect(text.stdout).toContain('"subject": "[name hidden]"');
    expect(text.stdout).not.toContain('Tolvan');

    const json = JSON.parse((await runBin([...args, '--format', 'json', '--show-personal-data', '--lang', 'sv'], { env: hsm.env })).stdout);
    const check = json.checks.find((c: { id: string }) => c.id === 'netid-token');
    expect(check.summary).toBe('PKCS#11-biblioteket ser kortet ”TEST SITHS” (SoftHSM project SoftHSM v2) med 1 certifikat: ”Legitimering”.');
    const slot = check.details.slots.find((s: { token?: { initialized: boolean } }) => s.token?.initialized);
    expect(slot.token.serialNumber).toMatch(/^[0-9a-f]{16}$/);
    expect(slot.certificates[0].subject).toBe('Tolvan Tolvansson');
  });
  describe('the PKCS#11 child started ahead of its library (prepare)', () => {
    /** The real child entry behind a wrapper that notes each start (process id and environment), so a test can count and watch the children. */
    function recordedChild(): { script: string; starts: () => { pid: number; env: Record<string, string> }[]; pids: () => number[]; env: NodeJS.ProcessEnv } {
      const script = path.join(scratch, 'recorded-child.mjs');
      const log = path.join(scratch, 'child-starts');
      writeFileSync(
        script,
        `import { appendFileSync } from 'node:fs';\nappendFileSync(process.env.CHILD_STARTS, JSON.stringify({ pid: process.pid, env: process.env }) + '\\n');\nawait import(${JSON.stringify(pathToFileURL(PKCS11_CHILD).href)});\n`,
      );
      const starts = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { pid: number; env: Record<string, string> }) : []);
      return { script, starts, pids: () => starts().map((s) => s.pid), env: { ...hsm.env, CHILD_STARTS: log } };
    }
    /** The inspection found the test token: the library ran with this test's SoftHSM configuration. */
    const seesTestToken = (inspection: Pkcs11Inspection): boolean => inspection.kind === 'ok' && inspection.report.slots.some((s) => s.token?.label === 'TEST SITHS');
    /** Running and not a zombie (a child whose parent ended is reaped by whoever adopts it, maybe late). */
    const alive = (pid: number): boolean => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };

    it('the child started ahead does the inspection: the library comes later, and no second child starts', async () => {
      tokenWithCertificate();
      const { script, pids, env } = recordedChild();
      const inspect = pkcs11Inspector(script);
      const release = inspect.prepare!(env);
      await waitFor(() => pids().length === 1, 20_000, () => 'the prepared child did not start');
      const inspection = await inspect(SOFTHSM_LIBRARY, { timeoutMs: 20_000, env });
      release();
      expect(inspection).toMatchObject({ kind: 'ok', report: { library: { manufacturer: 'SoftHSM' } } });
      expect(seesTestToken(inspection)).toBe(true);
      expect(pids()).toHaveLength(1);
    });

    it('an inspection with another environment gets a child of its own, and the one started ahead is stopped', async () => {
      tokenWithCertificate();
      const { script, pids, env } = recordedChild();
      const inspect = pkcs11Inspector(script);
      inspect.prepare!({ ...env, SOFTHSM2_CONF: '/nonexistent/softhsm2.conf' });
      await waitFor(() => pids().length === 1, 20_000, () => 'the prepared child did not start');
      const inspection = await inspect(SOFTHSM_LIBRARY, { timeoutMs: 20_000, env });
      expect(seesTestToken(inspection)).toBe(true);
      const [ahead, used] = pids();
      expect(used).toBeDefined();
      await waitFor(() => !alive(ahead!), 20_000, () => `the child started ahead (${ahead}) still runs`);
    });

    it('the child gets the run’s environment, less NODE_EXTRA_CA_CERTS (a helper opens no TLS, and Node would read the file as it starts)', async () => {
      tokenWithCertificate();
      const recorded = recordedChild();
      const env = { ...recorded.env, NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' };
      const inspection = await pkcs11Inspector(recorded.script)(SOFTHSM_LIBRARY, { timeoutMs: 20_000, env });
      // SOFTHSM2_CONF reached the library: it found the token.
      expect(seesTestToken(inspection)).toBe(true);
      const childEnv = recorded.starts()[0]!.env;
      expect(childEnv.SOFTHSM2_CONF).toBe(hsm.env.SOFTHSM2_CONF);
      expect(childEnv).not.toHaveProperty('NODE_EXTRA_CA_CERTS');
    });

    it('a library whose path holds a line break still reaches the child whole', async () => {
      tokenWithCertificate();
      const odd = path.join(scratch, 'soft\nhsm2 lib.so');
      symlinkSync(SOFTHSM_LIBRARY, odd);
      const { token } = await run({ pkcs11Module: odd });
      expect(token.status).toBe('pass');
      expect(token.details).toMatchObject({ library: odd });
    });

    it('release stops a child no inspection came for', async () => {
      const { script, pids, env } = recordedChild();
      const release = pkcs11Inspector(script).prepare!(env);
      await waitFor(() => pids().length === 1, 20_000, () => 'the prepared child did not start');
      expect(alive(pids()[0]!)).toBe(true);
      release();
      await waitFor(() => !alive(pids()[0]!), 20_000, () => 'the released child still runs');
    });

    it('holds nothing open: a doctor that never inspects ends by itself, and its child ends with it', async () => {
      const { script, pids, env } = recordedChild();
      const inspector = pathToFileURL(path.join(path.dirname(PKCS11_CHILD), 'inspector.js')).href;
      const parent = `const { pkcs11Inspector } = await import(${JSON.stringify(inspector)});\npkcs11Inspector(${JSON.stringify(script)}).prepare(process.env);\n`;
      const ended = await runChild(process.execPath, ['--input-type=module', '-e', parent], { env, timeoutMs: 20_000 });
      expect(ended).toMatchObject({ code: 0, stderr: '' });
      await waitFor(() => pids().length === 1, 20_000, () => 'the prepared child never started');
      await waitFor(() => !alive(pids()[0]!), 20_000, () => 'the child outlived its parent');
    });
  });
});
