import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { BROWSER_CIPHER_SUITES } from './names.js';

const HANDSHAKE = 22;
const CLIENT_HELLO = 1;
const TLS12 = 0x0303;
/** The record layer version of a first ClientHello, as browsers send it (RFC 8446, appendix D). */
const RECORD_VERSION_HELLO = 0x0301;

const EXT_SERVER_NAME = 0;
const EXT_SUPPORTED_GROUPS = 10;
const EXT_EC_POINT_FORMATS = 11;
const EXT_SIGNATURE_ALGORITHMS = 13;
const EXT_EXTENDED_MASTER_SECRET = 23;
const EXT_RENEGOTIATION_INFO = 0xff01;

/** x25519, secp256r1, secp384r1: what browsers offer first. */
const GROUPS = [0x001d, 0x0017, 0x0018];
/** Browser order: ECDSA, RSA-PSS and PKCS#1 with SHA-256 first, SHA-1 last for old servers. */
const SIGNATURE_ALGORITHMS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201];

/**
 * A TLS 1.2 ClientHello that looks like a browser's, offering TLS 1.2 only
 * (no supported_versions extension), so that the server's Certificate and
 * CertificateRequest come back in clear. The server name goes into SNI
 * unless it is an IP address (RFC 6066 forbids that).
 */
export function buildClientHello(serverName: string, random: Buffer = randomBytes(32), sessionId: Buffer = randomBytes(32)): Buffer {
  const extensions: Buffer[] = [];
  const sni = isIP(serverName) === 0 ? domainToASCII(serverName.replace(/\.$/, '')) : '';
  if (sni) {
    const name = Buffer.from(sni, 'ascii');
    const entry = Buffer.concat([Buffer.from([0]), u16(name.length), name]);
    extensions.push(extension(EXT_SERVER_NAME, Buffer.concat([u16(entry.length), entry])));
  }
  extensions.push(extension(EXT_EXTENDED_MASTER_SECRET, Buffer.alloc(0)));
  extensions.push(extension(EXT_RENEGOTIATION_INFO, Buffer.from([0])));
  extensions.push(extension(EXT_SUPPORTED_GROUPS, list16(GROUPS)));
  extensions.push(extension(EXT_EC_POINT_FORMATS, Buffer.from([1, 0])));
  extensions.push(extension(EXT_SIGNATURE_ALGORITHMS, list16(SIGNATURE_ALGORITHMS)));
  const extensionBytes = Buffer.concat(extensions);

  const body = Buffer.concat([
    u16(TLS12),
    random,
    Buffer.from([sessionId.length]),
    sessionId,
    list16(BROWSER_CIPHER_SUITES.map(([code]) => code)),
    Buffer.from([1, 0]), // compression: null only
    u16(extensionBytes.length),
    extensionBytes,
  ]);
  const handshake = Buffer.concat([Buffer.from([CLIENT_HELLO]), u24(body.length), body]);
  return Buffer.concat([Buffer.from([HANDSHAKE]), u16(RECORD_VERSION_HELLO), u16(handshake.length), handshake]);
}

function extension(type: number, data: Buffer): Buffer {
  return Buffer.concat([u16(type), u16(data.length), data]);
}

function list16(values: readonly number[]): Buffer {
  const out = Buffer.alloc(2 + values.length * 2);
  out.writeUInt16BE(values.length * 2, 0);
  values.forEach((v, i) => out.writeUInt16BE(v, 2 + i * 2));
  return out;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u24(n: number): Buffer {
  const b = Buffer.alloc(3);
  b.writeUIntBE(n, 0, 3);
  return b;
}
