/**
 * Why reading the presented chain failed, as a small closed set the verdict
 * turns into plain words. Every failure on the way (DNS, the proxy, the TCP
 * connection, the server's TLS answer) ends as one of these; nothing else
 * escapes the connector and the handshake reader.
 */
export type TlsFailureKind =
  | 'dns' // the name could not be looked up
  | 'refused' // nothing listens (or a firewall rejects)
  | 'reset' // the connection was cut off
  | 'unreachable' // no route to the network or host
  | 'network' // another socket error
  | 'timeout' // no answer within the time limit
  | 'closed' // closed before the server said anything
  | 'truncated' // closed in the middle of the server's TLS greeting
  | 'proxy-auth' // 407
  | 'proxy-forbidden' // 403
  | 'proxy-upstream' // 502, 503, 504: the proxy could not reach the host
  | 'proxy-status' // another non-2xx answer to CONNECT
  | 'proxy-protocol' // the proxy's answer is not HTTP
  | 'proxy-tls' // the TLS connection to an https:// proxy failed
  | 'not-tls' // the answer is not TLS at all
  | 'tls-alert' // the server refused with a TLS alert
  | 'malformed' // TLS, but broken
  | 'too-large' // a length beyond what any real server sends
  | 'aborted'; // the probe ran out of time or was cancelled

/** Where in the connection it happened. */
export type Phase = 'dns' | 'connect' | 'proxy' | 'handshake';

export interface TlsAlertInfo {
  readonly level: number;
  readonly description: number;
  readonly name: string;
}

export interface FailureInfo {
  /** Whether the proxy or the target host is the one that failed. */
  readonly at?: 'proxy' | 'target';
  /** The host:port the failure concerns. */
  readonly endpoint?: string;
  /** The operating system's error code (ECONNREFUSED, ENOTFOUND, ...). */
  readonly code?: string;
  readonly httpStatus?: number;
  /** The proxy's Proxy-Authenticate schemes, for 407. */
  readonly authSchemes?: readonly string[];
  /** Whether credentials were sent to the proxy, for 407. */
  readonly credentialsSent?: boolean;
  readonly alert?: TlsAlertInfo;
  /** Bytes received from the server before it went wrong. */
  readonly bytesRead?: number;
  /** The time limit that ran out. */
  readonly limitMs?: number;
  /** The bound that was exceeded, in bytes or items. */
  readonly limit?: number;
  /** The printable start of an answer that is not TLS ("HTTP/1.1 400 Bad Request"). */
  readonly preview?: string;
}

export class TlsProbeError extends Error {
  constructor(
    readonly kind: TlsFailureKind,
    readonly phase: Phase,
    /** A technical description in English, for details and --verbose. */
    detail: string,
    readonly info: FailureInfo = {},
  ) {
    super(detail);
    this.name = 'TlsProbeError';
  }
}

/** Map an operating system socket or resolver error onto a failure kind. */
export function kindOfSocketError(code: string | undefined): TlsFailureKind {
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
    case 'EAI_NONAME':
    case 'ESERVFAIL':
    case 'ENODATA':
      return 'dns';
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return 'reset';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
    case 'EHOSTDOWN':
    case 'EADDRNOTAVAIL':
      return 'unreachable';
    case 'ABORT_ERR':
      return 'aborted';
    default:
      return 'network';
  }
}

/** The printable start of some bytes, for showing what a non-TLS peer said. */
export function printablePreview(bytes: Buffer, max = 48): string {
  const text = bytes.subarray(0, max).toString('latin1');
  return text.replace(/[^\x20-\x7e]/g, '.').trimEnd();
}
