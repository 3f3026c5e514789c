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
