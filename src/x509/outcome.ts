import { msg, type Localized } from '../i18n/index.js';
import type { ProbeOutcome } from '../model.js';
import { personal } from '../personal.js';
import type { CertificateAnalysis } from './analyse.js';
import {
  certificateKind,
  ago,
  certificateLine,
  certificateListing,
  dateOf,
  days,
  dnText,
  familyName,
  holderName,
  markedLabel,
  markedValue,
  whereText,
  problemText,
  type LineContext,
} from './describe.js';
import { attributeValue } from './facts.js';
import type { CardSummary, CertificateOrigin, CertificateSet } from './inputs.js';
import { analyseSet, isAnalysed, judge, type AnalysedCertificate, type JudgedCertificate, type Reason, type UnreadableCertificate, type Verdict } from './judge.js';
import { EKU_NAMES, POLICY_NAMES } from './known-cas.js';

export interface OutcomeContext {
  readonly now: Date;
  readonly expiryWarnDays: number;
  readonly allowTestPki: boolean;
  /** The clock check ran and found the computer's clock wrong: every date here is judged against it. */
  readonly clockLooksWrong: boolean;
  /** `siths-doctor cert`: every fact of every certificate in the notes, not one line each. */
  readonly listing: boolean;
}

/** details of the card-cert check; the keys are documented in the README and kept stable. */
export interface CardCertDetails {
  readonly source: CertificateSet['source'];
  readonly checkedAt: Date;
  readonly expiryWarnDays: number;
  readonly allowTestPki: boolean;
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
      readonly parser: CertificateAnalysis['facts']['parser'];
      readonly family: CertificateAnalysis['family'];
      readonly test: boolean;
      readonly reserveCard: boolean;
      readonly role: CertificateAnalysis['role'];
      readonly selfSigned: boolean;
      readonly purposes: CertificateAnalysis['purposes'];
      readonly identity: CertificateAnalysis['identity'];
      readonly anomalies: CertificateAnalysis['anomalies'];
    };

export interface CardDetails {
  readonly reader: string;
  readonly atr: string;
  readonly tokenSerial?: string;
  readonly tokenLabel?: string;
  readonly manufacturer?: string;
  readonly certificateCount: number;
  readonly apduCount: number;
}

/** Judge a set of certificates (one card's, or the files given) into the card-cert outcome. */
export function certificateOutcome(set: CertificateSet, ctx: OutcomeContext): ProbeOutcome<CardCertDetails> {
  const items = analyseSet(set, ctx.now);
  const verdict = judge(items, ctx);
  const lines: LineContext = {
    expiryWarnDays: ctx.expiryWarnDays,
    allowTestPki: ctx.allowTestPki,
    severalReaders: new Set(items.flatMap((i) => (i.origin.kind === 'card' ? [i.origin.reader] : []))).size > 1,
  };
  const advice = adviceOf(verdict, items, set.source, ctx);
  return {
    status: verdict.status,
    summary: summaryOf(verdict, items, set.source, lines),
    ...(advice ? { advice } : {}),
    notes: ctx.listing ? items.flatMap((i) => certificateListing(i, lines)) : items.map((i) => certificateLine(i, lines)),
    details: {
      source: set.source,
      checkedAt: ctx.now,
      expiryWarnDays: ctx.expiryWarnDays,
      allowTestPki: ctx.allowTestPki,
      reasons: verdict.reasons,
      decidingCertificate: verdict.deciding?.index ?? null,
      fallbackToPersonalNumber: verdict.fallbackToPersonalNumber,
      certificates: items.map(certificateDetails),
      ...(set.cards ? { cards: set.cards.map(cardDetails) } : {}),
    },
  };
}

function cat(...parts: readonly (Localized | undefined)[]): Localized {
  const present = parts.filter((p): p is Localized => p !== undefined);
  return msg(present.map((p) => p.sv).join(''), present.map((p) => p.en).join(''));
}

/** "The HSA-id based authentication certificate of NAME (SITHS e-id)". */
function decidingPhrase(a: CertificateAnalysis): Localized {
  const name = holderName(a);
  const family = familyName(a);
  const sv = `Legitimeringscertifikatet${a.identity === 'hsa-id' ? ' med HSA-id' : a.identity === 'personal-number' ? ' med personnummer' : ''}${name ? ` för ${name}` : ''} (${family.sv})`;
  const kind = a.identity === 'hsa-id' ? 'HSA-id based ' : a.identity === 'personal-number' ? 'personal-number based ' : '';
  const en = `The ${kind}authentication certificate${name ? ` of ${name}` : ''} (${family.en})`;
  return msg(sv, en);
}

function summaryOf(verdict: Verdict, items: readonly JudgedCertificate[], source: CertificateSet['source'], lines: LineContext): Localized {
  const d = verdict.deciding?.analysis;
  if (!d) return cat(missingSummary(items, source, lines), ...extraSentences(verdict, items, lines));
  const phrase = decidingPhrase(d);
  const until = dateOf(d.facts.notAfter);
  let main: Localized;
  if (d.validity === 'expired') {
    main =
      d.daysLeft === 0
        ? msg(`${phrase.sv} gick ut i dag, ${until}.`, `${phrase.en} expired today, ${until}.`)
        : msg(`${phrase.sv} gick ut ${until}, ${ago(-d.daysLeft).sv}.`, `${phrase.en} expired on ${until}, ${ago(-d.daysLeft).en}.`);
  } else if (d.validity === 'not-yet-valid') {
    const from = dateOf(d.facts.notBefore);
    const n = days(d.daysUntilValid);
    main = msg(
      `${phrase.sv} gäller först från ${from}, om ${n.sv}: antingen är det helt nytt, eller så går datorns klocka fel.`,
      `${phrase.en} is not valid until ${from}, in ${n.en}: either it is brand new, or this computer's clock is wrong.`,
    );
  } else if (verdict.reasons.includes('expiring')) {
    main = msg(`${phrase.sv} går ut ${until}, om ${days(d.daysLeft).sv}.`, `${phrase.en} expires on ${until}, in ${days(d.daysLeft).en}.`);
  } else {
    main = msg(`${phrase.sv} gäller till ${until}, ${days(d.daysLeft).sv} kvar.`, `${phrase.en} is valid until ${until}, ${days(d.daysLeft).en} left.`);
  }
  const fallback = !verdict.fallbackToPersonalNumber
    ? undefined
    : source === 'card'
      ? msg(' Det finns inget legitimeringscertifikat med HSA-id på kortet.', ' There is no HSA-id based authentication certificate on the card.')
      : msg(' Det finns inget legitimeringscertifikat med HSA-id.', ' There is no HSA-id based authentication certificate.');
  const loud = d.test ? msg('TESTCERTIFIKAT: ', 'TEST CERTIFICATE: ') : undefined;
  return cat(loud, main, fallback, ...extraSentences(verdict, items, lines));
}

function missingSummary(items: readonly JudgedCertificate[], source: CertificateSet['source'], lines: LineContext): Localized {
  if (items.length === 0) {
    return source === 'card' ? msg('Det finns inga certifikat på kortet.', 'There are no certificates on the card.') : msg('Inga certifikat hittades.', 'No certificates were found.');
  }
  const analysed = items.filter(isAnalysed);
  if (analysed.length === 0) {
    const first = items[0]!;
    const where = whereText(first.origin, undefined, lines.severalReaders);
    const what = problemText(first as Exclude<JudgedCertificate, AnalysedCertificate>);
    const more = items.length > 1 ? msg(` (och ${items.length - 1} till)`, ` (and ${items.length - 1} more)`) : msg('', '');
    return msg(`Inget certifikat gick att läsa. ${where.sv}: ${what.sv}${more.sv}.`, `No certificate could be read. ${where.en}: ${what.en}${more.en}.`);
  }
  // Count what there is instead: "1 signature certificate and 2 CA certificates".
  const counts = new Map<string, { example: CertificateAnalysis; n: number }>();
  for (const c of analysed) {
    const key = certificateKind(c.analysis).en;
    const entry = counts.get(key) ?? { example: c.analysis, n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  const list = [...counts.values()].map((e) => ({ n: e.n, kind: certificateKind(e.example, e.n) }));
  const sv = list.map((e) => `${e.n} ${e.kind.sv}`).join(', ');
  const en = list.map((e) => `${e.n} ${e.kind.en}`).join(', ');
  return msg(`Inget legitimeringscertifikat, bara ${sv}.`, `No authentication certificate, only ${en}.`);
}

/** One short sentence for each warning that is not already in the main sentence. */
function extraSentences(verdict: Verdict, items: readonly JudgedCertificate[], lines: LineContext): Localized[] {
  const out: Localized[] = [];
  const d = verdict.deciding?.analysis;
  for (const reason of verdict.reasons) {
    switch (reason) {
      case 'reserve-card':
        out.push(msg(' Det är ett reservkort (nivå 2).', ' It is a reserve card (level 2) certificate.'));
        break;
      case 'unknown-issuer': {
        const issuer = (d && attributeValue(d.facts.issuer, 'CN')) ?? '?';
        out.push(msg(` Utfärdaren, ”${issuer}”, är varken SITHS, Efos eller Telia.`, ` Its issuer, “${issuer}”, is not SITHS, Efos or Telia.`));
        break;
      }
      case 'implausible-certificate': {
        const odd = items.filter((i): i is AnalysedCertificate => isAnalysed(i) && i.analysis.anomalies.length > 0);
        const where = listOfPlaces(odd, lines);
        out.push(msg(` Ser inte ut som ett kortcertifikat: ${where.sv}.`, ` Does not look like a card certificate: ${where.en}.`));
        break;
      }
      case 'unreadable-certificates': {
        if (!items.some(isAnalysed)) break; // the main sentence already says so
        const bad = items.filter((i) => !isAnalysed(i));
        const where = listOfPlaces(bad, lines);
        out.push(msg(` Gick inte att läsa: ${where.sv}.`, ` Could not be read: ${where.en}.`));
        break;
      }
    }
  }
  return out;
}

function listOfPlaces(items: readonly JudgedCertificate[], lines: LineContext): Localized {
  const shown = items.slice(0, 3).map((i) => whereText(i.origin, isAnalysed(i) ? i.analysis : undefined, lines.severalReaders));
  const more = items.length > 3 ? msg(` och ${items.length - 3} till`, ` and ${items.length - 3} more`) : msg('', '');
  return msg(shown.map((s) => s.sv).join(', ') + more.sv, shown.map((s) => s.en).join(', ') + more.en);
}

const ORDER_NEW_CARD = msg(
  'Beställ ett nytt kort hos din organisations kortadministratör (ofta kallad SITHS-administratör eller korttillverkningen); ta med giltig legitimation.',
  'Order a new card from your organisation\'s card administrator (often called the SITHS administrator, or card production: "korttillverkning"); bring valid ID.',
);

function adviceOf(verdict: Verdict, items: readonly JudgedCertificate[], source: CertificateSet['source'], ctx: OutcomeContext): Localized | undefined {
  const sentences: Localized[] = [];
  if (ctx.clockLooksWrong) {
    sentences.push(
      msg(
        'Kontrollen ”clock” visar att datorns klocka går fel: rätta den först, eftersom certifikatens datum bedöms mot den.',
        'The "clock" check found this computer\'s clock wrong: correct it first, since the certificate dates are judged against it.',
      ),
    );
  }
  const d = verdict.deciding?.analysis;
  for (const reason of verdict.reasons) {
    switch (reason) {
      case 'expired':
        sentences.push(msg('Kortet kan inte längre användas för att logga in.', 'The card can no longer be used to log in.'), ORDER_NEW_CARD);
        break;
      case 'expiring': {
        const until = d ? dateOf(d.facts.notAfter) : '';
        sentences.push(msg(`Kortet slutar fungera för inloggning ${until}.`, `The card stops working for logins on ${until}.`), ORDER_NEW_CARD);
        break;
      }
      case 'not-yet-valid': {
        const from = d ? dateOf(d.facts.notBefore) : '';
        sentences.push(
          msg(
            `Kontrollera datorns datum, klockslag och tidszon (kontrollen ”clock” visar om klockan går fel). Stämmer klockan är certifikatet nytt och fungerar från ${from}.`,
            `Check this computer's date, time and time zone (the "clock" check shows whether the clock is wrong). If the clock is right, the certificate is new and works from ${from}.`,
          ),
        );
        break;
      }
      case 'no-authentication-certificate':
        sentences.push(
          source === 'card'
            ? msg(
                'Kortet saknar legitimeringscertifikat och kan inte användas för att logga in. Kontrollera att det är rätt kort i läsaren (ditt SITHS- eller Efos-kort).',
                'The card has no authentication certificate and cannot be used to log in. Check that the right card is in the reader (your SITHS or Efos card).',
              )
            : msg(
                'Inget av certifikaten kan användas för att logga in. Exportera legitimeringscertifikatet (inte underskriftscertifikatet) från kortet och kör igen.',
                'None of these certificates can be used to log in. Export the authentication certificate (not the signature certificate) from the card and run again.',
              ),
        );
        if (source === 'card' && items.some(isAnalysed)) sentences.push(ORDER_NEW_CARD);
        break;
      case 'reserve-card':
        sentences.push(
          msg(
            'Reservkort (nivå 2) är tänkta som en tillfällig lösning och godtas inte av alla e-tjänster. Använd ditt ordinarie SITHS-kort, eller beställ ett nytt hos kortadministratören.',
            'Reserve cards (level 2) are a temporary solution and not every e-service accepts them. Use your ordinary SITHS card, or order a new one from the card administrator.',
          ),
        );
        break;
      case 'test-hierarchy':
        sentences.push(
          msg(
            'Det här är ett testcertifikat, som inte fungerar i riktiga e-tjänster. Använd ditt riktiga kort. (Testar du med flit: lägg till --allow-test-pki.)',
            'This is a TEST certificate, which does not work with real e-services. Use your real card. (Testing on purpose? Add --allow-test-pki.)',
          ),
        );
        break;
      case 'unknown-issuer':
        sentences.push(
          msg(
            'Certifikatet kommer inte från SITHS, Efos eller Telia, så SITHS-inloggningar godtar det troligen inte. Kontrollera att det är rätt kort (eller rätt fil).',
            'The certificate is not from SITHS, Efos or Telia, so SITHS logins will most likely not accept it. Check that it is the right card (or the right file).',
          ),
        );
        break;
      case 'implausible-certificate':
        sentences.push(
          msg(
            'Ett certifikat har orimlig giltighetstid eller storlek för ett kortcertifikat. Ta reda på var det kommer ifrån innan någon litar på det.',
            'A certificate has a validity or size no card certificate has. Find out where it comes from before anyone trusts it.',
          ),
        );
        break;
      case 'unreadable-certificates':
        sentences.push(unreadableAdvice(items, source));
        break;
      case 'valid':
        break;
    }
  }
  const unique = sentences.filter((s, i) => sentences.findIndex((t) => t.en === s.en) === i);
  if (unique.length === 0) return undefined;
  return msg(unique.map((s) => s.sv).join(' '), unique.map((s) => s.en).join(' '));
}

function unreadableAdvice(items: readonly JudgedCertificate[], source: CertificateSet['source']): Localized {
  if (source === 'card') {
    return msg(
      'Ett certifikat på kortet gick inte att läsa; kortet kan vara skadat. Låt kortadministratören kontrollera det.',
      'A certificate on the card could not be read; the card may be damaged. Have the card administrator check it.',
    );
  }
  const pfx = items.some((i) => !isAnalysed(i) && i.problem === 'pkcs12');
  return msg(
    `Exportera certifikatet igen, som DER eller Base-64 (.cer), och kör igen.${pfx ? ' Skicka aldrig .pfx- eller .p12-filer: de innehåller den privata nyckeln.' : ''}`,
    `Export the certificate again, as DER or Base-64 (.cer), and run again.${pfx ? ' Never send .pfx or .p12 files: they contain the private key.' : ''}`,
  );
}

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

function certificateDetails(item: JudgedCertificate): CertificateDetails {
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
      emails: f.emails.map((e) => (a.role === 'ca' ? e : personal(e, 'email'))),
    },
    issuer: {
      dn: dnText(f.issuer),
      commonName: attributeValue(f.issuer, 'CN'),
      organization: attributeValue(f.issuer, 'O'),
      country: attributeValue(f.issuer, 'C'),
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
    parser: f.parser,
    family: a.family,
    test: a.test,
    reserveCard: a.reserveCard,
    role: a.role,
    selfSigned: a.selfSigned,
    purposes: a.purposes,
    identity: a.identity,
    anomalies: a.anomalies,
  };
}

function cardDetails(card: CardSummary): CardDetails {
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
