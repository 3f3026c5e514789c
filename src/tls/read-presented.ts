import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { buildClientHello } from './client-hello.js';
import { ignore, openConnection, socketError } from './connect.js';
import { TlsProbeError } from './errors.js';
import { ServerFlightReader, type ServerFlight } from './handshake-reader.js';
import { PhaseClock, runPhase } from './limits.js';
import { ALERT_PROTOCOL_VERSION, alertCode, cipherSuiteName, protocolName } from './names.js';
import type { PresentedHandshake, PresentedRequest, TlsClient } from './types.js';

export const realTlsClient: TlsClient = { readPresented };

/**
 * Connect and read what the server presents: our TLS 1.2 reader first; when
 * the server refuses TLS 1.2 with a protocol_version alert (TLS 1.3 only),
 * a second connection through Node's TLS for the chain.
 */
export async function readPresented(request: PresentedRequest): Promise<PresentedHandshake> {
  const clock = new PhaseClock(request.timeoutMs, request.totalMs, request.signal);
  const connection = await openConnection(request, clock);
  const started = performance.now();
  let flight: ServerFlight;
  try {
    flight = await readServerFlight(connection.socket, buildClientHello(request.host), clock, `${request.host}:${request.port}`);
  } catch (err) {
    connection.socket.destroy();
    if (err instanceof TlsProbeError && err.kind === 'tls-alert' && err.info.alert?.description === ALERT_PROTOCOL_VERSION) {
      return readWithNodeTls(request, clock);
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
    via: connection.via,
    connectMs: connection.connectMs,
    handshakeMs: performance.now() - started,
    bytesRead: flight.bytesRead,
  };
}

/** Send the ClientHello and read until ServerHelloDone, an alert, the end of the stream, or the time limit. */
export function readServerFlight(socket: Duplex, hello: Buffer, clock: PhaseClock, endpoint: string): Promise<ServerFlight> {
  const reader = new ServerFlightReader();
  return runPhase<ServerFlight>(
    'handshake',
    clock,
    (limitMs) =>
      new TlsProbeError('timeout', 'handshake', `${endpoint} did not finish its TLS greeting within ${limitMs} ms (${reader.bytesRead} bytes received)`, {
        at: 'target',
        endpoint,
        limitMs,
        bytesRead: reader.bytesRead,
      }),
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
      const onError = (err: NodeJS.ErrnoException): void => {
        const failure = socketError(err, 'handshake', 'target', endpoint);
        reject(new TlsProbeError(failure.kind, 'handshake', failure.message, { ...failure.info, bytesRead: reader.bytesRead }));
      };
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
async function readWithNodeTls(request: PresentedRequest, clock: PhaseClock): Promise<PresentedHandshake> {
  const connection = await openConnection(request, clock);
  const started = performance.now();
  const endpoint = `${request.host}:${request.port}`;
  const socket = tls.connect({
    socket: connection.socket,
    servername: isIP(request.host) ? undefined : request.host,
    rejectUnauthorized: false,
    ca: [...tls.rootCertificates, ...request.extraCaPem],
  });
  socket.on('error', ignore);
  try {
    await runPhase<void>(
      'handshake',
      clock,
      (limitMs) => new TlsProbeError('timeout', 'handshake', `${endpoint} did not finish the TLS 1.3 handshake within ${limitMs} ms`, { at: 'target', endpoint, limitMs }),
      (resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException): void => reject(nodeTlsError(err, endpoint));
        const onClose = (): void => reject(new TlsProbeError('truncated', 'handshake', `${endpoint} closed the connection during the TLS 1.3 handshake`, { at: 'target', endpoint }));
        socket.once('secureConnect', resolve);
        socket.once('error', onError);
        socket.once('close', onClose);
        return () => {
          socket.off('secureConnect', resolve);
          socket.off('error', onError);
          socket.off('close', onClose);
        };
      },
    );
    return {
      chainSource: 'as-verified',
      protocol: socket.getProtocol() ?? 'unknown',
      cipherSuite: socket.getCipher()?.standardName,
      certificates: verifiedChain(socket.getPeerCertificate(true)),
      messages: [],
      remoteAddress: connection.remoteAddress,
      via: connection.via,
      connectMs: connection.connectMs,
      handshakeMs: performance.now() - started,
      bytesRead: socket.bytesRead,
    };
  } finally {
    socket.destroy();
    connection.socket.destroy();
  }
}

/** Node's peer chain, leaf first, up to the root (whose issuerCertificate is itself). */
function verifiedChain(peer: tls.DetailedPeerCertificate): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  let cert: tls.DetailedPeerCertificate | undefined = peer;
  while (cert?.raw && !seen.has(cert.fingerprint256) && chain.length < 16) {
    seen.add(cert.fingerprint256);
    chain.push(Buffer.from(cert.raw));
    cert = cert.issuerCertificate;
  }
  return chain;
}

function nodeTlsError(err: NodeJS.ErrnoException, endpoint: string): TlsProbeError {
  const code = err.code ?? '';
  const alert = /_ALERT_([A-Z_]+)$/.exec(code);
  if (alert) {
    const name = alert[1]!.toLowerCase();
    return new TlsProbeError('tls-alert', 'handshake', `${endpoint} sent the TLS alert ${name}`, { at: 'target', endpoint, code, alert: { level: 2, description: alertCode(name), name } });
  }
  if (code.startsWith('ERR_SSL_')) return new TlsProbeError('malformed', 'handshake', `${endpoint}: ${code}`, { at: 'target', endpoint, code });
  return socketError(err, 'handshake', 'target', endpoint);
}
