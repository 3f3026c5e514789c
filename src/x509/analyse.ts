import { attributeValue, type CertificateFacts, type NameAttribute } from './facts.js';
import { knownCaOf, type CaUse, type TestMarker } from './ca-table.js';
import { EFOS_POLICY_ARC, HSA_ID, OID, PERSONAL_NUMBER, type Family } from './known-cas.js';

export type Validity = 'valid' | 'expired' | 'not-yet-valid';
export type Purpose = 'authentication' | 'signature' | 'encryption';
/** What the subject serialNumber holds: an HSA-id, a personal number, something else, or nothing. */
export type IdentityKind = 'hsa-id' | 'personal-number' | 'other' | 'none';
/** Readable, but not what a card certificate looks like. */
export type Anomaly = 'implausible-validity' | 'unusually-large';

/** One certificate, judged on its own (the verdict over a set is in verdict.ts). */
export interface CertificateAnalysis {
  readonly facts: CertificateFacts;
  readonly validity: Validity;
  /**
   * Days until it expires, rounded up: 1 = within the next 24 hours, 0 = it
   * ended less than a day ago, -20 = it ended 20 (to 21) days ago.
   */
  readonly daysLeft: number;
  /** Whole days until it becomes valid, rounded up; 0 once valid. */
  readonly daysUntilValid: number;
  readonly family: Family;
  /** Issued in a test hierarchy (TEST, PP, SAT, SYSTEMTEST). */
  readonly test: boolean;
  /** How the hierarchy's CA names mark it as test, when they do. */
  readonly testMarker?: TestMarker;
  /** Issued by a level 2 CA: a reserve card. */
  readonly reserveCard: boolean;
  /**
   * Whom the issuing CA certifies: persons (a card holder who can log in), functions
   * (systems and servers, which cannot log a person in), or not known. For a CA
   * certificate, its own use ('root' for a root).
   */
  readonly issuedFor: CaUse;
  readonly role: 'ca' | 'end-entity';
  readonly selfSigned: boolean;
  readonly purposes: readonly Purpose[];
  readonly identity: IdentityKind;
  readonly anomalies: readonly Anomaly[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** SITHS, Efos and Telia card certificates live about five years. */
const PLAUSIBLE_END_ENTITY_YEARS = 15;
const UNUSUALLY_LARGE_BYTES = 16 * 1024;

/** Days in a span, rounded up (towards the future), never -0. */
export function daysCeil(ms: number): number {
  return Math.ceil(ms / DAY_MS) || 0;
}

/**
 * @param issuerChain the names of the CAs above this certificate, nearest
 *   first: its issuer, then that CA's issuer when the set holds it, and so on.
 */
export function analyseCertificate(facts: CertificateFacts, now: Date, issuerChain: readonly (readonly NameAttribute[])[]): CertificateAnalysis {
  const t = now.getTime();
  const validity: Validity = t < facts.notBefore.getTime() ? 'not-yet-valid' : t > facts.notAfter.getTime() ? 'expired' : 'valid';
  const selfSigned = sameName(facts.subject, facts.issuer);
  const role = facts.isCa || facts.keyUsage?.includes('keyCertSign') || selfSigned ? 'ca' : 'end-entity';
  // A CA's own name says most about its hierarchy; an end entity's names a person.
  const chain = role === 'ca' ? [facts.subject, ...issuerChain] : issuerChain;
  const { family, marker, use, level } = familyOf(chain, facts.policies);
  return {
    facts,
    validity,
    daysLeft: daysCeil(facts.notAfter.getTime() - t),
    daysUntilValid: Math.max(0, daysCeil(facts.notBefore.getTime() - t)),
    family,
    test: marker !== undefined,
    ...(marker ? { testMarker: marker } : {}),
    reserveCard: role === 'end-entity' && level === 2,
    issuedFor: use,
    role,
    selfSigned,
    purposes: role === 'ca' ? [] : purposesOf(facts),
    identity: role === 'ca' ? 'none' : identityOf(facts.subject),
    anomalies: anomaliesOf(facts, role),
  };
}

/** The CA names above a certificate that the set itself holds, nearest first, without loops. */
export function issuerChainOf(facts: CertificateFacts, all: readonly CertificateFacts[], maxDepth = 5): NameAttribute[][] {
  const chain: NameAttribute[][] = [[...facts.issuer]];
  let current = facts;
  for (let depth = 0; depth < maxDepth; depth++) {
    if (sameName(current.subject, current.issuer)) break;
    const parent = all.find((c) => c !== current && sameName(c.subject, current.issuer));
    if (!parent || sameName(parent.subject, parent.issuer)) break;
    chain.push([...parent.issuer]);
    current = parent;
  }
  return chain;
}

export function sameName(a: readonly NameAttribute[], b: readonly NameAttribute[]): boolean {
  return a.length === b.length && a.every((x, i) => x.oid === b[i]!.oid && x.value.toLowerCase() === b[i]!.value.toLowerCase());
}

/**
 * The family of the nearest CA name in the chain that the CA table knows, with the use and
 * level of the nearest known CA (the issuer decides what an end entity is for) and the
 * first test marker anywhere in the chain. A "TEST" prefix marks a test hierarchy even
 * under names the table does not know.
 */
function familyOf(
  chain: readonly (readonly NameAttribute[])[],
  policies: readonly string[],
): { family: Family; marker?: TestMarker; use: CaUse; level?: 2 | 3 } {
  let found: { family: Family; use: CaUse; level?: 2 | 3 } | undefined;
  let marker: TestMarker | undefined;
  for (const name of chain) {
    const cn = attributeValue(name, 'CN') ?? '';
    const known = knownCaOf(cn, attributeValue(name, 'O') ?? '');
    if (known) {
      found ??= { family: known.ca.family, use: known.ca.use, ...(known.ca.level ? { level: known.ca.level } : {}) };
      marker ??= known.marker;
    } else if (/^(SYSTEM)?TEST\b/i.test(cn)) {
      marker ??= /^SYSTEMTEST/i.test(cn) ? 'SYSTEMTEST' : 'TEST';
    }
  }
  if (!found && policies.some((p) => p.startsWith(EFOS_POLICY_ARC))) found = { family: 'efos', use: 'unknown' };
  return { family: 'other', use: 'unknown', ...found, ...(marker ? { marker } : {}) };
}

function purposesOf(facts: CertificateFacts): Purpose[] {
  const ku = facts.keyUsage;
  const eku = facts.extendedKeyUsage;
  const authEku = eku?.some((o) => o === OID.clientAuth || o === OID.smartcardLogon) ?? false;
  const ekuAllowsAuth = eku === undefined || authEku || eku.includes(OID.anyExtendedKeyUsage);
  // A TLS client proves itself with a signature: digitalSignature, or no key usage restriction at all with an auth EKU.
  const canSign = ku === undefined ? authEku : ku.includes('digitalSignature');
  const purposes: Purpose[] = [];
  if (canSign && ekuAllowsAuth) purposes.push('authentication');
  if (ku?.includes('nonRepudiation')) purposes.push('signature');
  if (purposes.length === 0 && ku?.some((u) => u === 'keyEncipherment' || u === 'dataEncipherment' || u === 'keyAgreement')) {
    purposes.push('encryption');
  }
  return purposes;
}

function identityOf(subject: readonly NameAttribute[]): IdentityKind {
  const serial = attributeValue(subject, 'serialNumber');
  if (!serial) return 'none';
  if (HSA_ID.test(serial)) return 'hsa-id';
  if (PERSONAL_NUMBER.test(serial)) return 'personal-number';
  return 'other';
}

function anomaliesOf(facts: CertificateFacts, role: 'ca' | 'end-entity'): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const years = (facts.notAfter.getTime() - facts.notBefore.getTime()) / (365.25 * DAY_MS);
  if (role === 'end-entity' && years > PLAUSIBLE_END_ENTITY_YEARS) anomalies.push('implausible-validity');
  if (facts.sizeBytes > UNUSUALLY_LARGE_BYTES) anomalies.push('unusually-large');
  return anomalies;
}
