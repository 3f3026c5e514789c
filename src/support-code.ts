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
 * shown in groups of three: "2AJ-K7X-R5W".
 */
export const ALPHABET = '23456789AJKRUWXZ';

/**
 * The check ids each layout encodes, in order. The layout symbol is the index
 * into this list. Never reorder or edit a released layout: append a new one
 * (and a test makes sure the last one is the current registry).
 */
export const LAYOUTS: readonly (readonly string[])[] = [
  ['pcsc-service', 'reader', 'card', 'netid', 'netid-token', 'card-cert', 'clock', 'proxy', 'idp-tls', 'test-page'],
  // 1: netid became card-software, and windows-cert-path came (issue 16).
  ['pcsc-service', 'reader', 'card', 'card-software', 'netid-token', 'card-cert', 'windows-cert-path', 'clock', 'proxy', 'idp-tls', 'test-page'],
];

/** The state of each check in a code; `not-run` when the run did not include it. */
export type CodeState = Status | 'not-run';
const STATES: readonly CodeState[] = ['pass', 'warn', 'fail', 'error', 'skip', 'not-run'];
const BASE = BigInt(STATES.length);

export interface DecodedCode {
  readonly layout: number;
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

export function encodeSupportCode(outcomes: ReadonlyMap<string, Status>, layout = LAYOUTS.length - 1): string {
  const ids = LAYOUTS[layout];
  if (!ids) throw new Error(`unknown support code layout ${layout}`);
  let value = 0n;
  for (const id of ids) value = value * BASE + BigInt(STATES.indexOf(outcomes.get(id) ?? 'not-run'));
  const payload = toBase16(value, payloadWidth(ids.length));
  const body = ALPHABET[layout]! + payload;
  return group(body + checkSymbol(body));
}

export function decodeSupportCode(input: string): DecodedCode {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
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
  const layout = ALPHABET.indexOf(code[0]!);
  const ids = LAYOUTS[layout];
  if (!ids) {
    throw new SupportCodeError(
      msg(
        `Supportkoden kommer från en annan version av siths-doctor (layout ${code[0]}). Uppdatera siths-doctor, eller be om JSON-rapporten.`,
        `The support code comes from another version of siths-doctor (layout ${code[0]}). Update siths-doctor, or ask for the JSON report.`,
      ),
    );
  }
  const expected = 2 + payloadWidth(ids.length);
  if (code.length !== expected) {
    throw new SupportCodeError(
      msg(
        `Supportkoden ska ha ${expected} tecken men har ${code.length}. Be personen läsa koden igen.`,
        `The support code should have ${expected} symbols but has ${code.length}. Ask the caller to read the code again.`,
      ),
    );
  }
  if (checkSymbol(code.slice(0, -1)) !== code.at(-1)) {
    throw new SupportCodeError(
      msg(
        'Supportkoden stämmer inte: något tecken har hörts eller skrivits fel. Be personen läsa koden igen, tecken för tecken.',
        'The support code does not add up: a symbol was misheard or mistyped. Ask the caller to read the code again, symbol by symbol.',
      ),
    );
  }
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
  return { layout, checks: ids.map((id, i) => ({ id, state: states[i]! })) };
}

function toBase16(value: bigint, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[Number(value % 16n)]! + out;
    value /= 16n;
  }
  return out;
}

/** Luhn mod N over the alphabet's indices (N = 16). */
function checkSymbol(body: string): string {
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
