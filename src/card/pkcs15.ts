import { bytesOf, booleanOf, children, DerError, isContext, isUniversal, readDerSeries, smallIntegerOf, TYPE, utf8Of, type DerNode } from '../der.js';
import { CardReadError } from './errors.js';

/**
 * Parsers for the PKCS#15 / ISO/IEC 7816-15 structures needed to find the
 * certificates on a card without a PIN. Each takes the bytes of one file and
 * returns what it found or throws CardReadError('malformed'); none of them
 * trusts a length or a count it reads.
 */

/** The PKCS#15 application identifier. */
export const PKCS15_AID = Buffer.from('A000000063504B43532D3135', 'hex');

const MAX_APPLICATIONS = 16;
// Nothing on a PKCS#15 card nests deeper; a file that does is not one.
const CARD_DER_LIMITS = { maxDepth: 16 };

/**
 * The DER objects a PKCS#15 file holds one after another (a directory file
 * lists its objects that way), up to the 00 or FF bytes that pad the rest
 * of the file. Every length is checked against the bytes that are there,
 * and at most `maxObjects` are taken.
 */
export function readDerObjects(bytes: Buffer, what: string, maxObjects: number, atr?: string): DerNode[] {
  const tooMany = (): Error => new CardReadError('malformed', `${what} holds more than ${maxObjects} objects`, atr);
  try {
    return readDerSeries(bytes, maxObjects, tooMany, (next) => next === 0x00 || next === 0xff, CARD_DER_LIMITS);
  } catch (err) {
    if (err instanceof DerError) throw new CardReadError('malformed', `${what} is not valid DER (${err.message})`, atr);
    throw err;
  }
}
const MAX_ODF_ENTRIES = 32;
/** Certificate objects per directory file. */
export const MAX_CERTIFICATE_OBJECTS = 32;

/** A Path (ISO/IEC 7816-15): a file, and optionally a part of it. */
export interface Pkcs15Path {
  readonly path: Buffer;
  readonly index?: number;
  readonly length?: number;
}

export interface DirApplication {
  readonly aid?: Buffer;
  readonly label?: string;
  readonly path?: Buffer;
}

/** EF.DIR: application templates (tag 61) with AID (4F), label (50) and path (51). */
export function parseEfDir(bytes: Buffer, atr?: string): DirApplication[] {
  const templates = readDerObjects(bytes, 'EF.DIR', MAX_APPLICATIONS, atr);
  const apps: DirApplication[] = [];
  for (const template of templates) {
    // [APPLICATION 1] constructed: 0x61.
    if (template.tagClass !== 0x40 || template.type !== 1) continue;
    const fields = children(template);
    const field = (type: number): DerNode | undefined => fields.find((f) => f.tagClass === 0x40 && f.type === type);
    const aid = bytesOf(field(15));
    const label = utf8Of(field(16));
    const path = bytesOf(field(17));
    apps.push({ ...(aid ? { aid } : {}), ...(label ? { label } : {}), ...(path ? { path } : {}) });
  }
  return apps;
}

export type CertificateSource = 'certificates' | 'trusted' | 'useful';

export interface OdfEntry {
  readonly source: CertificateSource;
  readonly path: Pkcs15Path;
}

/** EF.ODF tags of the certificate directories: [4] certificates, [5] trusted, [6] useful. */
const ODF_CERTIFICATE_TAGS: Record<number, CertificateSource> = { 4: 'certificates', 5: 'trusted', 6: 'useful' };

/** EF.ODF: where the directory files are. Only the certificate directories are returned. */
export function parseOdf(bytes: Buffer, atr?: string): OdfEntry[] {
  const entries: OdfEntry[] = [];
  for (const entry of readDerObjects(bytes, 'EF.ODF', MAX_ODF_ENTRIES, atr)) {
    if (entry.tagClass !== 0x80) throw new CardReadError('malformed', 'EF.ODF holds something that is not a directory reference', atr);
    const source = ODF_CERTIFICATE_TAGS[entry.type];
    if (!source) continue;
    const path = parsePath(children(entry)[0]);
    if (!path) throw new CardReadError('malformed', `EF.ODF: the ${source} directory has no usable path`, atr);
    entries.push({ source, path });
  }
  return entries;
}

/** Path ::= SEQUENCE { path OCTET STRING, index INTEGER OPTIONAL, length [0] INTEGER OPTIONAL }. */
export function parsePath(node: DerNode | undefined): Pkcs15Path | undefined {
  if (!isUniversal(node, TYPE.SEQUENCE)) return undefined;
  const [first, ...rest] = children(node);
  const path = isUniversal(first, TYPE.OCTETSTRING) ? bytesOf(first) : undefined;
  if (!path || path.length === 0 || path.length % 2 !== 0 || path.length > 16) return undefined;
  const indexNode = rest.find((n) => isUniversal(n, TYPE.INTEGER));
  const lengthNode = rest.find((n) => isContext(n, 0));
  const index = indexNode ? smallIntegerOf(indexNode) : undefined;
  const length = lengthNode ? smallIntegerOf(lengthNode) : undefined;
  if ((indexNode && index === undefined) || (lengthNode && length === undefined)) return undefined;
  return { path, ...(index === undefined ? {} : { index }), ...(length === undefined ? {} : { length }) };
}

export interface TokenInfo {
  /** serialNumber, upper-case hex. */
  readonly serialNumber?: string;
  readonly manufacturer?: string;
  readonly label?: string;
}

/** EF.TokenInfo: version, serialNumber, manufacturerID, label [0], tokenflags, ... */
export function parseTokenInfo(bytes: Buffer, atr?: string): TokenInfo {
  const [info] = readDerObjects(bytes, 'EF.TokenInfo', 1, atr);
  if (!isUniversal(info, TYPE.SEQUENCE)) throw new CardReadError('malformed', 'EF.TokenInfo is not a SEQUENCE', atr);
  const fields = children(info);
  const serial = bytesOf(fields.find((f) => isUniversal(f, TYPE.OCTETSTRING)));
  const manufacturer = utf8Of(fields.find((f) => isUniversal(f, TYPE.UTF8)));
  const label = utf8Of(fields.find((f) => isContext(f, 0)));
  return {
    ...(serial && serial.length > 0 ? { serialNumber: serial.subarray(0, 64).toString('hex').toUpperCase() } : {}),
    ...(manufacturer ? { manufacturer } : {}),
    ...(label ? { label } : {}),
  };
}

export interface CertificateObject {
  readonly label: string;
  /** iD, upper-case hex. */
  readonly id: string;
  readonly authority: boolean;
  readonly source: CertificateSource;
  /** Where the certificate is; undefined when it is stored in the directory itself. */
  readonly path?: Pkcs15Path;
  /** The certificate itself, for a directly stored one. */
  readonly direct?: Buffer;
}

/**
 * A certificate directory file (CDF): CertificateType choices. Only X.509
 * certificates (a plain SEQUENCE) are taken; attribute, SPKI, PGP, WTLS,
 * X9.68 and card-verifiable certificates ([0]..[5]) are skipped.
 */
export function parseCertificateDirectory(bytes: Buffer, source: CertificateSource, atr?: string): CertificateObject[] {
  const objects: CertificateObject[] = [];
  for (const object of readDerObjects(bytes, `the ${source} directory`, MAX_CERTIFICATE_OBJECTS, atr)) {
    if (!isUniversal(object, TYPE.SEQUENCE)) continue;
    objects.push(parseCertificateObject(object, source, atr));
  }
  return objects;
}

/** PKCS15Object { CommonObjectAttributes, CommonCertificateAttributes, [0] subclass OPTIONAL, [1] X509CertificateAttributes }. */
function parseCertificateObject(object: DerNode, source: CertificateSource, atr?: string): CertificateObject {
  function fail(why: string): never {
    throw new CardReadError('malformed', `a certificate entry in the ${source} directory ${why}`, atr);
  }
  const [common, classAttributes, ...rest] = children(object);
  if (!isUniversal(common, TYPE.SEQUENCE) || !isUniversal(classAttributes, TYPE.SEQUENCE)) fail('lacks its attribute sequences');
  const label = utf8Of(children(common).find((n) => isUniversal(n, TYPE.UTF8))) ?? '';
  const classFields = children(classAttributes);
  const id = isUniversal(classFields[0], TYPE.OCTETSTRING) ? bytesOf(classFields[0]) : undefined;
  if (!id) fail('has no iD');
  const authority = booleanOf(classFields.find((n) => isUniversal(n, TYPE.BOOLEAN))) ?? false;
  const x509Attributes = children(rest.find((n) => isContext(n, 1)))[0];
  if (!isUniversal(x509Attributes, TYPE.SEQUENCE)) fail('has no X.509 attributes');
  const base = { label, id: id.toString('hex').toUpperCase(), authority, source };
  // ObjectValue: a Path (indirect), or [0] the certificate itself (direct).
  const value = children(x509Attributes)[0];
  if (isContext(value, 0)) {
    const inner = children(value)[0];
    const direct = inner ? Buffer.from(inner.raw) : bytesOf(value);
    if (!direct) fail('stores an unreadable certificate');
    return { ...base, direct };
  }
  const path = parsePath(value);
  if (!path) fail('has no usable path');
  return { ...base, path };
}
