import { msg, type Localized } from '../i18n/index.js';
import type { Probe } from '../model.js';
import { ProxyConfigError, resolveProxy } from '../net/proxy.js';
import { proxyForDisplay, type ProxyDecision, type ProxySource } from '../net/types.js';
import type { DoctorOptions } from '../options.js';

export interface ProxyTarget {
  readonly url: string;
  readonly mode: ProxyDecision['mode'];
  /** The proxy without credentials. */
  readonly proxy?: string;
  readonly source: ProxySource;
  readonly pac?: string;
}

export interface ProxyDetails {
  readonly targets: readonly ProxyTarget[];
}

/** The URLs a SITHS login reaches: the IdP hosts and the test page. */
export function loginTargets(options: DoctorOptions): URL[] {
  const idp = options.idpHosts.map((h) => new URL(`https://${h.host}${h.port === 443 ? '' : `:${h.port}`}/`));
  return [...idp, new URL(options.testUrl)];
}

const SOURCE: Record<ProxySource, Localized> = {
  option: msg('kommandoraden', 'the command line'),
  env: msg('miljövariabler', 'environment variables'),
  pac: msg('proxyskript (PAC)', 'proxy auto-config (PAC)'),
  'windows-user': msg('Windows Internetinställningar', 'Windows Internet Settings'),
  'windows-winhttp': msg('Windows WinHTTP', 'Windows WinHTTP'),
  macos: msg('macOS nätverksinställningar', 'macOS network settings'),
  none: msg('ingen inställning', 'no setting'),
};

function describeTarget(target: ProxyTarget): Localized {
  const host = new URL(target.url).host;
  if (target.mode === 'direct') {
    return target.source === 'none'
      ? msg(`${host}: direkt, ingen proxy inställd`, `${host}: direct, no proxy configured`)
      : msg(`${host}: direkt (enligt ${SOURCE[target.source].sv})`, `${host}: direct (per ${SOURCE[target.source].en})`);
  }
  return msg(`${host}: via ${target.proxy} (från ${SOURCE[target.source].sv})`, `${host}: via ${target.proxy} (from ${SOURCE[target.source].en})`);
}

export const proxyProbe: Probe<ProxyDetails> = {
  id: 'proxy',
  title: msg('Proxy', 'Proxy'),
  description: msg(
    'Vilken proxy (eller ingen) datorn använder mot inloggningstjänsten och testsidan, och var inställningen kommer ifrån.',
    'Which proxy (or none) this computer uses for the identity provider and the test page, and where that setting comes from.',
  ),
  async run(ctx) {
    const targets: ProxyTarget[] = [];
    try {
      for (const url of loginTargets(ctx.options)) {
        const decision = await resolveProxy(ctx, url);
        targets.push({ url: url.href, mode: decision.mode, proxy: proxyForDisplay(decision.url), source: decision.source, pac: decision.pac });
      }
    } catch (err) {
      if (!(err instanceof ProxyConfigError)) throw err;
      return {
        status: 'fail',
        summary: err.text,
        advice: msg(
          'Proxyinställningen går inte att använda, så webbläsaren når troligen inte inloggningen heller. Be IT rätta proxyinställningen.',
          'The proxy setting cannot be used, so the browser probably cannot reach the login either. Ask IT to correct the proxy setting.',
        ),
        details: { targets },
      };
    }
    const distinct = new Set(targets.map((t) => `${t.mode} ${t.proxy ?? ''} ${t.source}`));
    const first = targets[0]!;
    const summary: Localized =
      distinct.size === 1
        ? first.mode === 'direct'
          ? first.source === 'none'
            ? msg('Direkt anslutning: ingen proxy är inställd.', 'Direct connection: no proxy is configured.')
            : msg(`Direkt anslutning (enligt ${SOURCE[first.source].sv}).`, `Direct connection (per ${SOURCE[first.source].en}).`)
          : msg(`Via proxy ${first.proxy} (från ${SOURCE[first.source].sv}).`, `Via proxy ${first.proxy} (from ${SOURCE[first.source].en}).`)
        : msg('Olika vägar för olika adresser, se underlag.', 'Different routes for different addresses, see evidence.');
    return { status: 'pass', summary, notes: targets.map(describeTarget), details: { targets } };
  },
};
