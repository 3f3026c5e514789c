import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { testPki } from './pki.js';

/** The IdP name the stand-in servers answer for, reached through --resolve. */
export const IDP_HOST = 'm00-mg-local.idp.funktionstjanster.se';

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

function tracked<T extends net.Server>(server: T): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export interface IdpServerOptions extends tls.TlsOptions {
  /** A chain file of the TEST PKI, leaf first (default tls-idp.chain.pem). */
  readonly chainFile?: string;
  /** The leaf's key, a TEST PKI name (default tls-idp). */
  readonly keyName?: string;
}

/**
 * A TLS server on loopback standing in for the IdP: the TEST PKI's IdP
 * chain, asking for a client certificate from the TEST SITHS CAs (so its
 * CertificateRequest carries SITHS-like CA names), answering any request.
 */
export function startIdpServer(options: IdpServerOptions = {}): Promise<RunningServer> {
  const pki = testPki();
  const { chainFile = 'tls-idp.chain.pem', keyName = 'tls-idp', ...tlsOptions } = options;
  const server = tls.createServer(
    {
      cert: readFileSync(pki.path(chainFile)),
      key: pki.keyPem(keyName),
      requestCert: true,
      rejectUnauthorized: false,
      ca: readFileSync(pki.path('siths-card-cas.pem')),
      ...tlsOptions,
    },
    (socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'),
  );
  server.on('tlsClientError', () => undefined);
  return tracked(server);
}

/** A plain TCP server doing whatever a hostile test wants with each connection. */
export function startRawServer(onConnection: (socket: net.Socket) => void): Promise<RunningServer> {
  return tracked(net.createServer(onConnection));
}
