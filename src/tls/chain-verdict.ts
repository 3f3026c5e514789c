import { msg, type Localized } from '../i18n/index.js';
import type { Status } from '../model.js';
import { isCardIssuerName } from './card-cas.js';
import { formatName } from './dn.js';
import { idpHostEntry } from './idp-hosts.js';
import { inspectionProductOf } from './inspection-products.js';
import type { OsStoreCheck } from './os-store.js';
import type { PresentedHandshake } from './types.js';
import type { ChainAnalysis, PresentedCertificate } from './verify.js';
import { attributeOf } from './dn.js';
import { authorities as authoritiesText, bypassName, day, shortName } from './wording.js';

export type ChainOutcome =
  | 'pass'
  | 'inspection'
  | 'incomplete-chain'
  | 'outdated-tls'
  | 'wrong-host'
  | 'expired'
  | 'not-yet-valid'
  | 'no-certificate'
  | 'unreadable-certificate'
  | 'request-not-visible'
  | 'card-not-requested'
  | 'no-client-certificate-request';

/**
 * What showed the inspection, all from the chain (a missing client-certificate
 * request alone never is: BankID logins share the IdP's host). In order of weight.
 * - `untrusted-root`: the chain ends in a self-signed root in no trusted list.
 * - `look-alike-root`: the root is named like one in Mozilla's list, with another key.
 * - `organisation-ca`: a root outside Mozilla's list signed the server's certificate
 *   directly (public CAs never do), or the root the chain points to is in the
 *   operating system's store but not in Mozilla's list: whatever trusts it.
 * - `known-product`: a CA name of a known inspection product, the root not in Mozilla's list.
 * - `client-ca-is-servers-own`: the server asks for client certificates from the
 *   CA that issued its own chain, and from no SITHS or Efos CA.
 */
export type InspectionEvidence = 'untrusted-root' | 'look-alike-root' | 'organisation-ca' | 'known-product' | 'client-ca-is-servers-own';

export interface ChainJudgement {
  readonly status: Status;
  readonly outcome: ChainOutcome;
  readonly evidence: readonly InspectionEvidence[];
  /** The inspection product the CA names point to; never given for a chain to a Mozilla root. */
  readonly product?: string;
  readonly summary: Localized;
  readonly advice?: Localized;
}

export interface ChainEvidence {
  readonly host: string;
  readonly handshake: PresentedHandshake;
  readonly presented: readonly PresentedCertificate[];
  readonly chain: ChainAnalysis;
  readonly osStore?: OsStoreCheck;
}

/** What the CertificateRequest says about the card. */
export interface CardRequest {
  /** The request could be read (TLS 1.2). */
  readonly seen: boolean;
  readonly requested: boolean;
  /** The client CA names that are SITHS or Efos CAs. */
  readonly cardAuthorities: readonly string[];
  readonly allAuthorities: readonly string[];
}

export function cardRequestOf(handshake: PresentedHandshake): CardRequest {
  const request = handshake.certificateRequest;
  const all = (request?.authorities ?? []).flatMap((dn) => formatName(dn) ?? []);
  return {
    seen: handshake.chainSource === 'as-sent',
    requested: request !== undefined,
    cardAuthorities: all.filter(isCardIssuerName),
    allAuthorities: all,
  };
}

/** TLS versions browsers no longer accept (Chrome 84, Firefox 78, Edge 84, Safari 14 in 2020). */
const OUTDATED_PROTOCOLS = new Set(['SSLv3', 'TLSv1', 'TLSv1.1']);

/**
 * The verdict on what a host presented, strongest cause first: TLS
 * inspection (evidence from the chain), a certificate for another name,
 * dates, an outdated TLS version, an incomplete chain, then what the
 * client-certificate request says. A pass needs a chain to a trusted root
 * and a request naming SITHS or Efos CAs.
 */
export function judgeChain(evidence: ChainEvidence): ChainJudgement {
  const { host, handshake, presented, chain, osStore } = evidence;
  const leaf = presented[0];
  if (!leaf) {
    return {
      status: 'fail',
      outcome: 'no-certificate',
      evidence: [],
      summary: msg(`${host} skickade inget certifikat.`, `${host} sent no certificate.`),
      advice: inspectionAdvice(host, undefined),
    };
  }
  if (leaf.facts.unreadable) {
    return {
      status: 'fail',
      outcome: 'unreadable-certificate',
      evidence: [],
      summary: msg(`Certifikatet som ${host} skickade går inte att läsa.`, `The certificate ${host} sent cannot be read.`),
      advice: msg(
        'Något på vägen ändrar trafiken till inloggningstjänsten, eller så är servern felinställd. Skicka rapporten till IT.',
        'Something on the way alters the traffic to the login service, or the server is misconfigured. Send this report to IT.',
      ),
    };
  }
  const publicRoot = chain.anchor?.source === 'mozilla';
  const product = publicRoot ? undefined : inspectionProductOf(caNames(presented, chain));
  const request = cardRequestOf(handshake);
  const found: InspectionEvidence[] = [];
  // A sent chain that ends in a root in no trusted list, or in a CA whose issuer is no known root. Only a
  // lone server certificate whose issuer is missing may be a server that left out its intermediate.
  const incomplete = !chain.trusted && !chain.endsSelfSigned && chain.path.length === 1;
  if (!chain.trusted && !incomplete && !chain.lookAlikeRoot) found.push('untrusted-root');
  if (chain.lookAlikeRoot) found.push('look-alike-root');
  if ((!publicRoot && chain.leafIssuedByRoot) || (!chain.trusted && osStore?.found)) found.push('organisation-ca');
  if (product) found.push('known-product');
  if (request.requested && request.cardAuthorities.length === 0 && !publicRoot && namesOwnCa(request, presented, chain)) found.push('client-ca-is-servers-own');
  const issuer = shortName(leaf.facts.issuer);
  const issuerCn = attributeOf(leaf.facts.issuer, 'CN') ?? issuer;

  if (found.length > 0) {
    const label = product ? ` – ${product}` : '';
    const lookAlike = chain.lookAlikeRoot ? attributeOf(chain.lookAlikeRoot, 'CN') ?? chain.lookAlikeRoot : '';
    const summary =
      found[0] === 'look-alike-root'
        ? msg(
            `TLS-inspektion: certifikatet för ${host} leder till en rot som heter som den publika ”${lookAlike}” men har en annan nyckel${label}.`,
            `TLS inspection: the certificate for ${host} leads to a root named like the public “${lookAlike}” but with a different key${label}.`,
          )
        : found[0] === 'known-product'
          ? msg(
              `TLS-inspektion: certifikatet för ${host} är utfärdat av ”${issuer}”, en inspektions-CA från ${product}.`,
              `TLS inspection: the certificate for ${host} is issued by “${issuer}”, an inspection CA of ${product}.`,
            )
          : found[0] === 'client-ca-is-servers-own'
            ? msg(
                `TLS-inspektion: certifikatet för ${host} är utfärdat av ”${issuer}”, och servern ber om klientcertifikat från samma utfärdare, inte från SITHS eller Efos.`,
                `TLS inspection: the certificate for ${host} is issued by “${issuer}”, and the server asks for client certificates from that same issuer, not from SITHS or Efos.`,
              )
            : msg(
                `TLS-inspektion: certifikatet för ${host} är utfärdat av ”${issuer}”, inte av en publik certifikatutfärdare${label}.`,
                `TLS inspection: the certificate for ${host} is issued by “${issuer}”, not by a public certificate authority${label}.`,
              );
    return { status: 'fail', outcome: 'inspection', evidence: found, product, summary, advice: inspectionAdvice(host, product) };
  }

  if (!chain.hostCovered) {
    const names = chain.leafNames.slice(0, 3).join(', ') || '?';
    return {
      status: 'fail',
      outcome: 'wrong-host',
      evidence: [],
      summary: msg(`Certifikatet som ${host} visar gäller ${names}, inte det här namnet.`, `The certificate ${host} presents is for ${names}, not for this name.`),
      advice: msg(
        'Något svarar i stället för inloggningstjänsten, eller så är adressen fel. Kontrollera --resolve och --idp-host om du angav dem; annars skicka rapporten till IT (en proxy, brandvägg eller DNS-post leder trafiken fel).',
        'Something answers in place of the login service, or the address is wrong. Check --resolve and --idp-host if you gave them; otherwise send this report to IT (a proxy, firewall or DNS entry sends the traffic elsewhere).',
      ),
    };
  }

  const expired = chain.expired[0];
  if (expired) {
    return {
      status: 'fail',
      outcome: 'expired',
      evidence: [],
      summary: msg(`Certifikatet ”${shortName(expired.subject)}” gick ut ${day(expired.date)}.`, `The certificate “${shortName(expired.subject)}” expired on ${day(expired.date)}.`),
      advice: msg(
        'Kontrollera först datum och tid på datorn. Stämmer klockan har serverns certifikat gått ut: meddela e-tjänstens support.',
        "First check the date and time on this computer. If the clock is right, the server's certificate has expired: tell the e-service's support.",
      ),
    };
  }
  const early = chain.notYetValid[0];
  if (early) {
    return {
      status: 'fail',
      outcome: 'not-yet-valid',
      evidence: [],
      summary: msg(
        `Certifikatet ”${shortName(early.subject)}” gäller först från ${day(early.date)}: datorns klocka går troligen fel.`,
        `The certificate “${shortName(early.subject)}” is valid only from ${day(early.date)}: the computer's clock is probably wrong.`,
      ),
      advice: msg('Ställ in rätt datum och tid på datorn (automatisk tid), och försök igen.', 'Set the right date and time on the computer (automatic time), and try again.'),
    };
  }

  if (OUTDATED_PROTOCOLS.has(handshake.protocol)) {
    return {
      status: 'fail',
      outcome: 'outdated-tls',
      evidence: [],
      summary: msg(
        `${host} talar bara en föråldrad TLS-version (${handshake.protocol}), som webbläsare inte längre godtar.`,
        `${host} speaks only an outdated TLS version (${handshake.protocol}), which browsers no longer accept.`,
      ),
      advice: msg(
        'Webbläsare kräver TLS 1.2 eller senare. Är det den riktiga servern behöver dess ägare uppgradera; är det något på vägen (en gammal proxy eller brandvägg) behöver IT byta eller uppgradera den. Skicka rapporten till IT.',
        'Browsers require TLS 1.2 or later. If this is the real server its owner must upgrade it; if it is something on the way (an old proxy or firewall) IT must replace or upgrade it. Send this report to IT.',
      ),
    };
  }

  if (incomplete) {
    // Only the server's certificate, and no known root signed it: the server left out its intermediate.
    const missing = chain.untrustedRoot ? shortName(chain.untrustedRoot) : '?';
    return {
      status: 'warn',
      outcome: 'incomplete-chain',
      evidence: [],
      summary: msg(
        `${host} skickar en ofullständig kedja: utfärdaren ”${missing}” saknas (felinställd server; webbläsare kan ändå klara det genom att hämta utfärdaren via AIA).`,
        `${host} sends an incomplete chain: the issuer “${missing}” is missing (a server-side misconfiguration; browsers may still cope by fetching the issuer through AIA).`,
      ),
      advice: msg(
        'Det här är inte TLS-inspektion. Fungerar inloggningen finns inget att göra; annars meddela e-tjänstens support att servern inte skickar sitt mellanliggande certifikat.',
        'This is not TLS inspection. If the login works there is nothing to do; otherwise tell the e-service support that the server does not send its intermediate certificate.',
      ),
    };
  }

  const rootSv = publicRoot ? 'publik rot' : 'rot från --ca-file';
  const rootEn = publicRoot ? 'public root' : 'root from --ca-file';
  const entry = idpHostEntry(host);
  if (!request.seen) {
    return {
      status: 'warn',
      outcome: 'request-not-visible',
      evidence: [],
      summary: msg(
        `${host}: certifikat från ${issuerCn} (${rootSv}), men servern talar bara TLS 1.3, så det gick inte att se om den ber om kort.`,
        `${host}: certificate from ${issuerCn} (${rootEn}), but the server speaks only TLS 1.3, so whether it asks for a card could not be seen.`,
      ),
      advice: msg(
        'Inget att göra om kortinloggningen fungerar. Kedjan är i ordning; bara begäran om klientcertifikat kunde inte kontrolleras.',
        'Nothing to do if card login works. The chain is fine; only the client-certificate request could not be checked.',
      ),
    };
  }
  if (!request.requested) {
    const shared = entry && !entry.asksForCardAtHandshake;
    return {
      // Expected on a known host that asks for the card later or elsewhere: with a public chain, a note on a pass.
      status: shared && publicRoot ? 'pass' : 'warn',
      outcome: 'no-client-certificate-request',
      evidence: [],
      summary: msg(
        `${host}: certifikat från ${issuerCn} (${rootSv}); servern bad inte om kort i första handskakningen${shared ? ', vilket är väntat här' : ''}.`,
        `${host}: certificate from ${issuerCn} (${rootEn}); the server did not ask for a card in the first handshake${shared ? ', which is expected here' : ''}.`,
      ),
      advice: shared
        ? msg(
            'Inget tecken på TLS-inspektion: kedjan är ren. Värden tjänar även andra inloggningssätt och kan be om kortet senare eller på en annan adress.',
            'No sign of TLS inspection: the chain is clean. The host also serves other login methods and may ask for the card later or at another address.',
          )
        : msg(
            'Inget tecken på TLS-inspektion: kedjan är ren. Är det här värden där du loggar in med kort, jämför med en dator där inloggningen fungerar.',
            'No sign of TLS inspection: the chain is clean. If this is the host where you log in with a card, compare with a computer where the login works.',
          ),
    };
  }
  if (request.cardAuthorities.length === 0) {
    const names = request.allAuthorities;
    return {
      status: 'warn',
      outcome: 'card-not-requested',
      evidence: [],
      summary:
        names.length > 0
          ? msg(
              `${host}: certifikat från ${issuerCn} (${rootSv}); servern ber om klientcertifikat, men inte från SITHS eller Efos (${authoritiesText(names.length).sv}: ${names.map(shortName).slice(0, 3).join('; ')}).`,
              `${host}: certificate from ${issuerCn} (${rootEn}); the server asks for a client certificate, but not from SITHS or Efos (${authoritiesText(names.length).en}: ${names.map(shortName).slice(0, 3).join('; ')}).`,
            )
          : msg(
              `${host}: certifikat från ${issuerCn} (${rootSv}); servern ber om klientcertifikat utan att nämna någon utfärdare, alltså inte uttryckligen SITHS eller Efos.`,
              `${host}: certificate from ${issuerCn} (${rootEn}); the server asks for a client certificate without naming any issuer, so not SITHS or Efos as such.`,
            ),
      advice: msg(
        'Kortet kan ändå erbjudas, men servern säger inte att den godtar SITHS. Kontrollera att --idp-host är inloggningstjänsten; annars skicka rapporten till IT.',
        'The card may still be offered, but the server does not say it accepts SITHS. Check that --idp-host is the login service; otherwise send this report to IT.',
      ),
    };
  }
  const count = request.cardAuthorities.length;
  return {
    status: 'pass',
    outcome: 'pass',
    evidence: [],
    summary: msg(
      `${host}: certifikat från ${issuerCn} (${rootSv}); servern ber om kort från ${authoritiesText(count).sv} för SITHS/Efos.`,
      `${host}: certificate from ${issuerCn} (${rootEn}); the server asks for a card from ${authoritiesText(count).en} of SITHS/Efos.`,
    ),
  };
}

export function inspectionAdvice(host: string, product: string | undefined): Localized {
  const domain = bypassName(host);
  return msg(
    `Trafiken till inloggningstjänsten inspekteras (dekrypteras) på vägen, troligen av organisationens proxy eller brandvägg${product ? ` (${product})` : ''}. Inloggning med kort (ömsesidig TLS) kan inte gå igenom en sådan inspektion. Be IT att släppa igenom ${domain} utan inspektion: en undantagsregel (”bypass” eller ”do not decrypt”) i proxyn.`,
    `The traffic to the login service is inspected (decrypted) on the way, probably by the organisation's proxy or firewall${product ? ` (${product})` : ''}. A card login (mutual TLS) cannot pass through such inspection. Ask IT to let ${domain} through without inspection: a bypass or “do not decrypt” rule in the proxy.`,
  );
}

/** The CA names a product label may match: every issuer, every CA subject, and the root the chain points to. */
function caNames(presented: readonly PresentedCertificate[], chain: ChainAnalysis): string[] {
  const names = presented.flatMap((p, i) => (i > 0 || p.facts.ca ? [p.facts.subject, p.facts.issuer] : [p.facts.issuer]));
  if (chain.untrustedRoot) names.push(chain.untrustedRoot);
  if (chain.anchor) names.push(chain.anchor.subject);
  return names;
}

/** The request names a CA of the server's own chain (its issuer, a CA on the path, or the root). */
function namesOwnCa(request: CardRequest, presented: readonly PresentedCertificate[], chain: ChainAnalysis): boolean {
  const own = new Set([...chain.path.map((i) => presented[i]?.facts.issuer), ...chain.path.slice(1).map((i) => presented[i]?.facts.subject)]);
  if (chain.anchor) own.add(chain.anchor.subject);
  if (chain.untrustedRoot) own.add(chain.untrustedRoot);
  return request.allAuthorities.some((name) => own.has(name));
}
