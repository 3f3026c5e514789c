import { lookup } from 'node:dns/promises';
import net, { isIP, type Socket } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import type { ResolveRule } from '../options.js';
import { NetError, toNetError, type NetErrorInfo } from './errors.js';
import type { Phase, PhaseClock } from './timings.js';

/** Where to connect and how: the pieces of an HttpRequest the connection needs. */
export interface ConnectionPlan {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** An HTTP CONNECT proxy (http: or https:), credentials in the URL. */
  readonly proxy?: URL;
  /** Absolute-form requests to the proxy instead of a tunnel (plain http: targets). */
  readonly forwardThroughProxy: boolean;
  readonly resolve: readonly ResolveRule[];
  /** Roots to trust; undefined means Node's bundled roots. */
  readonly ca?: readonly string[];
  readonly verifyTls: boolean;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
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
  readonly remoteAddress?: string;
  readonly tls?: PeerTls;
}

/** The longest CONNECT answer head we read before giving up on the proxy. */
const MAX_CONNECT_HEAD = 16 * 1024;

const bare = (host: string): string => host.replace(/^\[|\]$/g, '');

/** A --resolve rule for this host and port, like curl. */
export function resolveRuleFor(rules: readonly ResolveRule[], host: string, port: number): ResolveRule | undefined {
  const name = bare(host).toLowerCase();
  return rules.find((r) => r.host === name && r.port === port);
}

/**
 * Open the connection an exchange runs over, phase by phase, each phase
 * limited to `timeoutMs`: DNS, TCP, the proxy's CONNECT tunnel, TLS. Every
 * failure comes back as a NetError naming its phase. Nothing is cached: a
 * fresh socket and a fresh TLS session every time.
 */
export async function openConnection(plan: ConnectionPlan): Promise<OpenedConnection> {
  const via = plan.proxy;
  const hop = via
    ? { host: bare(via.hostname), port: Number(via.port) || (via.protocol === 'https:' ? 443 : 80), atProxy: true }
    : { host: bare(plan.host), port: plan.port, atProxy: false };
  const info: NetErrorInfo = { host: hop.host, atProxy: hop.atProxy };

  const address = await step(plan, 'dns', info, () => lookupAddress(hop.host, hop.port, plan.resolve));
  plan.clock.end('dns');
  let socket: Socket | TLSSocket = await step(plan, 'connect', info, (onCleanup) => connectTcp(address, hop.port, onCleanup));
  plan.clock.end('connect');
  const remoteAddress = `${address.includes(':') ? `[${address}]` : address}:${hop.port}`;
  try {
    if (via) {
      socket = await step(plan, 'proxyConnect', info, async (onCleanup) => {
        const toProxy = via.protocol === 'https:' ? await handshake(socket, hop.host, plan, onCleanup) : socket;
        if (!plan.forwardThroughProxy) await tunnel(toProxy, plan, info);
        return toProxy;
      });
      plan.clock.end('proxyConnect');
    }
    if (!plan.tls) return { socket, remoteAddress };
    const secured = await step(plan, 'tls', { host: bare(plan.host) }, (onCleanup) => handshake(socket, bare(plan.host), plan, onCleanup));
    plan.clock.end('tls');
    return { socket: secured, remoteAddress, tls: peerTls(secured) };
  } catch (err) {
    socket.destroy();
    throw err;
  }
}

/**
 * Run one phase with its time limit and the caller's abort signal. The phase
 * registers how to tear down what it started, so a timeout or an abort
 * destroys the half-open socket instead of leaving it behind.
 */
async function step<T>(plan: ConnectionPlan, phase: Phase, info: NetErrorInfo, run: (onCleanup: (fn: () => void) => void) => Promise<T>): Promise<T> {
  const cleanups: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new NetError('timeout', phase, info, `no answer within ${plan.timeoutMs} ms`)), plan.timeoutMs);
    onAbort = () => reject(new NetError('aborted', phase, info, 'aborted'));
    if (plan.signal?.aborted) onAbort();
    else plan.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([run((fn) => cleanups.push(fn)), limit]);
  } catch (err) {
    for (const fn of cleanups) fn();
    throw toNetError(err, phase, info);
  } finally {
    clearTimeout(timer);
    if (onAbort) plan.signal?.removeEventListener('abort', onAbort);
  }
}

/** An IP literal as is; a --resolve rule's address; else the system resolver (getaddrinfo, like browsers). */
async function lookupAddress(host: string, port: number, rules: readonly ResolveRule[]): Promise<string> {
  if (isIP(host)) return host;
  const rule = resolveRuleFor(rules, host, port);
  if (rule) return rule.address;
  return (await lookup(host)).address;
}

function connectTcp(address: string, port: number, onCleanup: (fn: () => void) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    onCleanup(() => socket.destroy());
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
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

function handshake(socket: Socket, servername: string, plan: ConnectionPlan, onCleanup: (fn: () => void) => void): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const secured = tls.connect({
      socket,
      // `host` is what the certificate must cover; SNI carries names only, never addresses (RFC 6066).
      host: servername,
      ...(isIP(servername) ? {} : { servername }),
      ...(plan.ca ? { secureContext: contextFor(plan.ca) } : {}),
      rejectUnauthorized: plan.verifyTls,
      ALPNProtocols: ['http/1.1'],
    });
    onCleanup(() => secured.destroy());
    secured.once('secureConnect', () => {
      secured.removeListener('error', reject);
      resolve(secured);
    });
    secured.once('error', reject);
  });
}

/**
 * Open a CONNECT tunnel. The proxy gets the server's name, except when a
 * --resolve rule covers it: the proxy cannot know the rule, so it gets the
 * rule's address (TLS still uses the name).
 */
function tunnel(socket: Socket | TLSSocket, plan: ConnectionPlan, info: NetErrorInfo): Promise<void> {
  const rule = resolveRuleFor(plan.resolve, plan.host, plan.port);
  const target = rule ? rule.address : bare(plan.host);
  const authority = `${target.includes(':') ? `[${target}]` : target}:${plan.port}`;
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
  const credentials = proxyAuthorization(plan.proxy!);
  if (credentials) lines.push(`Proxy-Authorization: ${credentials}`);
  socket.write(lines.join('\r\n') + '\r\n\r\n');

  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const finish = (err?: Error, rest?: Buffer): void => {
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      socket.removeListener('error', onError);
      if (err) return reject(err);
      socket.pause();
      if (rest && rest.length > 0) socket.unshift(rest);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_CONNECT_HEAD) finish(new NetError('protocol', 'proxyConnect', info, 'the proxy sent an oversized answer to CONNECT'));
        return;
      }
      const text = head.subarray(0, end).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (!status) return finish(new NetError('protocol', 'proxyConnect', info, 'the proxy did not answer CONNECT with HTTP'));
      const statusCode = Number(status[1]);
      if (statusCode === 200) return finish(undefined, head.subarray(end + 4));
      // 407 is the standard answer; tinyproxy, for one, answers wrong credentials with 401.
      if (statusCode === 407 || statusCode === 401) {
        const scheme = /^proxy-authenticate:\s*([A-Za-z-]+)/im.exec(text)?.[1];
        return finish(
          new NetError(
            'proxy-auth',
            'proxyConnect',
            { ...info, statusCode, credentialsSent: Boolean(credentials), ...(scheme ? { proxyAuthScheme: scheme } : {}) },
            'the proxy requires authentication (407)',
          ),
        );
      }
      finish(new NetError('proxy-refused', 'proxyConnect', { ...info, statusCode }, `the proxy answered CONNECT with ${statusCode}`));
    };
    const onEnd = (): void => finish(new NetError('reset', 'proxyConnect', info, 'the proxy closed the connection during CONNECT'));
    const onError = (err: Error): void => finish(err);
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', onError);
  });
}

/** Basic credentials from the proxy URL, decoded the way browsers take them from user:password@. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  const pair = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
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
