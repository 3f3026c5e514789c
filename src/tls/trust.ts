import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { FileSystem } from '../system.js';

/**
 * Where a trusted root comes from: Node's bundled Mozilla list (what
 * Firefox trusts, and what tells a public root from an organisation's own),
 * or a file given with --ca-file.
 */
export type AnchorSource = 'mozilla' | 'ca-file';

export interface TrustAnchor {
  readonly cert: X509Certificate;
  readonly source: AnchorSource;
  readonly file?: string;
}

export class TrustStore {
  private readonly bySubject = new Map<string, TrustAnchor[]>();
  private readonly byFingerprint = new Map<string, TrustAnchor>();

  constructor(anchors: Iterable<TrustAnchor>) {
    for (const anchor of anchors) {
      const list = this.bySubject.get(anchor.cert.subject) ?? [];
      list.push(anchor);
      this.bySubject.set(anchor.cert.subject, list);
      if (!this.byFingerprint.has(anchor.cert.fingerprint256)) this.byFingerprint.set(anchor.cert.fingerprint256, anchor);
    }
  }

  /** Anchors named as this certificate's issuer (the signature still has to be checked). */
  candidateIssuers(cert: X509Certificate): readonly TrustAnchor[] {
    return this.bySubject.get(cert.issuer) ?? [];
  }

  /** The anchor this certificate is: the same certificate, or the same name and key (a re-issued root). */
  find(cert: X509Certificate): TrustAnchor | undefined {
    const exact = this.byFingerprint.get(cert.fingerprint256);
    if (exact) return exact;
    return this.bySubject.get(cert.subject)?.find((a) => a.cert.publicKey.equals(cert.publicKey));
  }

  /** Is there a Mozilla root by this name? (For wording only: trust is decided by signatures.) */
  hasMozillaRootNamed(subject: string): boolean {
    return (this.bySubject.get(subject) ?? []).some((a) => a.source === 'mozilla');
  }
}

let mozilla: readonly TrustAnchor[] | undefined;

/** Node's bundled Mozilla roots, parsed once. */
export function mozillaAnchors(): readonly TrustAnchor[] {
  mozilla ??= tls.rootCertificates.map((pem) => ({ cert: new X509Certificate(pem), source: 'mozilla' as const }));
  return mozilla;
}

export interface CaFiles {
  readonly anchors: readonly TrustAnchor[];
  /** Node's bundled roots and these, for Node's TLS (`ca`); undefined when the files added none. */
  readonly ca?: readonly string[];
  /** Files, or blocks in them, that held no readable certificate. */
  readonly problems: readonly { readonly file: string; readonly reason: string }[];
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Read --ca-file files: PEM bundles (any number of certificates) or a single DER certificate. */
export async function loadCaFiles(fs: FileSystem, files: readonly string[]): Promise<CaFiles> {
  const anchors: TrustAnchor[] = [];
  const pem: string[] = [];
  const problems: { file: string; reason: string }[] = [];
  for (const file of files) {
    let content: Buffer;
    try {
      content = await fs.readFile(file);
    } catch (err) {
      problems.push({ file, reason: err instanceof Error ? err.message : String(err) });
      continue;
    }
    const text = content.toString('latin1');
    const blocks = text.includes('-----BEGIN CERTIFICATE-----') ? (text.match(PEM_BLOCK) ?? []) : [content];
    for (const block of blocks) {
      try {
        const cert = new X509Certificate(block);
        anchors.push({ cert, source: 'ca-file', file });
        pem.push(cert.toString());
      } catch {
        problems.push({ file, reason: 'a certificate in it cannot be read' });
      }
    }
    if (blocks.length === 0) problems.push({ file, reason: 'no certificate in it' });
  }
  return { anchors, ca: pem.length > 0 ? [...tls.rootCertificates, ...pem] : undefined, problems };
}
