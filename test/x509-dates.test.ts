import fc from 'fast-check';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { readDerExactly, timeOf, TYPE, type DerNode } from '../src/der.js';
import { parseCertificate } from '../src/x509/parse.js';
import { testPki } from './helpers/pki.js';

/**
 * Certificate validity times, read by src/der.ts. node-forge read them
 * before; every well-formed time must come out as the same instant, and
 * what is not a time must still end as bad-dates (or not-a-certificate).
 */

function timeNode(type: number, text: string): DerNode {
  const value = Buffer.from(text, 'latin1');
  return readDerExactly(Buffer.concat([Buffer.from([type, value.length]), value]));
}

const utc = (text: string) => timeOf(timeNode(TYPE.UTCTIME, text))!;
const generalized = (text: string) => timeOf(timeNode(TYPE.GENERALIZEDTIME, text))!;
const two = (n: number) => String(n).padStart(2, '0');

/** A calendar instant as its fields, the day valid for its month. */
const instant = (minYear: number, maxYear: number) =>
  fc.date({ min: new Date(Date.UTC(minYear, 0, 1)), max: new Date(Date.UTC(maxYear, 11, 31, 23, 59, 59)), noInvalidDate: true }).map((d) => ({
    year: d.getUTCFullYear(),
    date: `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}`,
    seconds: two(d.getUTCSeconds()),
  }));

describe('validity times', () => {
  it('UTCTime, with and without seconds, as node-forge read it (YY below 50 is 20YY)', () => {
    fc.assert(
      fc.property(instant(1950, 2049), fc.boolean(), ({ year, date, seconds }, withSeconds) => {
        const text = `${two(year % 100)}${date}${withSeconds ? seconds : ''}Z`;
        expect(utc(text).getTime()).toBe(forge.asn1.utcTimeToDate(text).getTime());
      }),
      { numRuns: 500 },
    );
    expect(utc('491231235959Z').toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(utc('500101000000Z').toISOString()).toBe('1950-01-01T00:00:00.000Z');
  });

  it('GeneralizedTime, with and without a fraction, as node-forge read it', () => {
    fc.assert(
      fc.property(instant(1, 9999), fc.option(fc.stringMatching(/^[0-9]{1,6}$/)), ({ year, date, seconds }, fraction) => {
        const text = `${String(year).padStart(4, '0')}${date}${seconds}${fraction === null ? '' : `.${fraction}`}Z`;
        expect(generalized(text).getTime()).toBe(forge.asn1.generalizedTimeToDate(text).getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('an offset from UTC: whole hours as node-forge read them, minutes as X.680 writes them (+hhmm)', () => {
    expect(utc('2506011200+0200').getTime()).toBe(forge.asn1.utcTimeToDate('2506011200+0200').getTime());
    expect(utc('250601120000-0100').toISOString()).toBe('2025-06-01T13:00:00.000Z');
    expect(generalized('20250601120000+0100').getTime()).toBe(forge.asn1.generalizedTimeToDate('20250601120000+0100').getTime());
    // forge took the minutes from one character too far on; +0530 is five and a half hours.
    expect(utc('250601120000+0530').toISOString()).toBe('2025-06-01T06:30:00.000Z');
  });

  it('what is not a time is an invalid date, never one rolled over into the next month', () => {
    for (const text of ['251301000000Z', '250230000000Z', '250431000000Z', '250601240000Z', '250601126000Z', '250601120060Z', '2506011200', '25060112000Z', 'x50601120000Z', '250601120000Z ', '']) {
      expect(Number.isNaN(utc(text).getTime()), text).toBe(true);
    }
    // Without Z or an offset a GeneralizedTime is local time somewhere: RFC 5280 4.1.2.5.2 forbids it.
    for (const text of ['20250601120000', '202506011200Z', '20251301000000Z', '20250229000000Z']) {
      expect(Number.isNaN(generalized(text).getTime()), text).toBe(true);
    }
    expect(generalized('20240229000000Z').toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(timeOf(timeNode(TYPE.PRINTABLESTRING, '250601120000Z'))).toBeUndefined();
  });
});

describe('a certificate whose validity cannot be read', () => {
  const pki = testPki();
  /** The certificate with its notAfter's bytes replaced (same length) or its tag changed. */
  function withNotAfter(change: (time: Buffer) => void): Buffer {
    const der = Buffer.from(pki.der('card-hsa-auth-valid'));
    const tbs = readDerExactly(der).children[0]!;
    const fields = tbs.children;
    const validity = fields[fields[0]!.tagClass === 0x80 ? 4 : 3]!;
    const notAfter = validity.children[1]!;
    change(der.subarray(notAfter.raw.byteOffset - der.byteOffset, notAfter.raw.byteOffset - der.byteOffset + notAfter.raw.length));
    return der;
  }

  it('is bad-dates when a time is malformed or ends before it begins', () => {
    const month13 = parseCertificate(withNotAfter((t) => t.write('13', 2 + (t[0] === TYPE.UTCTIME ? 2 : 4), 'latin1')));
    expect(month13).toMatchObject({ ok: false, problem: 'bad-dates' });
    const before = parseCertificate(withNotAfter((t) => t.write(t[0] === TYPE.UTCTIME ? '50' : '1950', 2, 'latin1')));
    expect(before).toMatchObject({ ok: false, problem: 'bad-dates', error: expect.stringMatching(/^valid to 1950-.* is before valid from /) });
  });

  it('is not-a-certificate when a validity field is not a time at all', () => {
    expect(parseCertificate(withNotAfter((t) => (t[0] = TYPE.PRINTABLESTRING)))).toMatchObject({ ok: false, problem: 'not-a-certificate' });
  });
});
