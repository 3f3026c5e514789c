import { attributeOf } from './dn.js';

/**
 * Is this CA name (as formatName/fromNodeName print it) one that issues
 * SITHS or Efos cards, production or test (TEST, PP, SAT)? A
 * CertificateRequest is "the IdP asks for the card" only when its client CA
 * names include one of these: an inspecting proxy that asks for client
 * certificates names its own CA, not SITHS's.
 *
 * Name patterns until the CA name table in src/x509 (issue 12, certificates)
 * can answer this; keep it the one place that decides.
 * - SITHS: every CA of every generation carries "SITHS" in its CN
 *   ("SITHS e-id Person HSA-id 3 CA v1", "SITHS Type 1 CA v1 PP", "TEST SITHS
 *   e-id Root CA v2"; ../shared/DESIGN.md).
 * - Efos: "Swedish Public Sector … CA v…" under "Swedish Public Sector
 *   Internal Root CA v1", O=Swedish Social Insurance Agency (Försäkringskassan);
 *   the SAT versions are its test hierarchy (diggsweden/sdk-docs,
 *   Certifikatskedjor). Older and test names carry "Efos" or the agency's name.
 */
export function isCardIssuerName(name: string): boolean {
  const cn = attributeOf(name, 'CN') ?? '';
  const o = attributeOf(name, 'O') ?? '';
  return (
    /\bSITHS\b/i.test(cn) ||
    /\bEfos\b/i.test(cn) ||
    /\bSwedish Public Sector\b/i.test(cn) ||
    /\b(Swedish Social Insurance Agency|Försäkringskassan)\b/i.test(o)
  );
}
