/**
 * What siths-doctor knows about the CAs and object identifiers of Swedish
 * healthcare smart cards, as data. Everything that names a CA or an OID lives
 * here, with where it comes from; the classification code only reads it.
 *
 * Sources:
 *  [design]  /work/shared/DESIGN.md "Domain facts", gathered from public
 *            sources (Inera's SITHS documentation, Försäkringskassan's Efos
 *            pages, public code that names the CAs); confidence in brackets.
 *  [rfc5280] RFC 5280, 4.2.1.3 (key usage) and 4.2.1.12 (extended key usage).
 *  [ms]      Microsoft, "Object IDs associated with Microsoft cryptography"
 *            (KB 287547): smart card logon and document signing.
 */

/** A certificate hierarchy a card certificate can come from. */
export type Family = 'siths-e-id' | 'siths-legacy' | 'efos' | 'telia' | 'other';

interface FamilyRule {
  readonly family: Exclude<Family, 'other'>;
  /** Matched against the common name of a CA in the chain, after any "TEST" prefix is taken off. */
  readonly commonName?: RegExp;
  /** Matched against the organisation of a CA in the chain. */
  readonly organization?: RegExp;
}

/** First match wins; checked for each CA name in the chain, nearest first. */
export const FAMILY_RULES: readonly FamilyRule[] = [
  // [design, high] Current hierarchy: root "SITHS e-id Root CA v2"; issuing "SITHS e-id Person
  // HSA-id 3 CA v1", "... Person ID 3 CA v1", "... Person ID Mobile CA v1", "... Person HSA-id 2
  // CA v1", "... Person ID 2 CA v1", "SITHS e-id Function CA v1". Public code also shows
  // "SITHS e-id Person CA v2". Any "SITHS e-id ..." name counts, so new issuing CAs do too.
  { family: 'siths-e-id', commonName: /^SITHS e-id\b/i },
  // [design, high] Older hierarchy: "SITHS Root CA v1" -> "SITHS Type 1 CA v1", "SITHS Type 3 CA v1";
  // and "SITHS CA v3".
  { family: 'siths-legacy', commonName: /^SITHS (Root CA v1|Type [1-3] CA v\d+|CA v\d+)$/i },
  // [design, high] Efos is issued under Försäkringskassan's CA.
  { family: 'efos', commonName: /\bEfos\b|Försäkringskassan/i, organization: /Försäkringskassan/i },
  // [design] Telia's e-legitimation CAs ("Telia e-legitimation CA", older "TeliaSonera ...").
  { family: 'telia', commonName: /\bTelia(Sonera)?\b/i, organization: /\bTelia(Sonera)?\b/i },
];

/** [design, high] Efos certificates carry Försäkringskassan's CPS OID 1.2.752.146.200.3.1.0.0; its arc identifies Efos even under an unknown CA name. */
export const EFOS_POLICY_ARC = '1.2.752.146.200.3.';

/** [design, high] Test hierarchies are named like the real ones with a "TEST" prefix ("TEST SITHS e-id Root CA v2"). */
export const TEST_PREFIX = /^TEST\b[\s_-]*/i;

/**
 * [design, high] Level 2 issuing CAs are used for reserve cards (temporary cards,
 * lower assurance): "SITHS e-id Person HSA-id 2 CA v1", "SITHS e-id Person ID 2 CA v1".
 */
export const RESERVE_CARD_CA = /\bPerson (HSA-id|ID) 2 CA v\d+\b/i;

/**
 * [design, medium] The HSA-id is in the subject serialNumber: the organisation's
 * number after "SE" (ten digits), a dash and the person's part ("SE2321000016-xxxx").
 */
export const HSA_ID = /^SE\d{10}-[A-Za-z0-9]+$/i;

/** A Swedish personal or coordination number, with or without century and separator. */
export const PERSONAL_NUMBER = /^(?:19|20)?\d{6}[-+]?\d{4}$/;

export const OID = {
  clientAuth: '1.3.6.1.5.5.7.3.2', // [rfc5280]
  smartcardLogon: '1.3.6.1.4.1.311.20.2.2', // [ms]
  anyExtendedKeyUsage: '2.5.29.37.0', // [rfc5280]
} as const;

/** Extended key usage OIDs by name, for reports. */
export const EKU_NAMES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth', // [rfc5280]
  [OID.clientAuth]: 'clientAuth', // [rfc5280]
  '1.3.6.1.5.5.7.3.3': 'codeSigning', // [rfc5280]
  '1.3.6.1.5.5.7.3.4': 'emailProtection', // [rfc5280]
  '1.3.6.1.5.5.7.3.8': 'timeStamping', // [rfc5280]
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning', // [rfc5280]
  [OID.anyExtendedKeyUsage]: 'anyExtendedKeyUsage', // [rfc5280]
  [OID.smartcardLogon]: 'smartcardLogon', // [ms]
  '1.3.6.1.4.1.311.10.3.12': 'documentSigning', // [ms]
  '1.3.6.1.5.2.3.4': 'pkinitClientAuth', // RFC 4556
};

/** Certificate policy OIDs by name, for reports. */
export const POLICY_NAMES: Readonly<Record<string, string>> = {
  '1.2.752.146.200.3.1.0.0': 'Efos CPS (Försäkringskassan)', // [design, high]
  '2.5.29.32.0': 'anyPolicy', // [rfc5280]
};

/** Key usage bits in the order of RFC 5280's KeyUsage BIT STRING. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];
