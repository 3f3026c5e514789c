import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactDeep } from '../src/personal.js';
import { splitCertificateFile } from '../src/x509/inputs.js';
import { certificateOutcome } from '../src/x509/outcome.js';
import { parseCertificate, type CertificateProblem } from '../src/x509/parse.js';
import { testPki } from './helpers/pki.js';

/**
 * Hostile bytes where a certificate should be: every input ends in facts or a
 * named problem, no exception escapes, and each ends quickly. The inputs are
 * mutations of real certificates (RSA and EC, so both parser paths run),
 * truncations, splices and plain random bytes.
 */

const pki = testPki();
const seeds = ['card-hsa-auth-valid', 'card-hsa-auth-ec', 'card-efos-auth', 'siths-root'].map((n) => pki.der(n));
const PROBLEMS: readonly CertificateProblem[] = ['empty', 'too-large', 'truncated', 'trailing-data', 'not-a-certificate', 'bad-dates'];
/** Far above what one parse takes (about a millisecond); a hang or a blow-up would exceed it. */
const BOUND_MS = 1000;

const seed = fc.constantFrom(...seeds);

const mutated = fc
  .tuple(seed, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }))
  .map(([der, flips]) => {
    const copy = Buffer.from(der);
    for (const [at, value] of flips) copy[at % copy.length] = value;
    return copy;
  });

const truncated = fc.tuple(seed, fc.nat()).map(([der, n]) => der.subarray(0, n % der.length));

/** A slice of one certificate put in the middle of another: lengths stop matching their contents. */
const spliced = fc.tuple(seed, seed, fc.nat(), fc.nat(), fc.nat()).map(([a, b, at, from, len]) => {
  const i = at % a.length;
  const j = from % b.length;
  return Buffer.concat([a.subarray(0, i), b.subarray(j, j + (len % 64)), a.subarray(i)]);
});

/** The outer header kept, the body random: the parser has to look inside. */
const framedRandom = fc.uint8Array({ minLength: 0, maxLength: 2048 }).map((body) => {
  const len = body.length;
  return Buffer.concat([Buffer.from([0x30, 0x82, len >> 8, len & 0xff]), body]);
});

const random = fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b));

const hostile = fc.oneof(mutated, truncated, spliced, framedRandom, random);

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

describe('fuzzing the certificate parser', () => {
  it('ends every hostile input in facts or a named problem, quickly', () => {
    let readable = 0;
    fc.assert(
      fc.property(hostile, (bytes) => {
        const { value: result, ms } = timed(() => parseCertificate(bytes));
        expect(ms).toBeLessThan(BOUND_MS);
        if (result.ok) {
          readable++;
          expect(Number.isNaN(result.facts.notAfter.getTime())).toBe(false);
          expect(result.facts.notAfter.getTime()).toBeGreaterThanOrEqual(result.facts.notBefore.getTime());
          for (const a of [...result.facts.subject, ...result.facts.issuer]) {
            // No terminal escapes or marker characters get through from a hostile name.
            expect(a.value).not.toMatch(/[\u0000-\u001f\u007f-\u009f\uE000-\uE002]/);
          }
        } else {
          expect(PROBLEMS).toContain(result.problem);
          expect(result.error.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 600 },
    );
    // Some mutations leave a readable certificate (a flipped byte in a name): both kinds of outcome were exercised.
    expect(readable).toBeGreaterThan(0);
  });

  it('judges every hostile input into a clear outcome with one line per input', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 3 }), (inputs) => {
        const { value: outcome, ms } = timed(() =>
          certificateOutcome(
            { source: 'files', inputs: inputs.map((der, i) => ({ origin: { kind: 'file' as const, file: `fuzz-${i}.der` }, der })) },
            { now: new Date(pki.manifest.generatedAt), expiryWarnDays: 30, clockLooksWrong: false, listing: true },
          ),
        );
        expect(ms).toBeLessThan(BOUND_MS * inputs.length);
        expect(['pass', 'warn', 'fail']).toContain(outcome.status);
        for (let i = 0; i < inputs.length; i++) expect(outcome.notes!.some((n) => n.en.includes(`fuzz-${i}.der: `))).toBe(true);
        // Rendering (redaction) and JSON never trip over what a hostile certificate holds.
        const rendered = JSON.stringify(redactDeep({ s: outcome.summary, n: outcome.notes, d: outcome.details }, false, 'sv'));
        expect(rendered).not.toMatch(/[\uE000-\uE002]/);
      }),
      { numRuns: 200 },
    );
  });

  it('ends every hostile certificate file (PEM with damaged Base-64, DER, garbage) in inputs or problems', () => {
    const pemOf = (der: Buffer) => `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
    const files = fc.oneof(
      hostile.map(pemOf),
      fc.tuple(seed, fc.nat(), fc.string({ maxLength: 8 })).map(([der, at, junk]) => {
        const text = pemOf(der);
        const i = at % text.length;
        return text.slice(0, i) + junk + text.slice(i);
      }),
      fc.string({ maxLength: 2000 }),
      hostile,
    );
    fc.assert(
      fc.property(files, (content) => {
        const { value: inputs, ms } = timed(() => splitCertificateFile(Buffer.from(content), 'fuzz.pem'));
        expect(ms).toBeLessThan(BOUND_MS);
        expect(inputs.length).toBeGreaterThan(0);
        for (const input of inputs) expect('der' in input || 'problem' in input).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
