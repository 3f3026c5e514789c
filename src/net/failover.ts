import { msg, type Localized } from '../i18n/index.js';
import { proxyForDisplay, type ProxyDecision } from './types.js';

/** A route from the PAC answer that was tried and did not answer, and why. */
export interface SkippedRoute {
  /** The proxy without credentials, or "DIRECT". */
  readonly route: string;
  readonly error: string;
}

/** What the last route tried gave (a value, or the error that ended the search), which route that was, and the routes skipped before it. */
export type FailoverResult<T> = { readonly decision: ProxyDecision; readonly skipped: readonly SkippedRoute[] } & (
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown }
);

export const routeName = (decision: ProxyDecision): string => (decision.mode === 'direct' ? 'DIRECT' : (proxyForDisplay(decision.url) ?? '?'));

/**
 * Try a PAC answer's entries in order, as browsers do ("PROXY dead:3128;
 * PROXY live:3128; DIRECT"): when a proxy itself does not answer (no such
 * name, refused, reset, no route, silent, its TLS fails), the next entry is
 * tried, while the check's time remains (`signal`). Any other answer (the
 * proxy says 403 or 407, the host fails) is the route's real result and ends
 * the search. A route without fallbacks is simply tried once.
 */
export async function withFailover<T>(
  decision: ProxyDecision,
  attempt: (route: ProxyDecision) => Promise<T>,
  proxyDidNotAnswer: (err: unknown) => boolean,
  signal: AbortSignal | undefined,
): Promise<FailoverResult<T>> {
  const routes = [decision, ...(decision.fallbacks ?? [])];
  const skipped: SkippedRoute[] = [];
  for (let i = 0; ; i++) {
    const route = routes[i]!;
    try {
      return { ok: true, value: await attempt(route), decision: route, skipped };
    } catch (error) {
      const last = i === routes.length - 1;
      if (last || signal?.aborted || !proxyDidNotAnswer(error)) return { ok: false, error, decision: route, skipped };
      skipped.push({ route: routeName(route), error: error instanceof Error ? error.message : String(error) });
    }
  }
}

/** The routes tried before one that worked, for the notes. */
export function skippedNote(skipped: readonly SkippedRoute[], used: ProxyDecision): Localized | undefined {
  if (skipped.length === 0) return undefined;
  const tried = skipped.map((s) => `${s.route} (${s.error})`).join('; ');
  return msg(
    `Proxyskriptets första väg svarade inte: ${tried}; som i webbläsaren prövades nästa, och ${routeName(used)} användes.`,
    `The PAC script's first route did not answer: ${tried}; as a browser does, the next was tried, and ${routeName(used)} was used.`,
  );
}
