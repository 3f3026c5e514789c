import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derElementLength, readBerTlvs } from '../../src/der.js';
import { CardReadError } from '../../src/card/errors.js';
import { parseFci } from '../../src/card/iso7816.js';
import { parseCertificateDirectory, parseEfDir, parseOdf, parseTokenInfo, readDerObjects } from '../../src/card/pkcs15.js';
import { readCardCertificates } from '../../src/card/read-certificates.js';
import { directChannel } from '../emulator/direct-channel.js';
import { Iso7816Card, type ElementaryFile, type DedicatedFile } from '../emulator/iso7816-card.js';
import { SITHS_TEST_ATR, sithsTestCard } from '../emulator/pkcs15-image.js';

/** Every parser either returns or throws our typed error: never anything else. */
function typedOutcome(parse: () => unknown): void {
  try {
    parse();
  } catch (err) {
    if (!(err instanceof CardReadError)) throw err;
    expect(['malformed']).toContain(err.kind);
  }
}

/** The real files of the emulated SITHS TEST card, by file id. */
function realFiles(): Map<number, Buffer> {
  const files = new Map<number, Buffer>();
  const walk = (dir: DedicatedFile): void => {
    for (const child of dir.children) {
      if (child.kind === 'DF') walk(child);
      else files.set(child.fid, (child as ElementaryFile).data);
    }
  };
  walk(sithsTestCard().mf);
  return files;
}

const files = realFiles();
const [EF_DIR, ODF, TOKEN_INFO, CDF, TRUSTED_CDF] = [0x2f00, 0x5031, 0x5032, 0x4404, 0x4405].map((fid) => files.get(fid)!);

/** A real structure, damaged: cut short, bytes changed, a length byte blown up, or garbage appended. */
const damaged = (original: Buffer): fc.Arbitrary<Buffer> =>
  fc.oneof(
    fc.nat({ max: original.length }).map((n) => original.subarray(0, n)),
    fc.array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((edits) => {
      const copy = Buffer.from(original);
      for (const [at, value] of edits) copy[at] = value;
      return copy;
    }),
    fc.tuple(fc.nat({ max: original.length - 1 }), fc.constantFrom(0x81, 0x82, 0x83, 0x84, 0x88, 0xff)).map(([at, lengthByte]) => {
      const copy = Buffer.from(original);
      copy[at] = lengthByte;
      return copy;
    }),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((tail) => Buffer.concat([original, tail])),
  );

const anyBytes = fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b));

describe('PKCS#15 parsers against malformed and truncated input (property tests)', () => {
  const parsers: [string, (b: Buffer) => unknown, Buffer][] = [
    ['EF.DIR', (b) => parseEfDir(b), EF_DIR!],
    ['EF.ODF', (b) => parseOdf(b), ODF!],
    ['EF.TokenInfo', (b) => parseTokenInfo(b), TOKEN_INFO!],
    ['CDF', (b) => parseCertificateDirectory(b, 'certificates'), CDF!],
    ['trusted CDF', (b) => parseCertificateDirectory(b, 'trusted'), TRUSTED_CDF!],
  ];

  for (const [name, parse, real] of parsers) {
    it(`${name}: random bytes and damaged real files end in a result or a typed error`, () => {
      expect(() => parse(real)).not.toThrow();
      fc.assert(fc.property(fc.oneof(anyBytes, damaged(real)), (bytes) => typedOutcome(() => parse(bytes))), { numRuns: 1500 });
    });
  }

  it('FCI and TLV walking never throw and never claim more than is there', () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const info = parseFci(bytes);
        if (info.size !== undefined) expect(info.size).toBeLessThanOrEqual(0xffffffff);
        for (const tlv of readBerTlvs(bytes)) expect(tlv.value.length).toBeLessThanOrEqual(bytes.length);
        const length = derElementLength(bytes);
        if (length !== undefined) expect(length).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 3000 },
    );
  });

  it('a length field announcing gigabytes is rejected before anything is allocated for it', () => {
    const huge = Buffer.from('3084ffffffff3003020100', 'hex');
    expect(() => readDerObjects(huge, 'test', 4)).toThrow(CardReadError);
    expect(derElementLength(huge)).toBeUndefined();
    expect(() => parseCertificateDirectory(huge, 'certificates')).toThrow(/not valid DER/);
  });

  it('deep nesting is refused, not recursed into', () => {
    let nested = Buffer.from([0x05, 0x00]);
    for (let i = 0; i < 200; i++) nested = Buffer.concat([Buffer.from([0x30, 0x82, nested.length >> 8, nested.length & 0xff]), nested]);
    expect(() => parseCertificateDirectory(nested, 'certificates')).toThrow(CardReadError);
  });
});

describe('reading a whole damaged card (property test over the emulated card)', () => {
  it('ends in certificates or a typed error, within a bounded number of APDUs', async () => {
    const targets = [0x2f00, 0x5031, 0x5032, 0x4404, 0x4405, 0x4331, 0x4340];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets).chain((fid) => fc.tuple(fc.constant(fid), fc.oneof(anyBytes, damaged(files.get(fid)!)))),
        fc.record({ getResponseStyle: fc.boolean(), exactLe: fc.boolean(), omitFileSize: fc.boolean() }),
        async ([fid, content], cardOptions) => {
          const image = sithsTestCard({ replace: { [fid]: content } });
          const channel = directChannel(new Iso7816Card(image.mf, cardOptions), SITHS_TEST_ATR);
          try {
            const read = await readCardCertificates(channel, { timeoutMs: 1000 });
            for (const certificate of read.certificates) expect(certificate.der[0]).toBe(0x30);
          } catch (err) {
            if (!(err instanceof CardReadError)) throw err;
            expect(['malformed', 'card-error', 'layout-not-supported']).toContain(err.kind);
          }
          expect(channel.log.length).toBeLessThan(1500);
        },
      ),
      { numRuns: 300 },
    );
  });
});
