import { joinLocalized, msg, same, type Localized } from '../i18n/index.js';
import { personal, type PersonalKind } from '../personal.js';
import type { CertificateAnalysis, Purpose } from './analyse.js';
import { attributeValue, type NameAttribute } from './facts.js';
import type { CertificateOrigin } from './inputs.js';
import { isAnalysed, type JudgedCertificate, type UnreadableCertificate } from './judge.js';
import type { Family } from './known-cas.js';

/** Words and lines describing one certificate, in both languages, personal parts marked. */

export function dateOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function timeOf(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function days(n: number): Localized {
  return msg(`${n} ${n === 1 ? 'dag' : 'dagar'}`, `${n} ${n === 1 ? 'day' : 'days'}`);
}

/** "20 days ago". */
export function ago(n: number): Localized {
  return msg(`för ${days(n).sv} sedan`, `${days(n).en} ago`);
}

const FAMILY_NAMES: Record<Family, Localized> = {
  'siths-e-id': same('SITHS e-id'),
  'siths-legacy': msg('äldre SITHS', 'older SITHS'),
  efos: same('Efos'),
  telia: same('Telia'),
  other: msg('okänd utfärdare', 'unknown issuer'),
};

/**
 * "SITHS e-id", "TEST SITHS e-id", "TEST SITHS e-id (PP)": a test hierarchy is always
 * named loudly with TEST first, and with the CA names' own marker (PP, SAT, SYSTEMTEST) after.
 */
export function familyName(a: CertificateAnalysis): Localized {
  const name = FAMILY_NAMES[a.family];
  if (!a.test) return name;
  const marker = a.testMarker && a.testMarker !== 'TEST' ? ` (${a.testMarker})` : '';
  return msg(`TEST ${name.sv}${marker}`, `TEST ${name.en}${marker}`);
}

const PURPOSE_WORDS: Record<Purpose, Localized> = {
  authentication: msg('legitimering', 'authentication'),
  signature: msg('underskrift', 'signature'),
  encryption: msg('kryptering', 'encryption'),
};

/** "authentication certificate", "CA certificate", ...; English plural for n > 1 (Swedish "certifikat" is both). */
export function certificateKind(a: CertificateAnalysis, n = 1): Localized {
  const certificate = n === 1 ? 'certificate' : 'certificates';
  if (a.role === 'ca') return a.selfSigned ? msg('rotcertifikat (CA)', `root CA ${certificate}`) : msg('CA-certifikat', `CA ${certificate}`);
  if (a.purposes.length === 0) return msg('certifikat utan känt användningsområde', `${certificate} with no known purpose`);
  const words = joinLocalized(
    a.purposes.map((p) => PURPOSE_WORDS[p]),
    msg(' och ', ' and '),
  );
  // Swedish compounds: "legitimeringscertifikat", "legitimerings- och underskriftscertifikat".
  const sv = a.purposes.map((p, i) => PURPOSE_WORDS[p].sv + (i < a.purposes.length - 1 ? 's-' : 'scertifikat')).join(' och ');
  return msg(sv, `${words.en} ${certificate}`);
}

export function identityWords(a: CertificateAnalysis): Localized | undefined {
  switch (a.identity) {
    case 'hsa-id':
      return msg('HSA-id', 'HSA-id based');
    case 'personal-number':
      return msg('personnummer', 'personal-number based');
    default:
      return undefined;
  }
}

/** The holder's name, marked personal; undefined for CA certificates and names without a CN. */
export function holderName(a: CertificateAnalysis): string | undefined {
  if (isKnownAuthority(a)) return undefined;
  const cn = attributeValue(a.facts.subject, 'CN');
  return cn ? personal(cn, 'name') : undefined;
}

/** The subject serialNumber (HSA-id or personal number), marked personal. */
export function identityValue(a: CertificateAnalysis): string | undefined {
  const serial = attributeValue(a.facts.subject, 'serialNumber');
  if (!serial || isKnownAuthority(a)) return undefined;
  return personal(serial, serialKind(a));
}

function serialKind(a: CertificateAnalysis): PersonalKind {
  return a.identity === 'hsa-id' ? 'hsa-id' : a.identity === 'personal-number' ? 'personal-number' : 'other';
}

const NAME_PARTS = new Set(['CN', 'SN', 'GN', 'pseudonym', 'initials', 'UID']);

/**
 * Names shown as they are: those of a known certificate authority (SITHS,
 * Efos, Telia). Everything else a certificate says is personal until shown
 * otherwise: a self-signed certificate may carry a person's name as its
 * subject and issuer, and any attribute (description, L, an unknown OID) may
 * hold a name or a personal number.
 */
export function isKnownAuthority(a: CertificateAnalysis): boolean {
  return a.role === 'ca' && a.family !== 'other';
}

/**
 * The attributes of a person's name that do not identify them: the country, and
 * the organisation (a region, an agency) when a known CA vouches for it; under
 * an unknown issuer the organisation may be the person's own company.
 */
const SAFE_PARTS = new Set(['C']);
const SAFE_UNDER_KNOWN_CA = new Set(['C', 'O']);
const isSafePart = (a: CertificateAnalysis, attr: NameAttribute): boolean =>
  (a.family === 'other' ? SAFE_PARTS : SAFE_UNDER_KNOWN_CA).has(attr.label);

function kindOf(a: CertificateAnalysis, attr: NameAttribute): PersonalKind {
  if (NAME_PARTS.has(attr.label)) return 'name';
  if (attr.label === 'serialNumber') return serialKind(a);
  if (attr.label === 'emailAddress') return 'email';
  return 'other';
}

/** A subject attribute with its personal parts marked: everything but the country, unless a known CA's. */
export function markedValue(a: CertificateAnalysis, attr: NameAttribute): string {
  if (isKnownAuthority(a) || isSafePart(a, attr)) return attr.value;
  return personal(attr.value, kindOf(a, attr));
}

/** An issuer attribute: shown when the issuer is a known CA, marked otherwise (a self-signed certificate is its own issuer). */
export function markedIssuerValue(a: CertificateAnalysis, attr: NameAttribute): string {
  if (a.family !== 'other' || isSafePart(a, attr)) return attr.value;
  return personal(attr.value, NAME_PARTS.has(attr.label) ? 'name' : 'other');
}

/** "CN=…, serialNumber=…, O=…, C=SE": most specific first, as certificate viewers show it. */
export function dnText(name: readonly NameAttribute[], value: (attr: NameAttribute) => string = (a) => a.value): string {
  return [...name]
    .reverse()
    .map((attr) => `${attr.label}=${value(attr)}`)
    .join(', ');
}

/** Card labels may carry the holder's name: mark those parts, in one pass so a part is never marked twice. */
export function markedLabel(label: string, a: CertificateAnalysis | undefined): string {
  if (!a || isKnownAuthority(a)) return label;
  const parts = a.facts.subject
    .filter((attr) => NAME_PARTS.has(attr.label) || attr.label === 'serialNumber')
    .map((attr) => attr.value)
    .filter((p) => p.length >= 2)
    .sort((x, y) => y.length - x.length);
  if (parts.length === 0) return label;
  const pattern = new RegExp(parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return label.replace(pattern, (part) => personal(part, 'name'));
}

export function whereText(origin: CertificateOrigin, a: CertificateAnalysis | undefined, severalReaders: boolean): Localized {
  if (origin.kind === 'file') return same(origin.position ? `${origin.file} #${origin.position}` : origin.file);
  const name = origin.label ? `”${markedLabel(origin.label, a)}”` : origin.path;
  const named = msg(name, name.replace(/^”(.*)”$/, '“$1”'));
  return severalReaders ? msg(`${origin.reader}: ${named.sv}`, `${origin.reader}: ${named.en}`) : named;
}

export function problemText(item: UnreadableCertificate): Localized {
  switch (item.problem) {
    case 'empty':
    case 'empty-file':
      return msg('tom, inga byte alls', 'empty, no bytes at all');
    case 'too-large':
      return msg(
        `för stor för att vara ett kortcertifikat (${item.sizeBytes ?? '?'} byte)`,
        `too large to be a card certificate (${item.sizeBytes ?? '?'} bytes)`,
      );
    case 'file-too-large':
      return msg(`för stor för att vara en certifikatfil (${item.error})`, `too large to be a certificate file (${item.error})`);
    case 'truncated':
      return msg(
        `avkortat certifikat: ${item.sizeBytes ?? '?'} av ${item.declaredBytes ?? '?'} byte`,
        `a cut-short certificate: ${item.sizeBytes ?? '?'} of ${item.declaredBytes ?? '?'} bytes`,
      );
    case 'trailing-data':
      return msg('ett certifikat med skräp efter', 'a certificate followed by garbage');
    case 'not-a-certificate':
      return msg('inte ett certifikat (eller ett skadat)', 'not a certificate (or a damaged one)');
    case 'bad-dates':
      return msg('giltighetstiden går inte ihop (slutar före den börjar, eller går inte att läsa)', 'its validity makes no sense (ends before it begins, or cannot be read)');
    case 'unreadable-file':
      return msg(`går inte att läsa (${item.error})`, `cannot be read (${item.error})`);
    case 'no-certificate':
      return msg(`inget certifikat, bara ${item.error}`, `no certificate, only ${item.error}`);
    case 'bad-pem':
      return msg(`skadad PEM-text: ${item.error}`, `damaged PEM text: ${item.error}`);
    case 'bad-pkcs7':
      return msg('skadad PKCS#7-fil (.p7b)', 'a damaged PKCS#7 file (.p7b)');
    case 'pkcs12':
      return msg('en PKCS#12-fil (.pfx/.p12) med privat nyckel, inte ett certifikat', 'a PKCS#12 file (.pfx/.p12) with a private key, not a certificate');
    case 'too-many-certificates':
      return msg(`för många certifikat (${item.error})`, `too many certificates (${item.error})`);
  }
}

export type Mark = '[✓]' | '[!]' | '[✗]' | '[-]';

/** How one certificate stands on its own, for its line. */
export function markOf(item: JudgedCertificate, ctx: LineContext): Mark {
  if (!isAnalysed(item)) return '[✗]';
  const a = item.analysis;
  if (a.validity !== 'valid') return '[✗]';
  if (a.role === 'ca') return '[-]';
  if (a.anomalies.length > 0 || a.daysLeft <= ctx.expiryWarnDays || a.family === 'other' || a.issuedFor === 'function') return '[!]';
  return '[✓]';
}

export function validityWords(a: CertificateAnalysis): Localized {
  const until = dateOf(a.facts.notAfter);
  switch (a.validity) {
    case 'valid':
      return msg(`gäller till ${until} (${days(a.daysLeft).sv} kvar)`, `valid until ${until} (${days(a.daysLeft).en} left)`);
    case 'expired':
      return a.daysLeft === 0
        ? msg(`gick ut i dag, ${until}`, `expired today, ${until}`)
        : msg(`gick ut ${until} (${ago(-a.daysLeft).sv})`, `expired on ${until} (${ago(-a.daysLeft).en})`);
    case 'not-yet-valid': {
      const from = dateOf(a.facts.notBefore);
      return msg(`gäller först från ${from} (om ${days(a.daysUntilValid).sv})`, `not valid until ${from} (in ${days(a.daysUntilValid).en})`);
    }
  }
}

export interface LineContext {
  readonly expiryWarnDays: number;
  readonly severalReaders: boolean;
}

/** One line per certificate: how it stands, where it is, what it is for, whose it is, until when. */
export function certificateLine(item: JudgedCertificate, ctx: LineContext): Localized {
  const mark = markOf(item, ctx);
  if (!isAnalysed(item)) {
    const where = whereText(item.origin, undefined, ctx.severalReaders);
    const what = problemText(item);
    return msg(`${mark} ${where.sv}: ${what.sv}`, `${mark} ${where.en}: ${what.en}`);
  }
  const a = item.analysis;
  const where = whereText(item.origin, a, ctx.severalReaders);
  const parts: Localized[] = [certificateKind(a)];
  const identity = identityWords(a);
  if (identity) parts.push(identity);
  if (a.reserveCard) parts.push(msg('reservkort (nivå 2)', 'reserve card (level 2)'));
  if (a.role === 'end-entity' && a.issuedFor === 'function') parts.push(msg('funktionscertifikat (system, inte person)', 'function certificate (a system, not a person)'));
  parts.push(familyName(a));
  if (isKnownAuthority(a)) parts.push(same(`“${attributeValue(a.facts.subject, 'CN') ?? dnText(a.facts.subject)}”`));
  const holder = [holderName(a), identityValue(a)].filter((x): x is string => x !== undefined);
  if (holder.length > 0) parts.push(same(holder.join(', ')));
  parts.push(validityWords(a));
  const body = joinLocalized(parts, ', ');
  return msg(`${mark} ${where.sv}: ${body.sv}`, `${mark} ${where.en}: ${body.en}`);
}
