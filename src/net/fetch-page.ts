import type { HttpResponse } from './http.js';
import { resolveProxy, type ProxyResolutionContext } from './proxy.js';
import { trustedRoots } from './trust.js';
import type { ProxyDecision } from './types.js';

/**
 * The server's clock as one response showed it, with the local wall-clock
 * times the request went out and the answer began: the server wrote its Date
 * header somewhere between the two.
 */
export interface ClockSample {
  readonly url: string;
  /** The Date header as sent. */
  readonly date: string;
  readonly sentAt: string;
  readonly firstByteAt: string;
}

export interface PageExchange {
  readonly response: HttpResponse;
  readonly decision: ProxyDecision;
  readonly clockSample?: ClockSample;
}

export interface FetchOptions {
  /** False to read a server's clock even when its certificate looks invalid (a wrong local clock does that). */
  readonly verifyTls?: boolean;
  readonly signal?: AbortSignal;
  readonly maxBodyBytes?: number;
}

/**
 * GET one URL the way this machine's browser would reach it: the proxy that
 * applies to that URL, --resolve, --ca-file, the per-phase time limit. Rejects
 * with NetError, ProxyConfigError or TrustConfigError.
 */
export async function fetchPage(ctx: ProxyResolutionContext, url: URL, options: FetchOptions = {}): Promise<PageExchange> {
  const decision = await resolveProxy(ctx, url);
  const ca = await trustedRoots(ctx);
  const startedAt = ctx.system.clock.now().getTime();
  const response = await ctx.system.net.request({
    url,
    ...(decision.url ? { proxy: decision.url } : {}),
    resolve: ctx.options.resolve,
    ca,
    verifyTls: options.verifyTls ?? true,
    timeoutMs: ctx.timeoutMs,
    signal: options.signal ?? ctx.signal,
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  const date = response.headers.date;
  const clockSample =
    date && !Number.isNaN(Date.parse(date))
      ? {
          url: url.href,
          date,
          sentAt: new Date(startedAt + response.sentAtMs).toISOString(),
          firstByteAt: new Date(startedAt + response.firstByteAtMs).toISOString(),
        }
      : undefined;
  return { response, decision, ...(clockSample ? { clockSample } : {}) };
}
