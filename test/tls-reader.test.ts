import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildClientHello } from '../src/tls/client-hello.js';
import { formatName } from '../src/tls/dn.js';
import { cleanText } from '../src/x509/facts.js';
import { TlsProbeError } from '../src/tls/errors.js';
import { FLIGHT_LIMITS, ServerFlightReader, type ServerFlight } from '../src/tls/handshake-reader.js';
import { BROWSER_CIPHER_SUITES } from '../src/tls/names.js';
import { handshakeMessage, tlsRecord } from './helpers/tls-records.js';

const FIXTURES = new URL('../fixtures/tls/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', FIXTURES), 'utf8')) as Record<
  string,
  { certificates?: number; requested?: boolean; authorities?: number; alert?: string; bytes: number }
>;
const recording = (name: string): Buffer => readFileSync(new URL(`${name}.bin`, FIXTURES));
const flights = Object.keys(manifest).filter((n) => manifest[n]!.certificates !== undefined);

/** Feed pieces, then the end of the stream: a flight, or a TlsProbeError, and never anything else. */
function feed(pieces: readonly Buffer[]): ServerFlight | TlsProbeError {
  const reader = new ServerFlightReader();
  try {
    for (const piece of pieces) {
      const flight = reader.push(piece);
      if (flight) return flight;
    }
    return reader.end();
  } catch (err) {
    if (err instanceof TlsProbeError) return err;
    throw err;
  }
}

function cut(bytes: Buffer, points: readonly number[]): Buffer[] {
  const sorted = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const p of sorted) {
    pieces.push(bytes.subarray(from, p));
    from = p;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}

/** The ServerHello record at the start of a recording. */
function serverHelloRecord(): Buffer {
  const bytes = recording('node-request-cert');
  return bytes.subarray(0, 5 + bytes.readUInt16BE(3));
}

describe('ClientHello', () => {
  it('offers TLS 1.2 only, with SNI and the browser cipher suites', () => {
    const hello = buildClientHello('m00-mg-local.idp.funktionstjanster.se', Buffer.alloc(32, 1), Buffer.alloc(32, 2));
    expect(hello[0]).toBe(22);
    expect(hello.readUInt16BE(3)).toBe(hello.length - 5);
    expect(hello[5]).toBe(1);
    expect(hello.readUInt16BE(9)).toBe(0x0303);
    let at = 9 + 2 + 32;
    at += 1 + hello[at]!;
    const suitesLength = hello.readUInt16BE(at);
    const suites = Array.from({ length: suitesLength / 2 }, (_, i) => hello.readUInt16BE(at + 2 + i * 2));
    expect(suites).toEqual(BROWSER_CIPHER_SUITES.map(([code]) => code));
    at += 2 + suitesLength;
    at += 1 + hello[at]!;
    const end = at + 2 + hello.readUInt16BE(at);
    expect(end).toBe(hello.length);
    const types: number[] = [];
    for (let p = at + 2; p < end; p += 4 + hello.readUInt16BE(p + 2)) types.push(hello.readUInt16BE(p));
    expect(types).toEqual([0, 23, 0xff01, 10, 11, 13]);
    expect(types).not.toContain(43); // no supported_versions: TLS 1.3 is not offered
    expect(hello.includes(Buffer.from('m00-mg-local.idp.funktionstjanster.se'))).toBe(true);
  });

  it('sends no SNI for an IP address', () => {
    const hello = buildClientHello('127.0.0.1');
    expect(hello.includes(Buffer.from('127.0.0.1'))).toBe(false);
  });
});

describe('handshake reader on recorded server flights', () => {
  it.each(flights)('%s: every certificate in order, and the client CA names', (name) => {
    const expected = manifest[name]!;
    const flight = feed([recording(name)]);
    expect(flight).not.toBeInstanceOf(TlsProbeError);
    const f = flight as ServerFlight;
    expect(f.version).toBe(0x0303);
    expect(f.messages[0]).toBe('ServerHello');
    expect(f.messages.at(-1)).toBe('ServerHelloDone');
    expect(f.bytesRead).toBe(expected.bytes);
    expect(f.certificates).toHaveLength(expected.certificates!);
    const subjects = f.certificates.map((der) => new X509Certificate(der).subject);
    expect(subjects[0]).toContain('CN=idp.funktionstjanster.se');
    expect(subjects[1]).toContain('CN=TEST Global G2 TLS RSA SHA256 2020 CA1');
    expect(f.certificateRequest !== undefined).toBe(expected.requested);
    const names = (f.certificateRequest?.authorities ?? []).map((dn) => formatName(dn));
    expect(names).toHaveLength(expected.authorities!);
    if (expected.requested) {
      expect(names).toContain('CN=TEST SITHS e-id Root CA v2, O=Inera AB (TEST), C=SE');
      expect(f.certificateRequest!.certificateTypes).toContain(1);
      expect(f.certificateRequest!.signatureAlgorithms).toContain(0x0401);
    }
  });

  it('reads a flight delivered one byte at a time exactly as in one piece', () => {
    const bytes = recording('node-request-cert');
    const whole = feed([bytes]) as ServerFlight;
    const byByte = feed([...bytes].map((b) => Buffer.from([b]))) as ServerFlight;
    expect(byByte.certificates).toEqual(whole.certificates);
    expect(byByte.certificateRequest).toEqual(whole.certificateRequest);
  });

  it('turns the protocol_version alert of a TLS 1.3-only server into a typed error', () => {
    const result = feed([recording('tls13-only-alert')]);
    expect(result).toBeInstanceOf(TlsProbeError);
    expect((result as TlsProbeError).kind).toBe('tls-alert');
    expect((result as TlsProbeError).info.alert).toMatchObject({ level: 2, description: 70, name: 'protocol_version' });
  });

  it('reads a handshake message that spans several records', () => {
    const bytes = recording('node-no-request');
    // Re-frame every handshake byte into records of 7 bytes.
    const payload: Buffer[] = [];
    for (let at = 0; at < bytes.length; ) {
      const length = bytes.readUInt16BE(at + 3);
      payload.push(bytes.subarray(at + 5, at + 5 + length));
      at += 5 + length;
    }
    const all = Buffer.concat(payload);
    const reframed: Buffer[] = [];
    for (let at = 0; at < all.length; at += 7) reframed.push(tlsRecord(22, all.subarray(at, at + 7)));
    const flight = feed([Buffer.concat(reframed)]) as ServerFlight;
    expect(flight.certificates).toEqual((feed([bytes]) as ServerFlight).certificates);
  });

  it('ignores a warning alert (unrecognized_name) but stops at a fatal one', () => {
    const warning = tlsRecord(21, Buffer.from([1, 112]));
    const flight = feed([warning, recording('node-request-cert')]);
    expect(flight).not.toBeInstanceOf(TlsProbeError);
    const fatal = feed([tlsRecord(21, Buffer.from([2, 40]))]) as TlsProbeError;
    expect(fatal.kind).toBe('tls-alert');
    expect(fatal.info.alert?.name).toBe('handshake_failure');
  });
});

describe('handshake reader bounds', () => {
  it('refuses a handshake message announced beyond the cap before receiving it', () => {
    const header = tlsRecord(22, handshakeMessage(11, Buffer.alloc(10), 8 * 1024 * 1024));
    const result = feed([serverHelloRecord(), header]) as TlsProbeError;
    expect(result.kind).toBe('too-large');
    expect(result.info.limit).toBe(FLIGHT_LIMITS.maxHandshakeMessage);
  });

  it('refuses a record longer than TLS allows', () => {
    const header = Buffer.from([22, 3, 3, 0xff, 0xff]);
    expect((feed([serverHelloRecord(), header]) as TlsProbeError).kind).toBe('malformed');
  });

  it('stops an endless stream of small messages at the flight cap', () => {
    const reader = new ServerFlightReader();
    reader.push(serverHelloRecord());
    const junk = tlsRecord(22, Buffer.concat(Array.from({ length: 100 }, () => handshakeMessage(99, Buffer.alloc(150)))));
    let error: unknown;
    try {
      for (let i = 0; i < 10_000; i++) reader.push(junk);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TlsProbeError);
    expect((error as TlsProbeError).kind).toBe('too-large');
    expect(reader.bytesRead).toBeLessThanOrEqual(FLIGHT_LIMITS.maxFlightBytes + junk.length);
  });

  it('refuses more certificates than any chain has', () => {
    const certificate = Buffer.concat([Buffer.from([0, 0, 1]), Buffer.from([0x30])]);
    const list = Buffer.concat(Array.from({ length: 40 }, () => certificate));
    const body = Buffer.concat([Buffer.from([0, (list.length >> 8) & 0xff, list.length & 0xff]), list]);
    expect((feed([serverHelloRecord(), tlsRecord(22, handshakeMessage(11, body))]) as TlsProbeError).kind).toBe('too-large');
  });

  it('says what a peer that is not TLS answered', () => {
    const http = feed([Buffer.from('HTTP/1.1 400 Bad Request\r\nServer: firewall\r\n\r\n')]) as TlsProbeError;
    expect(http.kind).toBe('not-tls');
    expect(http.info.preview).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect((feed([Buffer.from([0x16, 0x01])]) as TlsProbeError).kind).toBe('not-tls');
    expect((feed([]) as TlsProbeError).kind).toBe('closed');
    expect((feed([Buffer.from([0x16, 0x03])]) as TlsProbeError).kind).toBe('truncated');
  });
});

describe('handshake reader properties', () => {
  const names = [...flights, 'tls13-only-alert'];

  it('gives the same answer however TCP splits the bytes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(fc.nat(), { maxLength: 40 }), (name, points) => {
        const bytes = recording(name);
        const whole = feed([bytes]);
        const split = feed(cut(bytes, points));
        if (whole instanceof TlsProbeError) {
          expect(split).toBeInstanceOf(TlsProbeError);
          expect((split as TlsProbeError).kind).toBe(whole.kind);
        } else {
          expect((split as ServerFlight).certificates).toEqual(whole.certificates);
          expect((split as ServerFlight).certificateRequest).toEqual(whole.certificateRequest);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('ends a truncated flight in a typed error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...flights), fc.nat(), (name, at) => {
        const bytes = recording(name);
        const result = feed([bytes.subarray(0, at % bytes.length)]);
        expect(result).toBeInstanceOf(TlsProbeError);
        expect(['closed', 'truncated']).toContain((result as TlsProbeError).kind);
      }),
      { numRuns: 300 },
    );
  });

  it('answers mutated flights with a flight or a typed error, never anything else', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...flights),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (name, changes, points) => {
          const bytes = Buffer.from(recording(name));
          for (const [at, value] of changes) bytes[at % bytes.length] = value;
          const result = feed(cut(bytes, points));
          if (!(result instanceof TlsProbeError)) {
            expect(result.certificates.length).toBeLessThanOrEqual(FLIGHT_LIMITS.maxCertificates);
            for (const dn of result.certificateRequest?.authorities ?? []) expect(() => formatName(dn)).not.toThrow();
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('answers random bytes with a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        expect(feed([Buffer.from(bytes)])).toBeInstanceOf(TlsProbeError);
      }),
      { numRuns: 300 },
    );
  });
});

describe('distinguished names', () => {
  const flight = feed([recording('node-request-cert')]) as ServerFlight;
  const sithsRoot = flight.certificateRequest!.authorities[0]!;

  it('reads names most specific first', () => {
    expect(formatName(sithsRoot)).toBe('CN=TEST SITHS e-id Root CA v2, O=Inera AB (TEST), C=SE');
  });

  it('never throws on damaged names, and says undefined when it cannot read one', () => {
    expect(formatName(Buffer.from([0x30, 0x05, 0x31]))).toBeUndefined();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat(), (changes, length) => {
        const bytes = Buffer.from(sithsRoot).subarray(0, Math.max(1, length % (sithsRoot.length + 1)));
        for (const [at, value] of changes) bytes[at % bytes.length] = value;
        const name = formatName(bytes);
        if (name !== undefined) expect(name).not.toMatch(/[\u0000-\u001f\uE000-\uE002]/);
      }),
      { numRuns: 500 },
    );
  });

  it('escapes control characters and our personal-data markers from a hostile name', () => {
    expect(cleanText('CN=evil\nname\uE000\u202e')).toBe('CN=evil\\x0aname\\ue000\\u202e');
  });
});
