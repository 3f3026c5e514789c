/**
 * Names for the numbers TLS puts on the wire (IANA TLS parameters registry,
 * RFC 5246 and RFC 8446), for reports. Unknown numbers print as hex.
 */

/** The TLS 1.2 cipher suites a current browser offers (Chrome and Firefox, 2024-2026), in their order. */
export const BROWSER_CIPHER_SUITES: readonly (readonly [number, string])[] = [
  [0xc02b, 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  [0xc02f, 'ECDHE-RSA-AES128-GCM-SHA256'],
  [0xc02c, 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  [0xc030, 'ECDHE-RSA-AES256-GCM-SHA384'],
  [0xcca9, 'ECDHE-ECDSA-CHACHA20-POLY1305'],
  [0xcca8, 'ECDHE-RSA-CHACHA20-POLY1305'],
  [0xc013, 'ECDHE-RSA-AES128-SHA'],
  [0xc014, 'ECDHE-RSA-AES256-SHA'],
  [0x009c, 'AES128-GCM-SHA256'],
  [0x009d, 'AES256-GCM-SHA384'],
  [0x002f, 'AES128-SHA'],
  [0x0035, 'AES256-SHA'],
];

const CIPHER_SUITES = new Map<number, string>(BROWSER_CIPHER_SUITES);

export function cipherSuiteName(code: number): string {
  return CIPHER_SUITES.get(code) ?? hex16(code);
}

const ALERTS: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

export const ALERT_PROTOCOL_VERSION = 70;
export const ALERT_HANDSHAKE_FAILURE = 40;

export function alertName(description: number): string {
  return ALERTS[description] ?? `alert ${description}`;
}

/** The alert number for a name such as "handshake_failure" (OpenSSL error codes carry only the name); -1 when unknown. */
export function alertCode(name: string): number {
  const entry = Object.entries(ALERTS).find(([, n]) => n === name);
  return entry ? Number(entry[0]) : -1;
}

const SIGNATURE_SCHEMES: Record<number, string> = {
  0x0201: 'rsa_pkcs1_sha1',
  0x0203: 'ecdsa_sha1',
  0x0202: 'dsa_sha1',
  0x0301: 'rsa_pkcs1_sha224',
  0x0302: 'dsa_sha224',
  0x0303: 'ecdsa_sha224',
  0x0401: 'rsa_pkcs1_sha256',
  0x0402: 'dsa_sha256',
  0x0403: 'ecdsa_secp256r1_sha256',
  0x0501: 'rsa_pkcs1_sha384',
  0x0502: 'dsa_sha384',
  0x0503: 'ecdsa_secp384r1_sha384',
  0x0601: 'rsa_pkcs1_sha512',
  0x0602: 'dsa_sha512',
  0x0603: 'ecdsa_secp521r1_sha512',
  0x0804: 'rsa_pss_rsae_sha256',
  0x0805: 'rsa_pss_rsae_sha384',
  0x0806: 'rsa_pss_rsae_sha512',
  0x0807: 'ed25519',
  0x0808: 'ed448',
  0x0809: 'rsa_pss_pss_sha256',
  0x080a: 'rsa_pss_pss_sha384',
  0x080b: 'rsa_pss_pss_sha512',
};

export function signatureSchemeName(code: number): string {
  return SIGNATURE_SCHEMES[code] ?? hex16(code);
}

const CLIENT_CERTIFICATE_TYPES: Record<number, string> = {
  1: 'rsa_sign',
  2: 'dss_sign',
  3: 'rsa_fixed_dh',
  4: 'dss_fixed_dh',
  64: 'ecdsa_sign',
  65: 'rsa_fixed_ecdh',
  66: 'ecdsa_fixed_ecdh',
};

export function clientCertificateTypeName(code: number): string {
  return CLIENT_CERTIFICATE_TYPES[code] ?? `type ${code}`;
}

export function protocolName(version: number): string {
  switch (version) {
    case 0x0300:
      return 'SSLv3';
    case 0x0301:
      return 'TLSv1';
    case 0x0302:
      return 'TLSv1.1';
    case 0x0303:
      return 'TLSv1.2';
    case 0x0304:
      return 'TLSv1.3';
    default:
      return hex16(version);
  }
}

function hex16(code: number): string {
  return `0x${code.toString(16).padStart(4, '0')}`;
}
