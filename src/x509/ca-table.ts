/**
 * The certificate authorities of Swedish healthcare and public-sector smart
 * cards, as data: one row per CA, each with where its name comes from. The
 * classification code (analyse.ts) only reads this table.
 *
 * Sources (cited by key in each row):
 *  [inera-pki]  Inera, "PKI-struktur och rotcertifikat" (SITHS förvaltning, v1.80 2024-11-29),
 *               https://inera.atlassian.net/wiki/spaces/IAM/pages/289082989/PKI-struktur+och+rotcertifikat
 *               — active hierarchies; "TEST-miljöns PKI-struktur ser likadan ut, men namnen på CA är
 *               kompletterade med 'TEST' eller 'PP'"; SYSTEMTEST SITHS e-id Root CA v2 for SITHS eID
 *               Portal DEV/TEST; function certificates are not for user-facing logins.
 *  [inera-loa]  Inera, "Tillitsnivåer för SITHS e-legitimationer" (page 358418052, v1.22): issuing CA
 *               → level of assurance: Person HSA-id/ID 3 and ID Mobile = 3, Person HSA-id/ID 2 = 2,
 *               Function CA v1 and SITHS Type 3 CA v1 = not applicable (not persons).
 *  [digg-sdk]   diggsweden/sdk-docs, folder Certifikatskedjor (commit 0b559873f2c6), real CA
 *               certificates: SITHS e-id Root CA v2, SITHS e-id Function CA v1, their TEST versions,
 *               Swedish Public Sector Function CA v3 (+ "… v3 SAT" under "… Internal Root CA SAT v1").
 *               Copies in fixtures/public/ (see fixtures/public/SOURCES.md).
 *  [webcert]    Inera's webcert (public code, a JSP listing SITHS issuers): "SITHS CA v3" (O=Carelink),
 *               "SITHS CA TEST v3", "SITHS CA TEST v4" (O=SITHS CA), "SITHS Type 1 CA v1" and
 *               "SITHS Type 1 CA v1 PP" (O=Inera AB).
 *  [efos-cps]   Försäkringskassan, "Swedish Public Sector Certificate Policy Statement" v1.1.0,
 *               repository.efos.se/EFOS_CA_CPS_Ver110.pdf: OID 1.2.752.146.200.3.1.0.0, EFOS arc
 *               1.2.752.146.200.3, organisation Swedish Social Insurance Agency.
 *  [design]     /work/shared/DESIGN.md "Domain facts" (gathered from Inera's pages and public code).
 *
 * Not found in any public source reachable while this was written: the names of Efos's *person*
 * issuing CAs. Efos CAs are recognised by their naming scheme instead ("Swedish Public Sector … CA …"
 * with organisation "Swedish Social Insurance Agency", or the EFOS policy arc), and a CA of that
 * scheme whose name says neither "Person" nor "Function" is of unknown use (never called a function CA).
 */

export type Family = 'siths-e-id' | 'siths-legacy' | 'efos' | 'telia' | 'other';

/** What the certificates a CA issues are for: persons (cards), functions (systems, servers), or not known. */
export type CaUse = 'root' | 'person' | 'function' | 'unknown';

export interface KnownCa {
  readonly family: Exclude<Family, 'other'>;
  /** Matched against the CA's common name with its test marker (TEST, PP, SAT, SYSTEMTEST) taken off. */
  readonly commonName: RegExp;
  /** When set, the CA's organisation must match too. */
  readonly organization?: RegExp;
  readonly use: CaUse;
  /** Level of assurance of the person certificates it issues (2 = reserve cards). */
  readonly level?: 2 | 3;
  /** Source key (see above). */
  readonly source: string;
}

const EFOS_ORG = /^(Swedish Social Insurance Agency|Försäkringskassan)\b/i;

/** First match wins: exact names first, then each family's naming scheme. */
export const CA_TABLE: readonly KnownCa[] = [
  // SITHS e-id (2019-): [inera-pki], [inera-loa], [digg-sdk] for the root and the function CA.
  { family: 'siths-e-id', commonName: /^SITHS e-id Root CA v2$/i, use: 'root', source: 'inera-pki, digg-sdk' },
  { family: 'siths-e-id', commonName: /^SITHS e-id Person HSA-id 3 CA v1$/i, use: 'person', level: 3, source: 'inera-pki, inera-loa' },
  { family: 'siths-e-id', commonName: /^SITHS e-id Person ID 3 CA v1$/i, use: 'person', level: 3, source: 'inera-pki, inera-loa' },
  { family: 'siths-e-id', commonName: /^SITHS e-id Person ID Mobile CA v1$/i, use: 'person', level: 3, source: 'inera-pki, inera-loa' },
  { family: 'siths-e-id', commonName: /^SITHS e-id Person HSA-id 2 CA v1$/i, use: 'person', level: 2, source: 'inera-loa' },
  { family: 'siths-e-id', commonName: /^SITHS e-id Person ID 2 CA v1$/i, use: 'person', level: 2, source: 'inera-loa' },
  { family: 'siths-e-id', commonName: /^SITHS e-id Function CA v\d+$/i, use: 'function', source: 'inera-pki, inera-loa, digg-sdk' },
  // Any other "SITHS e-id … CA" (a future issuing CA): its name says what it issues, or nothing.
  { family: 'siths-e-id', commonName: /^SITHS e-id\b.*\bFunction\b/i, use: 'function', source: 'design' },
  { family: 'siths-e-id', commonName: /^SITHS e-id\b.*\bPerson\b/i, use: 'person', source: 'design' },
  { family: 'siths-e-id', commonName: /^SITHS e-id\b/i, use: 'unknown', source: 'design' },
  // Older SITHS: SITHS Root CA v1 -> Type 1 (person cards), Type 3 (function); SITHS CA v3 (Carelink).
  { family: 'siths-legacy', commonName: /^SITHS Root CA v1$/i, use: 'root', source: 'inera-pki' },
  { family: 'siths-legacy', commonName: /^SITHS Type 1 CA v\d+$/i, use: 'person', source: 'inera-loa, webcert' },
  { family: 'siths-legacy', commonName: /^SITHS Type 3 CA v\d+$/i, use: 'function', source: 'inera-loa' },
  { family: 'siths-legacy', commonName: /^SITHS Type \d CA v\d+$/i, use: 'unknown', source: 'design' },
  { family: 'siths-legacy', commonName: /^SITHS CA v\d+$/i, use: 'unknown', source: 'webcert, design' },
  // Efos (Försäkringskassan): [digg-sdk] for the root and function CA names, [efos-cps] for the organisation.
  { family: 'efos', commonName: /^Swedish Public Sector Internal Root CA v\d+$/i, organization: EFOS_ORG, use: 'root', source: 'digg-sdk' },
  { family: 'efos', commonName: /^Swedish Public Sector\b.*\bFunction\b.*\bCA\b/i, organization: EFOS_ORG, use: 'function', source: 'digg-sdk' },
  { family: 'efos', commonName: /^Swedish Public Sector\b.*\bPerson\b.*\bCA\b/i, organization: EFOS_ORG, use: 'person', source: 'design' },
  { family: 'efos', commonName: /^Swedish Public Sector\b.*\bCA\b/i, organization: EFOS_ORG, use: 'unknown', source: 'efos-cps' },
  // Any CA of Försäkringskassan's by organisation, or named Efos.
  { family: 'efos', commonName: /./, organization: EFOS_ORG, use: 'unknown', source: 'efos-cps' },
  { family: 'efos', commonName: /\bEfos\b/i, use: 'unknown', source: 'design' },
  // Telia's e-legitimation CAs ("Telia e-legitimation CA", older "TeliaSonera …").
  { family: 'telia', commonName: /\bTelia(Sonera)?\b/i, use: 'unknown', source: 'design' },
  { family: 'telia', commonName: /./, organization: /\bTelia(Sonera)?\b/i, use: 'unknown', source: 'design' },
];

/**
 * How Inera and Försäkringskassan mark a test hierarchy in a CA's name: "TEST" in front
 * ("TEST SITHS e-id Root CA v2") or inside ("SITHS CA TEST v3"), "SYSTEMTEST" in front
 * [inera-pki], "PP" (pre-production) at the end ("SITHS Type 1 CA v1 PP") [webcert], "SAT"
 * at the end or inside ("Swedish Public Sector Function CA v3 SAT", "… Internal Root CA SAT v1") [digg-sdk].
 */
export type TestMarker = 'TEST' | 'SYSTEMTEST' | 'PP' | 'SAT';
const MARKER_WORDS = new Set<string>(['TEST', 'SYSTEMTEST', 'PP', 'SAT']);

/** A CA common name without its test marker words, and the marker found. */
export function splitTestMarker(commonName: string): { readonly bare: string; readonly marker?: TestMarker } {
  const words = commonName.trim().split(/[\s_]+/);
  let marker: TestMarker | undefined;
  const kept = words.filter((w, i) => {
    const upper = w.toUpperCase();
    // "TEST"/"SYSTEMTEST" anywhere; "PP"/"SAT" only at the end or just before the version ("… SAT v1").
    const isMarker =
      MARKER_WORDS.has(upper) && (upper === 'TEST' || upper === 'SYSTEMTEST' || i === words.length - 1 || /^v\d+$/i.test(words[i + 1] ?? ''));
    if (isMarker) marker ??= upper as TestMarker;
    return !isMarker;
  });
  return marker ? { bare: kept.join(' '), marker } : { bare: commonName };
}

/** The table row a CA name belongs to, and its test marker; undefined when it is none of ours. */
export function knownCaOf(commonName: string, organization: string): { readonly ca: KnownCa; readonly marker?: TestMarker } | undefined {
  const { bare, marker } = splitTestMarker(commonName);
  const org = splitTestMarker(organization).bare.replace(/\s*\((TEST|PP|SAT)\)\s*$/i, '');
  const ca = CA_TABLE.find((r) => r.commonName.test(bare) && (!r.organization || r.organization.test(org)));
  return ca ? { ca, ...(marker ? { marker } : {}) } : undefined;
}
