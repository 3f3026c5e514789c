import { systemLookup } from './lookup.js';
import net, { isIP, type Socket } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { duration } from '../i18n/duration.js';
import type { ResolveRule } from '../options.js';
import { NetError, toNetError, type NetErrorInfo } from './errors.js';
import { runPhase, type PhaseEndings, type PhaseLimits } from './limits.js';
import type { Phase, PhaseClock } from './timings.js';
import { authorityOf, bare, openTunnel, portOf, resolveRuleFor } from './tunnel.js';

/** Where to connect and how: the one connector behind the HTTP layer (src/net/http.ts) and idp-tls (src/tls/read-presented.ts). */
export interface ConnectionPlan {
  readonly host: string;
  readonly port: number;
  /** Hand back a TLS connection to the host; false: the raw byte stream (plain http:, or a caller that speaks TLS itself). */
  readonly tls: boolean;
  /** An HTTP CONNECT proxy (http: or https:), credentials in the URL. */
  readonly proxy?: URL;
  /** Absolute-form requests to the proxy instead of a tunnel (plain http: targets). */
  readonly forwardThroughProxy: boolean;
  readonly resolve: readonly ResolveRule[];
  /** Roots to trust; undefined means Node's bundled roots. */
  readonly ca?: readonly string[];
  /**
   * Which certificates must verify against `ca`: `all`; `proxy` when the
   * caller judges the host's chain itself; `none` to read a server's clock
   * when the local clock may be wrong and so every certificate may look invalid.
   */
  readonly verify: 'all' | 'proxy' | 'none';
  readonly limits: PhaseLimits;
  /** ALPN protocols offered to the host (default http/1.1, which the HTTP layer speaks). */
  readonly alpn?: readonly string[];
  /** Marks the end of each phase, for timings. */
  readonly clock: PhaseClock;
}

export interface PeerTls {
  readonly protocol: string | null;
  readonly subject?: string;
  readonly issuer?: string;
  readonly validTo?: string;
}

export interface OpenedConnection {
  readonly socket: Socket | TLSSocket;
  /** The address:port the TCP connection went to: the host's, or the proxy's. */
  readonly remoteAddress: string;
  /** With `tls`: the TLS connection to the host. */
  readonly tls?: PeerTls;
}

/**
 * Open the connection an exchange runs over, phase by phase, each phase
 * within the plan's limits: DNS, TCP, the proxy (TLS to an https: proxy and
 * the CONNECT tunnel), TLS to the host. Every failure comes back as a
 * NetError naming its phase, and nothing half-open is left behind. Nothing is
 * cached: a fresh socket and a fresh TLS session every time.
 */
export async function openConnection(plan: ConnectionPlan): Promise<OpenedConnection> {
  const via = plan.proxy;
  const hop = via
    ? { host: bare(via.hostname), port: portOf(via), atProxy: true }
    : { host: bare(plan.host), port: plan.port, atProxy: false };
  const info: NetErrorInfo = hop;

  const address = await lookupAddress(hop.host, hop.port, plan, info);
  plan.clock.end('dns');
  const tcp = await connectTcp(address, hop.port, plan, info);
  plan.clock.end('connect');
  const remoteAddress = authorityOf(address, hop.port);
  let socket: Socket | TLSSocket = tcp;
  try {
    if (via) {
      if (via.protocol === 'https:') socket = await startTls(socket, hop.host, plan.verify !== 'none', plan, 'proxyConnect', { ...info, proxyTls: true });
      if (!plan.forwardThroughProxy) await openTunnel(socket, { host: plan.host, port: plan.port, proxy: via, resolve: plan.resolve, limits: plan.limits }, info);
      plan.clock.end('proxyConnect');
    }
    if (!plan.tls) return { socket, remoteAddress };
    const host = bare(plan.host);
    const secured = await startTls(socket, host, plan.verify === 'all', plan, 'tls', { host, port: plan.port }, plan.alpn);
    plan.clock.end('tls');
    return { socket: secured, remoteAddress, tls: peerTls(secured) };
  } catch (err) {
    socket.destroy();
    tcp.destroy();
    throw err;
  }
}

function endings(phase: Phase, info: NetErrorInfo): PhaseEndings {
  return {
    timeout: (limitMs) => new NetError('timeout', phase, { ...info, limitMs }, `no answer within ${duration(limitMs, 'en')}`),
    aborted: () => new NetError('aborted', phase, info, 'aborted'),
  };
}

/** An IP literal as is; a --resolve rule's address; else the system resolver (getaddrinfo, like browsers). */
function lookupAddress(host: string, port: number, plan: ConnectionPlan, info: NetErrorInfo): Promise<string> {
  if (isIP(host)) return Promise.resolve(host);
  const rule = resolveRuleFor(plan.resolve, host, port);
  if (rule) return Promise.resolve(rule.address);
  return runPhase<string>(plan.limits, endings('dns', info), (resolve, reject) => {
    // getaddrinfo cannot be cancelled; a late answer is simply ignored. Whatever the resolver says, the name did not resolve.
    systemLookup(host).then(
      (answer) => resolve(answer.address),
      (err: Error & { code?: string }) => reject(new NetError('dns', 'dns', { ...info, ...(err.code ? { code: err.code } : {}) }, err.message)),
    );
    return () => undefined;
  });
}

async function connectTcp(address: string, port: number, plan: ConnectionPlan, info: NetErrorInfo): Promise<Socket> {
  const socket = net.connect({ host: address, port, noDelay: true });
  // An error after its phase (a late reset) must not become an uncaught exception; whoever reads the socket listens too.
  socket.on('error', ignore);
  try {
    await settles(socket, 'connect', plan, 'connect', info);
    return socket;
  } catch (err) {
    socket.destroy();
    throw err;
  }
}

/**
 * One secure context per set of roots: parsing Node's ~140 bundled roots
 * plus --ca-file costs tens of milliseconds, too much to repeat per
 * connection. Sharing the context shares no sessions: Node's client never
 * resumes one unless handed it.
 */
const contexts = new WeakMap<readonly string[], tls.SecureContext>();
function contextFor(ca: readonly string[]): tls.SecureContext {
  let context = contexts.get(ca);
  if (!context) contexts.set(ca, (context = tls.createSecureContext({ ca: [...ca] })));
  return context;
}

async function startTls(
  socket: Socket,
  servername: string,
  verify: boolean,
  plan: ConnectionPlan,
  phase: Phase,
  info: NetErrorInfo,
  alpn: readonly string[] = ['http/1.1'],
): Promise<TLSSocket> {
  const secured = tls.connect({
    socket,
    // `host` is what the certificate must cover; SNI carries names only, never addresses (RFC 6066).
    host: servername,
    ...(isIP(servername) ? {} : { servername }),
    ...(plan.ca ? { secureContext: contextFor(plan.ca) } : {}),
    rejectUnauthorized: verify,
    ALPNProtocols: [...alpn],
  });
  secured.on('error', ignore);
  try {
    await settles(secured, 'secureConnect', plan, phase, info);
    return secured;
  } catch (err) {
    secured.destroy();
    throw err;
  }
}

/** Wait, within the phase's limits, for `event` on the socket; its error ends the phase as a NetError. */
function settles(socket: Socket, event: 'connect' | 'secureConnect', plan: ConnectionPlan, phase: Phase, info: NetErrorInfo): Promise<void> {
  return runPhase<void>(plan.limits, endings(phase, info), (resolve, reject) => {
    const done = (): void => resolve();
    const onError = (err: Error): void => reject(toNetError(err, phase, info));
    socket.once(event, done);
    socket.once('error', onError);
    return () => {
      socket.off(event, done);
      socket.off('error', onError);
    };
  });
}

function ignore(): void {
  // Keeps an 'error' event from crashing the process; the phase listeners report it.
}

function peerTls(socket: TLSSocket): PeerTls {
  const cert = socket.getPeerCertificate();
  const name = (dn: Record<string, unknown> | undefined): string | undefined => {
    const value = dn?.CN ?? dn?.O;
    return Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
  };
  return {
    protocol: socket.getProtocol(),
    ...(cert && Object.keys(cert).length > 0
      ? { subject: name(cert.subject as unknown as Record<string, unknown>), issuer: name(cert.issuer as unknown as Record<string, unknown>), validTo: cert.valid_to }
      : {}),
  };
}
