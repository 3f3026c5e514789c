/**
 * Distinguished names as a person reads them, most specific first:
 * "CN=TEST SITHS e-id Root CA v2, O=Inera AB (TEST), C=SE". The names in a
 * CertificateRequest come straight from the wire, so this is a small DER
 * reader of its own that checks every length against what is there and
 * never throws: a name it cannot read comes back as undefined.
 */

import { ATTRIBUTE_LABELS, cleanText } from '../x509/facts.js';

const SEQUENCE = 0x30;
const SET = 0x31;
const OID = 0x06;

interface Tlv {
  readonly tag: number;
  readonly value: Buffer;
  readonly end: number;
}

function readTlv(buf: Buffer, offset: number): Tlv | undefined {
  if (offset + 2 > buf.length) return undefined;
  const tag = buf[offset]!;
  // High tag numbers never occur in names.
  if ((tag & 0x1f) === 0x1f) return undefined;
  let length = buf[offset + 1]!;
  let pos = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 3 || pos + count > buf.length) return undefined;
    length = buf.readUIntBE(pos, count);
    pos += count;
  }
  if (pos + length > buf.length) return undefined;
  return { tag, value: buf.subarray(pos, pos + length), end: pos + length };
}

function children(buf: Buffer): Tlv[] | undefined {
  const out: Tlv[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const tlv = readTlv(buf, offset);
    if (!tlv) return undefined;
    out.push(tlv);
    offset = tlv.end;
  }
  return out;
}

function decodeOid(bytes: Buffer): string | undefined {
  if (bytes.length === 0 || bytes.length > 64) return undefined;
  const arcs: number[] = [];
  let value = 0;
  for (const byte of bytes) {
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

function decodeString(tag: number, value: Buffer): string {
  switch (tag) {
    case 0x0c: // UTF8String
      return value.toString('utf8');
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x1a: // VisibleString
    case 0x14: // TeletexString, in practice Latin-1
      return value.toString('latin1');
    case 0x1e: // BMPString, UTF-16 big-endian
      return value.length % 2 === 0 ? Buffer.from(value).swap16().toString('utf16le') : `#${value.toString('hex')}`;
    case 0x1c: {
      // UniversalString, UTF-32 big-endian
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

/** An attribute's short name and value, in DER order. */
export interface NameAttribute {
  readonly type: string;
  readonly value: string;
}

/** The attributes of a DER Name, or undefined when it is not one. */
export function parseName(der: Buffer): NameAttribute[][] | undefined {
  const outer = readTlv(der, 0);
  if (!outer || outer.tag !== SEQUENCE || outer.end !== der.length) return undefined;
  const rdns = children(outer.value);
  if (!rdns) return undefined;
  const out: NameAttribute[][] = [];
  for (const rdn of rdns) {
    if (rdn.tag !== SET) return undefined;
    const atvs = children(rdn.value);
    if (!atvs || atvs.length === 0) return undefined;
    const set: NameAttribute[] = [];
    for (const atv of atvs) {
      if (atv.tag !== SEQUENCE) return undefined;
      const parts = children(atv.value);
      if (!parts || parts.length !== 2 || parts[0]!.tag !== OID) return undefined;
      const oid = decodeOid(parts[0]!.value);
      if (!oid) return undefined;
      set.push({ type: ATTRIBUTE_LABELS[oid] ?? oid, value: cleanText(decodeString(parts[1]!.tag, parts[1]!.value)) });
    }
    out.push(set);
  }
  return out;
}

/** "CN=..., O=..., C=SE", most specific first; undefined when the bytes are not a name. */
export function formatName(der: Buffer): string | undefined {
  const rdns = parseName(der);
  if (!rdns) return undefined;
  return rdns
    .map((set) => set.map((a) => `${a.type}=${a.value}`).join(' + '))
    .reverse()
    .join(', ');
}

/**
 * Node's X509Certificate.subject / .issuer ("C=SE\nO=...\nCN=...", one
 * attribute a line, control characters already escaped) in the same order
 * and style as formatName.
 */
export function fromNodeName(multiline: string): string {
  return cleanText(multiline.split('\n').filter(Boolean).reverse().join(', '));
}

/** The value of the first attribute of a type in a display name ("CN" of "CN=x, O=y"). */
export function attributeOf(displayName: string, type: string): string | undefined {
  for (const part of displayName.split(/,\s+(?=[A-Za-z0-9.]+=)/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === type) return part.slice(eq + 1);
  }
  return undefined;
}
