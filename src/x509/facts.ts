import type { KeyUsage } from './known-cas.js';

/** One attribute of a distinguished name, in the certificate's order. */
export interface NameAttribute {
  readonly oid: string;
  /** Short name for display ("CN", "serialNumber"), or the OID when unknown. */
  readonly label: string;
  /** Cleaned for display: no control characters, bounded length. */
  readonly value: string;
}

export interface PublicKeyFacts {
  /** "RSA", "EC", "Ed25519", ... */
  readonly type: string;
  readonly bits?: number;
  /** Named curve of an EC key ("prime256v1"). */
  readonly curve?: string;
}

/**
 * What a certificate says. src/x509/parse.ts fills it from the DER (with
 * src/der.ts), and everything after parsing works on it alone.
 */
export interface CertificateFacts {
  readonly sizeBytes: number;
  readonly subject: readonly NameAttribute[];
  readonly issuer: readonly NameAttribute[];
  /** The INTEGER's content octets in upper-case hex, as certificate viewers show it (a leading 00 kept). */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly key: PublicKeyFacts;
  readonly signatureAlgorithm: string;
  /** Undefined when the certificate has no key usage extension (any use allowed). */
  readonly keyUsage?: readonly KeyUsage[];
  /** Extended key usage OIDs; undefined when the extension is absent. */
  readonly extendedKeyUsage?: readonly string[];
  /** Certificate policy OIDs. */
  readonly policies: readonly string[];
  /** basicConstraints cA. */
  readonly isCa: boolean;
  /** rfc822Name entries of the subject alternative name. */
  readonly emails: readonly string[];
  /** SHA-256 of the DER, upper-case hex pairs joined by colons. */
  readonly sha256: string;
}

/** Display names of the attribute types found in certificate names (card certificates, TLS chains, client CA lists). */
export const ATTRIBUTE_LABELS: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

export const MAX_TEXT_LENGTH = 200;

/**
 * Text from a certificate is attacker-controlled: drop control characters
 * (terminal escapes), bidirectional overrides and our own personal-data
 * markers, and bound the length.
 */
/**
 * Text from a certificate or from the wire, made safe for a report: control
 * characters, bidirectional overrides (which can make "Acme" read as
 * something else) and our own personal-data markers are shown as escapes, and
 * the length is capped. A hostile name stays visibly odd instead of vanishing.
 */
export function cleanText(value: string): string {
  const escaped = value
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069\uE000-\uE002]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .trim();
  return escaped.length > MAX_TEXT_LENGTH ? `${escaped.slice(0, MAX_TEXT_LENGTH)}…` : escaped;
}

export function attributeValue(name: readonly NameAttribute[], label: string): string | undefined {
  return name.find((a) => a.label === label)?.value;
}
