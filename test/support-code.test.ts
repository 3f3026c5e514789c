import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Status } from '../src/model.js';
import { ALPHABET, decodeSupportCode, encodeSupportCode, LAYOUTS, SupportCodeError } from '../src/support-code.js';

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
    try {
      decodeSupportCode(code.slice(0, 3) + '1' + code.slice(4));
    } catch (err) {
      expect((err as SupportCodeError).text.sv).toMatch(/kan inte innehålla ”1”/);
    }
  });

  it('rejects a code of the wrong length, an empty code and an unknown layout', () => {
    const code = strip(encodeSupportCode(new Map()));
    expect(() => decodeSupportCode(code.slice(0, -1))).toThrow(new RegExp(`should have ${code.length} symbols but has ${code.length - 1}`));
    expect(() => decodeSupportCode('  ')).toThrow(/Give a support code/);
    const otherLayout = ALPHABET[LAYOUTS.length]! + code.slice(1);
    expect(() => decodeSupportCode(otherLayout)).toThrow(/another version of siths-doctor/);
  });
});
