import { msg, type Localized } from './i18n/index.js';
import type { Status } from './model.js';

/**
 * A short code a caller reads aloud to the helpdesk, encoding every check's
 * outcome. Symbols are chosen to be told apart over a Swedish phone line: no
 * 0/O or 1/I, only one of the rhyming letter names (be/de/pe/te/ve, hå/kå,
 * emm/enn, eff/ess). A Luhn mod 16 check symbol catches any single misheard
 * symbol and most swapped neighbours.
 *
 * Layout: [layout symbol][outcomes in base 16, fixed width][check symbol],
 * shown in groups of three: "253-K8X-Z96". The layout symbol also says where
 * the certificates came from: symbol index = 2 × layout + (1 if --cert files).
 */
export const ALPHABET = '23456789AJKRUWXZ';

/**
 * The check ids each layout encodes, in order. The layout symbol is twice the
 * index into this list (plus one for certificate files). Never reorder or edit a released layout: append a new one
 * (and a test makes sure the last one is the current registry).
 */
export const LAYOUTS: readonly (readonly string[])[] = [
  ['pcsc-service', 'reader', 'card', 'netid', 'netid-token', 'card-cert', 'clock', 'proxy', 'idp-tls', 'test-page'],
  // 1: netid became card-software, and windows-cert-path came (issue 16).
  ['pcsc-service', 'reader', 'card', 'card-software', 'netid-token', 'card-cert', 'windows-cert-path', 'clock', 'proxy', 'idp-tls', 'test-page'],
];

/** Where `card-cert` read certificates: the card in the reader, or files given with --cert. */
export type CertificateSource = 'card' | 'files';

/** The state of each check in a code; `not-run` when the run did not include it. */
export type CodeState = Status | 'not-run';
const STATES: readonly CodeState[] = ['pass', 'warn', 'fail', 'error', 'skip', 'not-run'];
const BASE = BigInt(STATES.length);

export interface DecodedCode {
  readonly layout: number;
  readonly certificates: CertificateSource;
  readonly checks: readonly { readonly id: string; readonly state: CodeState }[];
}

export class SupportCodeError extends Error {
  constructor(readonly text: Localized) {
    super(text.en);
    this.name = 'SupportCodeError';
  }
}

function payloadWidth(checkCount: number): number {
  // Enough base-16 symbols to hold STATES.length ** checkCount values.
  return Math.max(1, Math.ceil((checkCount * Math.log(STATES.length)) / Math.log(ALPHABET.length)));
}

export function encodeSupportCode(
  outcomes: ReadonlyMap<string, Status>,
  options: { readonly layout?: number; readonly certificates?: CertificateSource } = {},
): string {
  const layout = options.layout ?? LAYOUTS.length - 1;
  const ids = LAYOUTS[layout];
  if (!ids) throw new Error(`unknown support code layout ${layout}`);
  let value = 0n;
  for (const id of ids) value = value * BASE + BigInt(STATES.indexOf(outcomes.get(id) ?? 'not-run'));
  const payload = toBase16(value, payloadWidth(ids.length));
  const body = ALPHABET[2 * layout + (options.certificates === 'files' ? 1 : 0)]! + payload;
  return group(body + checkSymbol(body));
}

/**
 * What chat, mail and word processors do to a code, undone: any dash (en,
 * em, minus, non-breaking hyphen), any space (non-breaking, narrow,
 * zero-width), quotes around it, a full stop after it, lower case.
 */
export function normalizeSupportCode(input: string): string {
  return input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\p{Pd}\u2212\u200B-\u200D\u2060\uFEFF]/gu, '')
    .replace(/^["'“”‘’«»]+|["'“”‘’«».,;:!?]+$/g, '');
}

/** The code as the report shows it: upper case, in groups of three. */
export function formatSupportCode(input: string): string {
  const code = normalizeSupportCode(input);
  return code === '' ? '' : group(code);
}

export function decodeSupportCode(input: string): DecodedCode {
  const code = normalizeSupportCode(input);
  if (code === '') throw new SupportCodeError(msg('Ange en supportkod.', 'Give a support code.'));
  const bad = [...new Set([...code].filter((c) => !ALPHABET.includes(c)))];
  if (bad.length > 0) {
    const list = bad.map((c) => `”${c}”`).join(', ');
    throw new SupportCodeError(
      msg(
        `Supportkoden kan inte innehålla ${list}. Koder består bara av ${spaced(ALPHABET)} (aldrig 0, 1, O eller I). Be personen läsa koden igen.`,
        `A support code cannot contain ${list}. Codes use only ${spaced(ALPHABET)} (never 0, 1, O or I). Ask the caller to read the code again.`,
      ),
    );
  }
  // The check symbol first: a code that does not add up was misheard, and
  // its first symbol says nothing about the version that made it.
  if (checkSymbol(code.slice(0, -1)) !== code.at(-1)) {
    const lengths = new Set(LAYOUTS.map((ids) => 2 + payloadWidth(ids.length)));
    if (!lengths.has(code.length)) throw wrongLength(Math.min(...lengths), code.length);
    throw new SupportCodeError(
      msg(
        'Supportkoden stämmer inte: något tecken har hörts eller skrivits fel. Be personen läsa koden igen, tecken för tecken.',
        'The support code does not add up: a symbol was misheard or mistyped. Ask the caller to read the code again, symbol by symbol.',
      ),
    );
  }
  const symbol = ALPHABET.indexOf(code[0]!);
  const layout = Math.floor(symbol / 2);
  const ids = LAYOUTS[layout];
  if (!ids) {
    throw new SupportCodeError(
      msg(
        'Supportkoden kommer från en nyare version av siths-doctor än den här. Uppdatera siths-doctor, eller be om JSON-rapporten.',
        'The support code comes from a newer version of siths-doctor than this one. Update siths-doctor, or ask for the JSON report.',
      ),
    );
  }
  const expected = 2 + payloadWidth(ids.length);
  if (code.length !== expected) throw wrongLength(expected, code.length);
  let value = 0n;
  for (const c of code.slice(1, -1)) value = value * 16n + BigInt(ALPHABET.indexOf(c));
  if (value >= BASE ** BigInt(ids.length)) {
    throw new SupportCodeError(msg('Supportkoden är inte giltig. Be personen läsa koden igen.', 'The support code is not valid. Ask the caller to read the code again.'));
  }
  const states: CodeState[] = [];
  for (let i = 0; i < ids.length; i++) {
    states.unshift(STATES[Number(value % BASE)]!);
    value /= BASE;
  }
  return { layout, certificates: symbol % 2 === 1 ? 'files' : 'card', checks: ids.map((id, i) => ({ id, state: states[i]! })) };
}

function wrongLength(expected: number, actual: number): SupportCodeError {
  return new SupportCodeError(
    msg(
      `Supportkoden ska ha ${expected} tecken men har ${actual}. Be personen läsa koden igen.`,
      `The support code should have ${expected} symbols but has ${actual}. Ask the caller to read the code again.`,
    ),
  );
}

function toBase16(value: bigint, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[Number(value % 16n)]! + out;
    value /= 16n;
  }
  return out;
}

/** Luhn mod N over the alphabet's indices (N = 16). Exported for tests that build codes by hand. */
export function checkSymbol(body: string): string {
  const n = ALPHABET.length;
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    let addend = factor * ALPHABET.indexOf(body[i]!);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / n) + (addend % n);
    sum += addend;
  }
  return ALPHABET[(n - (sum % n)) % n]!;
}

function group(code: string): string {
  return code.match(/.{1,3}/g)!.join('-');
}

function spaced(symbols: string): string {
  return [...symbols].join(' ');
}
