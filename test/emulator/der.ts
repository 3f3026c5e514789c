/** A tiny DER writer for building card images (tag, definite length, value). */
export function der(tag: number, ...content: Buffer[]): Buffer {
  const value = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(value.length), value]);
}

export function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const sequence = (...content: Buffer[]): Buffer => der(0x30, ...content);
export const octetString = (value: Buffer): Buffer => der(0x04, value);
export const utf8String = (text: string): Buffer => der(0x0c, Buffer.from(text, 'utf8'));
export const boolean = (value: boolean): Buffer => der(0x01, Buffer.from([value ? 0xff : 0x00]));

/** A non-negative INTEGER, minimal two's complement. */
export function integer(value: number): Buffer {
  const bytes: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return der(0x02, Buffer.from(bytes));
}

/** A BIT STRING from a list of set bit numbers (bit 0 is the most significant bit of the first byte). */
export function bitString(bits: readonly number[]): Buffer {
  const bytes = Buffer.alloc(bits.length === 0 ? 0 : Math.floor(Math.max(...bits) / 8) + 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  const used = bits.length === 0 ? 0 : (Math.max(...bits) % 8) + 1;
  return der(0x03, Buffer.from([bits.length === 0 ? 0 : 8 - used]), bytes);
}

/** A context-specific tag [n], constructed or primitive. */
export const context = (n: number, constructed: boolean, ...content: Buffer[]): Buffer => der((constructed ? 0xa0 : 0x80) | n, ...content);
