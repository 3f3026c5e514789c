import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { msg } from '../src/i18n/index.js';
import type { Probe } from '../src/model.js';
import { cardCert } from '../src/probes/card-cert.js';
import { runBin, runMain } from './helpers/cli.js';
import { testPki } from './helpers/pki.js';
import { fixedClock } from './helpers/system.js';

const pki = testPki();
const person = pki.manifest.person;
const generatedAt = new Date(pki.manifest.generatedAt);
const file = (name: string, ext: 'pem' | 'der' = 'pem') => pki.path(`${name}.${ext}`);

/** Stand-ins for the checks card-cert reads: their own code lives on other branches. */
const fake = (id: string, status: 'pass' | 'fail'): Probe => ({
  id,
  title: msg(`Titel ${id}`, `Title ${id}`),
  description: msg(id, id),
  run: async () => ({ status, summary: msg(`${id} sv`, `${id} en`) }),
});

function checksOf(stdout: string): { id: string; status: string; summary: string; advice: string; notes: string[]; details: Record<string, unknown> }[] {
  return JSON.parse(stdout).checks;
}

describe('the card-cert check, in process', () => {
  const clock = { clock: fixedClock(generatedAt) };

  it('needs the card check, or nothing with --cert', async () => {
    const list = await runMain(['list-checks', '--format', 'json'], [fake('card', 'pass'), cardCert]);
    expect(JSON.parse(list.stdout).checks[1]).toMatchObject({ id: 'card-cert', dependsOn: ['card'] });
    const withFiles = await runMain(['check', 'card-cert', '--cert', file('card-hsa-auth-valid'), '--format', 'json'], [fake('card', 'fail'), cardCert], {
      system: clock,
    });
    expect(checksOf(withFiles.stdout).map((c) => `${c.id}:${c.status}`)).toEqual(['card-cert:pass']);
    expect(withFiles.code).toBe(0);
  });

  it('without --cert needs the card check, and is skipped naming it when no card was found', async () => {
    const noCard = await runMain(['check', 'card-cert', '--format', 'json'], [fake('card', 'fail'), cardCert]);
    expect(checksOf(noCard.stdout)[1]).toMatchObject({ status: 'skip', details: { skipReason: 'prerequisite', prerequisite: 'card' } });
  });

  it('one line per certificate in the notes, shown with --verbose', async () => {
    const run = await runMain(['check', 'card-cert', '--cert', file('card-hsa-pair'), '--verbose'], [cardCert], { system: clock });
    expect(run.stdout).toMatch(/\[✓\] Certificates in the files {2}TEST CERTIFICATE: The HSA-id based authentication certificate of \[name hidden\]/);
    expect(run.stdout).toContain(`      [✓] ${file('card-hsa-pair')} #1: authentication certificate, HSA-id based, TEST SITHS e-id, [name hidden], SE2321000016-****, valid until`);
    expect(run.stdout).toContain(`      [✓] ${file('card-hsa-pair')} #2: signature certificate,`);
    expect(run.stdout).not.toContain('SHA-256 ');
  });

  it('reads the clock check when it ran, and says the clock is suspect', async () => {
    const run = await runMain(['check', 'card-cert', 'clock', '--cert', file('card-hsa-auth-valid'), '--format', 'json'], [fake('clock', 'fail'), cardCert]);
    expect(checksOf(run.stdout).find((c) => c.id === 'card-cert')!.advice).toContain('“clock” check found this computer\'s clock wrong');
  });
});

describe('siths-doctor cert --cert FILE (the built tool, as a child process)', () => {
  it('lists each certificate with its details in the text report, personal data hidden', async () => {
    const run = await runBin(['cert', '--cert', file('card-hsa-auth-valid'), '--cert', file('card-hsa-sign-valid', 'der')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('[✓] Certificates in the files  TEST CERTIFICATE: The HSA-id based authentication certificate of [name hidden] (TEST SITHS e-id) is valid until');
    for (const label of ['subject', 'issuer', 'validity', 'key', 'key usage', 'extended key usage', 'policies', 'serial number', 'SHA-256']) {
      expect(run.stdout).toMatch(new RegExp(`\\n {9}${label} +\\S`));
    }
    expect(run.stdout).toContain('issuer              CN=TEST SITHS e-id Person HSA-id 3 CA v1, O=Inera AB (TEST), C=SE');
    expect(run.stdout).toContain('clientAuth (1.3.6.1.5.5.7.3.2), smartcardLogon (1.3.6.1.4.1.311.20.2.2)');
    for (const secret of [person.commonName, person.surname, person.hsaId, person.email]) expect(run.stdout).not.toContain(secret);
    expect(run.stdout).toContain('SE2321000016-****');
  });

  it('shows personal data with --show-personal-data', async () => {
    const run = await runBin(['cert', '--cert', file('card-pnr-auth-valid'), '--show-personal-data']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`authentication certificate of ${person.commonName} (TEST SITHS e-id)`);
    expect(run.stdout).toContain(person.personalNumber);
    expect(run.stdout).toContain(person.email);
  });

  it('reads DER into JSON, in Swedish, with the analysis in details', async () => {
    const run = await runBin(['cert', '--cert', file('card-hsa-auth-ec', 'der'), '--format', 'json', '--lang', 'sv']);
    expect(run.code).toBe(0);
    const [check] = checksOf(run.stdout);
    expect(check).toMatchObject({ id: 'card-cert', status: 'pass' });
    expect(check!.summary).toMatch(/^TESTCERTIFIKAT: Legitimeringscertifikatet med HSA-id för \[namn dolt\] \(TEST SITHS e-id\) gäller till \d{4}-\d\d-\d\d, 1460 dagar kvar\.$/);
    const details = check!.details as { decidingCertificate: number; reasons: string[]; certificates: Record<string, unknown>[] };
    expect(details).toMatchObject({ source: 'files', expiryWarnDays: 30, decidingCertificate: 0, reasons: ['valid'], fallbackToPersonalNumber: false });
    expect(details.certificates[0]).toMatchObject({
      readable: true,
      origin: { file: file('card-hsa-auth-ec', 'der') },
      subject: { commonName: '[namn dolt]', serialNumber: 'SE2321000016-****', organization: 'Region Test (TEST)', emails: ['[e-post dold]'] },
      issuer: { commonName: 'TEST SITHS e-id Person HSA-id 3 CA v1' },
      validity: 'valid',
      daysLeft: 1460,
      key: { type: 'EC', bits: 256, curve: 'prime256v1' },
      keyUsage: ['digitalSignature'],
      extendedKeyUsage: [
        { oid: '1.3.6.1.5.5.7.3.2', name: 'clientAuth' },
        { oid: '1.3.6.1.4.1.311.20.2.2', name: 'smartcardLogon' },
      ],
      family: 'siths-e-id',
      test: true,
      reserveCard: false,
      role: 'end-entity',
      purposes: ['authentication'],
      identity: 'hsa-id',
      anomalies: [],
    });
    expect(details.certificates[0]!.serialNumber).toBe(new X509Certificate(pki.der('card-hsa-auth-ec')).serialNumber);
    expect(details.certificates[0]).not.toHaveProperty('parser');
    expect(details.certificates[0]!.notAfter).toBe(pki.manifest.certificates['card-hsa-auth-ec']!.notAfter.replace(/\.\d{3}Z$/, '.000Z'));
  });

  it('exits 1 for an expired certificate, with advice in plain words', async () => {
    const run = await runBin(['cert', '--cert', file('card-hsa-auth-expired'), '--lang', 'sv']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('gick ut');
    expect(run.stdout).toContain('Beställ ett nytt kort hos din organisations kortadministratör');
  });

  it('warns at 10 days left, passes with --expiry-warn-days 5', async () => {
    const warn = await runBin(['cert', '--cert', file('card-hsa-auth-expiring'), '--format', 'json']);
    expect(checksOf(warn.stdout)[0]).toMatchObject({ status: 'warn', details: { reasons: ['expiring'] } });
    const pass = await runBin(['cert', '--cert', file('card-hsa-auth-expiring'), '--expiry-warn-days', '5', '--format', 'json']);
    expect(checksOf(pass.stdout)[0]).toMatchObject({ status: 'pass', details: { reasons: ['valid'], expiryWarnDays: 5 } });
  });

  it('a file that is not a certificate is bad input (exit 2) naming it and why, never a stack trace', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-cert-bin-'));
    const broken = path.join(dir, 'broken.cer');
    writeFileSync(broken, pki.der('card-hsa-auth-valid').subarray(0, 400));
    const run = await runBin(['cert', '--cert', broken]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`The file for --cert holds no certificate that can be read: a cut-short certificate: 400 of`);
    expect(run.stderr).toContain(broken);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a --cert file that does not exist is a usage error (exit 2) before anything runs', async () => {
    const run = await runBin(['cert', '--cert', '/nonexistent/card.cer']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('The file for --cert does not exist: /nonexistent/card.cer');
  });
});

describe('siths-doctor cert on PP, function and foreign certificates (issue 12)', () => {
  const json = async (...files: string[]) => {
    const run = await runBin(['cert', ...files.flatMap((f) => ['--cert', f]), '--format', 'json']);
    return { code: run.code, check: checksOf(run.stdout).find((c) => c.id === 'card-cert')! };
  };

  it('a PP (pre-production) SITHS chain passes as a loudly named TEST certificate, its TSTNMT HSA-id hidden', async () => {
    const { code, check } = await json(pki.path('card-pp-chain.pem'));
    expect(code).toBe(0);
    expect(check.status).toBe('pass');
    expect(check.summary).toMatch(/^TEST CERTIFICATE: The HSA-id based authentication certificate of \[name hidden\] \(TEST older SITHS \(PP\)\)/);
    expect(JSON.stringify(check)).not.toContain('TSTNMT2321000156-1019');
  });

  it('a SITHS function certificate fails: a system certificate cannot log a person in', async () => {
    const { code, check } = await json(file('function-siths-auth'), file('siths-function-ca'));
    expect(code).toBe(1);
    expect(check.status).toBe('fail');
    expect(check.summary).toContain('This is a function certificate (for a system or server, issued by “TEST SITHS e-id Function CA v1”)');
    expect(check.details).toMatchObject({ reasons: ['function-certificate'] });
  });

  it('an Efos SAT function certificate fails the same way, named as Efos test', async () => {
    const { check } = await json(file('function-efos-sat-auth'));
    expect(check.status).toBe('fail');
    expect(check.notes[0]).toContain('function certificate (a system, not a person), TEST Efos (SAT)');
  });

  it('a certificate from another issuer fails with where it comes from', async () => {
    const { check } = await json(file('card-national-id-auth'));
    expect(check.status).toBe('fail');
    expect(check.summary).toBe('The certificate is not from SITHS or Efos but from “TEST Nationellt ID-kort CA v1, Nationell ID-kortutgivare (TEST)”, and cannot be used for a SITHS login.');
  });
});
