import { promises as dns } from 'node:dns';
import net, { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { proxyForDisplay, type ProxyDecision } from '../net/types.js';
import type { ResolveRule } from '../options.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { kindOfSocketError, printablePreview, TlsProbeError, type Phase } from './errors.js';
import { runPhase, type PhaseClock } from './limits.js';

export interface ConnectRequest {
  readonly host: string;
  readonly port: number;
  readonly route: ProxyDecision;
  /** --resolve: connect to this address for host:port (also applies to the proxy's own name). */
  readonly resolve: readonly ResolveRule[];
  /** Extra trusted roots (PEM), for an https:// proxy. */
  readonly extraCaPem: readonly string[];
}

export interface Connection {
  readonly socket: Duplex;
  /** The address:port the TCP connection went to: the host's, or the proxy's. */
  readonly remoteAddress: string;
  /** The proxy, without credentials, when the connection is a tunnel. */
  readonly via?: string;
  readonly connectMs: number;
}

/** A proxy's answer to CONNECT is a few hundred bytes; more than this is not a proxy. */
const MAX_PROXY_RESPONSE_HEADER = 16 * 1024;

/** Open a byte stream to host:port, directly or through an HTTP CONNECT proxy, within the clock's limits. */
export async function openConnection(request: ConnectRequest, clock: PhaseClock): Promise<Connection> {
  const started = performance.now();
  const { route } = request;
  if (route.mode === 'direct' || !route.url) {
    const { socket, remoteAddress } = await openTcp(request.host, request.port, 'target', request.resolve, clock);
    return { socket, remoteAddress, connectMs: performance.now() - started };
  }
  const proxy = route.url;
  const proxyPort = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80);
  const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
  const { socket: tcp, remoteAddress } = await openTcp(proxyHost, proxyPort, 'proxy', request.resolve, clock);
  let socket: Duplex = tcp;
  try {
    if (proxy.protocol === 'https:') socket = await startProxyTls(tcp, proxyHost, proxyPort, request.extraCaPem, clock);
    await sendConnect(socket, request.host, request.port, proxy, clock);
  } catch (err) {
    socket.destroy();
    tcp.destroy();
    throw err;
  }
  return { socket, remoteAddress, via: proxyForDisplay(proxy), connectMs: performance.now() - started };
}

async function openTcp(host: string, port: number, at: 'target' | 'proxy', rules: readonly ResolveRule[], clock: PhaseClock): Promise<{ socket: net.Socket; remoteAddress: string }> {
  const endpoint = `${host}:${port}`;
  const rule = rules.find((r) => r.host === host.toLowerCase().replace(/\.$/, '') && r.port === port);
  const address = rule?.address ?? (isIP(host) ? host : await lookup(host, endpoint, at, clock));
  const remoteAddress = isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
  const socket = net.connect({ host: address, port, noDelay: true });
  // Errors after a phase ended (a late reset) must not become uncaught exceptions.
  socket.on('error', ignore);
  try {
    await runPhase<void>(
      'connect',
      clock,
      (limitMs) => new TlsProbeError('timeout', 'connect', `no TCP connection to ${endpoint} (${remoteAddress}) within ${limitMs} ms`, { at, endpoint, limitMs }),
      (resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException): void => reject(socketError(err, 'connect', at, endpoint));
        socket.once('connect', resolve);
        socket.once('error', onError);
        return () => {
          socket.off('connect', resolve);
          socket.off('error', onError);
        };
      },
    );
  } catch (err) {
    socket.destroy();
    throw err;
  }
  return { socket, remoteAddress };
}

async function lookup(host: string, endpoint: string, at: 'target' | 'proxy', clock: PhaseClock): Promise<string> {
  return runPhase<string>(
    'dns',
    clock,
    (limitMs) => new TlsProbeError('timeout', 'dns', `the name ${host} was not resolved within ${limitMs} ms`, { at, endpoint, limitMs }),
    (resolve, reject) => {
      // getaddrinfo cannot be cancelled; a late answer is simply ignored.
      dns.lookup(host).then(
        (answer) => resolve(answer.address),
        (err: NodeJS.ErrnoException) => {
          const kind = kindOfSocketError(err.code);
          reject(new TlsProbeError(kind === 'network' ? 'dns' : kind, 'dns', `the name ${host} could not be resolved (${err.code ?? err.message})`, { at, endpoint, code: err.code }));
        },
      );
      return () => undefined;
    },
  );
}

/** A socket error as a typed failure. */
export function socketError(err: NodeJS.ErrnoException, phase: Phase, at: 'target' | 'proxy', endpoint: string): TlsProbeError {
  const kind = kindOfSocketError(err.code);
  return new TlsProbeError(kind, phase, `${endpoint}: ${err.code ?? err.message}`, { at, endpoint, code: err.code });
}

async function startProxyTls(tcp: net.Socket, host: string, port: number, extraCaPem: readonly string[], clock: PhaseClock): Promise<tls.TLSSocket> {
  const endpoint = `${host}:${port}`;
  const socket = tls.connect({
    socket: tcp,
    servername: isIP(host) ? undefined : host,
    ca: [...tls.rootCertificates, ...extraCaPem],
  });
  socket.on('error', ignore);
  try {
    await runPhase<void>(
      'proxy',
      clock,
      (limitMs) => new TlsProbeError('timeout', 'proxy', `no TLS connection to the proxy ${endpoint} within ${limitMs} ms`, { at: 'proxy', endpoint, limitMs }),
      (resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException): void =>
          reject(new TlsProbeError('proxy-tls', 'proxy', `TLS to the proxy ${endpoint} failed: ${err.code ?? err.message}`, { at: 'proxy', endpoint, code: err.code }));
        socket.once('secureConnect', resolve);
        socket.once('error', onError);
        return () => {
          socket.off('secureConnect', resolve);
          socket.off('error', onError);
        };
      },
    );
  } catch (err) {
    socket.destroy();
    throw err;
  }
  return socket;
}

/** HTTP CONNECT, with Basic credentials from the proxy URL when it has them. */
async function sendConnect(socket: Duplex, host: string, port: number, proxy: URL, clock: PhaseClock): Promise<void> {
  const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const endpoint = proxy.host;
  const credentialsSent = proxy.username !== '' || proxy.password !== '';
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`, `User-Agent: ${TOOL_NAME}/${TOOL_VERSION}`, 'Proxy-Connection: keep-alive'];
  if (credentialsSent) {
    const user = decodeURIComponent(proxy.username);
    const password = decodeURIComponent(proxy.password);
    lines.push(`Proxy-Authorization: Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`);
  }
  socket.write(lines.join('\r\n') + '\r\n\r\n');

  const { head, rest } = await runPhase<{ head: string; rest: Buffer }>(
    'proxy',
    clock,
    (limitMs) => new TlsProbeError('timeout', 'proxy', `the proxy ${endpoint} did not answer CONNECT within ${limitMs} ms`, { at: 'proxy', endpoint, limitMs }),
    (resolve, reject) => {
      let received = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        received = Buffer.concat([received, chunk]);
        const end = received.indexOf('\r\n\r\n');
        if (end >= 0) {
          resolve({ head: received.subarray(0, end).toString('latin1'), rest: received.subarray(end + 4) });
        } else if (received.length > MAX_PROXY_RESPONSE_HEADER) {
          reject(new TlsProbeError('proxy-protocol', 'proxy', `the proxy ${endpoint} sent more than ${MAX_PROXY_RESPONSE_HEADER} bytes of headers`, { at: 'proxy', endpoint, limit: MAX_PROXY_RESPONSE_HEADER }));
        }
      };
      const onError = (err: NodeJS.ErrnoException): void => reject(socketError(err, 'proxy', 'proxy', endpoint));
      const onEnd = (): void =>
        reject(
          received.length === 0
            ? new TlsProbeError('closed', 'proxy', `the proxy ${endpoint} closed the connection without answering CONNECT`, { at: 'proxy', endpoint })
            : new TlsProbeError('proxy-protocol', 'proxy', `the proxy ${endpoint} closed the connection in the middle of its answer`, { at: 'proxy', endpoint, preview: printablePreview(received) }),
        );
      socket.on('data', onData);
      socket.once('error', onError);
      socket.once('end', onEnd);
      return () => {
        socket.off('data', onData);
        socket.off('error', onError);
        socket.off('end', onEnd);
        socket.pause();
      };
    },
  );

  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!status) {
    const preview = printablePreview(Buffer.from(head, 'latin1'));
    throw new TlsProbeError('proxy-protocol', 'proxy', `the proxy ${endpoint} did not answer in HTTP: "${preview}"`, { at: 'proxy', endpoint, preview });
  }
  const code = Number(status[1]);
  if (code >= 200 && code < 300) {
    if (rest.length > 0) socket.unshift(rest);
    return;
  }
  const info = { at: 'proxy' as const, endpoint, httpStatus: code };
  if (code === 407) {
    const authSchemes = [...head.matchAll(/^proxy-authenticate:\s*([A-Za-z0-9-]+)/gim)].map((m) => m[1]!);
    throw new TlsProbeError('proxy-auth', 'proxy', `the proxy ${endpoint} requires authentication (407)${credentialsSent ? ' and rejected the credentials given' : ''}`, {
      ...info,
      authSchemes,
      credentialsSent,
    });
  }
  if (code === 403) throw new TlsProbeError('proxy-forbidden', 'proxy', `the proxy ${endpoint} refused the connection to ${authority} (403)`, info);
  if (code === 502 || code === 503 || code === 504) {
    throw new TlsProbeError('proxy-upstream', 'proxy', `the proxy ${endpoint} could not reach ${authority} (${code})`, info);
  }
  throw new TlsProbeError('proxy-status', 'proxy', `the proxy ${endpoint} answered CONNECT with ${code}`, info);
}

export function ignore(): void {
  // A listener that keeps an 'error' event from crashing the process; the phase listeners report it.
}
