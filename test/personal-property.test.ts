import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { PROBES } from '../src/probes/index.js';
import { runMain } from './helpers/cli.js';
import { testPki } from './helpers/pki.js';

/**
 * Property: whatever personal data a certificate or its file name carries, in
 * whatever attribute, none of it survives into any report format (the real
 * CLI, probe and renderers), unless --show-personal-data.
 */

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Luhn check digit over YYMMDDNNN, as Skatteverket computes it. */
function checkDigit(nine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Personal numbers and coordination numbers (day + 60): 10 or 12 digits, with -, + or nothing before the last four. */
const personalNumber = fc
  .record({
    year: fc.integer({ min: 1900, max: 2025 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    coordination: fc.boolean(),
    serial: fc.integer({ min: 0, max: 999 }),
    long: fc.boolean(),
    sep: fc.constantFrom('', '-', '+'),
  })
  .map(({ year, month, day, coordination, serial, long, sep }) => {
    const yymmdd = pad(year % 100, 2) + pad(month, 2) + pad(day + (coordination ? 60 : 0), 2);
    const nnn = pad(serial, 3);
    const last4 = nnn + checkDigit(yymmdd + nnn);
    return `${long ? pad(Math.floor(year / 100), 2) : ''}${yymmdd}${sep}${last4}`;
  });

const hsaId = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 9_999_999_999 }), fc.stringMatching(/^[A-Z0-9]{1,12}$/)).map(([org, tail]) => `SE${pad(org, 10)}-${tail}`),
  fc.integer({ min: 0, max: 9_999_999_999 }).map((n) => `TSTNMT${pad(n, 10)}-${1000 + (n % 9000)}`),
  fc.stringMatching(/^[A-Z]{3}$/).map((s) => `HSATEST2-${s}`),
  fc.integer({ min: 0, max: 999_999_999_999 }).map((n) => `T-SERVICES-SE${pad(n, 12)}-${1000 + (n % 9000)}`),
  fc.stringMatching(/^[0-9]{3}[A-Z]$/).map((s) => `HSASERVICES-${s}`),
);

const secret = fc.oneof(personalNumber, hsaId);

// Every attribute a certificate's name may carry, including ones no one treats as personal, and an OID no one knows.
const ATTRIBUTES: { name?: string; shortName?: string; type?: string }[] = [
  { shortName: 'CN' },
  { name: 'serialNumber' },
  { name: 'surname' },
  { name: 'givenName' },
  { shortName: 'L' },
  { shortName: 'ST' },
  { shortName: 'O' },
  { shortName: 'OU' },
  { name: 'description' },
  { name: 'title' },
  { type: '1.2.3.4.5.6.7' },
];

const ca = testPki();
const caCert = forge.pki.certificateFromPem(ca.pem('siths-hsa-ca'));
const caKey = forge.pki.privateKeyFromPem(ca.keyPem('siths-hsa-ca'));
// One key for every generated certificate: what varies is the name, and key generation is slow.
const holderKeys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });

function certificate(values: readonly string[], selfSigned: boolean): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = holderKeys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const subject = [{ shortName: 'C', value: 'SE' }, ...ATTRIBUTES.map((attr, i) => ({ ...attr, value: values[i % values.length]!, valueTagClass: forge.asn1.Type.UTF8 }))];
  cert.setSubject(subject as forge.pki.CertificateField[]);
  cert.setIssuer(selfSigned ? (subject as forge.pki.CertificateField[]) : caCert.subject.attributes);
  cert.setExtensions([
    { name: 'keyUsage', digitalSignature: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  cert.sign(selfSigned ? holderKeys.privateKey : caKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

const FORMATS = ['text', 'json', 'markdown', 'prometheus'] as const;
const cardCert = PROBES.filter((p) => p.id === 'card-cert');
const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-pd-'));

/** The forms a value may take in output (the digits alone, without separators). */
function traces(value: string): string[] {
  return [value, value.replace(/[-+]/g, '')];
}

describe('personal data in certificates and file names (property)', () => {
  it('never survives into text, JSON, markdown or prometheus', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(secret, { minLength: 1, maxLength: ATTRIBUTES.length }),
        secret,
        fc.constantFrom('-', '_', '.', ' '),
        fc.boolean(),
        async (values, inName, joiner, selfSigned) => {
          const file = path.join(dir, `anna${joiner}${inName}${joiner}auth${n++}.pem`);
          writeFileSync(file, certificate(values, selfSigned));
          for (const format of FORMATS) {
            const run = await runMain(['check', 'card-cert', '--cert', file, '--format', format, '--verbose'], cardCert, { system: {} });
            const out = run.stdout + run.stderr;
            for (const value of [...values, inName]) {
              for (const trace of traces(value)) expect(out, `${format} shows ${trace}`).not.toContain(trace);
            }
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);

  it('shows them with --show-personal-data (the property can fail)', async () => {
    const file = path.join(dir, 'anna-197001011233-auth.pem');
    writeFileSync(file, certificate(['TSTNMT2321000156-1019'], true));
    const run = await runMain(['check', 'card-cert', '--cert', file, '--format', 'json', '--show-personal-data'], cardCert);
    expect(run.stdout).toContain('197001011233');
    expect(run.stdout).toContain('TSTNMT2321000156-1019');
  });
});

describe('a password in --test-url', () => {
  it('is never shown, and the user only on request', async () => {
    const page = PROBES.filter((p) => p.id === 'proxy' || p.id === 'test-page');
    const url = 'https://anna:hemligt@127.0.0.1:9/';
    for (const format of FORMATS) {
      const run = await runMain(['check', 'test-page', '--no-proxy', '--test-url', url, '--timeout', '500', '--format', format, '--verbose'], page);
      expect(run.stdout + run.stderr).not.toContain('hemligt');
      expect(run.stdout + run.stderr).not.toContain('anna');
    }
    const shown = await runMain(['check', 'test-page', '--no-proxy', '--test-url', url, '--timeout', '500', '--format', 'json', '--show-personal-data'], page);
    expect(shown.stdout).not.toContain('hemligt');
  });
});
