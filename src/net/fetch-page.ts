import type { HttpResponse } from './http.js';
import { NetError } from './errors.js';
import { skippedNote, withFailover } from './failover.js';
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
  const ca = await trustedRoots(ctx);
  const signal = options.signal ?? ctx.signal;
  let startedAt = 0;
  const tried = await withFailover(
    await resolveProxy(ctx, url),
    (route) => {
      startedAt = ctx.system.clock.now().getTime();
      return ctx.system.net.request({
        url,
        ...(route.url ? { proxy: route.url } : {}),
        resolve: ctx.options.resolve,
        ca,
        verifyTls: options.verifyTls ?? true,
        timeoutMs: ctx.timeoutMs,
        signal,
        ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
      });
    },
    proxyDidNotAnswer,
    signal,
  );
  if (!tried.ok) throw tried.error;
  const response = tried.value;
  const note = skippedNote(tried.skipped, tried.decision);
  const decision: ProxyDecision = note ? { ...tried.decision, notes: [...(tried.decision.notes ?? []), note] } : tried.decision;
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

/** The proxy itself did not answer: browsers then try the PAC answer's next entry. */
function proxyDidNotAnswer(err: unknown): boolean {
  if (!(err instanceof NetError) || !err.info.atProxy) return false;
  return err.info.proxyTls === true || (['dns', 'refused', 'unreachable', 'reset', 'timeout'].includes(err.kind) && err.phase !== 'firstByte' && err.phase !== 'body');
}
