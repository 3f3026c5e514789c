import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CardProbeDetails } from '../src/card/types.js';
import { msg } from '../src/i18n/index.js';
import type { CheckResult, Probe } from '../src/model.js';
import type { CertPathDetails } from '../src/netid/cert-path.js';
import { parseCertutilStore } from '../src/netid/certutil.js';
import { parseServiceState, parseStartType } from '../src/netid/service-state.js';
import { atrBytes, atrMatches, parseSmartCards } from '../src/netid/smartcards.js';
import { parseRegQuery } from '../src/netid/reg-query.js';
import { defaultOptions } from '../src/options.js';
import { windowsCertPathProbe } from '../src/probes/windows-cert-path.js';
import { runProbes } from '../src/runner.js';
import { recordedExec, type RecordedCommand } from './helpers/recorded.js';
import { fixedClock, testSystem } from './helpers/system.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/windows/', import.meta.url));
const out = (name: string): string => readFileSync(path.join(FIXTURES, name)).toString('utf8');
const NOW = new Date('2026-11-30T06:00:00Z');
const CALAIS = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\\Calais\\SmartCards';
const IDPRIME_840 = '3B 7F 96 00 00 80 31 80 65 B0 85 03 00 EF 12 0F FE 82 90 00';

function recorded(id: string, details: object): Probe {
  return { id, title: msg(id, id), description: msg(id, id), run: async () => ({ status: 'pass', summary: msg('inspelat', 'recorded'), details }) };
}
const card = (atr: string) => recorded('card', { cards: [{ reader: 'Virtual PCD 00 00', atr, state: 'present' }] } satisfies CardProbeDetails);
const cardCert = (serialNumber: string) =>
  recorded('card-cert', { decidingCertificate: 0, certificates: [{ readable: true, serialNumber, issuer: { commonName: 'SITHS e-id Person HSA-id 3 CA v1' }, family: 'siths-e-id' }] });
const software = (pkg: 'md' | 'sac-pkcs11') =>
  recorded('card-software', { installations: [{ product: 'siths-eid', productName: 'SITHS eID', package: pkg, foundBy: ['uninstall-entry'] }], searched: [] });

function windows(files: { store: string; query: string; qc: string; calais?: string }) {
  const ok = (stdout: string) => ({ code: 0, stdout, stderr: '', timedOut: false });
  const commands: RecordedCommand[] = [
    { file: 'C:\\WINDOWS\\System32\\certutil.exe', args: ['-user', '-store', 'My'], result: ok(out(files.store)) },
    { file: 'C:\\WINDOWS\\System32\\sc.exe', args: ['query', 'CertPropSvc'], result: ok(out(files.query)) },
    { file: 'C:\\WINDOWS\\System32\\sc.exe', args: ['qc', 'CertPropSvc'], result: ok(out(files.qc)) },
    ...(files.calais ? [{ file: 'C:\\WINDOWS\\System32\\reg.exe', args: ['query', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography\\Calais\\SmartCards', '/s'], result: ok(out(files.calais)) }] : []),
  ];
  const exec = recordedExec(commands, () => ({ code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.', timedOut: false }));
  return testSystem({ exec, env: { SystemRoot: 'C:\\WINDOWS' }, clock: fixedClock(NOW), platform: { os: 'win32', arch: 'x64', release: '10.0.22631', homedir: 'C:\\Users\\test', nodeVersion: '22.0.0' } });
}

async function certPath(system: ReturnType<typeof windows>, before: Probe[]): Promise<CheckResult<CertPathDetails>> {
  const results = await runProbes({ probes: [...before, windowsCertPathProbe], options: defaultOptions(), system });
  return results.find((r) => r.id === 'windows-cert-path') as CheckResult<CertPathDetails>;
}

describe('certutil, sc and Calais outputs parsed by structure (recorded, written from Microsoft documentation)', () => {
  it('reads certificates from English and Swedish certutil alike', () => {
    const en = parseCertutilStore(out('certutil-store-my.en.txt'));
    expect(en.map((c) => [c.index, c.serial, c.notAfter?.toISOString().slice(0, 10), c.provider])).toEqual([
      [0, 'a1b2c3d4e5f60718293a4b5c6d7e8f9', '2025-03-01', 'Microsoft Smart Card Key Storage Provider'],
      [1, '7f00112233445566778899aabbccddee', '2030-02-10', 'Microsoft Smart Card Key Storage Provider'],
      [2, '1', '2027-01-05', 'Microsoft Software Key Storage Provider'],
    ]);
    expect(en[0]!.issuer).toBe('CN=SITHS e-id Person HSA-id 3 CA v1, O=Inera AB, C=SE');
    expect(en[0]!.sha1).toBe('3f9a1c0d2e4b5a69788796a5b4c3d2e1f0a1b2c3');
    const sv = parseCertutilStore(out('certutil-store-my.sv.txt'));
    expect(sv).toHaveLength(1);
    expect(sv[0]).toMatchObject({ serial: '7f00112233445566778899aabbccddee', issuer: 'CN=SITHS e-id Person HSA-id 3 CA v1, O=Inera AB, C=SE' });
    expect(sv[0]!.notAfter!.toISOString()).toBe('2030-02-10T08:05:00.000Z');
    expect(sv[0]!.provider).toBeUndefined();
  });

  it('reads the service state and start type whatever the labels are', () => {
    expect(parseServiceState(out('sc-query-certpropsvc-running.en.txt'))).toBe('RUNNING');
    expect(parseStartType(out('sc-qc-certpropsvc-demand.en.txt'))).toBe('DEMAND_START');
    expect(parseServiceState(out('sc-query-certpropsvc-stopped.sv.txt'))).toBe('STOPPED');
    expect(parseStartType(out('sc-qc-certpropsvc-disabled.sv.txt'))).toBe('DISABLED');
    expect(parseServiceState('garbage\r\nSTATE : 9 FLYING')).toBeUndefined();
    // UTF-16 read as UTF-8 (what Wine's sc.exe gives a pipe): NULs between the characters.
    const utf16 = Buffer.from(out('sc-query-certpropsvc-running.en.txt'), 'utf16le').toString('utf8');
    expect(parseServiceState(utf16)).toBe('RUNNING');
  });

  it('matches a card ATR against ATR and ATRMask', () => {
    const cards = parseSmartCards(parseRegQuery(out('reg-query-calais-smartcards.en.txt')), CALAIS);
    expect(cards.map((c) => [c.name, c.minidriver])).toEqual([
      ['Identity Device (NIST SP 800-73 [PIV])', 'msclmd.dll'],
      ['SafeNet IDPrime 840', 'eTPKCS15.dll'],
    ]);
    expect(atrMatches(atrBytes(IDPRIME_840)!, cards[1]!)).toBe(true);
    // Byte 11 is masked out; byte 16 is not.
    expect(atrMatches(atrBytes(IDPRIME_840.replace('85 03', '85 77'))!, cards[1]!)).toBe(true);
    expect(atrMatches(atrBytes(IDPRIME_840.replace('0F FE', '0F FF'))!, cards[1]!)).toBe(false);
  });
});

describe('windows-cert-path (recorded Windows tools)', () => {
  it('warns for an expired SITHS certificate next to the valid one, and for CertPropSvc running with the MD package', async () => {
    const system = windows({ store: 'certutil-store-my.en.txt', query: 'sc-query-certpropsvc-running.en.txt', qc: 'sc-qc-certpropsvc-demand.en.txt', calais: 'reg-query-calais-smartcards.en.txt' });
    const result = await certPath(system, [card(IDPRIME_840), cardCert('7F00112233445566778899AABBCCDDEE'), software('md')]);
    expect(result.status).toBe('warn');
    expect(result.summary.en).toBe(
      'The store holds 1 expired SITHS/Efos certificate next to 1 valid one (SITHS e-id Person HSA-id 3 CA v1 → 2025-03-01); Certificate propagation (CertPropSvc) is not turned off (RUNNING, DEMAND_START) although the MD package is installed.',
    );
    expect(result.details).toMatchObject({
      authCertificateInStore: true,
      authKeyOnCard: true,
      minidriver: [{ reader: 'Virtual PCD 00 00', registeredAs: 'SafeNet IDPrime 840', minidriver: 'eTPKCS15.dll' }],
      certPropSvc: { state: 'RUNNING', startType: 'DEMAND_START' },
    });
    const notes = result.notes!.map((n) => n.en);
    expect(notes).toContainEqual(expect.stringMatching(/CertPropSvc.*Source: https:\/\//));
    // No subject (names, HSA-ids) reaches the report.
    expect(JSON.stringify(result)).not.toContain('Testsson');
  });

  it('warns on a Swedish Windows when the certificate is there without a key on the card and no minidriver matches', async () => {
    const system = windows({ store: 'certutil-store-my.sv.txt', query: 'sc-query-certpropsvc-stopped.sv.txt', qc: 'sc-qc-certpropsvc-disabled.sv.txt' });
    const result = await certPath(system, [card(IDPRIME_840), cardCert('7F00112233445566778899AABBCCDDEE'), software('md')]);
    expect(result.status).toBe('warn');
    expect(result.summary.sv).toBe("Kortets legitimeringscertifikat finns i lagret, men utan nyckel på kortet; Ingen minidriver är registrerad för kortet i ”Virtual PCD 00 00”.");
    expect(result.details).toMatchObject({ authCertificateInStore: true, authKeyOnCard: false, certPropSvc: { state: 'STOPPED', startType: 'DISABLED' } });
  });

  it('passes with the certificate in the store on the card, a minidriver, and the SAC PKCS#11 package', async () => {
    const system = windows({ store: 'certutil-store-my.en.txt', query: 'sc-query-certpropsvc-running.en.txt', qc: 'sc-qc-certpropsvc-demand.en.txt', calais: 'reg-query-calais-smartcards.en.txt' });
    // A clock before the old certificate expired: no expired-next-to-valid warning.
    const before = testSystem({ ...system, clock: fixedClock(new Date('2025-02-20T00:00:00Z')) });
    const result = await certPath(before, [card(IDPRIME_840), cardCert('7f00112233445566778899aabbccddee'), software('sac-pkcs11')]);
    expect(result.status).toBe('pass');
    expect(result.summary.en).toBe("The card's authentication certificate is in the store with its key on the card (Microsoft Smart Card Key Storage Provider).");
  });

  it('warns when the card certificate is not in the store at all', async () => {
    const system = windows({ store: 'certutil-store-my.en.txt', query: 'sc-query-certpropsvc-stopped.sv.txt', qc: 'sc-qc-certpropsvc-disabled.sv.txt', calais: 'reg-query-calais-smartcards.en.txt' });
    const result = await certPath(system, [card(IDPRIME_840), cardCert('DEADBEEF'), software('md')]);
    expect(result.status).toBe('warn');
    expect(result.summary.en).toContain("The card's authentication certificate is not in your personal certificate store");
    expect(result.advice!.en).toContain('Logging in through the SITHS eID app is not affected.');
  });

  it('is skipped, saying why, on other platforms; list-checks shows it as Windows only', async () => {
    const results = await runProbes({ probes: [windowsCertPathProbe], options: defaultOptions(), system: testSystem({ platform: { os: 'linux', arch: 'x64', release: 'test', homedir: '/home/t', nodeVersion: '22.0.0' } }) });
    expect(results[0]).toMatchObject({ status: 'skip', summary: { en: 'Skipped: applies to Windows only.' }, details: { skipReason: 'platform' } });
    const { renderCheckList } = await import('../src/cli/commands/list-checks.js');
    expect(renderCheckList([windowsCertPathProbe], defaultOptions())).toContain('Windows certificate path (only Windows)');
  });

  it('is an error when none of the tools can run', async () => {
    const system = testSystem({ exec: recordedExec([]), env: { SystemRoot: 'C:\\WINDOWS' }, platform: { os: 'win32', arch: 'x64', release: '10', homedir: 'C:\\Users\\t', nodeVersion: '22.0.0' } });
    const result = await certPath(system, []);
    expect(result.status).toBe('error');
    expect(result.notes!.map((n) => n.en).join('\n')).toContain('certutil.exe not found');
  });
});

describe('windows-cert-path verdicts on partial answers', () => {
  // A valid SITHS certificate with its key on the card, so only the part under test decides.
  const sithsInStore = {
    index: 0,
    serial: '1a2b',
    issuer: 'CN=SITHS e-id Person HSA-id 3 CA v1, O=Inera AB, C=SE',
    notAfter: new Date(NOW.getTime() + 100 * 86_400_000),
    provider: 'Microsoft Smart Card Key Storage Provider',
  };
  const base = { now: NOW, store: [sithsInStore], smartCards: [], atrs: [], packages: ['md' as const] };

  it('warns, never passes, when the store holds no SITHS or Efos certificate and no card was read to compare with', async () => {
    const { judgeCertPath } = await import('../src/netid/cert-path.js');
    const result = judgeCertPath({ ...base, store: [], certProp: { state: 'STOPPED', startType: 'DISABLED' } });
    expect(result.status).toBe('warn');
    expect(result.summary.en).toContain('No SITHS or Efos certificate in your personal certificate store');
    expect(result.advice!.en).toContain('SITHS eID app is not affected');
  });

  it('knows Efos certificates by the CA table, not only by the word Efos: an expired one next to a valid one warns', async () => {
    const { judgeCertPath } = await import('../src/netid/cert-path.js');
    // Efos CAs are named "Swedish Public Sector … CA" under the organisation Swedish Social Insurance Agency.
    const efos = (serial: string, days: number) => ({
      index: 0,
      serial,
      issuer: 'CN=Swedish Public Sector Person CA v1, O=Swedish Social Insurance Agency, C=SE',
      notAfter: new Date(NOW.getTime() + days * 86_400_000),
      provider: 'Microsoft Smart Card Key Storage Provider',
    });
    const result = judgeCertPath({ ...base, store: [efos('aa', -10), efos('bb', 100)], packages: [], certProp: { state: 'STOPPED', startType: 'DISABLED' } });
    expect(result.status).toBe('warn');
    expect(result.summary.en).toContain('1 expired SITHS/Efos certificate next to 1 valid one (Swedish Public Sector Person CA v1');
  });

  it('without a start type, only a running CertPropSvc counts as on', async () => {
    const { judgeCertPath } = await import('../src/netid/cert-path.js');
    expect(judgeCertPath({ ...base, certProp: { state: 'STOPPED' } }).status).toBe('pass');
    const running = judgeCertPath({ ...base, certProp: { state: 'RUNNING' } });
    expect(running.status).toBe('warn');
    expect(running.summary.en).toContain('(RUNNING, ?)');
  });

  it('is an error, not a pass, when the certificate store cannot be read', async () => {
    const { judgeCertPath } = await import('../src/netid/cert-path.js');
    const result = judgeCertPath({ ...base, store: 'certutil.exe did not answer in time', certProp: { state: 'STOPPED', startType: 'DISABLED' } });
    expect(result.status).toBe('error');
    expect(result.summary.en).toBe('Could not read: certutil: certutil.exe did not answer in time.');
  });
});
