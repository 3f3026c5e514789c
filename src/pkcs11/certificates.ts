import { X509Certificate } from 'node:crypto';
import { personal } from '../personal.js';
import type { CertificateObjectReport } from './protocol.js';

/** A certificate object as the token check reports it. */
export interface TokenCertificate {
  readonly label: string;
  readonly id: string;
  /** The subject's common name, marked as personal data. */
  readonly subject?: string;
  readonly issuer?: string;
  /** ISO 8601. */
  readonly notAfter?: string;
  readonly size: number;
  /** Set when the DER did not parse as a certificate. */
  readonly unreadable?: true;
}

/** The certificate for the report, and the holder's name (unmarked) to find it in labels. */
export function describeCertificate(object: CertificateObjectReport): { readonly certificate: TokenCertificate; readonly holderName?: string } {
  const base = { label: object.label, id: object.id, size: object.size };
  if (!object.der) return { certificate: base };
  try {
    const cert = new X509Certificate(Buffer.from(object.der, 'base64'));
    const holderName = commonName(cert.subject);
    const issuer = commonName(cert.issuer);
    const notAfter = new Date(cert.validTo);
    const certificate: TokenCertificate = {
      ...base,
      ...(holderName ? { subject: personal(holderName, 'name') } : {}),
      ...(issuer ? { issuer } : {}),
      ...(Number.isNaN(notAfter.getTime()) ? {} : { notAfter: notAfter.toISOString() }),
    };
    return holderName ? { certificate, holderName } : { certificate };
  } catch {
    return { certificate: { ...base, unreadable: true } };
  }
}

/** The last CN of a distinguished name as Node prints it, one "KEY=value" per line. */
function commonName(dn: string): string | undefined {
  const cns = dn
    .split('\n')
    .filter((line) => line.startsWith('CN='))
    .map((line) => line.slice(3).trim());
  return cns.at(-1) || undefined;
}

/**
 * Mark the card holder's name where a label repeats it ("Tolvan Tolvansson
 * (Legitimering)"): labels are shown, the names in them are personal data.
 */
export function markNames(text: string, names: readonly string[]): string {
  const wanted = [...new Set(names.filter((n) => n.length >= 3))].sort((a, b) => b.length - a.length);
  if (wanted.length === 0) return text;
  const pattern = new RegExp(wanted.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  return text.replace(pattern, (found) => personal(found, 'name'));
}
