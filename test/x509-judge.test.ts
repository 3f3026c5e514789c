import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { analyseCertificate, issuerChainOf } from '../src/x509/analyse.js';
import type { CertificateFacts, NameAttribute } from '../src/x509/facts.js';
import { splitCertificateFile, type CertificateSet } from '../src/x509/inputs.js';
import { analyseSet, isAnalysed, judge, type Reason } from '../src/x509/judge.js';
import { certificateOutcome, type CardCertDetails, type OutcomeContext } from '../src/x509/outcome.js';
import { parseCertificate } from '../src/x509/parse.js';
import { signatureAlgorithmName } from '../src/x509/signature-algorithms.js';
import { redactDeep } from '../src/personal.js';
import { fixedClock } from './helpers/system.js';
import { testPki } from './helpers/pki.js';

const pki = testPki();
/** The moment the TEST PKI was generated: its dates are exact days from here. */
const generatedAt = new Date(pki.manifest.generatedAt);
const DAY = 24 * 60 * 60 * 1000;

function facts(name: string): CertificateFacts {
  const result = parseCertificate(pki.der(name));
  if (!result.ok) throw new Error(`${name}: ${result.problem}`);
  return result.facts;
}

function setOf(...names: string[]): CertificateSet {
  return { source: 'files', inputs: names.map((n) => ({ origin: { kind: 'file', file: `${n}.der` }, der: pki.der(n) })) };
}

function outcome(set: CertificateSet, over: Partial<OutcomeContext> = {}) {
  return certificateOutcome(set, { now: generatedAt, expiryWarnDays: 30, clockLooksWrong: false, listing: false, ...over });
}

function detailsOf(o: ReturnType<typeof outcome>): CardCertDetails {
  return o.details as CardCertDetails;
}

/** The serial as node-forge, which read RSA certificates before, showed it: the INTEGER's content in upper-case hex. */
function forgeSerial(der: Buffer): string {
  return forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString('binary'))).serialNumber.toUpperCase();
}

describe('parsing card certificates from the DER, one path for every key type', () => {
  it('reads an RSA certificate: key size and serial as before', () => {
    const f = facts('card-hsa-auth-valid');
    expect(f.key).toEqual({ type: 'RSA', bits: 2048 });
    expect(f.serialNumber).toMatch(/^01[0-9A-F]{12}$/);
    expect(f.serialNumber).toBe(forgeSerial(pki.der('card-hsa-auth-valid')));
    expect(f.subject.map((a) => `${a.label}=${a.value}`)).toEqual([
      'C=SE',
      'O=Region Test (TEST)',
      'SN=Tolvansson',
      'GN=Tolvan',
      'serialNumber=SE2321000016-T0LV',
      'CN=Tolvan Tolvansson',
    ]);
    expect(f.keyUsage).toEqual(['digitalSignature']);
    expect(f.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2', '1.3.6.1.4.1.311.20.2.2']);
    expect(f.emails).toEqual([pki.manifest.person.email]);
    expect(f.notAfter.toISOString()).toBe(pki.manifest.certificates['card-hsa-auth-valid']!.notAfter);
  });

  it('reads an EC certificate into the same model: curve, size and serial as OpenSSL reads them', () => {
    const ec = facts('card-hsa-auth-ec');
    const rsa = facts('card-hsa-auth-valid');
    expect(ec.key).toEqual({ type: 'EC', bits: 256, curve: 'prime256v1' });
    expect(ec.serialNumber).toMatch(/^01[0-9A-F]{12}$/);
    expect(ec.serialNumber).toBe(new X509Certificate(pki.der('card-hsa-auth-ec')).serialNumber);
    expect(ec.serialNumber).not.toBe(rsa.serialNumber);
    // Everything but the key and serial comes out exactly as for the RSA certificate.
    expect(ec.subject).toEqual(rsa.subject);
    expect(ec.issuer).toEqual(rsa.issuer);
    expect(ec.keyUsage).toEqual(rsa.keyUsage);
    expect(ec.extendedKeyUsage).toEqual(rsa.extendedKeyUsage);
    expect(ec.emails).toEqual(rsa.emails);
    expect(ec.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(ec.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('names signature algorithms as node-forge did, the ones it did not know by their RFC names, others by OID', () => {
    const forgeNames = forge.pki.oids as Record<string, string>;
    const signatures = ['md5WithRSAEncryption', 'sha1WithRSAEncryption', 'sha1WithRSASignature', 'sha256WithRSAEncryption', 'sha384WithRSAEncryption', 'sha512WithRSAEncryption', 'RSASSA-PSS', 'dsa-with-sha1', 'EdDSA25519'];
    for (const name of signatures) {
      const oid = forgeNames[name]!;
      expect(forgeNames[oid]).toBe(name);
      expect(signatureAlgorithmName(oid)).toBe(name);
    }
    expect(signatureAlgorithmName('1.2.840.10045.4.3.2')).toBe('ecdsa-with-SHA256');
    expect(signatureAlgorithmName('1.2.840.10045.4.3.3')).toBe('ecdsa-with-SHA384');
    expect(signatureAlgorithmName('1.2.3.4')).toBe('1.2.3.4');
    expect(facts('card-hsa-auth-valid').signatureAlgorithm).toBe('sha256WithRSAEncryption');
  });

  it('decodes UTF-8 names and reads the Efos policy', () => {
    const efosCa = facts('efos-ca');
    expect(efosCa.subject.find((a) => a.label === 'O')?.value).toBe('Försäkringskassan (TEST)');
    expect(facts('card-efos-auth').policies).toEqual(['1.2.752.146.200.3.1.0.0']);
  });

  it('names what is wrong with bytes that are not a certificate', () => {
    const der = pki.der('card-hsa-auth-valid');
    expect(parseCertificate(Buffer.alloc(0))).toMatchObject({ ok: false, problem: 'empty' });
    expect(parseCertificate(der.subarray(0, 500))).toMatchObject({ ok: false, problem: 'truncated', declaredBytes: der.length });
    expect(parseCertificate(Buffer.concat([der, Buffer.from('junk')]))).toMatchObject({ ok: false, problem: 'trailing-data' });
    expect(parseCertificate(Buffer.from('hello, I am not a certificate'))).toMatchObject({ ok: false, problem: 'not-a-certificate' });
    expect(parseCertificate(Buffer.alloc(70_000, 0x30))).toMatchObject({ ok: false, problem: 'too-large' });
    // A length field claiming 4 GiB: refused from the header, nothing allocated by it.
    expect(parseCertificate(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01]))).toMatchObject({ ok: false, problem: 'truncated' });
    // A valid DER structure that is not a certificate (a SEQUENCE of one INTEGER).
    expect(parseCertificate(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]))).toMatchObject({ ok: false, problem: 'not-a-certificate' });
  });

  it('refuses nesting deeper than any certificate within the parser depth limit', () => {
    // 0x30 0x80 is indefinite length (not DER); nested definite SEQUENCEs 2000 deep.
    let body = Buffer.from([0x05, 0x00]);
    for (let i = 0; i < 2000; i++) {
      const len = body.length;
      const header = len < 128 ? Buffer.from([0x30, len]) : len < 256 ? Buffer.from([0x30, 0x81, len]) : Buffer.from([0x30, 0x82, len >> 8, len & 0xff]);
      body = Buffer.concat([header, body]);
    }
    expect(parseCertificate(body)).toMatchObject({ ok: false, problem: 'not-a-certificate' });
  });
});

describe('days left, against a fixed clock', () => {
  const f = facts('card-hsa-auth-valid');
  const at = (ms: number) => analyseCertificate(f, fixedClock(new Date(f.notAfter.getTime() + ms)).now(), [f.issuer]);

  it('counts whole days, rounded up while valid', () => {
    expect(at(-10 * DAY)).toMatchObject({ validity: 'valid', daysLeft: 10 });
    expect(at(-9.5 * DAY)).toMatchObject({ validity: 'valid', daysLeft: 10 });
    expect(at(-1)).toMatchObject({ validity: 'valid', daysLeft: 1 });
    expect(at(0)).toMatchObject({ validity: 'valid', daysLeft: 0 });
  });

  it('counts days since expiry as negative, 0 within the first day', () => {
    expect(at(1)).toMatchObject({ validity: 'expired', daysLeft: 0 });
    expect(Object.is(at(1).daysLeft, -0)).toBe(false);
    expect(at(20 * DAY)).toMatchObject({ validity: 'expired', daysLeft: -20 });
    expect(at(20 * DAY + 3600_000)).toMatchObject({ validity: 'expired', daysLeft: -20 });
  });

  it('counts days until a certificate becomes valid', () => {
    const before = analyseCertificate(f, new Date(f.notBefore.getTime() - 4.2 * DAY), [f.issuer]);
    expect(before).toMatchObject({ validity: 'not-yet-valid', daysUntilValid: 5 });
  });

  it('warns within --expiry-warn-days, inclusive, and not a day earlier', () => {
    const set = setOf('card-hsa-auth-valid');
    const now = (daysBefore: number) => new Date(f.notAfter.getTime() - daysBefore * DAY);
    expect(outcome(set, { now: now(30) }).status).toBe('warn');
    expect(outcome(set, { now: now(30.5) }).status).toBe('pass');
    expect(outcome(set, { now: now(5), expiryWarnDays: 4 }).status).toBe('pass');
    expect(outcome(set, { now: now(0.5), expiryWarnDays: 0 }).status).toBe('pass');
  });

  it('says "expired today" in the first day after expiry', () => {
    const o = outcome(setOf('card-hsa-auth-valid'), { now: new Date(f.notAfter.getTime() + 1000) });
    expect(o.status).toBe('fail');
    expect(o.summary.en).toContain(`expired today, ${f.notAfter.toISOString().slice(0, 10)}`);
    expect(o.summary.sv).toContain('gick ut i dag');
  });
});

describe('each TEST PKI card certificate gets its verdict', () => {
  const cases: [name: string, status: string, reasons: Reason[], family?: string][] = [
    ['card-hsa-auth-valid', 'pass', ['valid'], 'siths-e-id'],
    ['card-pnr-auth-valid', 'pass', ['valid'], 'siths-e-id'],
    ['card-hsa-auth-expiring', 'warn', ['expiring']],
    ['card-hsa-auth-expired', 'fail', ['expired']],
    ['card-hsa-auth-notyet', 'fail', ['not-yet-valid']],
    ['card-hsa-auth-ec', 'pass', ['valid']],
    ['card-hsa-sign-only', 'fail', ['no-authentication-certificate']],
    ['card-hsa2-auth-reserve', 'warn', ['reserve-card'], 'siths-e-id'],
    ['card-legacy-auth', 'pass', ['valid'], 'siths-legacy'],
    ['card-efos-auth', 'pass', ['valid'], 'efos'],
    ['card-telia-auth', 'pass', ['valid'], 'telia'],
    ['card-pp-auth', 'pass', ['valid'], 'siths-legacy'],
    ['card-national-id-auth', 'fail', ['not-siths'], 'other'],
    ['function-siths-auth', 'fail', ['function-certificate'], 'siths-e-id'],
    ['function-efos-sat-auth', 'fail', ['function-certificate'], 'efos'],
    ['card-hsa-auth-absurd-dates', 'warn', ['implausible-certificate']],
    ['card-hsa-auth-huge-extension', 'warn', ['implausible-certificate']],
  ];
  for (const [name, status, reasons, family] of cases) {
    it(`${name}: ${status}`, () => {
      const o = outcome(setOf(name));
      expect(o.status).toBe(status);
      expect(detailsOf(o).reasons).toEqual(reasons);
      const expected = pki.manifest.certificates[name]!.expect;
      if (expected) expect(o.status).toBe(expected);
      const cert = detailsOf(o).certificates[0]!;
      expect(cert).toMatchObject({ readable: true, test: true });
      if (family) expect(cert).toMatchObject({ family });
    });
  }

  it('names the deciding certificate in the summary: purpose, identity kind, family, date, days left', () => {
    const o = outcome(setOf('card-hsa-auth-expiring'));
    const until = pki.manifest.certificates['card-hsa-auth-expiring']!.notAfter.slice(0, 10);
    expect(o.summary.en).toBe(`TEST CERTIFICATE: The HSA-id based authentication certificate of ${'\uE000name\uE001Tolvan Tolvansson\uE002'} (TEST SITHS e-id) expires on ${until}, in 10 days.`);
    expect(o.summary.sv).toContain(`Legitimeringscertifikatet med HSA-id för`);
    expect(o.summary.sv).toContain(`går ut ${until}, om 10 dagar.`);
    expect(o.advice?.en).toContain('Order a new card');
    expect(o.advice?.sv).toContain('korttillverkning');
  });

  it('passes the expiring certificate with --expiry-warn-days 5', () => {
    expect(outcome(setOf('card-hsa-auth-expiring'), { expiryWarnDays: 5 }).status).toBe('pass');
  });

  it('mentions the clock for a certificate that is not yet valid', () => {
    const o = outcome(setOf('card-hsa-auth-notyet'));
    expect(o.summary.en).toContain("this computer's clock is wrong");
    expect(o.summary.sv).toContain('datorns klocka');
    expect(o.advice?.en).toContain('“clock” check');
  });

  it('says loudly that a TEST certificate is one, without changing its status', () => {
    const o = outcome(setOf('card-hsa-auth-valid'));
    expect(o.status).toBe('pass');
    expect(detailsOf(o).reasons).toEqual(['valid']);
    expect(o.summary.en).toMatch(/^TEST CERTIFICATE: /);
    expect(o.summary.sv).toMatch(/^TESTCERTIFIKAT: /);
  });

  it('fails a signature-only card with "no authentication certificate"', () => {
    const o = outcome(setOf('card-hsa-sign-only'));
    expect(o.summary.en).toBe('No authentication certificate, only 1 signature certificate.');
    expect(o.summary.sv).toBe('Inget legitimeringscertifikat, bara 1 underskriftscertifikat.');
  });
});

describe('the verdict over a card (a set of certificates)', () => {
  it('a valid pair: the authentication certificate decides, the signature certificate is listed', () => {
    const o = outcome(setOf('card-hsa-sign-valid', 'card-hsa-auth-valid'));
    expect(o.status).toBe('pass');
    expect(detailsOf(o).decidingCertificate).toBe(1);
    expect(o.notes).toHaveLength(2);
    expect(o.notes![0]!.en).toMatch(/^\[✓\] card-hsa-sign-valid\.der: signature certificate, HSA-id based, TEST SITHS e-id, /);
    expect(o.notes![1]!.en).toMatch(/^\[✓\] card-hsa-auth-valid\.der: authentication certificate, HSA-id based, /);
  });

  it('prefers the HSA-id certificate: its expiry fails even when the personal-number one is valid', () => {
    const o = outcome(setOf('card-pnr-auth-valid', 'card-hsa-auth-expired'));
    expect(o.status).toBe('fail');
    expect(detailsOf(o).decidingCertificate).toBe(1);
    expect(detailsOf(o).fallbackToPersonalNumber).toBe(false);
  });

  it('falls back to the personal-number certificate and says so', () => {
    const o = outcome(setOf('card-pnr-auth-valid', 'card-pnr-sign-valid'));
    expect(o.status).toBe('pass');
    expect(detailsOf(o).fallbackToPersonalNumber).toBe(true);
    expect(o.summary.en).toContain('personal-number based authentication certificate');
    expect(o.summary.en).toContain('There is no HSA-id based authentication certificate.');
  });

  it('takes an ordinary card over a reserve card, and the valid one of two', () => {
    expect(detailsOf(outcome(setOf('card-hsa2-auth-reserve', 'card-hsa-auth-valid'))).decidingCertificate).toBe(1);
    const o = outcome(setOf('card-hsa-auth-expired', 'card-hsa-auth-valid'));
    expect(o.status).toBe('pass');
    expect(detailsOf(o).decidingCertificate).toBe(1);
  });

  it('a file of CA certificates holds no authentication certificate', () => {
    const set: CertificateSet = { source: 'files', inputs: splitCertificateFile(Buffer.from(pki.pem('siths-root') + pki.pem('siths-hsa-ca')), 'cas.pem') };
    const o = outcome(set);
    expect(o.status).toBe('fail');
    expect(o.summary.en).toBe('No authentication certificate, only 1 root CA certificate, 1 CA certificate.');
    const certs = detailsOf(o).certificates.map((c) => (c.readable ? [c.role, c.family, c.selfSigned] : []));
    expect(certs).toEqual([
      ['ca', 'siths-e-id', true],
      ['ca', 'siths-e-id', false],
    ]);
  });

  it('a readable authentication certificate next to an unreadable input warns, naming the input', () => {
    const set: CertificateSet = {
      source: 'files',
      inputs: [
        { origin: { kind: 'file', file: 'good.der' }, der: pki.der('card-hsa-auth-valid') },
        { origin: { kind: 'file', file: 'broken.der' }, der: pki.der('card-hsa-sign-valid').subarray(0, 300) },
      ],
    };
    const o = outcome(set);
    expect(o.status).toBe('warn');
    expect(detailsOf(o).reasons).toEqual(['unreadable-certificates']);
    expect(o.summary.en).toContain('Could not be read: broken.der.');
    expect(o.notes![1]!.en).toBe('[✗] broken.der: a cut-short certificate: 300 of ' + pki.der('card-hsa-sign-valid').length + ' bytes');
  });

  it('when nothing could be read, fails naming the input and the problem', () => {
    const set: CertificateSet = { source: 'files', inputs: splitCertificateFile(Buffer.from('not a certificate at all'), 'note.txt') };
    const o = outcome(set);
    expect(o.status).toBe('fail');
    expect(o.summary.en).toBe('No certificate could be read. note.txt: not a certificate (or a damaged one).');
    expect(o.advice?.en).toContain('Export the certificate again');
  });

  it('adds the clock check\'s finding to the advice', () => {
    expect(outcome(setOf('card-hsa-auth-valid'), { clockLooksWrong: true }).advice?.en).toContain('“clock” check found this computer\'s clock wrong');
  });

  it('finds the family through the issuer chain in the set when the issuer name is unknown', () => {
    const name = (cn: string, o = 'Example'): NameAttribute[] => [
      { oid: '2.5.4.10', label: 'O', value: o },
      { oid: '2.5.4.3', label: 'CN', value: cn },
    ];
    const base = facts('card-hsa-auth-valid');
    const root: CertificateFacts = { ...base, subject: name('SITHS e-id Root CA v2', 'Inera AB'), issuer: name('SITHS e-id Root CA v2', 'Inera AB'), isCa: true };
    const ca: CertificateFacts = { ...base, subject: name('Regional Issuing CA 7'), issuer: root.subject, isCa: true };
    const leaf: CertificateFacts = { ...base, issuer: ca.subject };
    expect(analyseCertificate(leaf, generatedAt, [leaf.issuer]).family).toBe('other');
    const chain = issuerChainOf(leaf, [leaf, ca, root]);
    expect(chain.map((n) => n.at(-1)!.value)).toEqual(['Regional Issuing CA 7', 'SITHS e-id Root CA v2']);
    expect(analyseCertificate(leaf, generatedAt, chain)).toMatchObject({ family: 'siths-e-id', test: false });
  });

  it('an unknown issuer fails: not a SITHS card', () => {
    const base = facts('card-hsa-auth-valid');
    const other: CertificateFacts = { ...base, issuer: [{ oid: '2.5.4.3', label: 'CN', value: 'Some Company Issuing CA' }] };
    const items = [{ index: 0, origin: { kind: 'file' as const, file: 'x.der' }, analysis: analyseCertificate(other, generatedAt, [other.issuer]) }];
    expect(judge(items, { expiryWarnDays: 30 })).toMatchObject({ status: 'fail', reasons: ['not-siths'] });
  });

  it('classifies purposes from key usage and extended key usage', () => {
    const base = facts('card-hsa-auth-valid');
    const purposes = (over: Partial<CertificateFacts>) => analyseCertificate({ ...base, ...over }, generatedAt, [base.issuer]).purposes;
    expect(purposes({})).toEqual(['authentication']);
    expect(purposes({ keyUsage: ['nonRepudiation'], extendedKeyUsage: undefined })).toEqual(['signature']);
    expect(purposes({ keyUsage: ['digitalSignature'], extendedKeyUsage: undefined })).toEqual(['authentication']);
    expect(purposes({ keyUsage: undefined, extendedKeyUsage: ['1.3.6.1.5.5.7.3.2'] })).toEqual(['authentication']);
    // digitalSignature, but an EKU that does not allow client authentication.
    expect(purposes({ keyUsage: ['digitalSignature'], extendedKeyUsage: ['1.3.6.1.5.5.7.3.4'] })).toEqual([]);
    expect(purposes({ keyUsage: ['keyEncipherment'], extendedKeyUsage: undefined })).toEqual(['encryption']);
    expect(purposes({ keyUsage: ['digitalSignature', 'nonRepudiation'], extendedKeyUsage: undefined })).toEqual(['authentication', 'signature']);
  });
});

describe('personal data in the outcome', () => {
  const o = outcome(setOf('card-hsa-auth-valid', 'card-pnr-auth-valid'));
  const hidden = JSON.stringify(redactDeep({ s: o.summary, n: o.notes, d: o.details }, false, 'en'));
  const shown = JSON.stringify(redactDeep({ s: o.summary, n: o.notes, d: o.details }, true, 'en'));
  const person = pki.manifest.person;

  it('marks the name, HSA-id, personal number and e-mail so redaction hides them', () => {
    for (const value of [person.commonName, person.givenName, person.surname, person.hsaId, person.personalNumber, person.email]) {
      expect(hidden).not.toContain(value);
      expect(shown).toContain(value);
    }
    expect(hidden).toContain('SE2321000016-****');
    expect(hidden).toContain('[personal number hidden]');
    expect(hidden).toContain('[e-mail hidden]');
  });

  it('keeps CA names, the organisation and the certificate serial visible', () => {
    expect(hidden).toContain('TEST SITHS e-id Person HSA-id 3 CA v1');
    expect(hidden).toContain('Region Test (TEST)');
    expect(hidden).toContain(facts('card-hsa-auth-valid').serialNumber);
  });
});

describe('analyseSet', () => {
  it('keeps input order and indexes, readable or not', () => {
    const set: CertificateSet = {
      source: 'files',
      inputs: [
        { origin: { kind: 'file', file: 'a' }, problem: 'empty-file', error: 'no bytes' },
        { origin: { kind: 'file', file: 'b' }, der: pki.der('card-hsa-auth-valid') },
      ],
    };
    const items = analyseSet(set, generatedAt);
    expect(items.map((i) => [i.index, isAnalysed(i)])).toEqual([
      [0, false],
      [1, true],
    ]);
  });
});

describe('test hierarchies, function certificates and other cards (issue 12)', () => {
  it('a PP (pre-production) SITHS certificate is SITHS and test, named loudly like TEST', () => {
    const o = outcome(setOf('card-pp-auth'));
    const cert = detailsOf(o).certificates[0]!;
    expect(cert).toMatchObject({ family: 'siths-legacy', test: true, testMarker: 'PP', issuedFor: 'person', identity: 'hsa-id' });
    expect(o.summary.en).toMatch(/^TEST CERTIFICATE: The HSA-id based authentication certificate .* \(TEST older SITHS \(PP\)\) is valid until/);
    expect(o.summary.sv).toMatch(/^TESTCERTIFIKAT: /);
  });

  it('a function certificate says what it is and that no person can log in with it', () => {
    const o = outcome(setOf('function-siths-auth'));
    expect(o.status).toBe('fail');
    expect(o.summary.en).toBe(
      'TEST CERTIFICATE: This is a function certificate (for a system or server, issued by “TEST SITHS e-id Function CA v1”), not a person\'s certificate: it cannot be used to log in as a person.',
    );
    expect(o.summary.sv).toContain('funktionscertifikat');
    expect(o.advice?.en).toContain('identifies a system, not you');
    expect(o.notes?.[0]?.en).toContain('function certificate (a system, not a person)');
  });

  it('a person certificate next to a function certificate decides (the function one does not hide a good card)', () => {
    const o = outcome(setOf('function-siths-auth', 'card-hsa-auth-valid'));
    expect(o.status).toBe('pass');
    expect(detailsOf(o).decidingCertificate).toBe(1);
  });

  it('a card whose certificates are not SITHS or Efos fails, naming where they come from, in plain words', () => {
    const set: CertificateSet = { ...setOf('card-national-id-auth', 'card-national-id-sign'), source: 'card' };
    const o = outcome(set);
    expect(o.status).toBe('fail');
    expect(detailsOf(o).reasons).toEqual(['not-siths']);
    expect(o.summary.en).toBe(
      'This is not a SITHS or Efos card: its certificates come from “TEST Nationellt ID-kort CA v1, Nationell ID-kortutgivare (TEST)”. It is most likely another card from the wallet (an ID card, bank card or the like).',
    );
    expect(o.summary.sv).toContain('Det här är inget SITHS- eller Efos-kort');
    expect(o.advice?.en).toContain('Put your SITHS or Efos card in instead');
  });

  it('a SITHS certificate next to foreign ones decides: a mixed set is not called "not SITHS"', () => {
    const o = outcome(setOf('card-national-id-auth', 'card-hsa-auth-valid'));
    expect(o.status).toBe('pass');
  });

  it('a card with only the authentication certificate (new SITHS eID Portal cards) passes: no signature certificate is normal', () => {
    const set: CertificateSet = { ...setOf('card-hsa-auth-valid'), source: 'card' };
    const o = outcome(set);
    expect(o.status).toBe('pass');
    expect(detailsOf(o).reasons).toEqual(['valid']);
    expect(`${o.summary.en} ${o.advice?.en ?? ''}`).not.toMatch(/signature/i);
  });

  it('the TSTNMT test HSA-id of the PP certificate is recognised as an HSA-id and redacted', () => {
    const o = outcome(setOf('card-pp-auth'));
    expect(detailsOf(o).certificates[0]).toMatchObject({ identity: 'hsa-id' });
    const shown = JSON.stringify(redactDeep({ notes: o.notes, details: o.details }, false, 'en'));
    expect(shown).not.toContain('TSTNMT2321000156-1019');
    expect(JSON.stringify(redactDeep(o.details, true, 'en'))).toContain('TSTNMT2321000156-1019');
  });
});
