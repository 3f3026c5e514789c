import { createHash, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { bytesOf, children, declaredDerLength, isContext, isUniversal, readDerExactly, TYPE, type DerNode } from '../der.js';
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

/**
 * Read one DER certificate. Never throws: every input ends in facts or in a
 * named problem. One model: names, dates, extensions and the signature
 * algorithm are read from the DER with src/der.ts for every certificate;
 * only the key and the serial come from a certificate library: node-forge
 * for RSA keys, and for any other key (EC on newer cards), which forge
 * refuses, Node's X509Certificate (OpenSSL).
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

  let tree: DerNode;
  try {
    tree = readDerExactly(der);
  } catch (err) {
    return { ok: false, problem: 'not-a-certificate', error: `DER: ${messageOf(err)}` };
  }
  let key: KeyPart;
  try {
    key = fromForge(der);
  } catch (forgeError) {
    try {
      key = fromNodeCrypto(der);
    } catch (nodeError) {
      return { ok: false, problem: 'not-a-certificate', error: `node-forge: ${messageOf(forgeError)}; node:crypto: ${messageOf(nodeError)}` };
    }
  }
  let facts: CertificateFacts;
  try {
    facts = { ...key, ...structureOf(tree), sizeBytes: der.length, sha256: fingerprint(der) };
  } catch (err) {
    return { ok: false, problem: 'not-a-certificate', error: `certificate: ${messageOf(err)}` };
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

/** What a certificate library reads: whether it is a certificate at all, its key and serial. */
type KeyPart = Pick<CertificateFacts, 'parser' | 'key' | 'serialNumber'>;

/** RSA certificates: node-forge. */
function fromForge(der: Buffer): KeyPart {
  const cert = pki.certificateFromAsn1(asn1.fromDer(forge.util.createBuffer(der.toString('binary')), true));
  const key = cert.publicKey as forge.pki.rsa.PublicKey;
  return { parser: 'node-forge', serialNumber: cert.serialNumber.toUpperCase(), key: { type: 'RSA', bits: key.n.bitLength() } };
}

/** Any other key type: Node's X509Certificate (OpenSSL). */
function fromNodeCrypto(der: Buffer): KeyPart {
  const x509 = new X509Certificate(der);
  return { parser: 'node-crypto', serialNumber: x509.serialNumber.toUpperCase(), key: keyFacts(x509) };
}

function childrenOf(node: DerNode | undefined): readonly DerNode[] {
  if (!node || !node.constructed) throw new Error('unexpected certificate structure');
  return node.children;
}

/** Names, dates, extensions and the signature algorithm, from the DER itself. */
function structureOf(tree: DerNode) {
  const tbs = tbsFields(tree);
  const [notBefore, notAfter] = validityDates(tbs.validity);
  return {
    subject: nameAttributes(tbs.subject),
    issuer: nameAttributes(tbs.issuer),
    notBefore,
    notAfter,
    signatureAlgorithm: oidName(oidOf(childrenOf(childrenOf(tree)[1])[0])),
    ...extensionFacts(tbs.extensions ? childrenOf(childrenOf(tbs.extensions)[0]) : []),
  };
}

/** TBSCertificate: [0] version?, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, [1]?, [2]?, [3] extensions? */
function tbsFields(tree: DerNode) {
  const fields = childrenOf(childrenOf(tree)[0]);
  const at = isContext(fields[0], 0) ? 1 : 0;
  const field = (i: number): DerNode => {
    const f = fields[at + i];
    if (!f) throw new Error('certificate fields missing');
    return f;
  };
  return {
    issuer: field(2),
    validity: field(3),
    subject: field(4),
    extensions: fields.slice(at + 6).find((f) => isContext(f, 3)),
  };
}

function validityDates(validity: DerNode): [Date, Date] {
  const times = childrenOf(validity).map((t) => {
    const text = bytesOf(t)?.toString('binary');
    if (text === undefined) throw new Error('validity is not a time');
    if (isUniversal(t, TYPE.UTCTIME)) return asn1.utcTimeToDate(text);
    if (isUniversal(t, TYPE.GENERALIZEDTIME)) return asn1.generalizedTimeToDate(text);
    throw new Error('validity is not a time');
  });
  if (times.length !== 2) throw new Error('validity needs two times');
  return [times[0]!, times[1]!];
}

/** forge's reading of an OID, which the classification tables were written against (it keeps what a damaged OID still says). */
function oidOf(node: DerNode | undefined): string {
  const bytes = bytesOf(node);
  if (!bytes) throw new Error('not an object identifier');
  return asn1.derToOid(bytes.toString('binary'));
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

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }: the ones siths-doctor judges. */
function extensionFacts(extensions: readonly DerNode[]) {
  let keyUsage: KeyUsage[] | undefined;
  let extendedKeyUsage: string[] | undefined;
  let policies: string[] = [];
  let isCa = false;
  let emails: string[] = [];
  for (const extension of extensions) {
    const parts = childrenOf(extension);
    const value = bytesOf(parts.at(-1));
    if (!value) throw new Error('extension without a value');
    switch (oidOf(parts[0])) {
      case '2.5.29.15': {
        // KeyUsage BIT STRING: unused-bits byte, then bit 0 (digitalSignature) as the top bit.
        const bits = bytesOf(readDerExactly(value)) ?? Buffer.alloc(0);
        keyUsage = KEY_USAGE_BITS.filter((_, i) => ((bits[1 + (i >> 3)] ?? 0) & (0x80 >> (i & 7))) !== 0);
        break;
      }
      case '2.5.29.19': {
        const first = children(readDerExactly(value))[0];
        isCa = isUniversal(first, TYPE.BOOLEAN) && first.value[0] !== 0x00;
        break;
      }
      case '2.5.29.37':
        extendedKeyUsage = childrenOf(readDerExactly(value)).map(oidOf);
        break;
      case '2.5.29.32':
        // PolicyInformation ::= SEQUENCE { policyIdentifier, policyQualifiers OPTIONAL }
        policies = childrenOf(readDerExactly(value)).map((info) => oidOf(childrenOf(info)[0]));
        break;
      case '2.5.29.17':
        // rfc822Name [1] IA5String
        emails = childrenOf(readDerExactly(value))
          .filter((n) => isContext(n, 1) && !n.constructed)
          .map((n) => cleanText(n.value.toString('latin1')));
        break;
    }
  }
  return { keyUsage, extendedKeyUsage, policies, isCa, emails };
}

/** Name ::= SEQUENCE OF SET OF AttributeTypeAndValue { type OID, value }, in DER order. */
function nameAttributes(name: DerNode): NameAttribute[] {
  return childrenOf(name).flatMap((rdn) =>
    childrenOf(rdn).map((atv) => {
      const [type, value] = childrenOf(atv);
      const oid = oidOf(type);
      return { oid, label: ATTRIBUTE_LABELS[oid] ?? oid, value: cleanText(decodeString(value)) };
    }),
  );
}

/** An attribute value by its string type; empty for one that is not a string. */
function decodeString(node: DerNode | undefined): string {
  const raw = bytesOf(node);
  if (!node || !raw) return '';
  switch (node.type) {
    case TYPE.UTF8:
      return raw.toString('utf8');
    case TYPE.BMPSTRING:
      return raw.length % 2 === 0 ? Buffer.from(raw).swap16().toString('utf16le') : raw.toString('latin1');
    case TYPE.UNIVERSALSTRING: // UCS-4 big-endian
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
