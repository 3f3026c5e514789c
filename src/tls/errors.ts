import type { NetError } from '../net/errors.js';
import type { Phase as NetPhase } from '../net/timings.js';
import { authorityOf } from '../net/tunnel.js';
import { alertCode } from './names.js';

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

/** Where in the connection it happened: the shared connector's phases as idp-tls names them, and reading the TLS greeting. */
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

const PHASE: Record<NetPhase, Phase> = { dns: 'dns', connect: 'connect', proxyConnect: 'proxy', tls: 'handshake', firstByte: 'handshake', body: 'handshake' };

/**
 * A failure of the shared connector (src/net/connect.ts) or of a socket it
 * opened, in the words of the idp-tls verdict. The only place the two
 * vocabularies meet; `extra` adds what the caller knows (bytes read).
 */
export function fromNetError(err: NetError, extra: FailureInfo = {}): TlsProbeError {
  const { info } = err;
  const kind = tlsKind(err);
  const alert = kind === 'tls-alert' ? /_ALERT_([A-Z_]+)$/.exec(info.code ?? '')?.[1]?.toLowerCase() : undefined;
  return new TlsProbeError(kind, PHASE[err.phase], err.message, {
    at: info.atProxy ? 'proxy' : 'target',
    endpoint: info.port === undefined ? info.host : authorityOf(info.host, info.port),
    ...(info.code !== undefined ? { code: info.code } : {}),
    ...(info.statusCode !== undefined ? { httpStatus: info.statusCode } : {}),
    ...(info.proxyAuthSchemes !== undefined ? { authSchemes: info.proxyAuthSchemes } : {}),
    ...(info.credentialsSent !== undefined ? { credentialsSent: info.credentialsSent } : {}),
    ...(alert ? { alert: { level: 2, description: alertCode(alert), name: alert } } : {}),
    ...(info.limitMs !== undefined ? { limitMs: info.limitMs } : {}),
    ...(info.limit !== undefined ? { limit: info.limit } : {}),
    ...(info.preview !== undefined ? { preview: info.preview } : {}),
    ...extra,
  });
}

function tlsKind({ kind, phase, info }: NetError): TlsFailureKind {
  if (kind === 'timeout' || kind === 'aborted') return kind;
  if (info.proxyTls) return 'proxy-tls';
  switch (kind) {
    case 'dns':
    case 'refused':
    case 'unreachable':
      return kind;
    case 'reset':
      return info.code ? 'reset' : 'closed';
    case 'proxy-auth':
      return 'proxy-auth';
    case 'proxy-refused':
      return info.statusCode === 403 ? 'proxy-forbidden' : [502, 503, 504].includes(info.statusCode ?? 0) ? 'proxy-upstream' : 'proxy-status';
    case 'protocol':
      return phase === 'proxyConnect' ? 'proxy-protocol' : 'malformed';
    case 'tls':
    case 'client-cert-required':
      // Node's TLS (the TLS 1.3 fallback): an alert the server sent, or TLS it could not make sense of.
      return /_ALERT_/.test(info.code ?? '') ? 'tls-alert' : info.code?.startsWith('ERR_SSL_') ? 'malformed' : 'network';
    default:
      return 'network';
  }
}
