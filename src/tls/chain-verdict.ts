import { msg, plural, type Localized } from '../i18n/index.js';
import type { Status } from '../model.js';
import { inspectionProductOf } from './inspection-products.js';
import type { OsStoreCheck } from './os-store.js';
import type { PresentedHandshake } from './types.js';
import type { ChainAnalysis, PresentedCertificate } from './verify.js';
import { attributeOf } from './dn.js';
import { bypassName, day, expectsClientCertificate, shortName } from './wording.js';

export type ChainOutcome =
  | 'pass'
  | 'inspection'
  | 'wrong-host'
  | 'expired'
  | 'not-yet-valid'
  | 'no-certificate'
  | 'unreadable-certificate'
  | 'request-not-visible'
  | 'no-client-certificate-request';

/** What showed the inspection. The first that applies is the deciding one. */
export type InspectionEvidence = 'untrusted-root' | 'known-product' | 'no-client-certificate-request';

export interface ChainJudgement {
  readonly status: Status;
  readonly outcome: ChainOutcome;
  readonly evidence: readonly InspectionEvidence[];
  /** The inspection product the CA names point to; never given for a chain to a public root. */
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

/**
 * The verdict on what a host presented, strongest cause first: TLS
 * inspection (the chain does not end in a public root; a CA name of a known
 * inspection product when the root is not public; no client-certificate
 * request where the real IdP asks for one), then a certificate for another
 * name, then dates, then what could not be seen.
 */
export function judgeChain(evidence: ChainEvidence): ChainJudgement {
  const { host, handshake, presented, chain } = evidence;
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
  const requestSeen = handshake.chainSource === 'as-sent';
  const requested = handshake.certificateRequest !== undefined;
  const found: InspectionEvidence[] = [];
  if (!chain.trusted) found.push('untrusted-root');
  if (product) found.push('known-product');
  if (requestSeen && !requested && expectsClientCertificate(host)) found.push('no-client-certificate-request');
  const issuer = shortName(leaf.facts.issuer);
  const issuerCn = attributeOf(leaf.facts.issuer, 'CN') ?? issuer;

  if (found.length > 0) {
    const label = product ? ` – ${product}` : '';
    const summary =
      found[0] === 'untrusted-root'
        ? msg(
            `TLS-inspektion: certifikatet för ${host} är utfärdat av ”${issuer}”, inte av en publik certifikatutfärdare${label}.`,
            `TLS inspection: the certificate for ${host} is issued by “${issuer}”, not by a public certificate authority${label}.`,
          )
        : found[0] === 'known-product'
          ? msg(
              `TLS-inspektion: certifikatet för ${host} är utfärdat av ”${issuer}”, en inspektions-CA från ${product}.`,
              `TLS inspection: the certificate for ${host} is issued by “${issuer}”, an inspection CA of ${product}.`,
            )
          : msg(
              `TLS-inspektion: ${host} bad inte om kort (klientcertifikat), vilket den riktiga inloggningstjänsten gör; något på vägen svarar i dess ställe.`,
              `TLS inspection: ${host} did not ask for a card (client certificate), which the real login service does; something on the way answers in its place.`,
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

  const rootSv = publicRoot ? 'publik rot' : 'rot från --ca-file';
  const rootEn = publicRoot ? 'public root' : 'root from --ca-file';
  if (!requestSeen) {
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
  if (!requested) {
    return {
      status: 'warn',
      outcome: 'no-client-certificate-request',
      evidence: [],
      summary: msg(
        `${host}: certifikat från ${issuerCn} (${rootSv}), men servern bad inte om klientcertifikat.`,
        `${host}: certificate from ${issuerCn} (${rootEn}), but the server did not ask for a client certificate.`,
      ),
      advice: msg(
        'Är det här värden där du loggar in med kort kan något svara i dess ställe; annars finns inget att göra.',
        'If this is the host where you log in with a card, something may answer in its place; otherwise there is nothing to do.',
      ),
    };
  }
  const count = handshake.certificateRequest!.authorities.length;
  return {
    status: 'pass',
    outcome: 'pass',
    evidence: [],
    summary: msg(
      `${host}: certifikat från ${issuerCn} (${rootSv}); servern ber om kort${count > 0 ? ` från ${plural(count, 'sv', { one: 'utfärdare', other: 'utfärdare' })}` : ''}.`,
      `${host}: certificate from ${issuerCn} (${rootEn}); the server asks for a card${count > 0 ? ` from ${plural(count, 'en', { one: 'certificate authority', other: 'certificate authorities' })}` : ''}.`,
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
