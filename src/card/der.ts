import forge from 'node-forge';
import { declaredDerLength } from '../der.js';
import { CardReadError } from './errors.js';

/** A parsed DER element (node-forge's reader), with helpers that never trust a field's shape. */
export type Asn1 = forge.asn1.Asn1;

const CONTEXT = forge.asn1.Class.CONTEXT_SPECIFIC;
const UNIVERSAL = forge.asn1.Class.UNIVERSAL;

export const TYPE = forge.asn1.Type;

// Nothing on a PKCS#15 card nests deeper; a file that does is not one.
const FROM_DER_OPTIONS = { strict: true, parseAllBytes: false, decodeBitStrings: false, maxDepth: 16 };
// node-forge takes these options, but its type declarations only know the `strict` flag.
const fromDer = forge.asn1.fromDer as unknown as (bytes: forge.util.ByteStringBuffer, options: typeof FROM_DER_OPTIONS) => Asn1;

/**
 * The DER objects a PKCS#15 file holds one after another (a directory file
 * lists its objects that way), up to the 00 or FF bytes that pad the rest
 * of the file. Every length is checked against the bytes that are there
 * (node-forge's strict mode), and at most `maxObjects` are taken.
 */
export function readDerObjects(bytes: Buffer, what: string, maxObjects: number, atr?: string): Asn1[] {
  const buffer = forge.util.createBuffer(bytes.toString('binary'));
  const objects: Asn1[] = [];
  while (buffer.length() > 0) {
    const next = buffer.bytes(1).charCodeAt(0);
    if (next === 0x00 || next === 0xff) break;
    if (objects.length >= maxObjects) throw new CardReadError('malformed', `${what} holds more than ${maxObjects} objects`, atr);
    try {
      objects.push(fromDer(buffer, FROM_DER_OPTIONS));
    } catch (err) {
      throw new CardReadError('malformed', `${what} is not valid DER (${err instanceof Error ? err.message : String(err)})`, atr);
    }
  }
  return objects;
}

/** The length of the DER element at the start of `bytes` (tag, length and value), or undefined when it does not fit. */
export function derElementLength(bytes: Buffer): number | undefined {
  const total = declaredDerLength(bytes);
  return total !== undefined && total <= bytes.length ? total : undefined;
}

/** The DER encoding of an element read earlier. */
export function encodeDer(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

export const children = (node: Asn1 | undefined): Asn1[] => (node && Array.isArray(node.value) ? node.value : []);

export function isUniversal(node: Asn1 | undefined, type: number): node is Asn1 {
  return node !== undefined && node.tagClass === UNIVERSAL && node.type === type;
}

export function isContext(node: Asn1 | undefined, n: number): node is Asn1 {
  return node !== undefined && node.tagClass === CONTEXT && node.type === n;
}

/** The raw bytes of a primitive element; undefined for a constructed one. */
export function bytesOf(node: Asn1 | undefined): Buffer | undefined {
  return node && typeof node.value === 'string' ? Buffer.from(node.value, 'binary') : undefined;
}

export function utf8Of(node: Asn1 | undefined, maxLength = 256): string | undefined {
  const bytes = bytesOf(node);
  return bytes === undefined ? undefined : bytes.toString('utf8').slice(0, maxLength);
}

/** A non-negative INTEGER that fits in 31 bits; undefined otherwise. */
export function smallIntegerOf(node: Asn1 | undefined): number | undefined {
  const bytes = bytesOf(node);
  if (!bytes || bytes.length === 0 || bytes.length > 4 || bytes[0]! & 0x80) return undefined;
  const value = bytes.readUIntBE(0, bytes.length);
  return value <= 0x7fffffff ? value : undefined;
}

export function booleanOf(node: Asn1 | undefined): boolean | undefined {
  const bytes = bytesOf(node);
  return bytes && bytes.length === 1 ? bytes[0] !== 0 : undefined;
}
