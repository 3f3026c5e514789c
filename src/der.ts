/**
 * The one DER reader: certificate files, card files, the names in a TLS
 * CertificateRequest and PKCS#7 bundles all come from outside (and the
 * BER-TLV file information a card answers with shares its header reading), so every
 * length is checked against the bytes that are there (and a child against
 * its parent), nesting is bounded, and nothing is copied: a node's bytes
 * are views into the input. Malformed input throws DerError, whose message
 * says what is wrong; callers turn it into their own typed error.
 */

export const TAG_CLASS = { UNIVERSAL: 0x00, APPLICATION: 0x40, CONTEXT: 0x80, PRIVATE: 0xc0 } as const;

/** Universal tag numbers this project reads. */
export const TYPE = {
  BOOLEAN: 1,
  INTEGER: 2,
  BITSTRING: 3,
  OCTETSTRING: 4,
  NULL: 5,
  OID: 6,
  UTF8: 12,
  SEQUENCE: 16,
  SET: 17,
  NUMERICSTRING: 18,
  PRINTABLESTRING: 19,
  T61STRING: 20,
  IA5STRING: 22,
  UTCTIME: 23,
  GENERALIZEDTIME: 24,
  VISIBLESTRING: 26,
  UNIVERSALSTRING: 28,
  BMPSTRING: 30,
} as const;

/** One DER element. */
export interface DerNode {
  /** 0x00 universal, 0x40 application, 0x80 context-specific, 0xc0 private. */
  readonly tagClass: number;
  /** The tag number (low-tag form only: 0..30). */
  readonly type: number;
  readonly constructed: boolean;
  /** The content octets. */
  readonly value: Buffer;
  /** The elements inside a constructed element; empty for a primitive one. */
  readonly children: readonly DerNode[];
  /** The whole element: tag, length and content. */
  readonly raw: Buffer;
}

export class DerError extends Error {
  override readonly name = 'DerError';
}

export interface DerLimits {
  /** How deep constructed elements may nest (the outermost is depth 0). */
  readonly maxDepth: number;
}

/** Certificates nest about ten deep; nothing this project reads needs more than this. */
const DEFAULT_LIMITS: DerLimits = { maxDepth: 32 };

/**
 * The total length (tag, length octets and value) that the header of the DER
 * element at the start of `bytes` declares: what certificate files and card
 * files are measured with before anything is parsed. Undefined when the
 * header is not definite-length DER with at most four length octets. The
 * value may exceed `bytes.length`: the element is then cut short; when only
 * the length octets are cut short, it is the bytes the header alone needs.
 */
export function declaredDerLength(bytes: Buffer): number | undefined {
  if (bytes.length < 2) return undefined;
  const first = bytes[1]!;
  if (!(first & 0x80)) return 2 + first;
  const count = first & 0x7f;
  // Indefinite (0) or absurd length-of-length: not DER.
  if (count === 0 || count > 4) return undefined;
  if (2 + count > bytes.length) return 2 + count;
  return 2 + count + bytes.readUIntBE(2, count);
}

/** The length of the DER element at the start of `bytes` (tag, length and value), or undefined when it does not fit. */
export function derElementLength(bytes: Buffer): number | undefined {
  const total = declaredDerLength(bytes);
  return total !== undefined && total <= bytes.length ? total : undefined;
}

interface Header {
  /** The tag bytes as one number (0x6F, 0x5F2D). */
  readonly tag: number;
  /** Where the value starts. */
  readonly start: number;
  readonly length: number;
}

/**
 * The tag and length at `offset`, checked against `end`; a string says why
 * there is none. DER takes one tag byte; ISO/IEC 7816-4 BER-TLV (what cards
 * answer a SELECT with) also takes up to two subsequent tag bytes.
 */
function readHeader(bytes: Buffer, offset: number, end: number, options: { readonly maxLengthOctets: number; readonly multiByteTags: boolean }): Header | string {
  if (offset + 2 > end) return `too few bytes for a header at offset ${offset}`;
  let tag = bytes[offset]!;
  let pos = offset + 1;
  if ((tag & 0x1f) === 0x1f) {
    // High tag numbers never occur in the DER this project reads.
    if (!options.multiByteTags) return `high tag number at offset ${offset}`;
    // Subsequent tag bytes while bit 8 is set; at most two more.
    for (let n = 0; n < 2 && pos < end; n++) {
      const b = bytes[pos++]!;
      tag = (tag << 8) | b;
      if (!(b & 0x80)) break;
    }
    if (pos >= end) return `too few bytes for a header at offset ${offset}`;
  }
  let length = bytes[pos++]!;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0) return `indefinite length at offset ${offset}`;
    if (count > options.maxLengthOctets) return `length of ${count} octets at offset ${offset}`;
    if (pos + count > end) return `too few bytes for the length at offset ${offset}`;
    length = bytes.readUIntBE(pos, count);
    pos += count;
  }
  if (length > end - pos) return `element at offset ${offset} declares ${length} bytes, ${end - pos} are there`;
  return { tag, start: pos, length };
}

const DER_HEADER = { maxLengthOctets: 4, multiByteTags: false } as const;
const BER_TLV_HEADER = { maxLengthOctets: 3, multiByteTags: true } as const;

/** One BER-TLV item: its tag bytes as one number and its value. */
export interface Tlv {
  readonly tag: number;
  readonly value: Buffer;
}

/**
 * A bounded walk over ISO/IEC 7816-4 BER-TLV items (an FCI or FCP) that
 * stops at padding (00 or FF) or at the first thing it cannot read and never
 * throws: a card's file information is a hint, unreadable means unknown.
 */
export function readBerTlvs(bytes: Buffer, maxItems = 64): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < bytes.length && out.length < maxItems; ) {
    if (bytes[at] === 0x00 || bytes[at] === 0xff) break;
    const header = readHeader(bytes, at, bytes.length, BER_TLV_HEADER);
    if (typeof header === 'string') break;
    out.push({ tag: header.tag, value: bytes.subarray(header.start, header.start + header.length) });
    at = header.start + header.length;
  }
  return out;
}

/** The element at `offset`, which must end by `end`; throws DerError. */
function readElement(bytes: Buffer, offset: number, end: number, depth: number, limits: DerLimits): DerNode {
  const header = readHeader(bytes, offset, end, DER_HEADER);
  if (typeof header === 'string') throw new DerError(header);
  const tag = header.tag;
  const pos = header.start;
  const length = header.length;
  const constructed = (tag & 0x20) !== 0;
  const contentEnd = pos + length;
  const children: DerNode[] = [];
  if (constructed) {
    if (depth >= limits.maxDepth) throw new DerError(`nested deeper than ${limits.maxDepth}`);
    for (let at = pos; at < contentEnd; ) {
      const child = readElement(bytes, at, contentEnd, depth + 1, limits);
      children.push(child);
      at += child.raw.length;
    }
  }
  return {
    tagClass: tag & 0xc0,
    type: tag & 0x1f,
    constructed,
    value: bytes.subarray(pos, contentEnd),
    children,
    raw: bytes.subarray(offset, contentEnd),
  };
}

/** The element at the start of `bytes`; anything after it is ignored. Throws DerError. */
export function readDer(bytes: Buffer, limits: DerLimits = DEFAULT_LIMITS): DerNode {
  return readElement(bytes, 0, bytes.length, 0, limits);
}

/** The element that is all of `bytes`: trailing bytes are an error. Throws DerError. */
export function readDerExactly(bytes: Buffer, limits: DerLimits = DEFAULT_LIMITS): DerNode {
  const node = readDer(bytes, limits);
  if (node.raw.length !== bytes.length) throw new DerError(`${bytes.length - node.raw.length} bytes after the DER element`);
  return node;
}

/**
 * The elements that `bytes` holds one after another, up to the first byte
 * for which `stop` is true (a card file pads its end with 00 or FF). At most
 * `maxElements` are read; `onTooMany` is thrown for one more.
 */
export function readDerSeries(bytes: Buffer, maxElements: number, onTooMany: () => Error, stop: (byte: number) => boolean = () => false, limits: DerLimits = DEFAULT_LIMITS): DerNode[] {
  const out: DerNode[] = [];
  for (let at = 0; at < bytes.length && !stop(bytes[at]!); ) {
    if (out.length >= maxElements) throw onTooMany();
    const node = readElement(bytes, at, bytes.length, 0, limits);
    out.push(node);
    at += node.raw.length;
  }
  return out;
}

export const children = (node: DerNode | undefined): readonly DerNode[] => node?.children ?? [];

export function isUniversal(node: DerNode | undefined, type: number): node is DerNode {
  return node !== undefined && node.tagClass === TAG_CLASS.UNIVERSAL && node.type === type;
}

export function isContext(node: DerNode | undefined, n: number): node is DerNode {
  return node !== undefined && node.tagClass === TAG_CLASS.CONTEXT && node.type === n;
}

/** The content of a primitive element; undefined for a constructed one. */
export function bytesOf(node: DerNode | undefined): Buffer | undefined {
  return node && !node.constructed ? node.value : undefined;
}

export function utf8Of(node: DerNode | undefined, maxLength = 256): string | undefined {
  const bytes = bytesOf(node);
  return bytes === undefined ? undefined : bytes.toString('utf8').slice(0, maxLength);
}

/** A non-negative INTEGER that fits in 31 bits; undefined otherwise. */
export function smallIntegerOf(node: DerNode | undefined): number | undefined {
  const bytes = bytesOf(node);
  if (!bytes || bytes.length === 0 || bytes.length > 4 || bytes[0]! & 0x80) return undefined;
  const value = bytes.readUIntBE(0, bytes.length);
  return value <= 0x7fffffff ? value : undefined;
}

export function booleanOf(node: DerNode | undefined): boolean | undefined {
  const bytes = bytesOf(node);
  return bytes && bytes.length === 1 ? bytes[0] !== 0 : undefined;
}

/** The bit length of an unsigned INTEGER's content (an RSA modulus, a DSA prime): leading zero bits do not count. */
export function unsignedBitLength(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

/**
 * The instant a UTCTime or GeneralizedTime says; undefined when the element
 * is neither, an invalid Date when its text is not a time. Read as
 * RFC 5280 and X.680 write them: UTCTime YYMMDDhhmm[ss] with a two-digit year
 * below 50 in 20YY, 50 and up in 19YY; GeneralizedTime YYYYMMDDhhmmss[.f];
 * both end in Z or an offset +hhmm / -hhmm. Fields out of range (month 13,
 * 31 April, second 60) are invalid rather than rolled over into the next.
 */
export function timeOf(node: DerNode | undefined): Date | undefined {
  const utc = isUniversal(node, TYPE.UTCTIME);
  if (!utc && !isUniversal(node, TYPE.GENERALIZEDTIME)) return undefined;
  const text = bytesOf(node)?.toString('latin1') ?? '';
  const m = utc ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?(Z|[+-]\d{4})$/.exec(text);
  if (!m) return new Date(NaN);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((f) => Number(f ?? '0')) as [number, number, number, number, number, number];
  const fullYear = utc ? year + (year >= 50 ? 1900 : 2000) : year;
  const zone = m.at(-1)!;
  const offsetMinutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  // GeneralizedTime's fraction in milliseconds, computed as node-forge did so the instant is the same to the millisecond.
  const ms = !utc && m[7] ? Math.trunc(parseFloat(m[7]) * 1000) : 0;
  const local = new Date(0);
  local.setUTCFullYear(fullYear, month, 0);
  const daysInMonth = local.getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return new Date(NaN);
  local.setUTCFullYear(fullYear, month - 1, day);
  local.setUTCHours(hour, minute, second, ms);
  return new Date(local.getTime() - offsetMinutes * 60_000);
}

/** The elements of a SEQUENCE (or SET); DerError for anything else. */
export function sequenceOf(node: DerNode | undefined, what: string, type: number = TYPE.SEQUENCE): readonly DerNode[] {
  if (!isUniversal(node, type) || !node.constructed) throw new DerError(`${what} is not a ${type === TYPE.SET ? 'SET' : 'SEQUENCE'}`);
  return node.children;
}

/** The dotted OID; DerError when the element is not a readable OBJECT IDENTIFIER. */
export function oid(node: DerNode | undefined): string {
  const dotted = oidOf(node);
  if (dotted === undefined) throw new DerError('not an object identifier');
  return dotted;
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL } (RFC 5280 4.1.1.2). */
export function algorithmOf(node: DerNode | undefined): { readonly oid: string; readonly parameters?: DerNode } {
  const [algorithm, parameters, ...more] = sequenceOf(node, 'algorithm');
  if (more.length > 0) throw new DerError('algorithm has too many fields');
  return { oid: oid(algorithm), ...(parameters ? { parameters } : {}) };
}

/** The bytes of a BIT STRING of whole bytes (a signature, a key), after its unused-bits octet; DerError otherwise. */
export function bitStringBytes(node: DerNode | undefined, what: string): Buffer {
  const bits = isUniversal(node, TYPE.BITSTRING) ? bytesOf(node) : undefined;
  if (!bits || bits[0] !== 0) throw new DerError(`${what} is not a BIT STRING of whole bytes`);
  return bits.subarray(1);
}

/** The dotted form of an OBJECT IDENTIFIER's content; undefined when it is not one. */
export function oidOf(node: DerNode | undefined): string | undefined {
  const bytes = isUniversal(node, TYPE.OID) ? bytesOf(node) : undefined;
  return bytes ? decodeOid(bytes) : undefined;
}

export function decodeOid(bytes: Buffer): string | undefined {
  if (bytes.length === 0 || bytes.length > 64) return undefined;
  const arcs: number[] = [];
  let value = 0;
  for (const [i, byte] of bytes.entries()) {
    // X.690 8.19.2: a subidentifier in the fewest bytes, so never one that starts with 0x80 (OpenSSL refuses it too).
    if (byte === 0x80 && (i === 0 || (bytes[i - 1]! & 0x80) === 0)) return undefined;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    }
  }
  return (bytes.at(-1)! & 0x80) === 0 ? arcs.join('.') : undefined;
}

/** An attribute value as text: a universal string by its type, anything else as "#hex" of its content (RFC 4514 2.4). */
export function textOf(node: DerNode): string {
  return node.tagClass === TAG_CLASS.UNIVERSAL && !node.constructed ? decodeString(node.type, node.value) : `#${node.value.toString('hex')}`;
}

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** False for a universal string element that is not what its type says: UTF-8 that is not, an odd-length BMPString, a UniversalString beyond Unicode. */
export function isWellFormedString(node: DerNode): boolean {
  if (node.tagClass !== TAG_CLASS.UNIVERSAL || node.constructed) return true;
  const value = node.value;
  switch (node.type) {
    case TYPE.UTF8:
      try {
        FATAL_UTF8.decode(value);
        return true;
      } catch {
        return false;
      }
    case TYPE.BMPSTRING:
      return value.length % 2 === 0;
    case TYPE.UNIVERSALSTRING:
      if (value.length % 4 !== 0) return false;
      for (let i = 0; i < value.length; i += 4) if (value.readUInt32BE(i) > 0x10ffff) return false;
      return true;
    default:
      return true;
  }
}

/** The text of a string element by its universal type; "#hex" for one that is not text. */
export function decodeString(type: number, value: Buffer): string {
  switch (type) {
    case TYPE.UTF8:
      return value.toString('utf8');
    case TYPE.NUMERICSTRING:
    case TYPE.PRINTABLESTRING:
    case TYPE.IA5STRING:
    case TYPE.VISIBLESTRING:
    case TYPE.T61STRING: // in practice Latin-1
      return value.toString('latin1');
    case TYPE.BMPSTRING: // UTF-16 big-endian
      return value.length % 2 === 0 ? Buffer.from(value).swap16().toString('utf16le') : `#${value.toString('hex')}`;
    case TYPE.UNIVERSALSTRING: {
      // UTF-32 big-endian
      if (value.length % 4 !== 0) return `#${value.toString('hex')}`;
      let text = '';
      for (let i = 0; i < value.length; i += 4) {
        const cp = value.readUInt32BE(i);
        text += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return text;
    }
    default:
      return `#${value.toString('hex')}`;
  }
}
