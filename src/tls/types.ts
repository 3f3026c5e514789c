import type { ProxyDecision } from '../net/types.js';
import type { ResolveRule } from '../options.js';
import type { CertificateRequestSeen } from './handshake-reader.js';

/** What to connect to, how, and within what time. */
export interface PresentedRequest {
  readonly host: string;
  readonly port: number;
  /** Direct, or through this HTTP CONNECT proxy (from resolveProxy). */
  readonly route: ProxyDecision;
  readonly resolve: readonly ResolveRule[];
  /** Roots to trust (PEM) for an https:// proxy and the TLS 1.3 fallback; undefined means Node's bundled roots. */
  readonly ca?: readonly string[];
  /** Per phase: DNS, TCP connect, proxy answer, TLS greeting. */
  readonly timeoutMs: number;
  /** All phases of this host together, the TLS 1.3 fallback included. */
  readonly totalMs: number;
  readonly signal: AbortSignal;
}

/**
 * What the server presented.
 * - `as-sent`: read by our TLS 1.2 reader; every certificate exactly as and
 *   in the order the server sent it, and its CertificateRequest (or none).
 * - `as-verified`: the server speaks only TLS 1.3, where both are
 *   encrypted; the chain is the one Node's TLS built (order may differ,
 *   extra certificates dropped, the root may come from the local store) and
 *   the client-certificate request cannot be seen.
 */
export interface PresentedHandshake {
  readonly chainSource: 'as-sent' | 'as-verified';
  /** "TLSv1.2", "TLSv1.3". */
  readonly protocol: string;
  readonly cipherSuite?: string;
  readonly certificates: readonly Buffer[];
  /** Only for `as-sent`: undefined means the server did not ask for a client certificate. */
  readonly certificateRequest?: CertificateRequestSeen;
  /** The server's handshake messages in order (as-sent only). */
  readonly messages: readonly string[];
  /** Where the TCP connection went: the host's address, or the proxy's. */
  readonly remoteAddress: string;
  readonly connectMs: number;
  readonly handshakeMs: number;
  readonly bytesRead: number;
}

/** The TLS part of the outside world (System.tls): the real one connects, tests may hand in a recording. */
export interface TlsClient {
  /** Resolves with what the server presented, or rejects with a TlsProbeError. */
  readPresented(request: PresentedRequest): Promise<PresentedHandshake>;
}
