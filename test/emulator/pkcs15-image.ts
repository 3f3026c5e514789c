import { createHash } from 'node:crypto';
import { testPki } from '../helpers/pki.js';
import { bitString, boolean, context, der, integer, octetString, sequence, utf8String } from './der.js';
import { df, ef, type CardFile, type DedicatedFile } from './iso7816-card.js';

/** The PKCS#15 application identifier (ISO/IEC 7816-15). */
export const PKCS15_AID = Buffer.from('A000000063504B43532D3135', 'hex');

/** The emulated SITHS TEST card answers like a Thales IDPrime 940, the chip SITHS cards use (among others). */
export const SITHS_TEST_ATR = Buffer.from('3B7F96000080318065B0855956FB120FFE829000', 'hex');
/** An ATR no table knows (a Schlumberger Multiflex). */
// In neither our ATR table nor pcsc-tools' smartcard_list.txt (3B 02 14 50 is a Schlumberger Multiflex there).
export const UNKNOWN_ATR = Buffer.from('3B029951', 'hex');
/** 40 bytes: longer than ISO 7816-3 allows, so vpcd cannot power the card up and pcscd reports it mute. */
export const TOO_LONG_ATR = Buffer.concat([Buffer.from([0x3b, 0x7f]), Buffer.alloc(38, 0x11)]);

export interface ExpectedCertificate {
  /** The TEST PKI name (test/helpers/pki.ts). */
  readonly name: string;
  readonly label: string;
  /** iD, upper-case hex. */
  readonly id: string;
  readonly authority: boolean;
  readonly source: 'certificates' | 'trusted';
  readonly der: Buffer;
}

export interface SithsCardImage {
  readonly mf: DedicatedFile;
  readonly certificates: readonly ExpectedCertificate[];
  /** TokenInfo serialNumber, hex. */
  readonly serial: string;
}

export interface SithsCardOptions {
  /** No EF.DIR: a reader must find the application by its AID. */
  readonly withoutEfDir?: boolean;
  /** Fill each certificate file up with this many zero bytes after the certificate. */
  readonly padding?: number;
  /** Replace a file's content, by file id (0x4404 is the CDF, 0x5031 the ODF, 0x4331 the first certificate). */
  readonly replace?: Readonly<Record<number, Buffer>>;
  /** The card holder's certificates, by TEST PKI name and label (default: the valid HSA-id and personal-number pairs). */
  readonly holder?: readonly { readonly name: string; readonly label: string }[];
  /** The CA certificates in the trusted directory, by TEST PKI name and label (default: the TEST SITHS e-id root and person CAs). */
  readonly authorities?: readonly { readonly name: string; readonly label: string }[];
}

const APP_FID = 0x5015;
const CDF_FID = 0x4404;
const TRUSTED_CDF_FID = 0x4405;
const CA_FILE_FID = 0x4340;

const USER_CERTIFICATES = [
  { name: 'card-hsa-auth-valid', label: 'Autentisering (HSA-id)' },
  { name: 'card-hsa-sign-valid', label: 'Underskrift (HSA-id)' },
  { name: 'card-pnr-auth-valid', label: 'Autentisering (personnummer)' },
  { name: 'card-pnr-sign-valid', label: 'Underskrift (personnummer)' },
] as const;
/** The holder's certificate files are 4331, 4332, ... */
const FIRST_USER_FID = 0x4331;
const CA_CERTIFICATES = [
  { name: 'siths-root', label: 'TEST SITHS e-id Root CA v2' },
  { name: 'siths-hsa-ca', label: 'TEST SITHS e-id Person HSA-id 3 CA v1' },
  { name: 'siths-id-ca', label: 'TEST SITHS e-id Person ID 3 CA v1' },
] as const;

const fid = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);
const path = (...fids: number[]): Buffer => Buffer.concat(fids.map(fid));

/**
 * Another card from the wallet: the same chip (an IDPrime ATR) and PKCS#15 layout, but a
 * national-ID-like TEST hierarchy that is neither SITHS nor Efos.
 */
export const NATIONAL_ID_CARD: SithsCardOptions = {
  holder: [
    { name: 'card-national-id-auth', label: 'Legitimering' },
    { name: 'card-national-id-sign', label: 'Underskrift' },
  ],
  authorities: [
    { name: 'national-id-root', label: 'TEST Nationellt ID-kort Root CA' },
    { name: 'national-id-ca', label: 'TEST Nationellt ID-kort CA v1' },
  ],
};

/** One X.509 certificate object of a certificate directory file (ISO/IEC 7816-15 CertificateType). */
export function certificateObject(entry: { label: string; id: Buffer; authority: boolean; path: Buffer; index?: number; length?: number }): Buffer {
  const pathValue = sequence(octetString(entry.path), ...(entry.index === undefined ? [] : [integer(entry.index)]), ...(entry.length === undefined ? [] : [der(0x80, integer(entry.length).subarray(2))]));
  return sequence(
    sequence(utf8String(entry.label)),
    sequence(octetString(entry.id), ...(entry.authority ? [boolean(true)] : [])),
    context(1, true, sequence(pathValue)),
  );
}

/**
 * A SITHS TEST card as a PKCS#15 card: EF.DIR naming the application,
 * DF 5015 with EF.ODF, EF.TokenInfo, a certificate directory for the card
 * holder's four certificates (each in its own file, larger than 256 bytes)
 * and a trusted-certificates directory for the CA certificates (all in one
 * file, found by index and length).
 */
export function sithsTestCard(options: SithsCardOptions = {}): SithsCardImage {
  const pki = testPki();
  const padding = Buffer.alloc(options.padding ?? 0);
  const certificates: ExpectedCertificate[] = [];
  const files: CardFile[] = [];

  const cdf: Buffer[] = [];
  (options.holder ?? USER_CERTIFICATES).forEach((c, i) => {
    const certificate = pki.der(c.name);
    const id = createHash('sha1').update(certificate).digest();
    certificates.push({ name: c.name, label: c.label, id: id.toString('hex').toUpperCase(), authority: false, source: 'certificates', der: certificate });
    cdf.push(certificateObject({ label: c.label, id, authority: false, path: path(0x3f00, APP_FID, FIRST_USER_FID + i) }));
    files.push(ef(FIRST_USER_FID + i, Buffer.concat([certificate, padding])));
  });

  const trusted: Buffer[] = [];
  const caFile: Buffer[] = [];
  let offset = 0;
  for (const c of options.authorities ?? CA_CERTIFICATES) {
    const certificate = pki.der(c.name);
    const id = createHash('sha1').update(certificate).digest();
    certificates.push({ name: c.name, label: c.label, id: id.toString('hex').toUpperCase(), authority: true, source: 'trusted', der: certificate });
    trusted.push(certificateObject({ label: c.label, id, authority: true, path: path(0x3f00, APP_FID, CA_FILE_FID), index: offset, length: certificate.length }));
    caFile.push(certificate);
    offset += certificate.length;
  }
  files.push(ef(CA_FILE_FID, Buffer.concat(caFile)));

  // Paths in the ODF are relative to the application, as on most cards.
  const odf = Buffer.concat([context(4, true, sequence(octetString(fid(CDF_FID)))), context(5, true, sequence(octetString(fid(TRUSTED_CDF_FID))))]);
  const serial = '5E17A5000000C0DE';
  const tokenInfo = sequence(
    integer(0),
    octetString(Buffer.from(serial, 'hex')),
    utf8String('TEST Inera AB'),
    der(0x80, Buffer.from('SITHS TEST-kort', 'utf8')),
    bitString([1]), // loginRequired
  );
  files.push(ef(0x5031, odf), ef(0x5032, tokenInfo), ef(CDF_FID, Buffer.concat(cdf)), ef(TRUSTED_CDF_FID, Buffer.concat(trusted)));

  for (const file of files) {
    const replacement = options.replace?.[file.fid];
    if (file.kind === 'EF' && replacement) file.data = replacement;
  }
  const app = df(APP_FID, files, PKCS15_AID);
  const efDir = ef(0x2f00, der(0x61, der(0x4f, PKCS15_AID), der(0x50, Buffer.from('SITHS TEST')), der(0x51, path(0x3f00, APP_FID))));
  const mf = df(0x3f00, options.withoutEfDir ? [app] : [efDir, app]);
  return { mf, certificates, serial };
}

/** A card with an application, but no PKCS#15 one and no EF.DIR (a bank card, say). */
export function cardWithoutPkcs15(): DedicatedFile {
  return df(0x3f00, [df(0x7f10, [ef(0x6f3a, Buffer.from('not a PKCS#15 card'))], Buffer.from('A0000000031010', 'hex'))]);
}
