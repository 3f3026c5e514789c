import { analyseCertificate, issuerChainOf, type CertificateAnalysis } from './analyse.js';
import type { CertificateFacts } from './facts.js';
import type { CertificateInput, CertificateOrigin, CertificateSet, InputProblem } from './inputs.js';
import { parseCertificate, type CertificateProblem } from './parse.js';

/** One entry of a set: a certificate analysed, or the reason there is none. */
export type JudgedCertificate = AnalysedCertificate | UnreadableCertificate;

export interface AnalysedCertificate {
  /** Place in the set, as in details.certificates. */
  readonly index: number;
  readonly origin: CertificateOrigin;
  readonly analysis: CertificateAnalysis;
}

export interface UnreadableCertificate {
  readonly index: number;
  readonly origin: CertificateOrigin;
  readonly problem: CertificateProblem | InputProblem;
  /** Technical detail for --verbose and JSON. */
  readonly error: string;
  readonly sizeBytes?: number;
  readonly declaredBytes?: number;
}

export function isAnalysed(item: JudgedCertificate): item is AnalysedCertificate {
  return 'analysis' in item;
}

/** Parse and analyse every input of a set; CA certificates in the set serve as the issuer chain of the others. */
export function analyseSet(set: CertificateSet, now: Date): JudgedCertificate[] {
  const parsed = set.inputs.map((input) => ({ input, result: 'der' in input ? parseCertificate(input.der) : undefined }));
  const allFacts: CertificateFacts[] = parsed.flatMap(({ result }) => (result?.ok ? [result.facts] : []));
  return parsed.map(({ input, result }, index): JudgedCertificate => {
    if (!result) {
      const failed = input as Extract<CertificateInput, { problem: InputProblem }>;
      return { index, origin: input.origin, problem: failed.problem, error: failed.error };
    }
    if (!result.ok) {
      const sizeBytes = 'der' in input ? input.der.length : undefined;
      return { index, origin: input.origin, problem: result.problem, error: result.error, sizeBytes, declaredBytes: result.declaredBytes };
    }
    return { index, origin: input.origin, analysis: analyseCertificate(result.facts, now, issuerChainOf(result.facts, allFacts)) };
  });
}

export interface VerdictOptions {
  readonly expiryWarnDays: number;
}

/** Why the verdict is what it is; the first reason decides the status. */
export type Reason =
  | 'valid'
  | 'expired'
  | 'not-yet-valid'
  | 'no-authentication-certificate'
  /** The certificate that would log in comes from neither SITHS, Efos nor Telia: another card (or file). */
  | 'not-siths'
  /** The only authentication certificate is a function (system, server) certificate: it cannot log a person in. */
  | 'function-certificate'
  | 'expiring'
  | 'reserve-card'
  | 'implausible-certificate'
  | 'unreadable-certificates';

export const FAILING_REASONS: readonly Reason[] = ['expired', 'not-yet-valid', 'no-authentication-certificate', 'not-siths', 'function-certificate'];

export interface Verdict {
  readonly status: 'pass' | 'warn' | 'fail';
  readonly reasons: readonly Reason[];
  /** The authentication certificate SITHS logins would use: the one that decides. */
  readonly deciding?: AnalysedCertificate;
  /** The deciding certificate is personal-number based because there is no HSA-id based one. */
  readonly fallbackToPersonalNumber: boolean;
}

/**
 * The verdict over one card's certificates (or the files given): SITHS logins
 * need a person's authentication certificate from SITHS, Efos (or Telia),
 * HSA-id based by preference, personal-number based as the fallback. That
 * certificate decides: missing, from another issuer (another card), a function
 * certificate, expired or not yet valid fails; expiring soon, a reserve card,
 * or anything in the set that could not be read or looks implausible warns.
 * A card without a signature certificate is normal (new SITHS eID Portal
 * cards carry only the authentication certificate) and is not judged.
 */
export function judge(items: readonly JudgedCertificate[], options: VerdictOptions): Verdict {
  const analysed = items.filter(isAnalysed);
  const deciding = pickAuthenticationCertificate(analysed);
  const warnings: Reason[] = [];
  if (deciding) {
    const a = deciding.analysis;
    if (a.validity === 'valid' && a.daysLeft <= options.expiryWarnDays) warnings.push('expiring');
    if (a.reserveCard) warnings.push('reserve-card');
  }
  if (analysed.some((c) => c.analysis.anomalies.length > 0)) warnings.push('implausible-certificate');
  if (analysed.length < items.length) warnings.push('unreadable-certificates');

  const fallbackToPersonalNumber = deciding?.analysis.identity === 'personal-number';
  // What the certificate is decides before when it is valid: a bank card's certificate that
  // is valid is still not a SITHS login.
  const failure: Reason | undefined = !deciding
    ? 'no-authentication-certificate'
    : deciding.analysis.family === 'other'
      ? 'not-siths'
      : deciding.analysis.issuedFor === 'function'
        ? 'function-certificate'
        : deciding.analysis.validity === 'expired'
      ? 'expired'
        : deciding.analysis.validity === 'not-yet-valid'
          ? 'not-yet-valid'
          : undefined;
  if (failure) return { status: 'fail', reasons: [failure, ...warnings], deciding, fallbackToPersonalNumber };
  if (warnings.length > 0) return { status: 'warn', reasons: warnings, deciding, fallbackToPersonalNumber };
  return { status: 'pass', reasons: ['valid'], deciding, fallbackToPersonalNumber };
}

const IDENTITY_RANK = { 'hsa-id': 0, 'personal-number': 1, other: 2, none: 2 } as const;

/**
 * A person's certificate from a known issuer before anything else; then
 * HSA-id based before personal-number based (SITHS services want the HSA-id);
 * within a kind, the best standing: valid on an ordinary card, valid on a
 * reserve card, not yet valid, expired; plausible before odd; real before
 * TEST; then the one that lasts longest.
 */
function pickAuthenticationCertificate(analysed: readonly AnalysedCertificate[]): AnalysedCertificate | undefined {
  const candidates = analysed.filter((c) => c.analysis.role === 'end-entity' && c.analysis.purposes.includes('authentication'));
  const standing = (a: CertificateAnalysis): number =>
    a.validity === 'valid' ? (a.reserveCard ? 1 : 0) : a.validity === 'not-yet-valid' ? 2 : 3;
  const rank = (c: AnalysedCertificate): number[] => [
    c.analysis.family === 'other' ? 1 : 0,
    c.analysis.issuedFor === 'function' ? 1 : 0,
    IDENTITY_RANK[c.analysis.identity],
    standing(c.analysis),
    c.analysis.anomalies.length > 0 ? 1 : 0,
    c.analysis.test ? 1 : 0,
    -c.analysis.facts.notAfter.getTime(),
  ];
  return [...candidates].sort((x, y) => compareRanks(rank(x), rank(y)))[0];
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
