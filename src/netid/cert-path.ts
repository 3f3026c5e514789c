import { msg, plural, type Localized } from '../i18n/index.js';
import type { ProbeOutcome } from '../model.js';
import { isCardIssuerName } from '../tls/card-cas.js';
import { attributeOf } from '../tls/dn.js';
import { keyOnCard, normalizeSerial, type StoreCertificate } from './certutil.js';
import { citeFact, type FactId } from './facts.js';
import type { ServiceState, StartType } from './service-state.js';
import { atrMatches, type KnownCard } from './smartcards.js';
import type { AppPackage } from './types.js';

/** What the Windows certificate path check read, each part possibly unreadable (a string saying why). */
export interface CertPathInputs {
  readonly now: Date;
  readonly store: readonly StoreCertificate[] | string;
  readonly smartCards: readonly KnownCard[] | string;
  readonly certProp: { readonly state?: ServiceState; readonly startType?: StartType } | string;
  /** The card's authentication certificate, when card-cert read it. */
  readonly cardCertificate?: { readonly serial: string; readonly issuer?: string };
  /** ATRs of the cards in the readers, when the card check ran. */
  readonly atrs: readonly { readonly reader: string; readonly atr: Buffer }[];
  /** The SITHS eID app's packages card-software found. */
  readonly packages: readonly AppPackage[];
}

export interface CertPathDetails {
  readonly storeCertificates?: number;
  /** SITHS and Efos certificates in the personal store (no subjects: they carry names). */
  readonly cardFamilyCertificates?: readonly { readonly issuer: string; readonly notAfter?: string; readonly expired: boolean; readonly keyOnCard: boolean; readonly provider?: string }[];
  readonly authCertificateInStore?: boolean;
  readonly authKeyOnCard?: boolean;
  readonly minidriver?: readonly { readonly reader: string; readonly registeredAs?: string; readonly minidriver?: string }[];
  readonly certPropSvc?: { readonly state?: ServiceState; readonly startType?: StartType };
  readonly packages: readonly AppPackage[];
  readonly unreadable?: readonly string[];
}


/** Judge the path Edge and Chrome use for mutual TLS: store, key on the card, minidriver, certificate propagation. */
export function judgeCertPath(input: CertPathInputs): ProbeOutcome<CertPathDetails> {
  const warnings: { text: Localized; advice: Localized; fact?: FactId }[] = [];
  const lines: Localized[] = [];
  const unreadable: string[] = [];
  const md = input.packages.includes('md');
  const details: { -readonly [K in keyof CertPathDetails]: CertPathDetails[K] } = { packages: input.packages };

  if (typeof input.store === 'string') unreadable.push(`certutil: ${input.store}`);
  else {
    const store = input.store;
    details.storeCertificates = store.length;
    const family = store.filter((c) => isCardIssuerName(c.issuer));
    details.cardFamilyCertificates = family.map((c) => ({
      issuer: c.issuer,
      ...(c.notAfter ? { notAfter: c.notAfter.toISOString().slice(0, 10) } : {}),
      expired: isExpired(c, input.now),
      keyOnCard: keyOnCard(c.provider),
      ...(c.provider ? { provider: c.provider } : {}),
    }));
    if (input.cardCertificate) {
      const wanted = normalizeSerial(input.cardCertificate.serial);
      const found = store.find((c) => c.serial === wanted);
      details.authCertificateInStore = Boolean(found);
      if (!found) {
        warnings.push({
          text: msg('Kortets legitimeringscertifikat finns inte i ditt personliga certifikatlager', "The card's authentication certificate is not in your personal certificate store"),
          advice: msg(
            'Edge och Chrome erbjuder bara certifikat ur lagret vid inloggning med kortet i datorn (dubbelriktad TLS). Ta ut kortet och sätt i det igen; hjälper det inte, be IT kontrollera kortets minidriver. Inloggning via SITHS eID-appen påverkas inte.',
            'Edge and Chrome offer only certificates from the store when you log in with the card in this device (mutual TLS). Take the card out and put it back; if that does not help, ask IT to check the card minidriver. Logging in through the SITHS eID app is not affected.',
          ),
        });
      } else {
        details.authKeyOnCard = keyOnCard(found.provider);
        if (details.authKeyOnCard) lines.push(msg(`Kortets legitimeringscertifikat finns i lagret med nyckeln på kortet (${found.provider}).`, `The card's authentication certificate is in the store with its key on the card (${found.provider}).`));
        else {
          warnings.push({
            text: msg(
              `Kortets legitimeringscertifikat finns i lagret, men utan nyckel på kortet${found.provider ? ` (${found.provider})` : ''}`,
              `The card's authentication certificate is in the store, but without its key on the card${found.provider ? ` (${found.provider})` : ''}`,
            ),
            advice: msg(
              'Ett certifikat utan koppling till kortet går inte att logga in med: ta bort det ur lagret (certmgr.msc, Personligt) och sätt i kortet igen.',
              'A certificate not linked to the card cannot log in: remove it from the store (certmgr.msc, Personal) and insert the card again.',
            ),
          });
        }
      }
    }
    const expired = family.filter((c) => isExpired(c, input.now));
    const valid = family.filter((c) => !isExpired(c, input.now));
    if (expired.length > 0 && valid.length > 0) {
      warnings.push({
        text: msg(
          `Lagret har ${plural(expired.length, 'sv', { one: 'utgånget SITHS-/Efos-certifikat', other: 'utgångna SITHS-/Efos-certifikat' })} bredvid ${plural(valid.length, 'sv', { one: 'giltigt', other: 'giltiga' })} (${expired.map((c) => `${issuerCn(c.issuer)} → ${day(c.notAfter)}`).join(', ')})`,
          `The store holds ${plural(expired.length, 'en', { one: 'expired SITHS/Efos certificate', other: 'expired SITHS/Efos certificates' })} next to ${plural(valid.length, 'en', { one: 'valid one', other: 'valid ones' })} (${expired.map((c) => `${issuerCn(c.issuer)} → ${day(c.notAfter)}`).join(', ')})`,
        ),
        advice: msg(
          'Webbläsaren kan erbjuda det utgångna certifikatet: ta bort det ur lagret (certmgr.msc, Personligt) och välj det giltiga vid inloggning.',
          'The browser may offer the expired certificate: remove it from the store (certmgr.msc, Personal) and choose the valid one when logging in.',
        ),
      });
    } else if (family.length === 0 && !input.cardCertificate) {
      // No card was read to compare with, and the store has nothing a browser could offer: not a pass.
      warnings.push({
        text: msg('Inga SITHS- eller Efos-certifikat i ditt personliga certifikatlager, och inget kort lästes att jämföra med', 'No SITHS or Efos certificate in your personal certificate store, and no card was read to compare with'),
        advice: msg(
          'Skjut in SITHS-kortet i kortläsaren och kör igen. Syns certifikatet fortfarande inte i lagret: be IT kontrollera kortprogramvaran. Inloggning via SITHS eID-appen påverkas inte.',
          'Push the SITHS card into the reader and run again. If the certificate still does not appear in the store, ask IT to check the card software. Logging in through the SITHS eID app is not affected.',
        ),
      });
    }
  }

  if (typeof input.smartCards === 'string') unreadable.push(`Calais\\SmartCards: ${input.smartCards}`);
  else if (input.atrs.length > 0) {
    const smartCards = input.smartCards;
    details.minidriver = input.atrs.map(({ reader, atr }) => {
      const known = smartCards.find((k) => atrMatches(atr, k));
      return { reader, ...(known ? { registeredAs: known.name, ...(known.minidriver ? { minidriver: known.minidriver } : {}) } : {}) };
    });
    for (const m of details.minidriver) {
      if (m.registeredAs) lines.push(msg(`Kortet i ”${m.reader}” är registrerat som ”${m.registeredAs}” (minidriver ${m.minidriver ?? 'okänd'}).`, `The card in “${m.reader}” is registered as “${m.registeredAs}” (minidriver ${m.minidriver ?? 'unknown'}).`));
      else {
        const text = msg(`Ingen minidriver är registrerad för kortet i ”${m.reader}”`, `No minidriver is registered for the card in “${m.reader}”`);
        const advice = msg('Utan minidriver hamnar kortets certifikat inte i Windows certifikatlager: be IT installera MD-paketet av SITHS eID-appen eller SAC:s minidriver.', "Without a minidriver the card's certificates do not reach the Windows certificate store: ask IT to install the MD package of the SITHS eID app or SAC's minidriver.");
        if (md || input.packages.length === 0) warnings.push({ text, advice, fact: 'packages' });
        else lines.push(msg(`${text.sv}.`, `${text.en}.`));
      }
    }
  }

  if (typeof input.certProp === 'string') unreadable.push(`CertPropSvc: ${input.certProp}`);
  else {
    details.certPropSvc = input.certProp;
    const { state, startType } = input.certProp;
    const shown = `${state ?? '?'}, ${startType ?? '?'}`;
    // Without a start type (sc qc unreadable), only a running service is known to be on.
    const notOff = startType ? startType !== 'DISABLED' : state === 'RUNNING';
    if (md && notOff) {
      warnings.push({
        text: msg(`Certifikatpropagering (CertPropSvc) är inte avstängd (${shown}) fast MD-paketet är installerat`, `Certificate propagation (CertPropSvc) is not turned off (${shown}) although the MD package is installed`),
        advice: msg('Be IT stänga av tjänsten Certifikatspridning (CertPropSvc, starttyp Inaktiverad), som Inera kräver för MD-paketen.', 'Ask IT to disable the Certificate Propagation service (CertPropSvc, start type Disabled), as Inera requires for the MD packages.'),
        fact: 'md-certprop-off',
      });
    } else lines.push(msg(`Certifikatpropagering (CertPropSvc): ${shown}.`, `Certificate propagation (CertPropSvc): ${shown}.`));
  }

  if (unreadable.length > 0) details.unreadable = unreadable;
  const facts = [...new Set(warnings.map((w) => w.fact).filter((f): f is FactId => Boolean(f)))];
  const notes = [...lines, ...unreadable.map((u) => msg(`Kunde inte läsas: ${u}`, `Could not be read: ${u}`)), ...facts.map(citeFact)];
  if (warnings.length > 0) {
    return {
      status: 'warn',
      summary: msg(`${warnings.map((w) => w.text.sv).join('; ')}.`, `${warnings.map((w) => w.text.en).join('; ')}.`),
      advice: msg(warnings.map((w) => w.advice.sv).join(' '), warnings.map((w) => w.advice.en).join(' ')),
      notes,
      details,
    };
  }
  // The store is the main question: unread, nothing else can pass for an answer.
  if (unreadable.length === 3 || typeof input.store === 'string') {
    return {
      status: 'error',
      summary: msg(`Kunde inte läsa: ${unreadable.join('; ')}.`, `Could not read: ${unreadable.join('; ')}.`),
      advice: msg('Kör igen. Om det upprepas, skicka rapporten till IT.', 'Run again. If it repeats, send the report to IT.'),
      agentHint: msg('Kör igen med --verbose för att se mer.', 'Run again with --verbose to see more.'),
      notes,
      details,
    };
  }
  return {
    status: 'pass',
    summary: lines[0] ?? msg('Inget att anmärka på certifikatvägen i Windows.', 'Nothing to remark on the Windows certificate path.'),
    notes,
    details,
  };
}

function isExpired(c: StoreCertificate, now: Date): boolean {
  return c.notAfter !== undefined && c.notAfter.getTime() < now.getTime();
}

function day(d: Date | undefined): string {
  return d ? d.toISOString().slice(0, 10) : '?';
}

function issuerCn(issuer: string): string {
  return attributeOf(issuer, 'CN') ?? issuer;
}
