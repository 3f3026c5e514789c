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

export type { Family } from './ca-table.js';

/** [design, high] Efos certificates carry Försäkringskassan's CPS OID 1.2.752.146.200.3.1.0.0; its arc identifies Efos even under an unknown CA name. */
export const EFOS_POLICY_ARC = '1.2.752.146.200.3.';

/** HSA-ids of every form (person, unit, test and service); the forms are defined once, in src/personal.ts. */
export { HSA_ID, isHsaId } from '../personal.js';

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
  '1.2.752.146.200.3.1.0.0': 'Efos CPS (Försäkringskassan)', // [design, high]; Efos CPS v1.1.0 (repository.efos.se)
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
