import { knownCaOf } from '../x509/ca-table.js';
import { attributeOf } from './dn.js';

/**
 * Is this CA name (as formatName/fromNodeName print it) one that issues
 * SITHS or Efos cards, production or test (TEST, PP, SAT)? A
 * CertificateRequest is "the IdP asks for the card" only when its client CA
 * names include one of these: an inspecting proxy that asks for client
 * certificates names its own CA, not SITHS's. The CA table in src/x509 is
 * the one place that knows these names.
 */
export function isCardIssuerName(name: string): boolean {
  const known = knownCaOf(attributeOf(name, 'CN') ?? '', attributeOf(name, 'O') ?? '');
  return known !== undefined && known.ca.family !== 'telia';
}
