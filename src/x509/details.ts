import { personal } from '../personal.js';
import type { CertificateAnalysis } from './analyse.js';
import { dnText, isKnownAuthority, markedIssuerValue, markedLabel, markedValue } from './describe.js';
import type { CardSummary, CertificateOrigin, CertificateSet } from './inputs.js';
import { isAnalysed, type JudgedCertificate, type Reason, type UnreadableCertificate } from './judge.js';
import { EKU_NAMES, POLICY_NAMES } from './known-cas.js';

/** details of the card-cert check; the keys are documented in docs/checks.md and kept stable. */
export interface CardCertDetails {
  readonly source: CertificateSet['source'];
  readonly checkedAt: Date;
  readonly expiryWarnDays: number;
  readonly reasons: readonly Reason[];
  /** Index into certificates of the authentication certificate that decided, or null. */
  readonly decidingCertificate: number | null;
  readonly fallbackToPersonalNumber: boolean;
  readonly certificates: readonly CertificateDetails[];
  readonly cards?: readonly CardDetails[];
}

type OriginDetails =
  | { readonly file: string; readonly position?: number }
  | { readonly reader: string; readonly label: string; readonly id: string; readonly path: string; readonly directory: string; readonly authority: boolean };

export type CertificateDetails =
  | {
      readonly index: number;
      readonly origin: OriginDetails;
      readonly readable: false;
      readonly problem: UnreadableCertificate['problem'];
      readonly error: string;
    }
  | {
      readonly index: number;
      readonly origin: OriginDetails;
      readonly readable: true;
      readonly subject: {
        readonly dn: string;
        readonly commonName?: string;
        readonly givenName?: string;
        readonly surname?: string;
        readonly serialNumber?: string;
        readonly organization?: string;
        readonly organizationalUnit?: string;
        readonly country?: string;
        readonly emails: readonly string[];
      };
      readonly issuer: { readonly dn: string; readonly commonName?: string; readonly organization?: string; readonly country?: string };
      readonly serialNumber: string;
      readonly notBefore: Date;
      readonly notAfter: Date;
      readonly validity: CertificateAnalysis['validity'];
      readonly daysLeft: number;
      readonly daysUntilValid: number;
      readonly key: CertificateAnalysis['facts']['key'];
      readonly signatureAlgorithm: string;
      readonly keyUsage: readonly string[] | null;
      readonly extendedKeyUsage: readonly { readonly oid: string; readonly name?: string }[] | null;
      readonly policies: readonly { readonly oid: string; readonly name?: string }[];
      readonly sha256: string;
      readonly sizeBytes: number;
      readonly family: CertificateAnalysis['family'];
      readonly test: boolean;
      readonly testMarker: CertificateAnalysis['testMarker'] | null;
      readonly issuedFor: CertificateAnalysis['issuedFor'];
      readonly reserveCard: boolean;
      readonly role: CertificateAnalysis['role'];
      readonly selfSigned: boolean;
      readonly purposes: CertificateAnalysis['purposes'];
      readonly identity: CertificateAnalysis['identity'];
      readonly anomalies: CertificateAnalysis['anomalies'];
    };

/** What the report says about a card the certificates were read from (its serial redacted). */
export type CardDetails = CardSummary;

function originDetails(origin: CertificateOrigin, a: CertificateAnalysis | undefined): OriginDetails {
  if (origin.kind === 'file') return { file: origin.file, ...(origin.position ? { position: origin.position } : {}) };
  return {
    reader: origin.reader,
    label: markedLabel(origin.label, a),
    id: origin.id,
    path: origin.path,
    directory: origin.directory,
    authority: origin.authority,
  };
}

/** The full analysis of one certificate, personal parts marked. */
export function certificateDetails(item: JudgedCertificate): CertificateDetails {
  if (!isAnalysed(item)) {
    return {
      index: item.index,
      origin: originDetails(item.origin, undefined),
      readable: false as const,
      problem: item.problem,
      error: item.error,
    };
  }
  const a = item.analysis;
  const f = a.facts;
  const subjectValue = (label: string): string | undefined => {
    const attr = f.subject.find((x) => x.label === label);
    return attr ? markedValue(a, attr) : undefined;
  };
  const issuerValue = (label: string): string | undefined => {
    const attr = f.issuer.find((x) => x.label === label);
    return attr ? markedIssuerValue(a, attr) : undefined;
  };
  return {
    index: item.index,
    origin: originDetails(item.origin, a),
    readable: true as const,
    subject: {
      dn: dnText(f.subject, (attr) => markedValue(a, attr)),
      commonName: subjectValue('CN'),
      givenName: subjectValue('GN'),
      surname: subjectValue('SN'),
      serialNumber: subjectValue('serialNumber'),
      organization: subjectValue('O'),
      organizationalUnit: subjectValue('OU'),
      country: subjectValue('C'),
      emails: f.emails.map((e) => (isKnownAuthority(a) ? e : personal(e, 'email'))),
    },
    issuer: {
      dn: dnText(f.issuer, (attr) => markedIssuerValue(a, attr)),
      commonName: issuerValue('CN'),
      organization: issuerValue('O'),
      country: issuerValue('C'),
    },
    serialNumber: f.serialNumber,
    notBefore: f.notBefore,
    notAfter: f.notAfter,
    validity: a.validity,
    daysLeft: a.daysLeft,
    daysUntilValid: a.daysUntilValid,
    key: f.key,
    signatureAlgorithm: f.signatureAlgorithm,
    keyUsage: f.keyUsage ?? null,
    extendedKeyUsage: f.extendedKeyUsage?.map((oid) => ({ oid, name: EKU_NAMES[oid] })) ?? null,
    policies: f.policies.map((oid) => ({ oid, name: POLICY_NAMES[oid] })),
    sha256: f.sha256,
    sizeBytes: f.sizeBytes,
    family: a.family,
    test: a.test,
    testMarker: a.testMarker ?? null,
    issuedFor: a.issuedFor,
    reserveCard: a.reserveCard,
    role: a.role,
    selfSigned: a.selfSigned,
    purposes: a.purposes,
    identity: a.identity,
    anomalies: a.anomalies,
  };
}

export function cardDetails(card: CardSummary): CardDetails {
  return {
    reader: card.reader,
    atr: card.atr,
    tokenSerial: card.tokenSerial ? personal(card.tokenSerial, 'card-serial') : undefined,
    tokenLabel: card.tokenLabel,
    manufacturer: card.manufacturer,
    certificateCount: card.certificateCount,
    apduCount: card.apduCount,
  };
}
