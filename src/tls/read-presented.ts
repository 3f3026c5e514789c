import type { Duplex } from 'node:stream';
import type { TLSSocket, DetailedPeerCertificate } from 'node:tls';
import { duration } from '../i18n/duration.js';
import { openConnection, type OpenedConnection } from '../net/connect.js';
import { NetError, toNetError } from '../net/errors.js';
import { PhaseLimits, runPhase } from '../net/limits.js';
import { PhaseClock } from '../net/timings.js';
import { authorityOf } from '../net/tunnel.js';
import { buildClientHello } from './client-hello.js';
import { fromNetError, TlsProbeError } from './errors.js';
import { ServerFlightReader, type ServerFlight } from './handshake-reader.js';
import { ALERT_HANDSHAKE_FAILURE, ALERT_PROTOCOL_VERSION, cipherSuiteName, protocolName } from './names.js';
import type { PresentedHandshake, PresentedRequest, TlsClient } from './types.js';

export const realTlsClient: TlsClient = { readPresented };

/**
 * Alerts a TLS 1.3-only server answers a TLS 1.2-only hello with:
 * protocol_version (OpenSSL, RFC 8446 appendix D) or handshake_failure (GnuTLS).
 */
const REFUSALS_OF_TLS12 = new Set([ALERT_PROTOCOL_VERSION, ALERT_HANDSHAKE_FAILURE]);

/**
 * Connect and read what the server presents: our TLS 1.2 reader over the raw
 * connection first; when the server refuses TLS 1.2 with a protocol_version
 * alert (TLS 1.3 only), a second connection through Node's TLS for the chain.
 */
export async function readPresented(request: PresentedRequest): Promise<PresentedHandshake> {
  const limits = new PhaseLimits(request.timeoutMs, request.signal, request.totalMs);
  const clock = new PhaseClock();
  const connection = await connect(request, limits, clock, false);
  const connectMs = clock.elapsed();
  let flight: ServerFlight;
  try {
    flight = await readServerFlight(connection.socket, buildClientHello(request.host), limits, request.host, request.port);
  } catch (err) {
    connection.socket.destroy();
    if (err instanceof TlsProbeError && err.kind === 'tls-alert' && REFUSALS_OF_TLS12.has(err.info.alert?.description ?? -1)) {
      try {
        return await readWithNodeTls(request, limits);
      } catch (second) {
        // Not a TLS 1.3 server after all: the first refusal is the one to report, unless time ran out.
        if (second instanceof TlsProbeError && (second.kind === 'timeout' || second.kind === 'aborted')) throw second;
        throw err;
      }
    }
    throw err;
  }
  connection.socket.destroy();
  return {
    chainSource: 'as-sent',
    protocol: protocolName(flight.version),
    cipherSuite: cipherSuiteName(flight.cipherSuite),
    certificates: flight.certificates,
    certificateRequest: flight.certificateRequest,
    messages: flight.messages,
    remoteAddress: connection.remoteAddress,
    connectMs,
    handshakeMs: clock.elapsed() - connectMs,
    bytesRead: flight.bytesRead,
  };
}

/**
 * The shared connector: directly or through the route's proxy, --resolve
 * applied, an https:// proxy verified against `ca`; the host's chain is ours
 * to judge, never Node's to refuse.
 */
async function connect(request: PresentedRequest, limits: PhaseLimits, clock: PhaseClock, tls: boolean): Promise<OpenedConnection> {
  // As a browser: h2 first, then http/1.1 (some servers refuse a hello without the protocol they serve).
  try {
    return await openConnection({
      host: request.host,
      port: request.port,
      tls,
      proxy: proxyOf(request),
      forwardThroughProxy: false,
      resolve: request.resolve,
      ca: request.ca,
      verify: 'proxy',
      alpn: ['h2', 'http/1.1'],
      limits,
      clock,
    });
  } catch (err) {
    throw err instanceof NetError ? fromNetError(err) : err;
  }
}

const proxyOf = (request: PresentedRequest): URL | undefined => (request.route.mode === 'http' ? request.route.url : undefined);

/** Send the ClientHello and read until ServerHelloDone, an alert, the end of the stream, or the time limit. */
function readServerFlight(socket: Duplex, hello: Buffer, limits: PhaseLimits, host: string, port: number): Promise<ServerFlight> {
  const endpoint = authorityOf(host, port);
  const reader = new ServerFlightReader();
  return runPhase<ServerFlight>(
    limits,
    {
      timeout: (limitMs) =>
        new TlsProbeError('timeout', 'handshake', `${endpoint} did not finish its TLS greeting within ${duration(limitMs, 'en')} (${reader.bytesRead} bytes received)`, {
          at: 'target',
          endpoint,
          limitMs,
          bytesRead: reader.bytesRead,
        }),
      aborted: () => new TlsProbeError('aborted', 'handshake', 'stopped: the check ran out of time or was cancelled'),
    },
    (resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        try {
          const flight = reader.push(chunk);
          if (flight) resolve(flight);
        } catch (err) {
          reject(err);
        }
      };
      const onEnd = (): void => {
        try {
          reader.end();
        } catch (err) {
          reject(err);
        }
      };
      const onError = (err: Error): void => reject(fromNetError(toNetError(err, 'tls', { host, port }), { bytesRead: reader.bytesRead }));
      socket.on('data', onData);
      socket.once('end', onEnd);
      socket.once('close', onEnd);
      socket.once('error', onError);
      socket.write(hello);
      socket.resume();
      return () => {
        socket.off('data', onData);
        socket.off('end', onEnd);
        socket.off('close', onEnd);
        socket.off('error', onError);
      };
    },
  );
}

/** TLS 1.3 only: Node's TLS over a fresh connection, for the chain it verified. No session is reused. */
async function readWithNodeTls(request: PresentedRequest, limits: PhaseLimits): Promise<PresentedHandshake> {
  const clock = new PhaseClock();
  const connection = await connect(request, limits, clock, true);
  const socket = connection.socket as TLSSocket;
  try {
    const connectMs = clock.endOf('proxyConnect') ?? clock.endOf('connect')!;
    return {
      chainSource: 'as-verified',
      protocol: socket.getProtocol() ?? 'unknown',
      cipherSuite: socket.getCipher()?.standardName,
      certificates: verifiedChain(socket.getPeerCertificate(true)),
      messages: [],
      remoteAddress: connection.remoteAddress,
      connectMs,
      handshakeMs: clock.endOf('tls')! - connectMs,
      bytesRead: socket.bytesRead,
    };
  } finally {
    socket.destroy();
  }
}

/** Node's peer chain, leaf first, up to the root (whose issuerCertificate is itself). */
function verifiedChain(peer: DetailedPeerCertificate): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = peer;
  while (cert?.raw && !seen.has(cert.fingerprint256) && chain.length < 16) {
    seen.add(cert.fingerprint256);
    chain.push(Buffer.from(cert.raw));
    cert = cert.issuerCertificate;
  }
  return chain;
}
