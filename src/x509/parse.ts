import { createHash, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { declaredDerLength } from '../der.js';
import { ATTRIBUTE_LABELS, cleanText, type CertificateFacts, type NameAttribute, type PublicKeyFacts } from './facts.js';
import { KEY_USAGE_BITS, type KeyUsage } from './known-cas.js';

const { asn1, pki } = forge;

/**
 * Larger than any file a smart card holds (a transparent EF is at most 64 KiB);
 * real card certificates are 1 to 3 KiB. Nothing bigger is parsed.
 */
export const MAX_CERTIFICATE_BYTES = 65_536;

/** Why bytes could not be read as a certificate. */
export type CertificateProblem =
  | 'empty'
  | 'too-large'
  /** The outer length says more bytes than there are. */
  | 'truncated'
  /** A whole certificate-sized element, then more bytes. */
  | 'trailing-data'
  /** Not DER, or DER that is not an X.509 certificate, or one neither parser can read. */
  | 'not-a-certificate'
  /** Validity dates that cannot be read, or that end before they begin. */
  | 'bad-dates';

export type ParseResult =
  | { readonly ok: true; readonly facts: CertificateFacts }
  | { readonly ok: false; readonly problem: CertificateProblem; readonly error: string; readonly declaredBytes?: number };

// Public functions of node-forge that its type definitions leave out.
interface ForgeAttribute {
  type: string;
  value: unknown;
  valueTagClass: number;
}
interface ForgeExtension {
  id: string;
  value: string;
  altNames?: { type: number; value: unknown }[];
  cA?: boolean;
  [flag: string]: unknown;
}
const forgePki = pki as unknown as {
  RDNAttributesAsArray(rdn: forge.asn1.Asn1): ForgeAttribute[];
  certificateExtensionsFromAsn1(exts: forge.asn1.Asn1): ForgeExtension[];
  certificateFromAsn1(obj: forge.asn1.Asn1): forge.pki.Certificate & { extensions: ForgeExtension[]; signatureOid: string };
};
const fromDer = asn1.fromDer as unknown as (bytes: forge.util.ByteBuffer, options: { strict: boolean; parseAllBytes: boolean }) => forge.asn1.Asn1;

/**
 * Read one DER certificate. Never throws: every input ends in facts or in a
 * named problem. node-forge reads certificates with RSA keys; for any other
 * key (EC on newer cards) it refuses, and Node's X509Certificate (OpenSSL)
 * supplies what forge cannot, while names, dates and extensions still come
 * from forge's reading of the same DER, so both paths fill the same facts.
 */
export function parseCertificate(bytes: Uint8Array): ParseResult {
  if (bytes.length === 0) return { ok: false, problem: 'empty', error: 'no bytes' };
  if (bytes.length > MAX_CERTIFICATE_BYTES) {
    return { ok: false, problem: 'too-large', error: `${bytes.length} bytes, more than ${MAX_CERTIFICATE_BYTES}` };
  }
  const der = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const framing = outerFraming(der);
  if (framing.kind === 'truncated') {
    return { ok: false, problem: 'truncated', error: `${der.length} of ${framing.declared} bytes`, declaredBytes: framing.declared };
  }
  if (framing.kind === 'trailing') {
    return { ok: false, problem: 'trailing-data', error: `${der.length - framing.declared} bytes after the certificate`, declaredBytes: framing.declared };
  }
  if (framing.kind === 'not-der') return { ok: false, problem: 'not-a-certificate', error: 'does not start with a DER SEQUENCE' };

  let tree: forge.asn1.Asn1;
  try {
    tree = fromDer(forge.util.createBuffer(der.toString('binary')), { strict: true, parseAllBytes: true });
  } catch (err) {
    return { ok: false, problem: 'not-a-certificate', error: `DER: ${messageOf(err)}` };
  }
  let facts: CertificateFacts;
  try {
    facts = fromForge(tree, der);
  } catch (forgeError) {
    try {
      facts = fromNodeCrypto(tree, der);
    } catch (nodeError) {
      return { ok: false, problem: 'not-a-certificate', error: `node-forge: ${messageOf(forgeError)}; node:crypto: ${messageOf(nodeError)}` };
    }
  }
  const from = facts.notBefore.getTime();
  const to = facts.notAfter.getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) return { ok: false, problem: 'bad-dates', error: 'validity dates cannot be read' };
  if (to < from) {
    return { ok: false, problem: 'bad-dates', error: `valid to ${facts.notAfter.toISOString()} is before valid from ${facts.notBefore.toISOString()}` };
  }
  return { ok: true, facts };
}

type Framing = { kind: 'ok' } | { kind: 'not-der' } | { kind: 'truncated'; declared: number } | { kind: 'trailing'; declared: number };

/** The outer SEQUENCE's tag and length, to tell a cut-short certificate from garbage. */
function outerFraming(der: Buffer): Framing {
  const declared = der[0] === 0x30 ? declaredDerLength(der) : undefined;
  if (declared === undefined) return { kind: 'not-der' };
  if (declared > der.length) return { kind: 'truncated', declared };
  if (declared < der.length) return { kind: 'trailing', declared };
  return { kind: 'ok' };
}

/** RSA certificates: everything from node-forge. */
function fromForge(tree: forge.asn1.Asn1, der: Buffer): CertificateFacts {
  const cert = forgePki.certificateFromAsn1(tree);
  const key = cert.publicKey as forge.pki.rsa.PublicKey;
  return {
    parser: 'node-forge',
    sizeBytes: der.length,
    subject: nameAttributes(cert.subject.attributes as unknown as ForgeAttribute[]),
    issuer: nameAttributes(cert.issuer.attributes as unknown as ForgeAttribute[]),
    serialNumber: cert.serialNumber.toUpperCase(),
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
    key: { type: 'RSA', bits: key.n.bitLength() },
    signatureAlgorithm: oidName(cert.signatureOid),
    ...extensionFacts(cert.extensions),
    sha256: fingerprint(der),
  };
}

/**
 * Any other key type: the key, the serial and OpenSSL's verdict that this is a
 * certificate from Node; names, dates and extensions from forge's ASN.1 tree
 * with the same forge functions the RSA path uses.
 */
function fromNodeCrypto(tree: forge.asn1.Asn1, der: Buffer): CertificateFacts {
  const x509 = new X509Certificate(der);
  const tbs = tbsFields(tree);
  const [notBefore, notAfter] = validityDates(tbs.validity);
  return {
    parser: 'node-crypto',
    sizeBytes: der.length,
    subject: nameAttributes(forgePki.RDNAttributesAsArray(tbs.subject)),
    issuer: nameAttributes(forgePki.RDNAttributesAsArray(tbs.issuer)),
    serialNumber: x509.serialNumber.toUpperCase(),
    notBefore,
    notAfter,
    key: keyFacts(x509),
    signatureAlgorithm: oidName(asn1.derToOid(childrenOf(childrenOf(tree)[1])[0]!.value as string)),
    ...extensionFacts(tbs.extensions ? forgePki.certificateExtensionsFromAsn1(tbs.extensions) : []),
    sha256: fingerprint(der),
  };
}

function childrenOf(node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new Error('unexpected certificate structure');
  return node.value;
}

/** TBSCertificate: [0] version?, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, [1]?, [2]?, [3] extensions? */
function tbsFields(tree: forge.asn1.Asn1) {
  const fields = childrenOf(childrenOf(tree)[0]);
  const first = fields[0];
  const at = first && first.tagClass === asn1.Class.CONTEXT_SPECIFIC && first.type === 0 ? 1 : 0;
  const field = (i: number): forge.asn1.Asn1 => {
    const f = fields[at + i];
    if (!f) throw new Error('certificate fields missing');
    return f;
  };
  return {
    issuer: field(2),
    validity: field(3),
    subject: field(4),
    extensions: fields.slice(at + 6).find((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 3),
  };
}

function validityDates(validity: forge.asn1.Asn1): [Date, Date] {
  const times = childrenOf(validity).map((t) => {
    if (typeof t.value !== 'string') throw new Error('validity is not a time');
    if (t.type === asn1.Type.UTCTIME) return asn1.utcTimeToDate(t.value);
    if (t.type === asn1.Type.GENERALIZEDTIME) return asn1.generalizedTimeToDate(t.value);
    throw new Error('validity is not a time');
  });
  if (times.length !== 2) throw new Error('validity needs two times');
  return [times[0]!, times[1]!];
}

function keyFacts(x509: X509Certificate): PublicKeyFacts {
  const key = x509.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return { type: key.asymmetricKeyType === 'rsa' ? 'RSA' : 'RSA-PSS', bits: details.modulusLength };
    case 'ec':
      return { type: 'EC', bits: curveBits(details.namedCurve), curve: details.namedCurve };
    case 'ed25519':
      return { type: 'Ed25519', bits: 256 };
    case 'ed448':
      return { type: 'Ed448', bits: 456 };
    case 'dsa':
      return { type: 'DSA', bits: details.modulusLength };
    default:
      return { type: key.asymmetricKeyType ?? 'unknown' };
  }
}

function curveBits(curve: string | undefined): number | undefined {
  const m = /(\d{3})/.exec(curve ?? '');
  return m ? Number(m[1]) : undefined;
}

/** The extensions siths-doctor judges, from forge's reading of them (the same on both paths). */
function extensionFacts(extensions: readonly ForgeExtension[]) {
  let keyUsage: KeyUsage[] | undefined;
  let extendedKeyUsage: string[] | undefined;
  let policies: string[] = [];
  let isCa = false;
  let emails: string[] = [];
  for (const e of extensions) {
    switch (e.id) {
      case '2.5.29.15':
        keyUsage = KEY_USAGE_BITS.filter((bit) => e[bit] === true);
        break;
      case '2.5.29.19':
        isCa = e.cA === true;
        break;
      case '2.5.29.37':
        extendedKeyUsage = childrenOf(asn1.fromDer(e.value)).map((oid) => asn1.derToOid(oid.value as string));
        break;
      case '2.5.29.32':
        // PolicyInformation ::= SEQUENCE { policyIdentifier, policyQualifiers OPTIONAL }
        policies = childrenOf(asn1.fromDer(e.value)).map((info) => asn1.derToOid(childrenOf(info)[0]!.value as string));
        break;
      case '2.5.29.17':
        emails = (e.altNames ?? []).filter((n) => n.type === 1 && typeof n.value === 'string').map((n) => cleanText(n.value as string));
        break;
    }
  }
  return { keyUsage, extendedKeyUsage, policies, isCa, emails };
}

function nameAttributes(attributes: readonly ForgeAttribute[]): NameAttribute[] {
  return attributes.map((a) => ({ oid: a.type, label: ATTRIBUTE_LABELS[a.type] ?? a.type, value: cleanText(decodeString(a)) }));
}

/** forge leaves attribute values as the raw bytes of the string type; decode by that type. */
function decodeString(attribute: ForgeAttribute): string {
  if (typeof attribute.value !== 'string') return '';
  const raw = Buffer.from(attribute.value, 'binary');
  switch (attribute.valueTagClass) {
    case asn1.Type.UTF8:
      return raw.toString('utf8');
    case asn1.Type.BMPSTRING:
      return raw.length % 2 === 0 ? Buffer.from(raw).swap16().toString('utf16le') : raw.toString('latin1');
    case 28: // UniversalString, UCS-4 big-endian
      return raw.length % 4 === 0 ? [...Array(raw.length / 4).keys()].map((i) => safeCodePoint(raw.readUInt32BE(i * 4))).join('') : raw.toString('latin1');
    default:
      return raw.toString('latin1');
  }
}

function safeCodePoint(cp: number): string {
  return cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFD';
}

function oidName(oid: string): string {
  const name = (pki.oids as Record<string, string | undefined>)[oid];
  return name ?? oid;
}

function fingerprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
