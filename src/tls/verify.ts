import { createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { fromNodeName } from './dn.js';
import type { AnchorSource } from '../net/trust.js';
import type { TrustStore } from './trust.js';

/** One certificate as presented, with the facts a report shows. */
export interface CertificateFacts {
  /** Position in the order the server sent them, from 0 (the server's own certificate). */
  readonly index: number;
  /** SHA-256 fingerprint, colon-separated upper-case hex, as browsers and openssl show it. */
  readonly sha256: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly serialNumber?: string;
  readonly selfSigned: boolean;
  readonly ca: boolean;
  readonly subjectAltName?: string;
  /** "RSA 2048", "EC prime256v1". */
  readonly publicKey?: string;
  /** The bytes are not a certificate Node can read. */
  readonly unreadable?: boolean;
}

export interface PresentedCertificate {
  readonly facts: CertificateFacts;
  readonly x509?: X509Certificate;
}

export function readCertificates(ders: readonly Buffer[]): PresentedCertificate[] {
  return ders.map((der, index) => {
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(der);
    } catch {
      return { facts: { index, sha256: sha256Of(der), subject: '?', issuer: '?', selfSigned: false, ca: false, unreadable: true } };
    }
    return { x509, facts: factsOf(x509, index) };
  });
}

/** Same format as X509Certificate.fingerprint256. */
function sha256Of(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

export function factsOf(x509: X509Certificate, index: number): CertificateFacts {
  return {
    index,
    sha256: x509.fingerprint256,
    subject: fromNodeName(x509.subject),
    issuer: fromNodeName(x509.issuer),
    notBefore: validDate(x509.validFrom),
    notAfter: validDate(x509.validTo),
    serialNumber: x509.serialNumber,
    selfSigned: isSelfSigned(x509),
    ca: x509.ca,
    subjectAltName: x509.subjectAltName,
    publicKey: describeKey(x509),
  };
}

function validDate(text: string): Date | undefined {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function describeKey(x509: X509Certificate): string | undefined {
  const key = x509.publicKey;
  const details = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return `RSA ${details?.modulusLength ?? '?'}`;
    case 'ec':
      return `EC ${details?.namedCurve ?? '?'}`;
    default:
      return key.asymmetricKeyType?.toUpperCase();
  }
}

/** Signed by `issuer`: names and key identifiers match and the signature verifies. */
export function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export function isSelfSigned(cert: X509Certificate): boolean {
  return issuedBy(cert, cert);
}

export interface DatedProblem {
  readonly subject: string;
  readonly date: Date;
}

/** How the presented certificates chain up to a trusted root, and what is wrong on the way. */
export interface ChainAnalysis {
  /** Indices of presented certificates, the server's own first, each issued by the next. */
  readonly path: readonly number[];
  /** The trusted root the path ends in. */
  readonly anchor?: {
    readonly subject: string;
    readonly sha256: string;
    readonly source: AnchorSource;
    readonly file?: string;
    /** The server sent the root itself. */
    readonly sent: boolean;
  };
  readonly trusted: boolean;
  /** Untrusted only: the name of the root the chain points to, which is in no trusted list. */
  readonly untrustedRoot?: string;
  /** Untrusted only: the path ends in a self-signed certificate the server sent. */
  readonly endsSelfSigned: boolean;
  /** Presented certificates that are not on the path (extra, duplicated or unrelated). */
  readonly unused: readonly number[];
  /** The path follows the order sent. */
  readonly inOrder: boolean;
  readonly hostCovered: boolean;
  /** The name in the certificate that covers the host. */
  readonly matchedName?: string;
  /** The names the server's certificate is valid for. */
  readonly leafNames: readonly string[];
  readonly expired: readonly DatedProblem[];
  readonly notYetValid: readonly DatedProblem[];
  /**
   * The chain claims a root of Mozilla's list by name (the top's own name,
   * or the name of its issuer), but that root's key did not sign it: a
   * look-alike, as an inspection CA named like a public one.
   */
  readonly lookAlikeRoot?: string;
  /** The server's certificate was signed directly by a root (self-signed), which public CAs never do (CA/Browser Forum Baseline Requirements 6.1.7). */
  readonly leafIssuedByRoot: boolean;
}

/** Path searches are tiny, but a hostile set of cross-signed certificates must not make them explode. */
const MAX_PATH_STEPS = 256;
const MAX_DEPTH = 10;

/**
 * Build the path from the server's certificate to a trusted root the way a
 * browser does: from the certificates presented, in any order, ignoring
 * extras, stopping at the first trusted root (path building does not
 * fetch missing intermediates, as browsers may through AIA). Then check the host name and
 * the dates against `now`.
 */
export function analyseChain(presented: readonly PresentedCertificate[], host: string, store: TrustStore, now: Date): ChainAnalysis {
  const leaf = presented[0]?.x509;
  const found = leaf ? buildPath(presented, store, now) : { path: [] as number[] };
  const path = found.path;
  const anchor = found.anchor;
  const onPath = path.map((i) => presented[i]!.x509!);
  const top = onPath.at(-1);
  const endsSelfSigned = !anchor && top !== undefined && isSelfSigned(top);

  const dated = [...onPath, ...(anchor && !anchor.sent ? [anchor.cert] : [])];
  const expired = dated.filter((c) => now > new Date(c.validTo)).map((c) => ({ subject: fromNodeName(c.subject), date: new Date(c.validTo) }));
  const notYetValid = dated.filter((c) => now < new Date(c.validFrom)).map((c) => ({ subject: fromNodeName(c.subject), date: new Date(c.validFrom) }));

  const matchedName = leaf ? (isIP(host) ? leaf.checkIP(host) : leaf.checkHost(host)) : undefined;
  const leafIssuer = onPath[1] ?? (anchor && path.length === 1 ? anchor.cert : undefined);
  return {
    path,
    anchor: anchor && {
      subject: fromNodeName(anchor.cert.subject),
      sha256: anchor.cert.fingerprint256,
      source: anchor.source,
      file: anchor.file,
      sent: anchor.sent,
    },
    trusted: anchor !== undefined,
    untrustedRoot: !anchor && top ? fromNodeName(endsSelfSigned ? top.subject : top.issuer) : undefined,
    endsSelfSigned,
    unused: presented.map((_, i) => i).filter((i) => !path.includes(i)),
    inOrder: path.every((p, i) => p === i),
    hostCovered: matchedName !== undefined,
    matchedName,
    leafNames: leaf ? namesOf(leaf) : [],
    expired,
    notYetValid,
    lookAlikeRoot: top ? lookAlikeOf(top, anchor?.cert, endsSelfSigned, store) : undefined,
    leafIssuedByRoot: leafIssuer !== undefined && isSelfSigned(leafIssuer),
  };
}

/**
 * The Mozilla root name this chain borrows without that root's key: the
 * trusted anchor (from --ca-file) named like a Mozilla root, the sent
 * self-signed top, or the name of the top's issuer when no such root signed it.
 */
function lookAlikeOf(top: X509Certificate, anchor: X509Certificate | undefined, endsSelfSigned: boolean, store: TrustStore): string | undefined {
  const claimed = anchor ?? (endsSelfSigned ? top : undefined);
  if (claimed) {
    return store.hasMozillaRootNamed(claimed.subject) && !store.isMozillaRoot(claimed) ? fromNodeName(claimed.subject) : undefined;
  }
  return store.hasMozillaRootNamed(top.issuer) ? fromNodeName(top.issuer) : undefined;
}

interface Found {
  readonly path: number[];
  readonly anchor?: { readonly cert: X509Certificate; readonly source: AnchorSource; readonly file?: string; readonly sent: boolean };
}

function buildPath(presented: readonly PresentedCertificate[], store: TrustStore, now: Date): Found {
  // Like browsers, try certificates valid now before expired or future ones (an expired duplicate sent ahead of its renewal is ignored).
  const order = presented
    .map((_, i) => i)
    .sort((a, b) => Number(!validAt(presented[a]!.x509, now)) - Number(!validAt(presented[b]!.x509, now)) || a - b);
  let steps = 0;
  let longest: number[] = [0];
  const extend = (path: number[]): Found | undefined => {
    if (++steps > MAX_PATH_STEPS || path.length > MAX_DEPTH) return undefined;
    if (path.length > longest.length) longest = path;
    const current = presented[path.at(-1)!]!.x509!;
    const itself = store.find(current);
    if (itself) return { path, anchor: { ...itself, sent: true } };
    const root = store.candidateIssuers(current).find((a) => issuedBy(current, a.cert));
    if (root) {
      // A server may send the root too; count it as sent, and on the path.
      const sent = presented.findIndex((p) => p.x509?.fingerprint256 === root.cert.fingerprint256);
      return sent >= 0 && !path.includes(sent) ? { path: [...path, sent], anchor: { ...root, sent: true } } : { path, anchor: { ...root, sent: false } };
    }
    // A self-signed certificate ends a path: nothing above it.
    if (isSelfSigned(current)) return undefined;
    const onPath = new Set(path.map((i) => presented[i]!.x509!.fingerprint256));
    for (const i of order) {
      const candidate = presented[i]!.x509;
      // Only a CA certificate may sign another, as browsers insist; a duplicate adds nothing.
      if (!candidate?.ca || onPath.has(candidate.fingerprint256) || !issuedBy(current, candidate)) continue;
      const found = extend([...path, i]);
      if (found) return found;
    }
    return undefined;
  };
  return extend([0]) ?? { path: longest };
}

function validAt(cert: X509Certificate | undefined, now: Date): boolean {
  return cert !== undefined && now >= new Date(cert.validFrom) && now <= new Date(cert.validTo);
}

function namesOf(leaf: X509Certificate): string[] {
  const san = leaf.subjectAltName;
  if (san) {
    return san
      .split(/,\s*/)
      .map((entry) => /^(?:DNS|IP Address):(.*)$/.exec(entry)?.[1])
      .filter((name): name is string => Boolean(name));
  }
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(leaf.subject)?.[1];
  return cn ? [cn] : [];
}
