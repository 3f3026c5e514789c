import { systemLookup } from './lookup.js';
import type { ResolveRule } from '../options.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { openConnection, type PeerTls } from './connect.js';
import { NetError, toNetError } from './errors.js';
import { PhaseLimits } from './limits.js';
import { PhaseClock, type Timings } from './timings.js';
import { portOf, proxyAuthorization, proxyAuthSchemes } from './tunnel.js';

export interface HttpRequest {
  /** Fetched with GET. */
  readonly url: URL;
  /** The proxy to go through (http: or https:), credentials in the URL; none for direct. */
  readonly proxy?: URL;
  readonly resolve?: readonly ResolveRule[];
  /** Roots to trust (PEM); undefined means Node's bundled roots. */
  readonly ca?: readonly string[];
  /** False only to read a server's clock when its certificate may look invalid because the local clock is wrong. */
  readonly verifyTls?: boolean;
  /** The time limit for each phase. */
  readonly timeoutMs: number;
  /** Stops the whole exchange. */
  readonly signal?: AbortSignal;
  /** Read at most this much of the body (default 64 KiB); the rest is left unread. */
  readonly maxBodyBytes?: number;
}

export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The start of the body, at most maxBodyBytes. */
  readonly body: Buffer;
  /** The body went on beyond maxBodyBytes and was not read to its end. */
  readonly bodyTruncated: boolean;
  readonly timings: Timings;
  /**
   * Milliseconds from the start of the exchange (its first phase, within a few
   * milliseconds of the call) until the request went out, and until the first
   * byte came back: for comparing clocks.
   */
  readonly sentAtMs: number;
  readonly firstByteAtMs: number;
  /** The address connected to (the proxy's, through a proxy). */
  readonly remoteAddress?: string;
  readonly tls?: PeerTls;
}

/** HTTP(S) as probes reach it. `request` rejects only with a NetError. */
export interface Network {
  request(request: HttpRequest): Promise<HttpResponse>;
  /** The IPv4 address the system resolver gives for a name, or undefined (for PAC scripts' DNS functions). */
  lookupIpv4(host: string, timeoutMs: number): Promise<string | undefined>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** Response heads larger than this are a fault, not a page. */
const MAX_HEADER_BYTES = 64 * 1024;
const USER_AGENT = `${TOOL_NAME}/${TOOL_VERSION}`;

/**
 * One exchange over a fresh connection through undici. The connection is
 * ours (src/net/connect.ts): that is where DNS, TCP, the proxy tunnel and TLS
 * are timed and turned into plain causes; undici does the HTTP on top and
 * times the first byte and the body.
 */
export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const { url, timeoutMs, signal } = request;
  const clock = new PhaseClock();
  const https = url.protocol === 'https:';
  const port = portOf(url);
  // A plain http: page through a proxy goes the way browsers send it: the whole URL to the proxy, no tunnel.
  const forwardThroughProxy = Boolean(request.proxy) && !https;
  let opened: Awaited<ReturnType<typeof openConnection>> | undefined;
  let socketError: Error | undefined;
  let phase: 'firstByte' | 'body' = 'firstByte';

  // undici is loaded here, at first use, so that commands that make no request never load it.
  const { Client } = await import('undici');
  const client = new Client(url.origin, {
    connect: (_options, callback) => {
      clock.restart();
      openConnection({
        host: url.hostname,
        port,
        tls: https,
        proxy: request.proxy,
        forwardThroughProxy,
        resolve: request.resolve ?? [],
        ca: request.ca,
        verify: request.verifyTls === false ? 'none' : 'all',
        limits: new PhaseLimits(timeoutMs, signal),
        clock,
      }).then(
        (connection) => {
          opened = connection;
          // Undici listens too; this keeps the first error, which undici may report
          // only as "other side closed" (a TLS 1.3 server's certificate_required
          // alert arrives after the handshake), and covers the gap before undici attaches.
          connection.socket.on('error', (err) => {
            socketError ??= err;
          });
          callback(null, connection.socket);
        },
        (err: Error) => callback(err, null),
      );
    },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    maxHeaderSize: MAX_HEADER_BYTES,
    pipelining: 1,
  });

  try {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const credentials = forwardThroughProxy ? proxyAuthorization(request.proxy!) : undefined;
    if (credentials) headers['proxy-authorization'] = credentials;
    const response = await client.request({
      path: forwardThroughProxy ? url.href : `${url.pathname}${url.search}`,
      method: 'GET',
      headers,
      signal,
    });
    clock.end('firstByte');
    const firstByteAtMs = clock.endOf('firstByte')!;
    if (forwardThroughProxy && response.statusCode === 407) {
      response.body.destroy();
      throw new NetError(
        'proxy-auth',
        'firstByte',
        { host: request.proxy!.hostname, atProxy: true, statusCode: 407, credentialsSent: Boolean(credentials), proxyAuthSchemes: proxyAuthSchemes([response.headers['proxy-authenticate'] ?? []].flat()) },
        'the proxy requires authentication (407)',
      );
    }
    phase = 'body';
    const { body, truncated } = await readBounded(response.body, request.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    clock.end('body');
    return {
      url: url.href,
      status: response.statusCode,
      statusText: response.statusText ?? '',
      headers: flattenHeaders(response.headers),
      body,
      bodyTruncated: truncated,
      timings: clock.timings(),
      sentAtMs: readyAt(clock),
      firstByteAtMs,
      ...(opened?.remoteAddress ? { remoteAddress: opened.remoteAddress } : {}),
      ...(opened?.tls ? { tls: opened.tls } : {}),
    };
  } catch (caught) {
    const err = socketError && (caught as { code?: string }).code === 'UND_ERR_SOCKET' ? socketError : caught;
    const failure = toNetError(err, failedPhase(err, phase, clock), { host: url.hostname });
    failure.timings ??= clock.timings(failure.phase);
    throw failure;
  } finally {
    await client.destroy().catch(() => undefined);
  }
}

/** The phase an error belongs to: the connector names its own; otherwise the HTTP phase that was running. */
function failedPhase(err: unknown, phase: 'firstByte' | 'body', clock: PhaseClock): NetError['phase'] {
  if (err instanceof NetError) return err.phase;
  return clock.endOf('firstByte') === undefined ? 'firstByte' : phase;
}

/** When the connection was ready and the request went out. */
function readyAt(clock: PhaseClock): number {
  for (const phase of ['tls', 'proxyConnect', 'connect'] as const) {
    const at = clock.endOf(phase);
    if (at !== undefined) return at;
  }
  return 0;
}

async function readBounded(stream: AsyncIterable<Buffer> & { destroy(): void }, max: number): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const room = max - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      // Leaving the loop destroys the stream: the rest is never read.
      return { body: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function lookupIpv4(host: string, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  const found = systemLookup(host, 4).then(
    (r) => r.address,
    () => undefined,
  );
  try {
    return await Promise.race([found, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export const realNetwork: Network = { request: httpRequest, lookupIpv4 };
