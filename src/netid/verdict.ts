import { msg, type Localized } from '../i18n/index.js';
import type { Status } from '../model.js';
import type { CardCertDetails } from '../x509/outcome.js';
import type { Platform } from './detect.js';
import { APP_MINIMUMS, citeFact, compareVersions, type FactId } from './facts.js';
import { isNetid, type NetidInstallation } from './types.js';

/** The card families the verdict is for. */
export type CardKind = 'siths' | 'efos';

/** The card families card-cert saw (SITHS e-id, older SITHS, Efos), when it ran and read certificates. */
export function cardKindsFromCardCert(judged: CardCertDetails | undefined): CardKind[] | undefined {
  if (!judged) return undefined;
  const kinds = new Set<CardKind>();
  for (const c of judged.certificates) {
    if (!c.readable) continue;
    if (c.family === 'siths-e-id' || c.family === 'siths-legacy') kinds.add('siths');
    if (c.family === 'efos') kinds.add('efos');
  }
  return kinds.size > 0 ? [...kinds] : undefined;
}

export interface Verdict {
  readonly status: Exclude<Status, 'skip' | 'error'>;
  readonly summary: Localized;
  readonly advice?: Localized;
  /** For the helpdesk agent, not the caller (a siths-doctor option). */
  readonly agentHint?: Localized;
  /** The facts (with sources) the verdict rests on, shown as notes. */
  readonly facts: readonly FactId[];
  /** Lines for the report that do not change the status. */
  readonly notes: readonly Localized[];
  /** The installation whose PKCS#11 library netid-token should ask. */
  readonly primary?: NetidInstallation;
}

const KIND_NAMES: Record<CardKind, Localized> = { siths: msg('SITHS-kort', 'SITHS cards'), efos: msg('Efos-kort', 'Efos cards') };

/**
 * Judge the card software for the cards in question: SITHS wants the SITHS
 * eID app (with SAC), Efos wants Net iD; Net iD Enterprise alone, an app below
 * Inera's minimums, or mixed app packages warn; nothing usable fails.
 */
export function judge(installations: readonly NetidInstallation[], kinds: readonly CardKind[], platform: Platform): Verdict {
  const apps = installations.filter((i) => i.product === 'siths-eid');
  const sac = installations.find((i) => i.product === 'sac');
  const netids = installations.filter((i) => isNetid(i.product));
  const client = netids.find((i) => i.product !== 'enterprise');
  const enterprise = netids.find((i) => i.product === 'enterprise');
  const opensc = installations.find((i) => i.product === 'opensc');
  // `soft`: the software for this family is missing, which matters only when the card is known to be of that family.
  const warnings: { text: Localized; advice: Localized; facts: FactId[]; soft?: boolean }[] = [];
  const facts: FactId[] = [];

  // Which installation netid-token asks: the one meant for the card, else any with a library.
  const withLibrary = (i: NetidInstallation | undefined): NetidInstallation | undefined => (i?.pkcs11Library ? i : undefined);
  const forSiths = withLibrary(sac) ?? apps.find((a) => a.pkcs11Library);
  const forEfos = withLibrary(client) ?? withLibrary(enterprise);
  const order = kinds.length === 1 && kinds[0] === 'efos' ? [forEfos, forSiths] : [forSiths, forEfos];
  const primary = order.find(Boolean) ?? withLibrary(opensc) ?? installations.find((i) => i.pkcs11Library) ?? installations[0];

  const fine: Localized[] = [];
  if (kinds.includes('siths')) {
    if (apps.length > 0 || sac) {
      const app = apps[0];
      fine.push(
        app
          ? msg(`SITHS-kort: ${describeApp(app).sv}${sac ? ` med ${nameVersion(sac)}` : ''}`, `SITHS cards: ${describeApp(app).en}${sac ? ` with ${nameVersion(sac)}` : ''}`)
          : msg(`SITHS-kort: ${nameVersion(sac!)} (utan SITHS eID-appen)`, `SITHS cards: ${nameVersion(sac!)} (without the SITHS eID app)`),
      );
      for (const a of apps) warnings.push(...appVersionWarnings(a));
      if (new Set(apps.map((a) => a.package ?? 'sac-pkcs11')).size > 1) {
        warnings.push({
          text: msg('Flera paket av SITHS eID-appen är installerade samtidigt', 'Several packages of the SITHS eID app are installed at once'),
          advice: msg('Avinstallera alla paket, starta om datorn och installera det paket organisationen använder.', 'Uninstall all packages, restart the computer and install the one package your organisation uses.'),
          facts: ['no-mixing'],
        });
      }
      if (enterprise && apps.some((a) => a.package === 'md')) {
        warnings.push({
          text: msg('MD-paketet av SITHS eID-appen och Net iD Enterprise är installerade tillsammans', 'The MD package of the SITHS eID app and Net iD Enterprise are installed together'),
          advice: msg('Inera säger att datorer som behöver Net iD Enterprise inte ska ha MD-paketen: välj ett av dem.', 'Inera says computers that need Net iD Enterprise must not have the MD packages: choose one.'),
          facts: ['md-not-with-telia'],
        });
      }
      if (!app && platform !== 'linux') {
        warnings.push({
          text: msg('SAC finns men inte SITHS eID-appen', 'SAC is there but not the SITHS eID app'),
          advice: msg('Inloggning i appen (utanför webbläsaren) och kortets hantering kräver SITHS eID-appen: be IT installera den.', 'Logging in through the app (out of band) needs the SITHS eID app: ask IT to install it.'),
          facts: ['packages'],
          soft: true,
        });
      }
      if (apps.some((a) => a.package === 'md')) facts.push('md-certprop-off');
    } else if (enterprise && !client) {
      warnings.push({
        text: msg(`Bara ${enterprise.productName} finns för SITHS-kortet`, `Only ${enterprise.productName} is there for the SITHS card`),
        advice: msg(
          'Be IT installera SITHS eID-appen för Windows (version 2.0.8481 eller senare) som ersätter Net iD Enterprise.',
          'Ask IT to install the SITHS eID app for Windows (version 2.0.8481 or later), which replaces Net iD Enterprise.',
        ),
        facts: ['enterprise-unsupported'],
      });
    } else if (opensc && platform === 'linux') {
      fine.push(msg(`SITHS-kort: ${opensc.productName} (${opensc.pkcs11Library})`, `SITHS cards: ${opensc.productName} (${opensc.pkcs11Library})`));
      facts.push('opensc-linux');
    } else if (client) {
      // Net iD Client reads SITHS cards too, but Inera's software for SITHS is the app.
      warnings.push({
        text: msg(`För SITHS-kort finns bara ${client.productName}, inte SITHS eID-appen`, `For SITHS cards there is only ${client.productName}, not the SITHS eID app`),
        advice: msg('Be IT installera SITHS eID-appen, Ineras programvara för SITHS-kort.', "Ask IT to install the SITHS eID app, Inera's software for SITHS cards."),
        facts: ['enterprise-unsupported'],
        soft: true,
      });
    }
  }
  if (kinds.includes('efos')) {
    // Net iD Enterprise counts for Efos only when the card is known to be one: for an unknown card it is the SITHS software Inera retired.
    const netid = client ?? (kinds.length === 1 ? enterprise : undefined);
    if (netid) {
      fine.push(msg(`Efos-kort: ${nameVersion(netid)}`, `Efos cards: ${nameVersion(netid)}`));
      facts.push('efos-net-id');
    }
  }
  if (enterprise && !facts.includes('enterprise-unsupported') && !warnings.some((w) => w.facts.includes('enterprise-unsupported'))) facts.push('enterprise-unsupported');

  // Judging for both families: a family whose software is simply absent is a note when the other is served.
  const softNotes: Localized[] = [];
  if (kinds.length > 1 && fine.length > 0) {
    for (const w of warnings.filter((x) => x.soft)) softNotes.push(msg(`${w.text.sv}. ${w.advice.sv}`, `${w.text.en}. ${w.advice.en}`));
    warnings.splice(0, warnings.length, ...warnings.filter((x) => !x.soft));
  }
  const usable = installations.some((i) => i.pkcs11Library || (i.product === 'siths-eid' && i.package === 'md'));
  const servesSomeCard = fine.length > 0;
  const allFacts = [...new Set([...warnings.flatMap((w) => w.facts), ...facts])];
  const forWhat = kinds.map((k) => KIND_NAMES[k]);
  const kindsText = msg(forWhat.map((k) => k.sv).join(' eller '), forWhat.map((k) => k.en).join(' or '));

  if (!usable && warnings.length === 0 && !servesSomeCard) {
    return {
      status: 'fail',
      summary: msg(`Ingen kortprogramvara för ${kindsText.sv} hittades.`, `No card software for ${kindsText.en} was found.`),
      advice: adviceFor(kinds),
      facts: allFacts,
      notes: softNotes,
      ...(primary ? { primary } : {}),
    };
  }
  if (!usable) {
    return {
      status: 'warn',
      summary: msg(
        `Kortprogramvara finns, men inget PKCS#11-bibliotek hittades (${list(installations)})${warnings.map((w) => `; ${w.text.sv}`).join('')}.`,
        `Card software is there, but no PKCS#11 library was found (${list(installations)})${warnings.map((w) => `; ${w.text.en}`).join('')}.`,
      ),
      advice: msg(
        'Programvaran verkar ofullständigt installerad: be IT reparera eller installera om den.',
        'The software looks incompletely installed: ask IT to repair or reinstall it.',
      ),
      agentHint: msg('Ligger biblioteket på ett ovanligt ställe: ange det med --pkcs11-module SÖKVÄG.', 'If the library is in an unusual place, name it with --pkcs11-module PATH.'),
      facts: allFacts,
      notes: softNotes,
      ...(primary ? { primary } : {}),
    };
  }
  // Judging for both families (no card read): one served is enough.
  const missing = kinds.length === 1 && !servesSomeCard;
  if (warnings.length > 0 || missing) {
    const texts = warnings.map((w) => w.text);
    const found = fine.length > 0 ? msg(`${fine.map((f) => f.sv).join('; ')}. `, `${fine.map((f) => f.en).join('; ')}. `) : msg('', '');
    return {
      status: 'warn',
      summary: msg(
        `${found.sv}${texts.map((t) => t.sv).join('; ') || `Ingen programvara för ${kindsText.sv}`}.`,
        `${found.en}${texts.map((t) => t.en).join('; ') || `No software for ${kindsText.en}`}.`,
      ),
      advice: warnings.length > 0 ? msg(warnings.map((w) => w.advice.sv).join(' '), warnings.map((w) => w.advice.en).join(' ')) : adviceFor(kinds),
      facts: allFacts,
      notes: softNotes,
      ...(primary ? { primary } : {}),
    };
  }
  if (!servesSomeCard) {
    return {
      status: 'warn',
      summary: msg(`Ingen programvara för ${kindsText.sv}; det som finns: ${list(installations)}.`, `No software for ${kindsText.en}; what is there: ${list(installations)}.`),
      advice: adviceFor(kinds),
      facts: allFacts,
      notes: softNotes,
      ...(primary ? { primary } : {}),
    };
  }
  return {
    status: 'pass',
    summary: msg(`${fine.map((f) => f.sv).join('; ')}.`, `${fine.map((f) => f.en).join('; ')}.`),
    facts: allFacts,
    notes: softNotes,
    ...(primary ? { primary } : {}),
  };
}

function appVersionWarnings(app: NetidInstallation): { text: Localized; advice: Localized; facts: FactId[] }[] {
  if (!app.version) return [];
  const { required, portal, serverVdi } = APP_MINIMUMS;
  // The Mac app for smart cards is numbered 1.x (facts: app-macos); the minimums are the Windows app's.
  if (app.installPath?.endsWith('.app')) return [];
  if (compareVersions(app.version, required.version) < 0) {
    return [
      {
        text: msg(`SITHS eID-appen ${app.version} är äldre än den version ${required.version} Inera kräver`, `The SITHS eID app ${app.version} is older than the version ${required.version} Inera requires`),
        advice: msg(`Be IT uppgradera SITHS eID-appen till ${portal.version} eller senare.`, `Ask IT to upgrade the SITHS eID app to ${portal.version} or later.`),
        facts: [required.fact, portal.fact],
      },
    ];
  }
  if (compareVersions(app.version, portal.version) < 0) {
    const serverOk = compareVersions(app.version, serverVdi.version) >= 0;
    return [
      {
        text: msg(
          `SITHS eID-appen ${app.version} är äldre än ${portal.version}, som SITHS eID Portal kräver${serverOk ? ` (${serverVdi.version} godtas på Windows Server och VDI)` : ''}`,
          `The SITHS eID app ${app.version} is older than ${portal.version}, which SITHS eID Portal requires${serverOk ? ` (${serverVdi.version} is accepted on Windows Server and VDI)` : ''}`,
        ),
        advice: msg(`Be IT uppgradera SITHS eID-appen till ${portal.version} eller senare (på Windows Server/VDI: ${serverVdi.version}).`, `Ask IT to upgrade the SITHS eID app to ${portal.version} or later (on Windows Server/VDI: ${serverVdi.version}).`),
        facts: serverOk ? [portal.fact, serverVdi.fact] : [portal.fact],
      },
    ];
  }
  return [];
}

function adviceFor(kinds: readonly CardKind[]): Localized {
  const siths = msg(
    'För SITHS-kort: be IT installera SITHS eID-appen (Windows: version 2.0.8481 eller senare; Mac: SITHS eID-appen för smarta kort; Linux: OpenSC).',
    'For SITHS cards: ask IT to install the SITHS eID app (Windows: version 2.0.8481 or later; Mac: the SITHS eID app for smart cards; Linux: OpenSC).',
  );
  const efos = msg('För Efos-kort: be IT installera Net iD Client.', 'For Efos cards: ask IT to install Net iD Client.');
  const parts = [...(kinds.includes('siths') ? [siths] : []), ...(kinds.includes('efos') ? [efos] : [])];
  return msg(parts.map((p) => p.sv).join(' '), parts.map((p) => p.en).join(' '));
}

function nameVersion(i: NetidInstallation): string {
  return i.version ? `${i.productName} ${i.version}` : i.productName;
}

function describeApp(app: NetidInstallation): Localized {
  const pkg = app.package === 'md' ? msg('MD-paket (SAC minidriver)', 'MD package (SAC minidriver)') : app.package === 'sac-pkcs11' ? msg('paket med SAC PKCS#11', 'package with SAC PKCS#11') : undefined;
  return msg(`${nameVersion(app)}${pkg ? `, ${pkg.sv}` : ''}`, `${nameVersion(app)}${pkg ? `, ${pkg.en}` : ''}`);
}

function list(installations: readonly NetidInstallation[]): string {
  return installations.map(nameVersion).join(', ');
}

export { citeFact };
