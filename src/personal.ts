import { msg, pick, type Lang, type Localized } from './i18n/index.js';

/**
 * Personal data (names, personal numbers, HSA-ids, card serial numbers) is
 * marked where a probe produces it and redacted in one place, `redactText`,
 * which every renderer goes through. A marked value travels inside ordinary
 * strings between private-use characters, so it survives being put into
 * summaries, notes and details without any probe having to care.
 */
export type PersonalKind = 'name' | 'personal-number' | 'hsa-id' | 'card-serial' | 'email' | 'other';

const START = '\uE000';
const SEP = '\uE001';
const END = '\uE002';
const MARKED = /\uE000([a-z-]+)\uE001([^\uE000-\uE002]*)\uE002/g;

export function personal(value: string, kind: PersonalKind): string {
  // Strip our own markers from the value so a hostile certificate cannot forge one.
  return START + kind + SEP + value.replace(/[\uE000-\uE002]/g, '') + END;
}

const PLACEHOLDER: Record<Exclude<PersonalKind, 'hsa-id'>, Localized> = {
  name: msg('[namn dolt]', '[name hidden]'),
  'personal-number': msg('[personnummer dolt]', '[personal number hidden]'),
  'card-serial': msg('[kortnummer dolt]', '[card number hidden]'),
  email: msg('[e-post dold]', '[e-mail hidden]'),
  other: msg('[dolt]', '[hidden]'),
};

/** Keeps the organisation part of an HSA-id (it says which region), hides the person's part. */
function redactHsaId(value: string, lang: Lang): string {
  const m = /^(SE\d{10})-/i.exec(value);
  return m ? `${m[1]}-****` : pick(PLACEHOLDER.other, lang);
}

function placeholder(kind: string, value: string, lang: Lang): string {
  if (kind === 'hsa-id') return redactHsaId(value, lang);
  return pick(PLACEHOLDER[kind as keyof typeof PLACEHOLDER] ?? PLACEHOLDER.other, lang);
}

/**
 * HSA-ids, as the subject serialNumber of SITHS certificates carries them:
 *  - a person or unit: the organisation's number after "SE" (ten digits), a dash and the
 *    person's part: "SE2321000016-xxxx" [DESIGN.md, medium];
 *  - test and service ids seen in public Inera-related code: "TSTNMT2321000156-1019" (test
 *    organisation "Nordic MedTest", issuer "SITHS Type 1 CA v1 PP"), "HSATEST2-DGQ",
 *    "T-SERVICES-SE165565594230-1110", "HSASERVICES-100S" [DESIGN.md, high; webcert].
 * Certificate analysis (src/x509) and the safety net below use this one definition.
 */
const HSA_ID_FORMS = String.raw`(?:SE\d{10}|TSTNMT\d{10}|HSATEST\d*|HSASERVICES|T-SERVICES-SE\d{10,12})-[A-Za-z0-9]{1,20}`;
/** One whole HSA-id, of any form. */
export const HSA_ID = new RegExp(`^${HSA_ID_FORMS}$`, 'i');

/** True when the text is one HSA-id, of any form. */
export function isHsaId(text: string): boolean {
  return HSA_ID.test(text.trim());
}

// Safety net for values a probe forgot to mark, and for strings no probe can mark: file names, URLs.
// Bounded by anything but a letter or digit, so `anna-197001011233-auth.pem` and `x_SE…_y` are caught too.
const HSA_ID_IN_TEXT = new RegExp(`(?<![A-Za-z0-9])${HSA_ID_FORMS}(?![A-Za-z0-9])`, 'gi');
const PERSONAL_NUMBER = /(?<!\d)((?:19|20)?\d{6})([-+]?)(\d{4})(?!\d)/g;
// The user part of a URL (https://user:password@host): a password is never shown, the user only on request.
const URL_USER = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s@:]*)(?::[^/\s@]*)?@/gi;

/** Redact (or, with show=true, unmark) every personal value in one string. */
export function redactText(text: string, show: boolean, lang: Lang): string {
  const unmarked = text
    .replace(MARKED, (_all, kind: string, value: string) => (show ? value : placeholder(kind, value, lang)))
    // An already masked user part (`***@`, as the proxy check shows one) is left as it is.
    .replace(URL_USER, (all, scheme: string, user: string) =>
      /^\*+@$/.test(all.slice(scheme.length)) ? all : `${scheme}${show ? user : user ? '****' : ''}${all.includes(':', scheme.length) ? ':****' : ''}@`,
    );
  if (show) return unmarked;
  return unmarked
    .replace(HSA_ID_IN_TEXT, (value) => redactHsaId(value, lang))
    .replace(PERSONAL_NUMBER, (all, date: string, _sep: string, last: string) =>
      looksLikePersonalNumber(date, last) ? pick(PLACEHOLDER['personal-number'], lang) : all,
    );
}

/** Date part plausible and the Luhn check digit right: how a Swedish personal number is built. */
function looksLikePersonalNumber(date: string, last4: string): boolean {
  const yymmdd = date.slice(-6);
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  // Day + 60 is a coordination number (samordningsnummer).
  const validDay = (day >= 1 && day <= 31) || (day >= 61 && day <= 91);
  if (month < 1 || month > 12 || !validDay) return false;
  const digits = yymmdd + last4;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Apply redactText to every string in a JSON-like value, keys included. */
export function redactDeep<T>(value: T, show: boolean, lang: Lang): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, show, lang);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [redactText(k, show, lang), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
