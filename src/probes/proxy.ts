import { msg, type Localized } from '../i18n/index.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../model.js';
import { isRemotePac } from '../net/pac.js';
import { decide, osProxySetting, ProxyConfigError, proxySettingFor, type ProxySetting } from '../net/proxy.js';
import { TrustConfigError } from '../net/trust.js';
import { locationForDisplay, proxyForDisplay, type ProxyDecision, type ProxySource } from '../net/types.js';
import type { DoctorOptions } from '../options.js';

export interface ProxyTarget {
  readonly url: string;
  /** 'pac-not-fetched': a PAC script on the network decides, and --offline kept it from being fetched. */
  readonly mode: ProxyDecision['mode'] | 'pac-not-fetched';
  /** The proxy without credentials. */
  readonly proxy?: string;
  readonly source: ProxySource;
  /** The exact setting: HTTPS_PROXY, https_proxy, ALL_PROXY, NO_PROXY, ProxyServer, ProxyOverride, AutoConfigURL, netsh winhttp. */
  readonly setting?: string;
  readonly pac?: string;
  readonly pacSource?: ProxySource;
  readonly pacResult?: string;
}

export interface ProxyDetails {
  readonly targets: readonly ProxyTarget[];
}

/** The URLs a SITHS login reaches: the IdP hosts and the test page. */
export function loginTargets(options: DoctorOptions): URL[] {
  const idp = options.idpHosts.map((h) => new URL(`https://${h.host}${h.port === 443 ? '' : `:${h.port}`}/`));
  return [...idp, new URL(options.testUrl)];
}

const SOURCE: Record<Exclude<ProxySource, 'pac'>, Localized> = {
  option: msg('kommandoraden', 'the command line'),
  env: msg('miljövariabler', 'environment variables'),
  'windows-user': msg('Windows Internetinställningar', 'Windows Internet Settings'),
  'windows-winhttp': msg('Windows WinHTTP-proxyn', 'the Windows WinHTTP proxy'),
  macos: msg('macOS nätverksinställningar', 'macOS network settings'),
  none: msg('ingen inställning', 'no setting'),
};

/** "the environment variable HTTPS_PROXY", or "the PAC script X, set in Windows Internet Settings". */
function origin(source: ProxySource, pac?: string, pacSource?: ProxySource, setting?: string): Localized {
  if (source === 'env' && setting) return msg(`miljövariabeln ${setting}`, `the environment variable ${setting}`);
  if ((source === 'windows-user' || source === 'windows-winhttp') && setting) {
    return msg(`${SOURCE[source].sv} (${setting})`, `${SOURCE[source].en} (${setting})`);
  }
  if (source !== 'pac') return SOURCE[source];
  const where = pacSource && pacSource !== 'pac' && pacSource !== 'option' ? SOURCE[pacSource] : undefined;
  return where
    ? msg(`proxyskriptet ${pac}, inställt i ${where.sv}`, `the PAC script ${pac}, set in ${where.en}`)
    : msg(`proxyskriptet ${pac}`, `the PAC script ${pac}`);
}

function route(target: ProxyTarget): Localized {
  const from = origin(target.source, target.pac, target.pacSource, target.setting);
  if (target.mode === 'pac-not-fetched') {
    return msg(`avgörs av ${from.sv}, som inte hämtades (--offline)`, `decided by ${from.en}, not fetched (--offline)`);
  }
  if (target.mode === 'direct') {
    return target.source === 'none' ? msg('direkt, ingen proxy inställd', 'direct, no proxy configured') : msg(`direkt (enligt ${from.sv})`, `direct (per ${from.en})`);
  }
  return msg(`via ${target.proxy} (från ${from.sv})`, `via ${target.proxy} (from ${from.en})`);
}

function toTarget(url: URL, decision: ProxyDecision): ProxyTarget {
  return {
    url: url.href,
    mode: decision.mode,
    ...(decision.url ? { proxy: proxyForDisplay(decision.url) } : {}),
    source: decision.source,
    ...(decision.setting ? { setting: decision.setting } : {}),
    ...(decision.pac ? { pac: decision.pac } : {}),
    ...(decision.pacSource ? { pacSource: decision.pacSource } : {}),
    ...(decision.pacResult ? { pacResult: decision.pacResult } : {}),
  };
}

export const proxyProbe: Probe<ProxyDetails> = {
  id: 'proxy',
  title: msg('Proxy', 'Proxy'),
  description: msg(
    'Vilken proxy (eller ingen) datorn använder mot inloggningstjänsten och testsidan, och var inställningen kommer ifrån: kommandoraden, proxyskript (PAC), miljövariabler, Windows- eller macOS-inställningar.',
    'Which proxy (or none) this computer uses for the identity provider and the test page, and where that setting comes from: the command line, a PAC script, environment variables, Windows or macOS settings.',
  ),
  waitingFor: msg('väntar på proxyn…', 'waiting for the proxy…'),
  async run(ctx) {
    const targets: ProxyTarget[] = [];
    const notes: Localized[] = [];
    for (const url of loginTargets(ctx.options)) {
      let setting: ProxySetting | undefined;
      try {
        setting = await proxySettingFor(ctx, url);
        if (setting.kind === 'pac' && ctx.options.offline && isRemotePac(setting.location)) {
          targets.push({ url: url.href, mode: 'pac-not-fetched', source: 'pac', pac: locationForDisplay(setting.location), pacSource: setting.source });
          continue;
        }
        const decision = await decide(ctx, setting, url);
        const target = toTarget(url, decision);
        targets.push(target);
        notes.push(msg(`${url.host}: ${route(target).sv}`, `${url.host}: ${route(target).en}`), ...(decision.notes ?? []));
        if (decision.source === 'env') notes.push(...(await browserDiffers(ctx, url, decision)));
      } catch (err) {
        return unusable(err, setting, targets);
      }
    }
    return { status: 'pass', summary: summarize(targets), notes: dedupe(notes), details: { targets } };
  },
};

function summarize(targets: readonly ProxyTarget[]): Localized {
  const distinct = new Set(targets.map((t) => `${t.mode} ${t.proxy ?? ''} ${t.source} ${t.setting ?? ''} ${t.pac ?? ''}`));
  if (distinct.size > 1) return msg('Olika vägar för olika adresser, se underlag.', 'Different routes for different addresses, see evidence.');
  const first = targets[0]!;
  const from = origin(first.source, first.pac, first.pacSource, first.setting);
  switch (first.mode) {
    case 'direct':
      return first.source === 'none'
        ? msg('Direkt anslutning: ingen proxy är inställd.', 'Direct connection: no proxy is configured.')
        : msg(`Direkt anslutning (enligt ${from.sv}).`, `Direct connection (per ${from.en}).`);
    case 'pac-not-fetched':
      return msg(`Vägen avgörs av ${from.sv}, som inte hämtades (--offline).`, `The route is decided by ${from.en}, not fetched (--offline).`);
    default:
      return msg(`Via proxy ${first.proxy} (från ${from.sv}).`, `Via proxy ${first.proxy} (from ${from.en}).`);
  }
}

/**
 * When environment variables decide on Windows or macOS, the browser still
 * follows the OS setting: say so if that would route differently.
 */
async function browserDiffers(ctx: ProbeContext, url: URL, decision: ProxyDecision): Promise<Localized[]> {
  if (ctx.system.platform.os !== 'win32' && ctx.system.platform.os !== 'darwin') return [];
  let os: ProxySetting | undefined;
  try {
    os = await osProxySetting(ctx, url);
  } catch {
    return [];
  }
  if (!os) return [];
  if (os.kind === 'fixed') {
    const same = os.decision.mode === decision.mode && os.decision.url?.href === decision.url?.href;
    if (same) return [];
    const theirs = route(toTarget(url, os.decision));
    return [
      msg(
        `${url.host}: webbläsaren följer operativsystemets inställning och går ${theirs.sv}, inte som miljövariablerna säger.`,
        `${url.host}: the browser follows the operating system's setting and goes ${theirs.en}, not the way the environment variables say.`,
      ),
    ];
  }
  const from = origin('pac', locationForDisplay(os.location), os.source);
  return [msg(`${url.host}: webbläsaren följer i stället ${from.sv}.`, `${url.host}: the browser follows ${from.en} instead.`)];
}

function unusable(err: unknown, setting: ProxySetting | undefined, targets: readonly ProxyTarget[]): ProbeOutcome<ProxyDetails> {
  if (err instanceof TrustConfigError) {
    return { status: 'error', summary: err.text, advice: msg('Rätta filen som anges med --ca-file.', 'Correct the file given with --ca-file.'), details: { targets } };
  }
  if (!(err instanceof ProxyConfigError)) throw err;
  const advice =
    setting?.kind === 'pac'
      ? msg(
          `Proxyskriptet (PAC) går inte att använda, så webbläsaren hittar troligen inte ut heller. Be IT kontrollera skriptet på ${locationForDisplay(setting.location)}.`,
          `The proxy auto-config (PAC) script cannot be used, so the browser probably cannot find its way out either. Ask IT to check the script at ${locationForDisplay(setting.location)}.`,
        )
      : msg(
          'Proxyinställningen går inte att använda, så webbläsaren når troligen inte inloggningen heller. Be IT rätta proxyinställningen.',
          'The proxy setting cannot be used, so the browser probably cannot reach the login either. Ask IT to correct the proxy setting.',
        );
  return { status: 'fail', summary: err.text, advice, details: { targets } };
}

function dedupe(notes: readonly Localized[]): Localized[] {
  const seen = new Set<string>();
  return notes.filter((n) => (seen.has(n.en) ? false : (seen.add(n.en), true)));
}
