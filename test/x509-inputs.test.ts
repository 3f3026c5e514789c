import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CardCertificateRead } from '../src/card/types.js';
import { realFileSystem, type FileSystem } from '../src/system.js';
import { certificateSetFromCards, certificateSetFromFiles, MAX_FILE_BYTES, splitCertificateFile, type CertificateInput } from '../src/x509/inputs.js';
import { certificateOutcome, type CardCertDetails } from '../src/x509/outcome.js';
import { testPki } from './helpers/pki.js';

const pki = testPki();

function summary(inputs: readonly CertificateInput[]): string[] {
  return inputs.map((i) => ('der' in i ? `der ${i.der.length}` : `problem ${i.problem}`));
}

describe('certificate files: PEM, DER, Base-64, PKCS#7', () => {
  const auth = pki.der('card-hsa-auth-valid');
  const sign = pki.der('card-hsa-sign-valid');

  it('reads one DER certificate as it is', () => {
    const inputs = splitCertificateFile(auth, 'a.der');
    expect(inputs).toEqual([{ origin: { kind: 'file', file: 'a.der' }, der: auth }]);
  });

  it('reads every CERTIFICATE block of a PEM file, numbering them, and skips other blocks', () => {
    const text = `Bag attributes\n${pki.pem('card-hsa-auth-valid')}${pki.keyPem('card-hsa-auth-valid')}\r\n${pki.pem('card-hsa-sign-valid').replace(/\n/g, '\r\n')}`;
    const inputs = splitCertificateFile(Buffer.from(text), 'pair.pem');
    expect(summary(inputs)).toEqual([`der ${auth.length}`, `der ${sign.length}`]);
    expect(inputs.map((i) => i.origin)).toEqual([
      { kind: 'file', file: 'pair.pem', position: 1 },
      { kind: 'file', file: 'pair.pem', position: 2 },
    ]);
    expect((inputs[1] as { der: Buffer }).der.equals(sign)).toBe(true);
  });

  it('reads Base-64 without PEM lines', () => {
    const inputs = splitCertificateFile(Buffer.from(auth.toString('base64').replace(/.{64}/g, '$&\n')), 'a.b64');
    expect(summary(inputs)).toEqual([`der ${auth.length}`]);
  });

  it('reads the certificates of a PKCS#7 bundle (.p7b), DER or PEM', () => {
    const p7b = readFixture('card-hsa-pair.p7b');
    expect(summary(splitCertificateFile(p7b, 'pair.p7b'))).toEqual([`der ${auth.length}`, `der ${sign.length}`]);
    const pem = `-----BEGIN PKCS7-----\n${p7b.toString('base64')}\n-----END PKCS7-----\n`;
    expect(summary(splitCertificateFile(Buffer.from(pem), 'pair.p7b.pem'))).toEqual([`der ${auth.length}`, `der ${sign.length}`]);
  });

  it('names what is wrong with a file that holds no certificate', () => {
    expect(splitCertificateFile(Buffer.from(pki.keyPem('card-hsa-auth-valid')), 'key.pem')).toEqual([
      { origin: { kind: 'file', file: 'key.pem' }, problem: 'no-certificate', error: 'PRIVATE KEY' },
    ]);
    expect(summary(splitCertificateFile(Buffer.from('-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n'), 'x.pem'))).toEqual(['problem bad-pem']);
    expect(summary(splitCertificateFile(Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END X509 CRL-----\n'), 'x.pem'))).toEqual(['problem bad-pem']);
    // A good block, then one cut off before its END line.
    const cut = `${pki.pem('card-hsa-auth-valid')}-----BEGIN CERTIFICATE-----\nMIIEdzCCA1+gAwIBAgIQ`;
    expect(summary(splitCertificateFile(Buffer.from(cut), 'cut.pem'))).toEqual([`der ${auth.length}`, 'problem bad-pem']);
    expect(summary(splitCertificateFile(Buffer.from('-----BEGIN PKCS7-----\nMAMCAQU=\n-----END PKCS7-----\n'), 'x.p7b'))).toEqual(['problem bad-pkcs7']);
  });

  it('recognises a PKCS#12 file (.pfx) made by openssl-like tools and refuses it', () => {
    // PFX { version 3, authSafe ContentInfo { data ... } }: the head is what is recognised.
    const pfx = Buffer.from('3082010a020103308201000609' + '2a864886f70d010701' + 'a081f2', 'hex');
    expect(summary(splitCertificateFile(Buffer.concat([pfx, Buffer.alloc(240)]), 'x.pfx'))).toEqual(['problem pkcs12']);
  });

  it('reads at most 64 certificates from one file and says so', () => {
    const many = Buffer.from(pki.pem('siths-root').repeat(70));
    const inputs = splitCertificateFile(many, 'many.pem');
    expect(inputs).toHaveLength(65);
    expect(inputs.at(-1)).toMatchObject({ problem: 'too-many-certificates' });
  });
});

describe('reading --cert files through the System file system', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-cert-'));
  const file = (name: string, content: Buffer | string): string => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  it('reads several files in order', async () => {
    const a = file('a.der', pki.der('card-hsa-auth-valid'));
    const b = file('b.pem', pki.pem('card-hsa-sign-valid'));
    const set = await certificateSetFromFiles([a, b], realFileSystem);
    expect(set.source).toBe('files');
    expect(set.inputs.map((i) => i.origin)).toEqual([
      { kind: 'file', file: a },
      { kind: 'file', file: b },
    ]);
  });

  it('turns a missing, empty, oversized or unreadable file into a problem for that file', async () => {
    const empty = file('empty.cer', '');
    const big = file('big.cer', Buffer.alloc(MAX_FILE_BYTES + 1));
    const failing: FileSystem = {
      ...realFileSystem,
      readFile: async () => {
        throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
      },
    };
    const set = await certificateSetFromFiles([path.join(dir, 'nope.der'), empty, big, dir], realFileSystem);
    expect(summary(set.inputs)).toEqual(['problem unreadable-file', 'problem empty-file', 'problem file-too-large', 'problem unreadable-file']);
    const denied = await certificateSetFromFiles([file('denied.der', 'x')], failing);
    expect(denied.inputs).toEqual([{ origin: { kind: 'file', file: path.join(dir, 'denied.der') }, problem: 'unreadable-file', error: 'EACCES' }]);
  });
});

describe('certificates read from cards', () => {
  const read: CardCertificateRead = {
    reader: 'Virtual PCD 00 00',
    atr: '3B 7D 96 00 00 80 31 80 65 B0 83 11 17 D6 83 00 90 00',
    tokenInfo: { serialNumber: '9752270000123456', manufacturer: 'TEST', label: 'SITHS e-id TEST' },
    apduCount: 42,
    certificates: [
      { label: 'Tolvan Tolvansson legitimering', id: '45', authority: false, path: '3F0050154331', source: 'certificates', der: pki.der('card-hsa-auth-valid') },
      { label: 'Underskrift', id: '46', authority: false, path: '3F0050154332', source: 'certificates', der: pki.der('card-hsa-sign-valid') },
      { label: 'TEST SITHS e-id Root CA v2', id: '', authority: true, path: '3F0050154340', source: 'trusted', der: pki.der('siths-root') },
    ],
  };

  it('become a set with the card metadata, judged like files', () => {
    const set = certificateSetFromCards([read]);
    expect(set.source).toBe('card');
    expect(set.inputs[0]!.origin).toEqual({
      kind: 'card',
      reader: 'Virtual PCD 00 00',
      label: 'Tolvan Tolvansson legitimering',
      id: '45',
      path: '3F0050154331',
      directory: 'certificates',
      authority: false,
    });
    const o = certificateOutcome(set, { now: new Date(pki.manifest.generatedAt), expiryWarnDays: 30, clockLooksWrong: false, listing: true });
    expect(o.status).toBe('pass');
    const details = o.details as CardCertDetails;
    expect(details.cards![0]!.apduCount).toBe(42);
    // The token serial and the holder's name in a label are personal data.
    expect(details.cards![0]!.tokenSerial).toBe('\uE000card-serial\uE0019752270000123456\uE002');
    expect(details.certificates[0]!.origin).toMatchObject({ label: '\uE000name\uE001Tolvan Tolvansson\uE002 legitimering' });
    expect(o.notes!.some((n) => n.en.includes('on the card') && n.en.includes("the card's own certificates, iD 45, path 3F0050154331") && n.sv.includes('kortets egna certifikat, iD 45'))).toBe(true);
    expect(o.notes![0]!.en).toMatch(/^\[✓\] “\uE000name\uE001Tolvan Tolvansson\uE002 legitimering”: authentication certificate/);
  });

  it('a card whose certificate cannot be read warns that the card may be damaged', () => {
    const damaged = { ...read, certificates: [read.certificates[0]!, { ...read.certificates[1]!, der: read.certificates[1]!.der.subarray(0, 200) }] };
    const o = certificateOutcome(certificateSetFromCards([damaged]), { now: new Date(pki.manifest.generatedAt), expiryWarnDays: 30, clockLooksWrong: false, listing: false });
    expect(o.status).toBe('warn');
    expect(o.advice?.en).toContain('the card may be damaged');
  });

  it('a card without certificates fails', () => {
    const o = certificateOutcome(certificateSetFromCards([{ ...read, certificates: [] }]), {
      now: new Date(),
      expiryWarnDays: 30,
     
      clockLooksWrong: false,
      listing: false,
    });
    expect(o.status).toBe('fail');
    expect(o.summary.en).toBe('There are no certificates on the card.');
  });
});

function readFixture(name: string): Buffer {
  return readFileSync(pki.path(name));
}
