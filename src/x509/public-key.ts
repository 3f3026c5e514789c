import { algorithmOf, bitStringBytes, children, isUniversal, oidOf, readDerExactly, sequenceOf, TYPE, unsignedBitLength, type DerNode } from '../der.js';
import type { PublicKeyFacts } from './facts.js';

/**
 * The key a certificate carries, from its SubjectPublicKeyInfo
 * (RFC 5280 4.1.2.7): { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }.
 * Types and curve names are the ones Node's KeyObject gives (OpenSSL's), so
 * a report reads the same whichever way the key was once read.
 */
export function publicKeyFacts(spki: readonly DerNode[]): PublicKeyFacts {
  const [algorithm, bitString, ...more] = spki;
  const { oid, parameters } = algorithmOf(algorithm);
  const key = bitStringBytes(bitString, 'public key');
  if (more.length > 0) throw new Error('public key has too many fields');
  switch (oid) {
    case RSA_ENCRYPTION:
      return { type: 'RSA', bits: rsaModulusBits(key) };
    case RSASSA_PSS:
      return { type: 'RSA-PSS', bits: rsaModulusBits(key) };
    case EC_PUBLIC_KEY: {
      // ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER, ... }: certificates name their curve (RFC 5480 2.1.1).
      const curveOid = oidOf(parameters);
      if (!curveOid) throw new Error('EC key without a named curve');
      const curve = NAMED_CURVES[curveOid];
      return curve ? { type: 'EC', bits: curve.bits, curve: curve.name } : { type: 'EC', curve: curveOid };
    }
    case DSA: {
      // Dss-Parms ::= SEQUENCE { p, q, g } (RFC 3279 2.3.2): the key's size is p's.
      const p = children(parameters)[0];
      return { type: 'DSA', ...(isUniversal(p, TYPE.INTEGER) ? { bits: unsignedBitLength(p.value) } : {}) };
    }
    default: {
      // A key algorithm nobody here knows is most likely a damaged OID; OpenSSL refused those certificates too.
      const known = OTHER_KEYS[oid];
      if (!known) throw new Error(`unknown public key algorithm ${oid}`);
      return known;
    }
  }
}

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const DSA = '1.2.840.10040.4.1';

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 A.1.1), the BIT STRING's content. */
function rsaModulusBits(key: Buffer): number {
  const [modulus, exponent, ...more] = sequenceOf(readDerExactly(key), 'RSA public key');
  if (!isUniversal(modulus, TYPE.INTEGER) || !isUniversal(exponent, TYPE.INTEGER) || more.length > 0) throw new Error('not an RSA public key');
  return unsignedBitLength(modulus.value);
}

/** Named curves by OID (RFC 5480 2.1.1.1, SEC 2, RFC 5639), with OpenSSL's names. */
const NAMED_CURVES: Readonly<Record<string, { readonly name: string; readonly bits: number }>> = {
  '1.2.840.10045.3.1.1': { name: 'prime192v1', bits: 192 },
  '1.3.132.0.33': { name: 'secp224r1', bits: 224 },
  '1.2.840.10045.3.1.7': { name: 'prime256v1', bits: 256 },
  '1.3.132.0.34': { name: 'secp384r1', bits: 384 },
  '1.3.132.0.35': { name: 'secp521r1', bits: 521 },
  '1.3.132.0.10': { name: 'secp256k1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.7': { name: 'brainpoolP256r1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.11': { name: 'brainpoolP384r1', bits: 384 },
  '1.3.36.3.3.2.8.1.1.13': { name: 'brainpoolP512r1', bits: 512 },
};

/** Keys without parameters to read (RFC 8410 3; RFC 3279 2.3.3), named as Node's KeyObject names their type. */
const OTHER_KEYS: Readonly<Record<string, PublicKeyFacts>> = {
  '1.3.101.112': { type: 'Ed25519', bits: 256 },
  '1.3.101.113': { type: 'Ed448', bits: 456 },
  '1.3.101.110': { type: 'x25519' },
  '1.3.101.111': { type: 'x448' },
  '1.2.840.10046.2.1': { type: 'dh' },
};
