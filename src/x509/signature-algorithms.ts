/**
 * Names of the signature algorithms certificates are signed with. Where
 * node-forge (which read them before) knew an OID, the name is forge's, so
 * the JSON's signatureAlgorithm stays what it was; the ones forge did not
 * know (ECDSA, SHA-224, MD2, DSA with SHA-2, Ed448) carry their names from the
 * RFC cited. Any other OID is shown dotted.
 */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  // RFC 3279 2.2.1, RFC 8017 A.2.4
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  // OIW (old Windows certificates), named as forge named it
  '1.3.14.3.2.29': 'sha1WithRSASignature',
  // RFC 4055 5 and 3.1
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  // RFC 3279 2.2.2 and 2.2.3, RFC 5758 3.1 and 3.2
  '1.2.840.10040.4.3': 'dsa-with-sha1',
  '2.16.840.1.101.3.4.3.1': 'dsa-with-sha224',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-sha256',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  // RFC 8410 3 (forge's name for Ed25519)
  '1.3.101.112': 'EdDSA25519',
  '1.3.101.113': 'Ed448',
};

/** The name of a signature algorithm, or its OID when it has none here. */
export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_ALGORITHMS[oid] ?? oid;
}
