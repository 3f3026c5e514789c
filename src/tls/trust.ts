import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { TrustAnchor } from '../net/trust.js';

/** The roots idp-tls builds chains to: Node's bundled Mozilla roots and the --ca-file ones. */
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

  /** This very certificate, or one of the same name and key, is in Mozilla's list. */
  isMozillaRoot(cert: X509Certificate): boolean {
    if (this.byFingerprint.get(cert.fingerprint256)?.source === 'mozilla') return true;
    return (this.bySubject.get(cert.subject) ?? []).some((a) => a.source === 'mozilla' && a.cert.publicKey.equals(cert.publicKey));
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
