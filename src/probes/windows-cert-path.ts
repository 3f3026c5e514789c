import { msg } from '../i18n/index.js';
import type { Probe, ProbeContext } from '../model.js';
import { judgeCertPath, type CertPathDetails, type CertPathInputs } from '../netid/cert-path.js';
import { parseCertutilStore, type StoreCertificate } from '../netid/certutil.js';
import { parseServiceState, parseStartType } from '../netid/service-state.js';
import { atrBytes, readSmartCards } from '../netid/smartcards.js';
import type { AppPackage } from '../netid/types.js';
import { system32 } from '../netid/windows-registry.js';
import { cardCert, judgedCertificates } from './card-cert.js';
import { cardProbe } from './card.js';
import { netidProbe } from './netid.js';

export const windowsCertPathProbe: Probe<CertPathDetails> = {
  id: 'windows-cert-path',
  platforms: ['win32'],
  title: msg('Certifikatvägen i Windows', 'Windows certificate path'),
  description: msg(
    'Det Edge och Chrome använder vid inloggning med kortet i datorn: finns kortets legitimeringscertifikat i ditt personliga certifikatlager med nyckeln på kortet, finns en minidriver registrerad för kortets ATR, och är tjänsten Certifikatspridning (CertPropSvc) rätt inställd för det installerade paketet. Läser med certutil, reg och sc.',
    "What Edge and Chrome use when you log in with the card in this device: is the card's authentication certificate in your personal certificate store with its key on the card, is a minidriver registered for the card's ATR, and is Certificate Propagation (CertPropSvc) set right for the installed package. Reads with certutil, reg and sc.",
  ),
  uses: [cardProbe.id, cardCert.id, netidProbe.id],
  waitingFor: msg('väntar på certutil, reg och sc…', 'waiting for certutil, reg and sc…'),
  async run(ctx) {
    const [store, smartCards, certProp] = await Promise.all([readStore(ctx), readSmartCards(ctx), readCertProp(ctx)]);
    return judgeCertPath({ now: ctx.system.clock.now(), store, smartCards, certProp, atrs: cardAtrs(ctx), packages: packages(ctx), ...cardCertificate(ctx) });
  },
};

async function run(ctx: ProbeContext, program: string, args: readonly string[]): Promise<{ stdout: string } | string> {
  try {
    const r = await ctx.system.exec(system32(ctx.system.env, program), args, { timeoutMs: ctx.timeoutMs, signal: ctx.signal, maxBuffer: 4 * 1024 * 1024 });
    if (r.timedOut) return `${program} did not answer in time`;
    return { stdout: r.stdout };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return e.code === 'ENOENT' ? `${program} not found` : e.message;
  }
}

async function readStore(ctx: ProbeContext): Promise<readonly StoreCertificate[] | string> {
  const r = await run(ctx, 'certutil.exe', ['-user', '-store', 'My']);
  return typeof r === 'string' ? r : parseCertutilStore(r.stdout);
}

async function readCertProp(ctx: ProbeContext): Promise<CertPathInputs['certProp']> {
  const [query, config] = await Promise.all([run(ctx, 'sc.exe', ['query', 'CertPropSvc']), run(ctx, 'sc.exe', ['qc', 'CertPropSvc'])]);
  if (typeof query === 'string') return query;
  const state = parseServiceState(query.stdout);
  const startType = typeof config === 'string' ? undefined : parseStartType(config.stdout);
  if (!state && !startType) return 'sc.exe gave no state for CertPropSvc';
  return { ...(state ? { state } : {}), ...(startType ? { startType } : {}) };
}

function cardAtrs(ctx: ProbeContext): CertPathInputs['atrs'] {
  const cards = ctx.resultOf(cardProbe)?.details?.cards ?? [];
  return cards.flatMap((c) => {
    const atr = c.state === 'present' ? atrBytes(c.atr) : undefined;
    return atr ? [{ reader: c.reader, atr }] : [];
  });
}

function packages(ctx: ProbeContext): AppPackage[] {
  return [...new Set((ctx.resultOf(netidProbe)?.details?.installations ?? []).flatMap((i) => (i.package ? [i.package] : [])))];
}

/** The authentication certificate card-cert decided on, by serial number. */
function cardCertificate(ctx: ProbeContext): Pick<CertPathInputs, 'cardCertificate'> {
  const judged = judgedCertificates(ctx.resultOf(cardCert)?.details);
  const index = judged?.decidingCertificate;
  const cert = typeof index === 'number' ? judged?.certificates[index] : undefined;
  if (!cert?.readable || !cert.serialNumber) return {};
  return { cardCertificate: { serial: cert.serialNumber, ...(cert.issuer?.commonName ? { issuer: cert.issuer.commonName } : {}) } };
}
