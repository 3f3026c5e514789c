import { createHash } from 'node:crypto';
import { algorithmOf, bitStringBytes, bytesOf, children, declaredDerLength, isContext, isUniversal, isWellFormedString, oid, readDerExactly, sequenceOf, TAG_CLASS, textOf, timeOf, TYPE, type DerNode } from '../der.js';
import { ATTRIBUTE_LABELS, cleanText, type CertificateFacts, type NameAttribute } from './facts.js';
import { KEY_USAGE_BITS, type KeyUsage } from './known-cas.js';
import { publicKeyFacts } from './public-key.js';
import { signatureAlgorithmName } from './signature-algorithms.js';

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
  /** Not DER, or DER that is not an X.509 certificate, or one too damaged to read. */
  | 'not-a-certificate'
  /** Validity dates that cannot be read, or that end before they begin. */
  | 'bad-dates';

export type ParseResult =
  | { readonly ok: true; readonly facts: CertificateFacts }
  | { readonly ok: false; readonly problem: CertificateProblem; readonly error: string; readonly declaredBytes?: number };

/**
 * Read one DER certificate. Never throws: every input ends in facts or in a
 * named problem. One path for every key type (RSA, EC on newer cards, ...):
 * the whole certificate is read from the DER with src/der.ts, which checks
 * every length against the bytes that are there.
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
  let facts: CertificateFacts;
  try {
    facts = { ...structureOf(tree), sizeBytes: der.length, sha256: fingerprint(der) };
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

function childrenOf(node: DerNode | undefined): readonly DerNode[] {
  if (!node || !node.constructed) throw new Error('unexpected certificate structure');
  return node.children;
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING } (RFC 5280 4.1). */
function structureOf(tree: DerNode) {
  const [tbsCertificate, algorithm, signature, ...more] = sequenceOf(tree, 'certificate');
  bitStringBytes(signature, 'signature');
  if (more.length > 0) throw new Error('more than a signed certificate');
  const tbs = tbsFields(tbsCertificate);
  const [notBefore, notAfter] = validityDates(tbs.validity);
  return {
    subject: nameAttributes(tbs.subject),
    issuer: nameAttributes(tbs.issuer),
    serialNumber: serialOf(tbs.serialNumber),
    notBefore,
    notAfter,
    key: publicKeyFacts(sequenceOf(tbs.subjectPublicKeyInfo, 'public key info')),
    signatureAlgorithm: signatureAlgorithmName(algorithmOf(algorithm).oid),
    ...extensionFacts(tbs.extensions ? sequenceOf(childrenOf(tbs.extensions)[0], 'extensions') : []),
  };
}

/** TBSCertificate: [0] version?, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, [1]?, [2]?, [3] extensions? */
function tbsFields(tbs: DerNode | undefined) {
  const fields = sequenceOf(tbs, 'TBSCertificate');
  const at = isContext(fields[0], 0) ? 1 : 0;
  // version [0] EXPLICIT INTEGER { v1(0), v2(1), v3(2) }
  if (at === 1 && !(fields[0]!.constructed && fields[0]!.children.length === 1 && isUniversal(fields[0]!.children[0], TYPE.INTEGER))) throw new Error('version is not an INTEGER');
  const field = (i: number, type: number): DerNode => {
    const f = fields[at + i];
    if (!isUniversal(f, type) || f.constructed !== (type === TYPE.SEQUENCE)) throw new Error('certificate fields missing');
    return f;
  };
  algorithmOf(field(1, TYPE.SEQUENCE));
  // After the key only issuerUniqueID [1], subjectUniqueID [2] and extensions [3] may follow.
  const optional = fields.slice(at + 6);
  if (optional.some((f) => f.tagClass !== TAG_CLASS.CONTEXT || f.type < 1 || f.type > 3)) throw new Error('unexpected field after the key');
  return {
    serialNumber: field(0, TYPE.INTEGER),
    issuer: field(2, TYPE.SEQUENCE),
    validity: field(3, TYPE.SEQUENCE),
    subject: field(4, TYPE.SEQUENCE),
    subjectPublicKeyInfo: field(5, TYPE.SEQUENCE),
    extensions: optional.find((f) => isContext(f, 3)),
  };
}

/** The serial's content octets in upper-case hex, as certificate viewers show them (a leading 00 of a positive serial kept). */
function serialOf(serial: DerNode): string {
  const [first, second] = serial.value;
  // X.690 8.3.2: an INTEGER in the fewest bytes (no 00 before a byte below 80, no FF before one from 80), as OpenSSL requires.
  if (first === undefined || (second !== undefined && ((first === 0x00 && second < 0x80) || (first === 0xff && second >= 0x80)))) {
    throw new Error('serial number is not a minimal INTEGER');
  }
  return serial.value.toString('hex').toUpperCase();
}

function validityDates(validity: DerNode): [Date, Date] {
  const times = childrenOf(validity).map((t) => {
    const time = timeOf(t);
    if (time === undefined) throw new Error('validity is not a time');
    return time;
  });
  if (times.length !== 2) throw new Error('validity needs two times');
  return [times[0]!, times[1]!];
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }: the ones siths-doctor judges. */
function extensionFacts(extensions: readonly DerNode[]) {
  let keyUsage: KeyUsage[] | undefined;
  let extendedKeyUsage: string[] | undefined;
  let policies: string[] = [];
  let isCa = false;
  let emails: string[] = [];
  for (const extension of extensions) {
    const parts = sequenceOf(extension, 'extension');
    const value = isUniversal(parts.at(-1), TYPE.OCTETSTRING) ? bytesOf(parts.at(-1)) : undefined;
    if (!value || parts.length < 2 || parts.length > 3 || (parts.length === 3 && !isUniversal(parts[1], TYPE.BOOLEAN))) throw new Error('extension is not { OID, critical?, OCTET STRING }');
    switch (oid(parts[0])) {
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
        extendedKeyUsage = childrenOf(readDerExactly(value)).map(oid);
        break;
      case '2.5.29.32':
        // PolicyInformation ::= SEQUENCE { policyIdentifier, policyQualifiers OPTIONAL }
        policies = childrenOf(readDerExactly(value)).map((info) => oid(childrenOf(info)[0]));
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
  return sequenceOf(name, 'name').flatMap((rdn) =>
    sequenceOf(rdn, 'name part', TYPE.SET).map((atv) => {
      const [type, value, ...more] = sequenceOf(atv, 'attribute');
      if (!value || more.length > 0) throw new Error('attribute is not { type, value }');
      // As OpenSSL refuses them: a string that is not what its type says (UTF-8 that is not, an odd-length BMPString).
      if (!isWellFormedString(value)) throw new Error('attribute value is a malformed string');
      const dotted = oid(type);
      return { oid: dotted, label: ATTRIBUTE_LABELS[dotted] ?? dotted, value: cleanText(textOf(value)) };
    }),
  );
}

function fingerprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
