import { msg, same, type Localized } from '../i18n/index.js';
import { personal } from '../personal.js';
import type { CertificateAnalysis } from './analyse.js';
import { certificateLine, dnText, isKnownAuthority, markedIssuerValue, markedValue, timeOf, type LineContext } from './describe.js';
import { isAnalysed, type JudgedCertificate } from './judge.js';
import { EKU_NAMES, POLICY_NAMES } from './known-cas.js';

const LABELS = {
  subject: msg('innehavare', 'subject'),
  issuer: msg('utfärdare', 'issuer'),
  validity: msg('giltighet', 'validity'),
  key: msg('nyckel', 'key'),
  keyUsage: msg('nyckelanvändning', 'key usage'),
  extendedKeyUsage: msg('utökad användning', 'extended key usage'),
  policies: msg('policyer', 'policies'),
  email: msg('e-post', 'e-mail'),
  serial: msg('serienummer', 'serial number'),
  fingerprint: same('SHA-256'),
  card: msg('på kortet', 'on the card'),
} as const;

/** The full description of one certificate for `siths-doctor cert`: its line, then one indented line per fact. */
export function certificateListing(item: JudgedCertificate, ctx: LineContext): Localized[] {
  const head = certificateLine(item, ctx);
  if (!isAnalysed(item)) return [head];
  const a = item.analysis;
  const f = a.facts;
  const none = msg('ingen', 'none');
  const rows: [Localized, Localized][] = [
    [LABELS.subject, same(dnText(f.subject, (attr) => markedValue(a, attr)))],
    [LABELS.issuer, same(dnText(f.issuer, (attr) => markedIssuerValue(a, attr)))],
    [LABELS.validity, msg(`${timeOf(f.notBefore)} – ${timeOf(f.notAfter)}`, `${timeOf(f.notBefore)} – ${timeOf(f.notAfter)}`)],
    [LABELS.key, keyWords(a)],
    [LABELS.keyUsage, f.keyUsage ? same(f.keyUsage.join(', ') || '–') : msg('ingen begränsning', 'not restricted')],
    [LABELS.extendedKeyUsage, f.extendedKeyUsage ? same(f.extendedKeyUsage.map((o) => named(o, EKU_NAMES)).join(', ') || '–') : none],
    [LABELS.policies, f.policies.length > 0 ? same(f.policies.map((o) => named(o, POLICY_NAMES)).join(', ')) : msg('inga', 'none')],
  ];
  if (f.emails.length > 0) rows.push([LABELS.email, same(f.emails.map((e) => (isKnownAuthority(a) ? e : personal(e, 'email'))).join(', '))]);
  rows.push([LABELS.serial, same(f.serialNumber)], [LABELS.fingerprint, same(f.sha256)]);
  if (item.origin.kind === 'card') {
    const o = item.origin;
    const directory = DIRECTORY[o.directory];
    rows.push([LABELS.card, msg(`${directory.sv}, iD ${o.id || '–'}, sökväg ${o.path}`, `${directory.en}, iD ${o.id || '–'}, path ${o.path}`)]);
  }
  const width = (lang: 'sv' | 'en'): number => Math.max(...rows.map(([label]) => label[lang].length));
  // Three spaces: indented under the line in text, and still a plain list item (not code) in markdown.
  const row = (label: Localized, value: Localized): Localized =>
    msg(`   ${label.sv.padEnd(width('sv'))}  ${value.sv}`, `   ${label.en.padEnd(width('en'))}  ${value.en}`);
  return [head, ...rows.map(([label, value]) => row(label, value))];
}

/** Which PKCS#15 directory listed the certificate. */
const DIRECTORY: Record<'certificates' | 'trusted' | 'useful', Localized> = {
  certificates: msg('kortets egna certifikat', "the card's own certificates"),
  trusted: msg('betrodda certifikat', 'trusted certificates'),
  useful: msg('användbara certifikat', 'useful certificates'),
};

function keyWords(a: CertificateAnalysis): Localized {
  const k = a.facts.key;
  const size = k.bits ? msg(` ${k.bits} bitar`, ` ${k.bits} bits`) : same('');
  const curve = k.curve ? ` (${k.curve})` : '';
  return msg(`${k.type}${size.sv}${curve}, signerat med ${a.facts.signatureAlgorithm}`, `${k.type}${size.en}${curve}, signed with ${a.facts.signatureAlgorithm}`);
}

function named(oid: string, names: Readonly<Record<string, string>>): string {
  const name = names[oid];
  return name ? `${name} (${oid})` : oid;
}
