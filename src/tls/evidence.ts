import { msg, same, type Localized } from '../i18n/index.js';
import type { SkippedRoute } from '../net/failover.js';
import type { ProxyDecision, ProxySource } from '../net/types.js';
import type { Status } from '../model.js';
import { cardRequestOf, type ChainOutcome, type InspectionEvidence } from './chain-verdict.js';
import { idpHostEntry, methodsText, type LoginMethod } from './idp-hosts.js';
import { formatName } from './dn.js';
import type { FailureInfo, Phase, TlsFailureKind } from './errors.js';
import { clientCertificateTypeName, signatureSchemeName } from './names.js';
import type { OsStoreCheck } from './os-store.js';
import type { PresentedHandshake } from './types.js';
import type { ChainAnalysis, CertificateFacts, PresentedCertificate } from './verify.js';
import { day } from './wording.js';

/** One --idp-host in `details.hosts` of the idp-tls check. Keys are stable (docs/checks.md, "idp-tls"). */
export interface HostDetails {
  readonly host: string;
  readonly port: number;
  readonly status: Status;
  readonly outcome: ChainOutcome | TlsFailureKind;
  readonly route: {
    readonly mode: ProxyDecision['mode'];
    readonly proxy?: string;
    readonly source: ProxySource;
    /** PAC entries tried first that did not answer (the route above is the one that did, or the last tried). */
    readonly skipped?: readonly SkippedRoute[];
  };
  readonly remoteAddress?: string;
  readonly protocol?: string;
  readonly cipherSuite?: string;
  readonly chainSource?: PresentedHandshake['chainSource'];
  readonly messages?: readonly string[];
  readonly certificates?: readonly CertificateFacts[];
  readonly chain?: ChainDetails;
  readonly inspection?: { readonly evidence: readonly InspectionEvidence[]; readonly product?: string };
  readonly osStore?: OsStoreCheck;
  readonly clientCertificateRequest?: ClientCertificateRequestDetails;
  readonly error?: { readonly kind: TlsFailureKind; readonly phase: Phase; readonly message: string } & FailureInfo;
  readonly timings?: { readonly connectMs: number; readonly handshakeMs: number };
  readonly bytesRead?: number;
  /** From the host table (src/tls/idp-hosts.ts): how people log in through this host, and its source. */
  readonly loginMethods?: readonly LoginMethod[];
}

export interface ChainDetails {
  readonly trusted: boolean;
  readonly publicRoot: boolean;
  readonly root?: ChainAnalysis['anchor'];
  readonly untrustedRoot?: string;
  readonly path: readonly number[];
  readonly unused: readonly number[];
  readonly inOrder: boolean;
  readonly hostCovered: boolean;
  readonly matchedName?: string;
  readonly leafNames: readonly string[];
  readonly expired: ChainAnalysis['expired'];
  readonly notYetValid: ChainAnalysis['notYetValid'];
  readonly endsSelfSigned: boolean;
  readonly lookAlikeRoot?: string;
  readonly leafIssuedByRoot: boolean;
}

export interface ClientCertificateRequestDetails {
  /** False when the server speaks only TLS 1.3 and the request is encrypted. */
  readonly seen: boolean;
  readonly requested?: boolean;
  readonly certificateTypes?: readonly string[];
  readonly signatureAlgorithms?: readonly string[];
  /** Acceptable client CA names, most specific attribute first, in the order sent. */
  readonly authorities?: readonly string[];
  /** Those of them that are SITHS or Efos CAs: only these make the request "asks for the card". */
  readonly cardAuthorities?: readonly string[];
}

export function chainDetails(chain: ChainAnalysis): ChainDetails {
  return {
    trusted: chain.trusted,
    publicRoot: chain.anchor?.source === 'mozilla',
    root: chain.anchor,
    untrustedRoot: chain.untrustedRoot,
    path: chain.path,
    unused: chain.unused,
    inOrder: chain.inOrder,
    hostCovered: chain.hostCovered,
    matchedName: chain.matchedName,
    leafNames: chain.leafNames,
    expired: chain.expired,
    notYetValid: chain.notYetValid,
    endsSelfSigned: chain.endsSelfSigned,
    ...(chain.lookAlikeRoot ? { lookAlikeRoot: chain.lookAlikeRoot } : {}),
    leafIssuedByRoot: chain.leafIssuedByRoot,
  };
}

export function requestDetails(handshake: PresentedHandshake): ClientCertificateRequestDetails {
  if (handshake.chainSource !== 'as-sent') return { seen: false };
  const request = handshake.certificateRequest;
  if (!request) return { seen: true, requested: false };
  return {
    seen: true,
    requested: true,
    certificateTypes: request.certificateTypes.map(clientCertificateTypeName),
    signatureAlgorithms: request.signatureAlgorithms.map(signatureSchemeName),
    authorities: request.authorities.map((dn) => formatName(dn) ?? `(unreadable name, ${dn.length} bytes: ${dn.subarray(0, 16).toString('hex')}…)`),
    cardAuthorities: cardRequestOf(handshake).cardAuthorities,
  };
}

/** How many client CA names the notes list before "and N more" (details hold them all). */
const MAX_AUTHORITY_NOTES = 20;

/** The evidence lines for one host: route, every certificate in the order presented, the root, the host name, the client CA names. */
export function hostNotes(details: HostDetails, presented: readonly PresentedCertificate[] = []): Localized[] {
  const notes: Localized[] = [routeLine(details)];
  const entry = idpHostEntry(details.host);
  if (entry) {
    const methods = methodsText(entry);
    notes.push(msg(`  Inloggningssätt på den här värden (${entry.operator}): ${methods.sv}`, `  Login methods on this host (${entry.operator}): ${methods.en}`));
  }
  if (details.error) {
    notes.push(msg(`  Teknisk detalj: ${details.error.message}`, `  Technical detail: ${details.error.message}`));
    return notes;
  }
  if (details.chainSource === 'as-verified') {
    notes.push(
      msg(
        `  Kedjan som Node verifierade (${presented.length}; servern talar bara TLS 1.3, så ordningen kan skilja sig från den skickade):`,
        `  The chain Node verified (${presented.length}; the server speaks only TLS 1.3, so the order may differ from the one sent):`,
      ),
    );
  } else {
    notes.push(msg(`  Certifikat som servern skickade (${presented.length}, i skickad ordning):`, `  Certificates the server sent (${presented.length}, in the order sent):`));
  }
  const unused = new Set(details.chain?.unused ?? []);
  for (const p of presented) notes.push(...certificateLines(p.facts, unused.has(p.facts.index)));
  notes.push(...rootLines(details));
  const chain = details.chain;
  if (chain && presented.length > 0) {
    notes.push(
      chain.hostCovered
        ? msg(`  ${details.host} täcks av namnet ${chain.matchedName} i certifikatet.`, `  ${details.host} is covered by the name ${chain.matchedName} in the certificate.`)
        : msg(`  ${details.host} täcks inte; certifikatet gäller: ${chain.leafNames.join(', ') || '?'}.`, `  ${details.host} is not covered; the certificate is for: ${chain.leafNames.join(', ') || '?'}.`),
    );
  }
  notes.push(...requestLines(details.clientCertificateRequest));
  return notes;
}

function routeLine(d: HostDetails): Localized {
  const target = `${d.host}:${d.port}`;
  const tls = [d.protocol, d.cipherSuite].filter(Boolean).join(' · ');
  const suffix = tls ? ` · ${tls}` : '';
  if (d.route.mode === 'http') {
    return msg(`${target} via proxy ${d.route.proxy ?? '?'}${suffix}`, `${target} through proxy ${d.route.proxy ?? '?'}${suffix}`);
  }
  return d.remoteAddress
    ? msg(`${target} direkt till ${d.remoteAddress}${suffix}`, `${target} direct to ${d.remoteAddress}${suffix}`)
    : msg(`${target} direkt${suffix}`, `${target} direct${suffix}`);
}

function certificateLines(c: CertificateFacts, unused: boolean): Localized[] {
  if (c.unreadable) {
    return [msg(`  #${c.index + 1} (går inte att läsa) SHA-256 ${c.sha256}`, `  #${c.index + 1} (unreadable) SHA-256 ${c.sha256}`)];
  }
  const marks = [c.selfSigned ? msg('självsignerat', 'self-signed') : undefined, unused ? msg('ingår inte i kedjan', 'not part of the chain') : undefined].filter(
    (m): m is Localized => m !== undefined,
  );
  const markSv = marks.length ? ` (${marks.map((m) => m.sv).join(', ')})` : '';
  const markEn = marks.length ? ` (${marks.map((m) => m.en).join(', ')})` : '';
  const validity = `${c.notBefore ? day(c.notBefore) : '?'} – ${c.notAfter ? day(c.notAfter) : '?'}`;
  return [
    msg(`  #${c.index + 1} ${c.subject}${markSv}`, `  #${c.index + 1} ${c.subject}${markEn}`),
    msg(`     utfärdare: ${c.issuer}`, `     issuer: ${c.issuer}`),
    msg(
      `     giltigt ${validity}${c.publicKey ? ` · ${c.publicKey}` : ''} · SHA-256 ${c.sha256}`,
      `     valid ${validity}${c.publicKey ? ` · ${c.publicKey}` : ''} · SHA-256 ${c.sha256}`,
    ),
  ];
}

function rootLines(d: HostDetails): Localized[] {
  const chain = d.chain;
  if (!chain) return [];
  const lines: Localized[] = [];
  if (chain.lookAlikeRoot) {
    lines.push(
      msg(
        `  Rot: ${chain.lookAlikeRoot} – en rot med det namnet finns (i Mozillas rotlista), men det här är en annan nyckel${chain.root ? ` (betrodd bara genom --ca-file ${chain.root.file ?? ''})`.trimEnd() : ''}`,
        `  Root: ${chain.lookAlikeRoot} – a root with this name exists (in Mozilla's list), but this is a different key${chain.root ? ` (trusted only through --ca-file ${chain.root.file ?? ''})`.trimEnd() : ''}`,
      ),
    );
  } else if (chain.root) {
    const where =
      chain.root.source === 'mozilla'
        ? msg('i Mozillas rotlista (publik, som i webbläsare)', "in Mozilla's root list (public, as in browsers)")
        : msg(`från --ca-file ${chain.root.file ?? ''}`.trimEnd(), `from --ca-file ${chain.root.file ?? ''}`.trimEnd());
    const sent = chain.root.sent ? msg(', skickad av servern', ', sent by the server') : msg('', '');
    lines.push(msg(`  Rot: ${chain.root.subject}, ${where.sv}${sent.sv}`, `  Root: ${chain.root.subject}, ${where.en}${sent.en}`));
  } else if (chain.endsSelfSigned) {
    lines.push(
      msg(
        `  Rot: ${chain.untrustedRoot ?? '?'} – finns inte i Mozillas rotlista eller --ca-file`,
        `  Root: ${chain.untrustedRoot ?? '?'} – in neither Mozilla's root list nor --ca-file`,
      ),
    );
  } else {
    lines.push(
      msg(
        `  Kedjan är ofullständig: utfärdaren ${chain.untrustedRoot ?? '?'} skickades inte och är ingen känd rot`,
        `  The chain is incomplete: the issuer ${chain.untrustedRoot ?? '?'} was not sent and is no known root`,
      ),
    );
  }
  if (d.osStore) {
    const store = d.osStore.store === 'windows' ? msg('Windows certifikatarkiv', "Windows' certificate store") : msg('macOS nyckelring', 'the macOS keychain');
    lines.push(
      d.osStore.found
        ? msg(
            `  Roten finns i ${store.sv} (installerad av organisationen): därför varnar webbläsaren inte.`,
            `  The root is in ${store.en} (installed by the organisation): that is why the browser shows no warning.`,
          )
        : msg(`  Roten finns inte heller i ${store.sv}.`, `  The root is not in ${store.en} either.`),
    );
  }
  if (d.inspection?.product) lines.push(msg(`  Inspektionsprodukt: ${d.inspection.product}`, `  Inspection product: ${d.inspection.product}`));
  return lines;
}

function requestLines(request: ClientCertificateRequestDetails | undefined): Localized[] {
  if (!request) return [];
  if (!request.seen) {
    return [msg('  Om servern ber om klientcertifikat syns inte (TLS 1.3 krypterar det).', '  Whether the server asks for a client certificate cannot be seen (TLS 1.3 encrypts it).')];
  }
  if (!request.requested) return [msg('  Servern bad inte om klientcertifikat (kort).', '  The server did not ask for a client certificate (card).')];
  const names = request.authorities ?? [];
  const types = (request.certificateTypes ?? []).join(', ');
  const lines: Localized[] = [
    names.length > 0
      ? msg(`  Servern ber om klientcertifikat (${types}) från dessa utfärdare (${names.length}):`, `  The server asks for a client certificate (${types}) from these authorities (${names.length}):`)
      : msg(`  Servern ber om klientcertifikat (${types}) från vilken utfärdare som helst.`, `  The server asks for a client certificate (${types}) from any authority.`),
  ];
  const card = new Set(request.cardAuthorities ?? []);
  for (const name of names.slice(0, MAX_AUTHORITY_NOTES)) lines.push(card.has(name) ? same(`    ${name} (SITHS/Efos)`) : same(`    ${name}`));
  if (names.length > 0 && card.size === 0) {
    lines.push(msg('    Ingen av dem är en SITHS- eller Efos-utfärdare.', '    None of them is a SITHS or Efos CA.'));
  }
  if (names.length > MAX_AUTHORITY_NOTES) {
    const more = names.length - MAX_AUTHORITY_NOTES;
    lines.push(msg(`    … och ${more} till (alla finns i JSON-rapporten)`, `    … and ${more} more (all in the JSON report)`));
  }
  return lines;
}
