import { ByteQueue, WireReader } from './bytes.js';
import { printablePreview } from '../net/errors.js';
import { TlsProbeError } from './errors.js';
import { alertName } from './names.js';

/** Bounds on everything a server can make us hold. */
export interface FlightLimits {
  /** RFC 5246 6.2.3: a record fragment is at most 2^14 + 2048 bytes. */
  readonly maxRecordLength: number;
  /** One handshake message. Real certificate chains are a few KiB. */
  readonly maxHandshakeMessage: number;
  /** Everything the server sends before ServerHelloDone. */
  readonly maxFlightBytes: number;
  readonly maxCertificates: number;
}

export const FLIGHT_LIMITS: FlightLimits = {
  maxRecordLength: 16384 + 2048,
  maxHandshakeMessage: 256 * 1024,
  maxFlightBytes: 512 * 1024,
  maxCertificates: 32,
};

/** The CertificateRequest as the server sent it. */
export interface CertificateRequestSeen {
  readonly certificateTypes: readonly number[];
  /** Empty before TLS 1.2, which had no such field. */
  readonly signatureAlgorithms: readonly number[];
  /** The acceptable client CA names, DER-encoded distinguished names, in the order sent. */
  readonly authorities: readonly Buffer[];
}

/** What a TLS 1.2 server says in clear, up to ServerHelloDone. */
export interface ServerFlight {
  readonly version: number;
  readonly cipherSuite: number;
  /** DER certificates, in the order sent. */
  readonly certificates: readonly Buffer[];
  readonly certificateRequest?: CertificateRequestSeen;
  /** Handshake message names in the order received. */
  readonly messages: readonly string[];
  readonly bytesRead: number;
}

const RECORD_CHANGE_CIPHER_SPEC = 20;
const RECORD_ALERT = 21;
const RECORD_HANDSHAKE = 22;
const RECORD_APPLICATION_DATA = 23;
const RECORD_HEARTBEAT = 24;

const HANDSHAKE_NAMES: Record<number, string> = {
  0: 'HelloRequest',
  2: 'ServerHello',
  4: 'NewSessionTicket',
  11: 'Certificate',
  12: 'ServerKeyExchange',
  13: 'CertificateRequest',
  14: 'ServerHelloDone',
  20: 'Finished',
  22: 'CertificateStatus',
};

/**
 * Reads a server's answer to our ClientHello, fed in whatever pieces TCP
 * delivers: records may be split across reads, and a handshake message may
 * span records. `push` returns the flight once ServerHelloDone arrives, and
 * throws a TlsProbeError for anything else the server does (an alert, bytes
 * that are not TLS, a length beyond the bounds). Nothing sized by the peer
 * is allocated before its length has been checked.
 */
export class ServerFlightReader {
  private readonly records = new ByteQueue();
  private readonly handshake = new ByteQueue();
  private received = 0;
  private sawRecord = false;
  private hello?: { version: number; cipherSuite: number };
  private certificates?: Buffer[];
  private certificateRequest?: CertificateRequestSeen;
  private readonly messages: string[] = [];
  private result?: ServerFlight;

  constructor(private readonly limits: FlightLimits = FLIGHT_LIMITS) {}

  get bytesRead(): number {
    return this.received;
  }

  push(chunk: Buffer): ServerFlight | undefined {
    if (this.result) return this.result;
    this.received += chunk.length;
    this.records.push(chunk);
    if (!this.sawRecord) this.checkLooksLikeTls();
    if (this.received > this.limits.maxFlightBytes) {
      throw new TlsProbeError('too-large', 'handshake', `the server sent more than ${this.limits.maxFlightBytes} bytes without finishing its greeting`, {
        bytesRead: this.received,
        limit: this.limits.maxFlightBytes,
      });
    }
    while (this.records.length >= 5) {
      const header = this.records.peek(5);
      const type = header[0]!;
      const length = header.readUInt16BE(3);
      if (header[1] !== 3 || type < RECORD_CHANGE_CIPHER_SPEC || type > RECORD_HEARTBEAT) {
        throw this.malformed(`a record header is not TLS (${header.toString('hex')})`);
      }
      if (length > this.limits.maxRecordLength) {
        throw this.malformed(`a record of ${length} bytes, more than TLS allows (${this.limits.maxRecordLength})`);
      }
      if (this.records.length < 5 + length) break;
      this.records.take(5);
      const fragment = this.records.take(length);
      this.sawRecord = true;
      const done = this.onRecord(type, fragment);
      if (done) {
        this.result = done;
        return done;
      }
    }
    return undefined;
  }

  /** The peer closed the connection before ServerHelloDone: always throws. */
  end(): never {
    if (this.received === 0) {
      throw new TlsProbeError('closed', 'handshake', 'the server closed the connection without answering', { bytesRead: 0 });
    }
    if (!this.sawRecord) this.checkLooksLikeTls();
    throw new TlsProbeError('truncated', 'handshake', `the connection closed in the middle of the server's greeting, after ${this.received} bytes`, {
      bytesRead: this.received,
    });
  }

  /** The first bytes decide at once whether the peer speaks TLS at all (an HTTP error page, a banner, noise). */
  private checkLooksLikeTls(): void {
    if (this.records.length === 0) return;
    const head = this.records.peek(Math.min(this.records.length, 3));
    const type = head[0];
    const plausible = (type === RECORD_HANDSHAKE || type === RECORD_ALERT) && (head.length < 2 || head[1] === 3) && (head.length < 3 || head[2]! <= 4);
    if (plausible) return;
    const preview = printablePreview(this.records.peek(Math.min(this.records.length, 64)));
    throw new TlsProbeError('not-tls', 'handshake', `the answer is not TLS: "${preview}"`, { bytesRead: this.received, preview });
  }

  private onRecord(type: number, fragment: Buffer): ServerFlight | undefined {
    switch (type) {
      case RECORD_ALERT:
        this.onAlert(fragment);
        return undefined;
      case RECORD_HANDSHAKE:
        this.handshake.push(fragment);
        return this.drainHandshake();
      case RECORD_CHANGE_CIPHER_SPEC:
        throw this.malformed('ChangeCipherSpec before the server finished its greeting');
      case RECORD_APPLICATION_DATA:
        throw this.malformed('encrypted data before the server finished its greeting');
      default:
        // Heartbeat: harmless, nothing to read in it.
        return undefined;
    }
  }

  private onAlert(fragment: Buffer): void {
    if (fragment.length < 2) throw this.malformed(`an alert of ${fragment.length} bytes`);
    const level = fragment[0]!;
    const description = fragment[1]!;
    // A warning such as unrecognized_name does not end the handshake; close_notify does.
    if (level === 1 && description !== 0) return;
    const name = alertName(description);
    throw new TlsProbeError('tls-alert', 'handshake', `the server sent the TLS alert ${name} (${description})`, {
      alert: { level, description, name },
      bytesRead: this.received,
    });
  }

  private drainHandshake(): ServerFlight | undefined {
    while (this.handshake.length >= 4) {
      const header = this.handshake.peek(4);
      const msgType = header[0]!;
      const length = header.readUIntBE(1, 3);
      if (length > this.limits.maxHandshakeMessage) {
        throw new TlsProbeError(
          'too-large',
          'handshake',
          `the server announced a ${HANDSHAKE_NAMES[msgType] ?? `type ${msgType}`} message of ${length} bytes (limit ${this.limits.maxHandshakeMessage})`,
          { bytesRead: this.received, limit: this.limits.maxHandshakeMessage },
        );
      }
      if (this.handshake.length < 4 + length) return undefined;
      this.handshake.take(4);
      const body = this.handshake.take(length);
      const done = this.onHandshakeMessage(msgType, body);
      if (done) return done;
    }
    return undefined;
  }

  private onHandshakeMessage(msgType: number, body: Buffer): ServerFlight | undefined {
    this.messages.push(HANDSHAKE_NAMES[msgType] ?? `type ${msgType}`);
    if (msgType === 0) return undefined;
    if (!this.hello && msgType !== 2) throw this.malformed(`the server's first message is ${this.messages.at(-1)}, not ServerHello`);
    switch (msgType) {
      case 2:
        if (this.hello) throw this.malformed('a second ServerHello');
        this.hello = parseServerHello(body);
        return undefined;
      case 11:
        if (this.certificates) throw this.malformed('a second Certificate message');
        this.certificates = parseCertificates(body, this.limits.maxCertificates, this.received);
        return undefined;
      case 13:
        if (this.certificateRequest) throw this.malformed('a second CertificateRequest');
        this.certificateRequest = parseCertificateRequest(body, this.hello!.version);
        return undefined;
      case 14:
        return {
          version: this.hello!.version,
          cipherSuite: this.hello!.cipherSuite,
          certificates: this.certificates ?? [],
          certificateRequest: this.certificateRequest,
          messages: [...this.messages],
          bytesRead: this.received,
        };
      case 4:
      case 20:
        // A resumed session would go on encrypted; we never offer one.
        throw this.malformed(`${this.messages.at(-1)} before ServerHelloDone`);
      default:
        // ServerKeyExchange, CertificateStatus and the like: not needed.
        return undefined;
    }
  }

  private malformed(what: string): TlsProbeError {
    return new TlsProbeError('malformed', 'handshake', `the server's TLS is broken: ${what}`, { bytesRead: this.received });
  }
}

function parseServerHello(body: Buffer): { version: number; cipherSuite: number } {
  const r = new WireReader(body, 'ServerHello');
  const version = r.u16();
  if (version >> 8 !== 3 || (version & 0xff) > 3) {
    throw new TlsProbeError('malformed', 'handshake', `the server's TLS is broken: ServerHello version 0x${version.toString(16)}`);
  }
  r.bytes(32, 'random');
  const sessionId = r.vector(1, 'session id');
  if (sessionId.remaining > 32) throw new TlsProbeError('malformed', 'handshake', "the server's TLS is broken: a session id longer than 32 bytes");
  const cipherSuite = r.u16();
  r.u8();
  if (r.remaining > 0) r.vector(2, 'extensions');
  return { version, cipherSuite };
}

function parseCertificates(body: Buffer, maxCertificates: number, bytesRead: number): Buffer[] {
  const r = new WireReader(body, 'Certificate');
  const list = r.vector(3, 'certificate list');
  const certificates: Buffer[] = [];
  while (list.remaining > 0) {
    if (certificates.length >= maxCertificates) {
      throw new TlsProbeError('too-large', 'handshake', `the server sent more than ${maxCertificates} certificates`, { bytesRead, limit: maxCertificates });
    }
    const der = list.vector(3, 'certificate').rest();
    if (der.length === 0) throw new TlsProbeError('malformed', 'handshake', "the server's TLS is broken: an empty certificate");
    // A copy, so the certificate does not keep the whole record buffer alive.
    certificates.push(Buffer.from(der));
  }
  return certificates;
}

function parseCertificateRequest(body: Buffer, version: number): CertificateRequestSeen {
  const r = new WireReader(body, 'CertificateRequest');
  const certificateTypes = [...r.vector(1, 'certificate types').rest()];
  const signatureAlgorithms: number[] = [];
  if (version >= 0x0303) {
    const algorithms = r.vector(2, 'signature algorithms');
    if (algorithms.remaining % 2 !== 0) throw new TlsProbeError('malformed', 'handshake', "the server's TLS is broken: an odd-length signature algorithm list");
    while (algorithms.remaining > 0) signatureAlgorithms.push(algorithms.u16());
  }
  const names = r.vector(2, 'certificate authorities');
  const authorities: Buffer[] = [];
  while (names.remaining > 0) {
    const dn = names.vector(2, 'distinguished name').rest();
    if (dn.length > 0) authorities.push(Buffer.from(dn));
  }
  return { certificateTypes, signatureAlgorithms, authorities };
}
