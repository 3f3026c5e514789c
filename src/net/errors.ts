import type { Phase, Timings } from './timings.js';

/** Why an exchange failed, in the words a helpdesk needs; `explainNetError` turns it into advice. */
export type NetFailureKind =
  | 'dns' // the name does not resolve
  | 'refused' // nothing listens on that port
  | 'unreachable' // no route to the address
  | 'reset' // the other side closed or reset the connection
  | 'timeout' // a phase took longer than the time limit
  | 'proxy-auth' // the proxy wants credentials (407)
  | 'proxy-refused' // the proxy answered CONNECT with another status (403, 502, ...)
  | 'cert-untrusted' // the chain does not end in a trusted root
  | 'cert-wrong-host' // the certificate is for another name
  | 'cert-expired'
  | 'cert-not-yet-valid'
  | 'client-cert-required' // the server wants a client certificate (the card) to continue
  | 'tls' // another TLS handshake failure
  | 'protocol' // the answer is not HTTP as expected
  | 'too-large' // the response head is larger than we accept
  | 'aborted' // our own budget ran out or the run was cancelled
  | 'other';

export interface NetErrorInfo {
  /** The host the failing step talked to: the server, or the proxy. */
  readonly host: string;
  readonly port?: number;
  /**
   * Node's or undici's error code, or the TLS verification code. A `reset`
   * without one is an orderly close (the peer ended the connection before
   * answering), not a TCP reset.
   */
  readonly code?: string;
  /** The proxy's answer to CONNECT, for proxy-auth and proxy-refused. */
  readonly statusCode?: number;
  /** The schemes the proxy asks for in Proxy-Authenticate (Basic, NTLM, Negotiate), in its order of preference. */
  readonly proxyAuthSchemes?: readonly string[];
  /** Whether credentials (from the proxy URL) were sent with the request the proxy refused. */
  readonly credentialsSent?: boolean;
  /** Whether the failing step was towards the proxy rather than the server. */
  readonly atProxy?: boolean;
  /** The failure was in the TLS handshake with an https:// proxy. */
  readonly proxyTls?: boolean;
  /** The time limit that ran out. */
  readonly limitMs?: number;
  /** The bound, in bytes, that an answer exceeded. */
  readonly limit?: number;
  /** The printable start of an answer that is not what was expected ("SSH-2.0-OpenSSH_9.2"). */
  readonly preview?: string;
}

/** A failed exchange: what went wrong, in which phase, and how long each phase took until then. */
export class NetError extends Error {
  timings?: Timings;

  constructor(
    readonly kind: NetFailureKind,
    readonly phase: Phase,
    readonly info: NetErrorInfo,
    message: string,
  ) {
    super(message);
    this.name = 'NetError';
  }
}

const BY_CODE: Record<string, NetFailureKind> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
  EAI_NODATA: 'dns',
  ESERVFAIL: 'dns',
  ENODATA: 'dns',
  ECONNREFUSED: 'refused',
  ENETUNREACH: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETDOWN: 'unreachable',
  EHOSTDOWN: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  ERR_SOCKET_CLOSED: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_OVERFLOW: 'too-large',
  UND_ERR_RES_EXCEEDED_MAX_SIZE: 'too-large',
  UND_ERR_ABORTED: 'aborted',
  ABORT_ERR: 'aborted',
  CERT_HAS_EXPIRED: 'cert-expired',
  CERT_NOT_YET_VALID: 'cert-not-yet-valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'cert-wrong-host',
  UNABLE_TO_GET_ISSUER_CERT: 'cert-untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'cert-untrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'cert-untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'cert-untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'cert-untrusted',
  CERT_UNTRUSTED: 'cert-untrusted',
  CERT_SIGNATURE_FAILURE: 'cert-untrusted',
  CERT_CHAIN_TOO_LONG: 'cert-untrusted',
  INVALID_CA: 'cert-untrusted',
  CERT_REJECTED: 'cert-untrusted',
  // TLS 1.3 servers say so with an alert when the client sends no certificate.
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'client-cert-required',
};

/**
 * Turn whatever Node, OpenSSL or undici threw into a NetError. `phase` is the
 * phase that was running; undici's own timeouts name theirs.
 */
export function toNetError(err: unknown, phase: Phase, info: NetErrorInfo): NetError {
  if (err instanceof NetError) return err;
  const e = err as (Error & { code?: string }) | undefined;
  const code = typeof e?.code === 'string' ? e.code : e?.name === 'AbortError' ? 'ABORT_ERR' : undefined;
  let kind: NetFailureKind = (code && BY_CODE[code]) || 'other';
  if (kind === 'other' && code) {
    if (code.startsWith('HPE_') || code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_RESPONSE') kind = 'protocol';
    else if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) kind = 'tls';
  }
  const actualPhase = code === 'UND_ERR_HEADERS_TIMEOUT' ? 'firstByte' : code === 'UND_ERR_BODY_TIMEOUT' ? 'body' : phase;
  const message = e?.message ?? String(err);
  return new NetError(kind, actualPhase, { ...info, ...(code ? { code } : {}) }, message);
}

/** The printable start of some bytes, for showing what a peer that does not speak the expected protocol said. */
export function printablePreview(bytes: Buffer, max = 48): string {
  const text = bytes.subarray(0, max).toString('latin1');
  return text.replace(/[^\x20-\x7e]/g, '.').trimEnd();
}
