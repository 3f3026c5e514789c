import { msg, plural, type Localized } from '../i18n/index.js';
import type { Probe, ProbeContext, Status } from '../model.js';
import { resolveProxy } from '../net/proxy.js';
import { proxyForDisplay } from '../net/types.js';
import type { HostPort } from '../options.js';
import { judgeChain } from '../tls/chain-verdict.js';
import { idpHostEntry } from '../tls/idp-hosts.js';
import { skippedNote, withFailover } from '../net/failover.js';
import { TlsProbeError } from '../tls/errors.js';
import { chainDetails, hostNotes, requestDetails, type HostDetails } from '../tls/evidence.js';
import { judgeFailure } from '../tls/failure-verdict.js';
import { findRootInOsStore } from '../tls/os-store.js';
import { caFilesOf, type CaFiles } from '../net/trust.js';
import { mozillaAnchors, TrustStore } from '../tls/trust.js';
import type { PresentedHandshake } from '../tls/types.js';
import { analyseChain, isSelfSigned, readCertificates, type PresentedCertificate } from '../tls/verify.js';
import { proxyProbe } from './proxy.js';

export interface IdpTlsDetails {
  readonly hosts: readonly HostDetails[];
  /** --ca-file files, or parts of them, that held no readable certificate. */
  readonly caFileProblems?: CaFiles['problems'];
}

interface HostResult {
  readonly status: Status;
  readonly summary: Localized;
  readonly advice?: Localized;
  readonly notes: readonly Localized[];
  readonly details: HostDetails;
}

/** Each phase gets the timeout; one host all its phases (TLS 1.3 fallback included) twice that. */
const hostTotalMs = (timeoutMs: number): number => 2 * timeoutMs;
/** Looking up a root in the OS store is a quick local command. */
const osStoreMs = (timeoutMs: number): number => Math.min(timeoutMs, 3000);

export const idpTlsProbe: Probe<IdpTlsDetails> = {
  id: 'idp-tls',
  title: msg('TLS mot inloggningstjänsten', 'TLS to the login service'),
  description: msg(
    'Läser certifikatkedjan som inloggningstjänsterna (*.idp.funktionstjanster.se, idp.inera.se) verkligen visar, samma väg som webbläsaren går, och om servern ber om SITHS-kort: avslöjar en TLS-inspekterande proxy utifrån kedjan.',
    'Reads the certificate chain the login services (*.idp.funktionstjanster.se, idp.inera.se) really present, by the route a browser takes, and whether the server asks for a SITHS card: reveals a TLS-inspecting proxy from the chain.',
  ),
  dependsOn: [proxyProbe.id],
  network: true,
  waitingFor: msg('väntar på inloggningstjänsten…', 'waiting for the login service…'),
  async run(ctx) {
    const caFiles = await caFilesOf(ctx);
    const store = new TrustStore([...mozillaAnchors(), ...caFiles.anchors]);
    const results = await Promise.all(ctx.options.idpHosts.map((target) => examineHost(ctx, target, store, caFiles.ca)));
    const worst = [...results].sort((a, b) => RANK[a.status] - RANK[b.status])[0]!;
    const others = results.filter((r) => r !== worst && r.status !== 'pass').length;
    const summary =
      results.length > 1 && worst.status === 'pass'
        ? msg(
            `Alla ${results.length} värdar visar en kedja till en betrodd rot, utan tecken på TLS-inspektion.`,
            `All ${results.length} hosts present a chain to a trusted root, with no sign of TLS inspection.`,
          )
        : others > 0
          ? msg(`${worst.summary.sv} ${plural(others, 'sv', { one: 'värd till har anmärkningar', other: 'värdar till har anmärkningar' })}.`, `${worst.summary.en} ${plural(others, 'en', { one: 'more host has remarks', other: 'more hosts have remarks' })}.`)
          : worst.summary;
    const notes = [...results.flatMap((r) => r.notes), ...caFiles.problems.map((p) => msg(`--ca-file ${p.file}: ${p.reason.sv}`, `--ca-file ${p.file}: ${p.reason.en}`))];
    return {
      status: worst.status,
      summary,
      advice: worst.advice,
      notes,
      details: { hosts: results.map((r) => r.details), ...(caFiles.problems.length > 0 ? { caFileProblems: caFiles.problems } : {}) },
    };
  },
};

const RANK: Record<Status, number> = { fail: 0, error: 1, warn: 2, pass: 3, skip: 4 };

async function examineHost(ctx: ProbeContext, target: HostPort, store: TrustStore, ca: readonly string[] | undefined): Promise<HostResult> {
  const { host, port } = target;
  const url = new URL(`https://${host}${port === 443 ? '' : `:${port}`}/`);
  const first = await resolveProxy(ctx, url);
  const tried = await withFailover(
    first,
    (decision) =>
      ctx.system.tls.readPresented({
        host,
        port,
        route: decision,
        resolve: ctx.options.resolve,
        ca,
        timeoutMs: ctx.timeoutMs,
        totalMs: hostTotalMs(ctx.timeoutMs),
        signal: ctx.signal,
      }),
    proxyDidNotAnswer,
    ctx.signal,
  );
  const decision = tried.decision;
  const route = {
    mode: decision.mode,
    proxy: proxyForDisplay(decision.url),
    source: decision.source,
    ...(tried.skipped.length > 0 ? { skipped: tried.skipped } : {}),
  };
  const failover = skippedNote(tried.skipped, decision);
  if (!tried.ok) {
    const err = tried.error;
    if (!(err instanceof TlsProbeError)) throw err;
    const judged = judgeFailure(host, port, err);
    const details: HostDetails = {
      host,
      port,
      status: judged.status,
      outcome: err.kind,
      route,
      error: { kind: err.kind, phase: err.phase, message: err.message, ...err.info },
    };
    return { ...judged, notes: [...(failover ? [failover] : []), ...hostNotes(details)], details };
  }
  const handshake = tried.value;

  const presented = withoutStoreRoot(readCertificates(handshake.certificates), handshake, store);
  const chain = analyseChain(presented, host, store, ctx.system.clock.now());
  const lastOnPath = presented[chain.path.at(-1) ?? 0]?.x509;
  const osStore =
    !chain.trusted && chain.untrustedRoot && lastOnPath
      ? await findRootInOsStore(
          ctx.system,
          { name: chain.untrustedRoot, lastOnPath, sent: chain.endsSelfSigned },
          { timeoutMs: osStoreMs(ctx.timeoutMs), signal: ctx.signal },
        )
      : undefined;
  const judged = judgeChain({ host, handshake, presented, chain, osStore });
  const entry = idpHostEntry(host);
  const details: HostDetails = {
    host,
    port,
    status: judged.status,
    outcome: judged.outcome,
    route,
    remoteAddress: handshake.remoteAddress,
    protocol: handshake.protocol,
    cipherSuite: handshake.cipherSuite,
    chainSource: handshake.chainSource,
    messages: handshake.messages,
    certificates: presented.map((p) => p.facts),
    chain: chainDetails(chain),
    ...(judged.evidence.length > 0 ? { inspection: { evidence: judged.evidence, product: judged.product } } : {}),
    osStore,
    clientCertificateRequest: requestDetails(handshake),
    ...(entry ? { loginMethods: entry.methods } : {}),
    timings: { connectMs: Math.round(handshake.connectMs), handshakeMs: Math.round(handshake.handshakeMs) },
    bytesRead: handshake.bytesRead,
  };
  return { status: judged.status, summary: judged.summary, advice: judged.advice, notes: [...(failover ? [failover] : []), ...hostNotes(details, presented)], details };
}

/**
 * In the TLS 1.3 fallback Node appends the root from its own store to the
 * chain it reports, so a trusted root at the end may never have been sent:
 * leave it out of what the server "presented" (the path still ends there).
 */
function withoutStoreRoot(presented: PresentedCertificate[], handshake: PresentedHandshake, store: TrustStore): PresentedCertificate[] {
  const last = presented.at(-1)?.x509;
  if (handshake.chainSource !== 'as-verified' || presented.length < 2 || !last || !isSelfSigned(last) || !store.find(last)) return presented;
  return presented.slice(0, -1);
}

/** The proxy itself did not answer (browsers then try the PAC answer's next entry); a proxy that answers "no" did. */
function proxyDidNotAnswer(err: unknown): boolean {
  return (
    err instanceof TlsProbeError &&
    err.info.at === 'proxy' &&
    ['dns', 'refused', 'reset', 'unreachable', 'network', 'timeout', 'closed', 'proxy-tls'].includes(err.kind) &&
    err.phase !== 'handshake'
  );
}
