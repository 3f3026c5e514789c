import { msg, type Localized } from '../i18n/index.js';
import type { ProbeOutcome } from '../model.js';
import { adviceOf } from './advice.js';
import type { CertificateAnalysis } from './analyse.js';
import { ago, certificateKind, certificateLine, dateOf, days, familyName, holderName, problemText, whereText, type LineContext } from './describe.js';
import { cardDetails, certificateDetails, type CardCertDetails } from './details.js';
import { certificateListing } from './listing.js';
import { attributeValue } from './facts.js';
import type { CertificateSet } from './inputs.js';
import { analyseSet, isAnalysed, judge, type AnalysedCertificate, type JudgedCertificate, type Verdict } from './judge.js';

export type { CardCertDetails } from './details.js';

export interface OutcomeContext {
  readonly now: Date;
  readonly expiryWarnDays: number;
  /** The clock check ran and found the computer's clock wrong: every date here is judged against it. */
  readonly clockLooksWrong: boolean;
  /** `siths-doctor cert`: every fact of every certificate in the notes, not one line each. */
  readonly listing: boolean;
}

/** Judge a set of certificates (one card's, or the files given) into the card-cert outcome. */
export function certificateOutcome(set: CertificateSet, ctx: OutcomeContext): ProbeOutcome<CardCertDetails> {
  const items = analyseSet(set, ctx.now);
  const verdict = judge(items, ctx);
  const lines: LineContext = {
    expiryWarnDays: ctx.expiryWarnDays,
    severalReaders: new Set(items.flatMap((i) => (i.origin.kind === 'card' ? [i.origin.reader] : []))).size > 1,
  };
  const advice = adviceOf(verdict, items, set.source, ctx.clockLooksWrong);
  return {
    status: verdict.status,
    summary: summaryOf(verdict, items, set.source, lines),
    ...(advice ? { advice } : {}),
    notes: ctx.listing ? items.flatMap((i) => certificateListing(i, lines)) : items.map((i) => certificateLine(i, lines)),
    details: {
      source: set.source,
      checkedAt: ctx.now,
      expiryWarnDays: ctx.expiryWarnDays,
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
  if (verdict.reasons[0] === 'not-siths') return cat(notSithsSummary(d, source), ...extraSentences(verdict, items, lines));
  if (verdict.reasons[0] === 'function-certificate') return cat(functionSummary(d), ...extraSentences(verdict, items, lines));
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

/** "CN “X”, O “Y”": who issued a certificate, in the words on it. */
function issuerText(a: CertificateAnalysis): string {
  const cn = attributeValue(a.facts.issuer, 'CN');
  const o = attributeValue(a.facts.issuer, 'O');
  if (cn && o && !cn.includes(o)) return `${cn}, ${o}`;
  return cn ?? o ?? '?';
}

/** Not a SITHS card: say where its certificates come from, in words a card holder understands. */
function notSithsSummary(a: CertificateAnalysis, source: CertificateSet['source']): Localized {
  const issuer = issuerText(a);
  return source === 'card'
    ? msg(
        `Det här är inget SITHS- eller Efos-kort: certifikaten på det kommer från ”${issuer}”. Det är troligen ett annat kort ur plånboken (id-kort, bankkort eller liknande).`,
        `This is not a SITHS or Efos card: its certificates come from “${issuer}”. It is most likely another card from the wallet (an ID card, bank card or the like).`,
      )
    : msg(
        `Certifikatet kommer inte från SITHS eller Efos utan från ”${issuer}” och kan inte användas för SITHS-inloggning.`,
        `The certificate is not from SITHS or Efos but from “${issuer}”, and cannot be used for a SITHS login.`,
      );
}

/** A function (system, server) certificate: what it is, and that no person can log in with it. */
function functionSummary(a: CertificateAnalysis): Localized {
  const issuer = attributeValue(a.facts.issuer, 'CN') ?? '?';
  const loud = a.test ? msg('TESTCERTIFIKAT: ', 'TEST CERTIFICATE: ') : msg('', '');
  return msg(
    `${loud.sv}Det här är ett funktionscertifikat (för ett system eller en server, utfärdat av ”${issuer}”), inte en persons certifikat: det går inte att logga in som person med det.`,
    `${loud.en}This is a function certificate (for a system or server, issued by “${issuer}”), not a person's certificate: it cannot be used to log in as a person.`,
  );
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
  for (const reason of verdict.reasons) {
    switch (reason) {
      case 'reserve-card':
        out.push(msg(' Det är ett reservkort (nivå 2).', ' It is a reserve card (level 2) certificate.'));
        break;
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

