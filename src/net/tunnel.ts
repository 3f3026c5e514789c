import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { duration } from '../i18n/duration.js';
import type { ResolveRule } from '../options.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { NetError, printablePreview, toNetError, type NetErrorInfo } from './errors.js';
import { runPhase, type PhaseLimits } from './limits.js';

/** A proxy's answer to CONNECT is a few hundred bytes; more than this is not a proxy. */
export const MAX_CONNECT_HEAD = 16 * 1024;

export interface TunnelRequest {
  readonly host: string;
  readonly port: number;
  readonly proxy: URL;
  readonly resolve: readonly ResolveRule[];
  readonly limits: PhaseLimits;
}

/** A host as URLs write it, without the brackets of an IPv6 address. */
export const bare = (host: string): string => host.replace(/^\[|\]$/g, '');

/** The port a URL goes to: its own, or the scheme's (443 for https:, 80 otherwise). */
export const portOf = (url: URL): number => Number(url.port) || (url.protocol === 'https:' ? 443 : 80);

/** A --resolve rule for this host and port, like curl (a fully qualified "name." matches "name"). */
export function resolveRuleFor(rules: readonly ResolveRule[], host: string, port: number): ResolveRule | undefined {
  const name = bare(host).toLowerCase().replace(/\.$/, '');
  return rules.find((r) => r.host === name && r.port === port);
}

/** host:port, an IPv6 address in brackets. */
export function authorityOf(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/**
 * Ask the proxy for a tunnel to host:port over `socket` and wait for its
 * answer (within one phase limit); on success the socket carries the
 * tunnel, paused, with any bytes after the answer's head put back. The proxy
 * gets the host's name, unless a --resolve rule covers host:port: the proxy
 * cannot know the rule, so it gets the rule's address (TLS through the
 * tunnel still uses the name). `info` names the proxy in errors.
 */
export async function openTunnel(socket: Duplex, request: TunnelRequest, info: NetErrorInfo): Promise<void> {
  const rule = resolveRuleFor(request.resolve, request.host, request.port);
  const authority = authorityOf(rule ? rule.address : bare(request.host), request.port);
  const credentials = proxyAuthorization(request.proxy);
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`, `User-Agent: ${TOOL_NAME}/${TOOL_VERSION}`, 'Proxy-Connection: keep-alive'];
  if (credentials) lines.push(`Proxy-Authorization: ${credentials}`);
  socket.write(lines.join('\r\n') + '\r\n\r\n');

  const { head, rest } = await readAnswerHead(socket, request.limits, info);
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!status) {
    const preview = printablePreview(Buffer.from(head, 'latin1'));
    throw new NetError('protocol', 'proxyConnect', { ...info, preview }, `the proxy did not answer CONNECT in HTTP: "${preview}"`);
  }
  const statusCode = Number(status[1]);
  if (statusCode >= 200 && statusCode < 300) {
    if (rest.length > 0) socket.unshift(rest);
    return;
  }
  // 407 is the standard answer; tinyproxy, for one, answers wrong credentials with 401.
  if (statusCode === 407 || statusCode === 401) {
    throw new NetError(
      'proxy-auth',
      'proxyConnect',
      { ...info, statusCode, credentialsSent: Boolean(credentials), proxyAuthSchemes: proxyAuthSchemes([...head.matchAll(/^proxy-authenticate:(.*)$/gim)].map((m) => m[1]!)) },
      `the proxy requires authentication (${statusCode})${credentials ? ' and rejected the credentials given' : ''}`,
    );
  }
  throw new NetError('proxy-refused', 'proxyConnect', { ...info, statusCode }, `the proxy answered CONNECT to ${authority} with ${statusCode}`);
}

function readAnswerHead(socket: Duplex, limits: PhaseLimits, info: NetErrorInfo): Promise<{ head: string; rest: Buffer }> {
  return runPhase(
    limits,
    {
      timeout: (limitMs) => new NetError('timeout', 'proxyConnect', { ...info, limitMs }, `the proxy did not answer CONNECT within ${duration(limitMs, 'en')}`),
      aborted: () => new NetError('aborted', 'proxyConnect', info, 'aborted'),
    },
    (resolve, reject) => {
      let received = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        received = Buffer.concat([received, chunk]);
        const end = received.indexOf('\r\n\r\n');
        if (end >= 0) {
          resolve({ head: received.subarray(0, end).toString('latin1'), rest: received.subarray(end + 4) });
        } else if (received.length > MAX_CONNECT_HEAD) {
          reject(new NetError('protocol', 'proxyConnect', { ...info, limit: MAX_CONNECT_HEAD }, `the proxy sent more than ${MAX_CONNECT_HEAD} bytes without ending its answer to CONNECT`));
        }
      };
      const onError = (err: Error): void => reject(toNetError(err, 'proxyConnect', info));
      const onEnd = (): void =>
        reject(
          received.length === 0
            ? new NetError('reset', 'proxyConnect', info, 'the proxy closed the connection without answering CONNECT')
            : new NetError('protocol', 'proxyConnect', { ...info, preview: printablePreview(received) }, 'the proxy closed the connection in the middle of its answer to CONNECT'),
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
}

/** Basic credentials from the proxy URL, decoded the way browsers take them from user:password@. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  const pair = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/** The scheme each Proxy-Authenticate value names (Basic, NTLM, Negotiate), in the proxy's order. */
export function proxyAuthSchemes(values: readonly string[]): string[] {
  return values.flatMap((value) => /^\s*([A-Za-z0-9-]+)/.exec(value)?.[1] ?? []);
}
