import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Status } from '../src/model.js';
import { ALPHABET, checkSymbol, decodeSupportCode, encodeSupportCode, formatSupportCode, LAYOUTS, SupportCodeError, type CertificateSource } from '../src/support-code.js';

const IDS = LAYOUTS.at(-1)!;
const STATES = ['pass', 'warn', 'fail', 'error', 'skip', 'not-run'] as const;
const strip = (code: string) => code.replace(/-/g, '');

describe('support code', () => {
  it('is short, grouped for reading aloud, and uses only phone-safe symbols', () => {
    const code = encodeSupportCode(new Map(IDS.map((id) => [id, 'pass' as Status])));
    // Eleven checks at six states need eight payload symbols: ten in all, read as 3-3-3-1.
    expect(code.length).toBeLessThanOrEqual(13);
    expect(code).toMatch(/^[2-9AJKRUWXZ]{3}(-[2-9AJKRUWXZ]{1,3})+$/);
    expect(ALPHABET).not.toMatch(/[01OI]/);
  });

  it('round-trips every combination of outcomes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...STATES), { minLength: IDS.length, maxLength: IDS.length }), (states) => {
        const outcomes = new Map<string, Status>();
        IDS.forEach((id, i) => {
          if (states[i] !== 'not-run') outcomes.set(id, states[i] as Status);
        });
        const decoded = decodeSupportCode(encodeSupportCode(outcomes));
        expect(decoded.checks.map((c) => c.state)).toEqual(states);
        expect(decoded.checks.map((c) => c.id)).toEqual([...IDS]);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes typed codes forgivingly: lower case, spaces, no dashes', () => {
    const code = encodeSupportCode(new Map([['card', 'fail' as Status]]));
    const typed = strip(code).toLowerCase().split('').join(' ');
    expect(decodeSupportCode(typed).checks.find((c) => c.id === 'card')?.state).toBe('fail');
  });

  it('catches every single misheard symbol', () => {
    const outcomes = new Map<string, Status>([
      ['reader', 'pass'],
      ['card', 'fail'],
      ['netid', 'warn'],
      ['clock', 'skip'],
    ]);
    const code = strip(encodeSupportCode(outcomes));
    let caught = 0;
    let tried = 0;
    for (let i = 0; i < code.length; i++) {
      for (const c of ALPHABET) {
        if (c === code[i]) continue;
        tried++;
        const wrong = code.slice(0, i) + c + code.slice(i + 1);
        try {
          decodeSupportCode(wrong);
        } catch (err) {
          if (err instanceof SupportCodeError) caught++;
        }
      }
    }
    expect(caught).toBe(tried);
  });

  it('catches most swapped neighbours', () => {
    let caught = 0;
    let tried = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...STATES.slice(0, 5)), { minLength: IDS.length, maxLength: IDS.length }), (states) => {
        const code = strip(encodeSupportCode(new Map(IDS.map((id, i) => [id, states[i] as Status]))));
        for (let i = 0; i + 1 < code.length; i++) {
          if (code[i] === code[i + 1]) continue;
          tried++;
          const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
          try {
            decodeSupportCode(swapped);
          } catch {
            caught++;
          }
        }
      }),
      { numRuns: 200 },
    );
    expect(caught / tried).toBeGreaterThan(0.9);
  });

  it('rejects 0, 1, O and I with a message naming them, in Swedish too', () => {
    const code = strip(encodeSupportCode(new Map()));
    const withO = 'O' + code.slice(1);
    expect(() => decodeSupportCode(withO)).toThrow(/cannot contain ”O”.*never 0, 1, O or I/);
    const withOne = code.slice(0, 3) + '1' + code.slice(4);
    expect(() => decodeSupportCode(withOne)).toThrow(SupportCodeError);
    expect(thrown(withOne).text.sv).toMatch(/kan inte innehålla ”1”/);
  });

  it('rejects a code of the wrong length, an empty code and a layout from a newer version', () => {
    const code = strip(encodeSupportCode(new Map()));
    // Shorter than any layout's code: a length error; one symbol short may be an older layout's code that does not add up.
    const shortest = Math.min(...LAYOUTS.map((ids) => encodeSupportCode(new Map(), { layout: LAYOUTS.indexOf(ids) }).replaceAll('-', '').length));
    expect(() => decodeSupportCode(code.slice(0, shortest - 1))).toThrow(new RegExp(`should have ${shortest} symbols but has ${shortest - 1}`));
    expect(() => decodeSupportCode('  ')).toThrow(/Give a support code/);
    // A code that adds up but names a layout this version does not know.
    const body = ALPHABET[2 * LAYOUTS.length]! + code.slice(1, -1);
    expect(() => decodeSupportCode(body + checkSymbol(body))).toThrow(/newer version of siths-doctor/);
  });

  it('calls a misheard symbol misheard, never a reason to update (the check symbol is checked first)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STATES), { minLength: IDS.length, maxLength: IDS.length }),
        fc.constantFrom<CertificateSource>('card', 'files'),
        fc.nat(),
        fc.nat(),
        (states, certificates, at, by) => {
          const outcomes = new Map(IDS.flatMap((id, i) => (states[i] === 'not-run' ? [] : [[id, states[i] as Status] as const])));
          const code = strip(encodeSupportCode(outcomes, { certificates }));
          const i = at % code.length;
          const wrong = ALPHABET[(ALPHABET.indexOf(code[i]!) + 1 + (by % (ALPHABET.length - 1))) % ALPHABET.length]!;
          const error = thrown(code.slice(0, i) + wrong + code.slice(i + 1));
          expect(error.text.en).toMatch(/does not add up/);
          expect(error.text.en).not.toMatch(/update/i);
          expect(error.text.sv).not.toMatch(/uppdatera/i);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('accepts what chat and mail programs do to a code', () => {
    const code = encodeSupportCode(new Map([['card', 'fail' as Status]]));
    const groups = code.split('-');
    const [a] = groups;
    const rest = groups.slice(1);
    for (const typed of [
      groups.join('\u2013'), // en dash
      groups.join('\u2014'), // em dash
      `${a}\u2212${rest.join('\u2011')}`, // minus sign, non-breaking hyphen
      `${a}\u00a0${rest.join('\u202f')}`, // non-breaking and narrow non-breaking space
      groups.join('').toLowerCase(),
      `“${code}”.`,
      `${a}\u200b-${rest.join('-')}\n`,
    ]) {
      expect(decodeSupportCode(typed).checks.find((x) => x.id === 'card')?.state, JSON.stringify(typed)).toBe('fail');
      expect(formatSupportCode(typed)).toBe(code);
    }
  });

  it('carries where the certificates came from, and old card codes keep their meaning', () => {
    const outcomes = new Map<string, Status>([['card-cert', 'fail']]);
    const fromFiles = encodeSupportCode(outcomes, { certificates: 'files' });
    const fromCard = encodeSupportCode(outcomes);
    expect(fromFiles).not.toBe(fromCard);
    expect(decodeSupportCode(fromFiles)).toMatchObject({ layout: LAYOUTS.length - 1, certificates: 'files' });
    expect(decodeSupportCode(fromCard)).toMatchObject({ layout: LAYOUTS.length - 1, certificates: 'card' });
    // The README's example, made before certificate files had a symbol of their own.
    expect(decodeSupportCode('253-K8X-Z96').certificates).toBe('card');
  });
});

function thrown(code: string): SupportCodeError {
  try {
    decodeSupportCode(code);
  } catch (err) {
    if (err instanceof SupportCodeError) return err;
    throw err;
  }
  throw new Error(`${code} decoded, but it should not`);
}
