import { msg, type Localized } from '../i18n/index.js';
import type { Status } from '../model.js';

/**
 * One cause, one piece of advice. When the network is down, the TLS check,
 * the test page and the clock all fail; when the smart card service is not
 * running, every card check after it does. This finds such groups over a
 * finished run: the check that shows the cause first is the root cause, the
 * others fail (or were skipped) because of it. Pure: results in, verdict out,
 * so it is tested on recorded result sets.
 */

/** What a group of failures comes down to. */
export type CauseKind =
  | 'dns' // names cannot be looked up
  | 'network' // no route, refused, reset or silent, without a proxy: the network is down or blocked
  | 'proxy' // the proxy refused, wants a login, or does not answer
  | 'prerequisite'; // a check others need (service, reader, card, Net iD) did not pass

export interface RootCause {
  readonly check: string;
  readonly cause: CauseKind;
  /** The other checks that failed, errored or were skipped because of it, in run order. */
  readonly because: readonly string[];
}

/** The little of a result this needs: what JSON shows. */
export interface CauseInput {
  readonly id: string;
  readonly status: Status;
  readonly details?: object;
}

/** Checks that reach a server; in this order the first to fail is named as the root cause. */
const NETWORK_CHECKS = ['proxy', 'idp-tls', 'test-page', 'clock'];
/** Checks that read results of others they do not strictly depend on (`uses`): a failure there follows from the other's. */
const FOLLOWS: Readonly<Record<string, readonly string[]>> = { 'netid-token': ['card', 'reader', 'pcsc-service'] };

export function findRootCauses(results: readonly CauseInput[]): readonly RootCause[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const rootOf = new Map<string, string>();
  const kindOf = new Map<string, CauseKind>();

  // 1. Network: the checks that could not reach a server for the same kind of reason.
  const network = results
    .filter((r) => NETWORK_CHECKS.includes(r.id) && (r.status === 'fail' || r.status === 'error'))
    .map((r) => ({ r, kind: networkKind(r, byId.get('proxy')) }))
    .filter((x): x is { r: CauseInput; kind: CauseKind } => x.kind !== undefined);
  const noServerTime = byId.get('clock');
  // The clock asks the same servers: when they cannot be reached it has no time to compare with
  // (an error, or a skip once it learns that from the test page), whatever its own words.
  const clockFollows =
    noServerTime !== undefined &&
    (noServerTime.status === 'error' || (noServerTime.status === 'skip' && !['offline', 'requested', 'prerequisite'].includes(String(detail(noServerTime, 'skipReason')))));
  for (const kind of ['proxy', 'dns', 'network'] as const) {
    const same = network.filter((x) => x.kind === kind).map((x) => x.r.id);
    const followers = clockFollows && !same.includes('clock') ? [...same, 'clock'] : same;
    if (same.length === 0 || followers.length < 2) continue;
    const ordered = NETWORK_CHECKS.filter((id) => followers.includes(id));
    const root = ordered.find((id) => same.includes(id))!;
    if (rootOf.has(root)) continue;
    kindOf.set(root, kind);
    for (const id of ordered) if (id !== root && !rootOf.has(id)) rootOf.set(id, root);
    break;
  }

  // 2. Prerequisites: a skip names the check it waited for; follow the chain to the first that did not pass.
  const chainRoot = (id: string, seen = new Set<string>()): string | undefined => {
    const r = byId.get(id);
    if (!r || seen.has(id)) return undefined;
    seen.add(id);
    const prerequisite = r.status === 'skip' ? detail(r, 'prerequisite') : undefined;
    if (typeof prerequisite === 'string') return chainRoot(prerequisite, seen) ?? (byId.get(prerequisite)?.status === 'skip' ? undefined : prerequisite);
    return r.status === 'fail' || r.status === 'error' ? id : undefined;
  };
  for (const r of results) {
    if (rootOf.has(r.id) || kindOf.has(r.id)) continue;
    if (r.status === 'skip' && detail(r, 'skipReason') === 'prerequisite') {
      const root = chainRoot(r.id);
      if (root && root !== r.id) rootOf.set(r.id, rootOf.get(root) ?? root);
    } else if ((r.status === 'fail' || r.status === 'error') && FOLLOWS[r.id]) {
      const root = FOLLOWS[r.id]!.map((id) => chainRoot(id)).find((id) => id !== undefined);
      if (root) rootOf.set(r.id, rootOf.get(root) ?? root);
    }
  }
  for (const root of new Set(rootOf.values())) if (!kindOf.has(root)) kindOf.set(root, 'prerequisite');

  // Only a cause that explains at least one other check is worth naming as a root cause.
  return results
    .filter((r) => kindOf.has(r.id))
    .map((r) => ({ check: r.id, cause: kindOf.get(r.id)!, because: results.filter((x) => rootOf.get(x.id) === r.id).map((x) => x.id) }))
    .filter((c) => c.because.length > 0);
}

/** One field of a result's details as JSON shows it: this reads recorded reports too, so by name, checked where used. */
function detail(r: CauseInput, key: string): unknown {
  if (!r.details || !(key in r.details)) return undefined;
  const value: unknown = Reflect.get(r.details, key);
  return value;
}

/** Why a network check could not reach its server, if it is a reason the network or proxy gives. */
function networkKind(r: CauseInput, proxy: CauseInput | undefined): CauseKind | undefined {
  if (r.id === 'proxy') return r.status === 'fail' ? 'proxy' : undefined;
  if (r.id === 'test-page') {
    const cause = detail(r, 'cause');
    const url = detail(r, 'url');
    return typeof cause === 'string' ? kindOfFailure(cause, typeof url === 'string' && viaProxy(proxy, url), detail(r, 'phase') === 'proxyConnect') : undefined;
  }
  if (r.id === 'idp-tls') {
    const hosts = detail(r, 'hosts');
    if (!Array.isArray(hosts) || hosts.length === 0) return undefined;
    // Every host must have failed for the same reason; one reachable host means the network works.
    const kinds = hosts.map((h: { error?: { kind?: string; at?: string }; route?: { mode?: string } }) =>
      h.error?.kind ? kindOfFailure(h.error.kind, h.route?.mode !== undefined && h.route.mode !== 'direct', h.error.at === 'proxy') : undefined,
    );
    return kinds.every((k) => k !== undefined && k === kinds[0]) ? kinds[0] : undefined;
  }
  return undefined;
}

/** Whether the proxy check found a proxy for this URL's origin. */
function viaProxy(proxy: CauseInput | undefined, url: string): boolean {
  const targets = proxy ? detail(proxy, 'targets') : undefined;
  if (!Array.isArray(targets)) return false;
  const origin = URL.canParse(url) ? new URL(url).origin : url;
  return targets.some((t: { url?: string; mode?: string }) => typeof t.url === 'string' && URL.canParse(t.url) && new URL(t.url).origin === origin && t.mode !== undefined && t.mode !== 'direct');
}

function kindOfFailure(kind: string, viaProxy: boolean, atProxy: boolean): CauseKind | undefined {
  if (kind === 'proxy-auth' || kind === 'proxy-refused' || atProxy) return 'proxy';
  if (!['dns', 'unreachable', 'refused', 'reset', 'timeout'].includes(kind)) return undefined;
  // Through a proxy the proxy reaches the server: a silent or refusing path is the proxy's.
  if (viaProxy) return 'proxy';
  return kind === 'dns' ? 'dns' : 'network';
}

/** One piece of advice for a network cause; for a prerequisite the root check's own advice is the one to give. */
export const CAUSE_ADVICE: Readonly<Record<Exclude<CauseKind, 'prerequisite'>, { readonly summary: Localized; readonly advice: Localized }>> = {
  dns: {
    summary: msg('Datorn kan inte slå upp adresser på nätet (DNS).', 'This computer cannot look up addresses on the network (DNS).'),
    advice: msg(
      'Kontrollera att datorn är ansluten till nätverket (sladd eller wifi) och att andra webbplatser öppnas. Öppnas inga, kontakta IT: namnuppslagningen (DNS) fungerar inte.',
      'Check that the computer is connected to the network (cable or Wi-Fi) and that other websites open. If none do, contact IT: name lookup (DNS) does not work.',
    ),
  },
  network: {
    summary: msg('Datorn når inte ut på nätet.', 'This computer cannot reach the internet.'),
    advice: msg(
      'Kontrollera att datorn är ansluten till nätverket (sladd eller wifi) och att andra webbplatser öppnas. Öppnas inga, kontakta IT.',
      'Check that the computer is connected to the network (cable or Wi-Fi) and that other websites open. If none do, contact IT.',
    ),
  },
  proxy: {
    summary: msg('Proxyn släpper inte igenom trafiken.', 'The proxy does not let the traffic through.'),
    advice: msg(
      'Kontakta IT: proxyn ska släppa igenom test.siths.se och *.idp.funktionstjanster.se utan att granska trafiken.',
      'Contact IT: the proxy must let test.siths.se and *.idp.funktionstjanster.se through without inspecting the traffic.',
    ),
  },
};
