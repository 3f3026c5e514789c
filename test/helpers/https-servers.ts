import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Server, type Socket } from 'node:net';
import { testPki } from './pki.js';

/** A server on loopback with an ephemeral port, stopped with close() (open connections included). */
export interface LoopbackServer {
  readonly port: number;
  /** Every request path the server saw, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** The TLS server certificates of the TEST PKI a loopback server can present. */
export type ServerCertificate = 'tls-test-siths' | 'tls-test-siths-expired' | 'tls-wrong-host' | 'tls-idp';

export interface HttpsServerOptions {
  readonly certificate?: ServerCertificate;
  /** Ask for a client certificate; with `requireClientCert` refuse the handshake without one. */
  readonly requestCert?: boolean;
  readonly requireClientCert?: boolean;
  readonly maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}

async function listen(server: Server, sockets: Set<Socket>, requests: string[]): Promise<LoopbackServer> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An HTTPS server on 127.0.0.1 with a TEST certificate (chain included), serving `handler`. */
export function startHttpsServer(handler: RequestListener, options: HttpsServerOptions = {}): Promise<LoopbackServer> {
  const pki = testPki();
  const name = options.certificate ?? 'tls-test-siths';
  const requests: string[] = [];
  const server = https.createServer(
    {
      cert: pki.pem(name) + pki.pem('web-ca'),
      key: pki.keyPem(name),
      ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
      ...(options.requestCert ? { requestCert: true, rejectUnauthorized: Boolean(options.requireClientCert), ca: [pki.pem('siths-root')] } : {}),
    },
    (req, res) => {
      requests.push(req.url ?? '');
      handler(req, res);
    },
  );
  return listen(server, new Set(), requests);
}

/** A plain HTTP server on 127.0.0.1 (PAC files, the forward-proxy path). */
export function startHttpServer(handler: RequestListener): Promise<LoopbackServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  return listen(server, new Set(), requests);
}

/** Accepts TCP connections and never says a word: a TLS handshake to it never completes. */
export function startSilentServer(): Promise<LoopbackServer> {
  return listen(net.createServer(() => undefined), new Set(), []);
}

const PAGE = '<!doctype html><title>SITHS testsida (TEST)</title><p>TEST</p>';

/**
 * The stand-in for test.siths.se, one path per scenario:
 *   /            200 page
 *   /chain/N     N redirects, then the page (/chain/6 is one too many)
 *   /loop/a      /loop/a -> /loop/b -> /loop/a
 *   /bad-redirect  302 to an address that does not parse
 *   /error       500
 *   /forbidden   403
 *   /missing     404
 *   /hang        accepts the request, never answers
 *   /close-mid   promises 100 000 bytes, sends 1 000, then closes the connection
 *   /endless     a body that never ends
 *   /date/S      the page with a Date header S seconds off (negative: behind)
 *   /no-date     the page without a Date header
 */
export const testSite: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
  const path = new URL(req.url ?? '/', 'https://test.siths.se').pathname;
  let m: RegExpExecArray | null;
  if (path === '/') return page(res);
  if ((m = /^\/chain\/(\d+)$/.exec(path))) {
    const left = Number(m[1]);
    if (left === 0) return page(res);
    res.writeHead(302, { location: `/chain/${left - 1}` }).end();
    return;
  }
  if ((m = /^\/loop\/([ab])$/.exec(path))) {
    res.writeHead(302, { location: `/loop/${m[1] === 'a' ? 'b' : 'a'}` }).end();
    return;
  }
  if (path === '/bad-redirect') return void res.writeHead(302, { location: 'https://[test.siths.se' }).end();
  if (path === '/error') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
  if (path === '/forbidden') return void res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
  if (path === '/missing') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  if (path === '/hang') return;
  if (path === '/close-mid') {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': '100000' });
    res.write('x'.repeat(1000), () => setTimeout(() => req.socket.destroy(), 20));
    return;
  }
  if (path === '/endless') {
    res.writeHead(200, { 'content-type': 'text/html' });
    const chunk = 'x'.repeat(16 * 1024);
    const pump = (): void => {
      while (res.write(chunk)) if (res.destroyed) return;
      if (!res.destroyed) res.once('drain', pump);
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
    return;
  }
  if ((m = /^\/date\/(-?\d+)$/.exec(path))) {
    res.setHeader('date', new Date(Date.now() + Number(m[1]) * 1000).toUTCString());
    return page(res);
  }
  if (path === '/no-date') {
    res.sendDate = false;
    return page(res);
  }
  res.writeHead(404).end();
};

function page(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
}
