import { duration } from '../i18n/duration.js';
import { msg, type Localized } from '../i18n/index.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../model.js';
import type { PeerTls } from '../net/connect.js';
import { NetError, type NetFailureKind } from '../net/errors.js';
import { explainNetError } from '../net/explain.js';
import { fetchPage, type ClockSample, type PageExchange } from '../net/fetch-page.js';
import { ProxyConfigError } from '../net/proxy.js';
import { phaseDurations, type Phase, type Timings } from '../net/timings.js';
import { TrustConfigError } from '../net/trust.js';
import { proxyForDisplay } from '../net/types.js';
import { proxyProbe } from './proxy.js';

/** Browsers follow about 20; a login page that needs more than 5 is broken. */
export const MAX_REDIRECTS = 5;

export interface PageHop {
  readonly url: string;
  readonly status: number;
  /** Where a redirect pointed, resolved against the page's URL. */
  readonly location?: string;
  /** The proxy without credentials, or "direct". */
  readonly via: string;
  readonly timings: Timings;
}

export interface TestPageDetails {
  readonly url: string;
  readonly finalUrl?: string;
  readonly status?: number;
  /** Every request made, redirects included, in order. */
  readonly hops: readonly PageHop[];
  /** Of the last request, whether it succeeded or failed. */
  readonly timings?: Timings;
  readonly via?: string;
  readonly cause?: NetFailureKind | 'redirect-loop' | 'too-many-redirects' | 'http-status';
  readonly phase?: Phase;
  readonly code?: string;
  readonly tls?: PeerTls;
  readonly bodyTruncated?: boolean;
  readonly clientCertificateRequested?: boolean;
  /** For the clock check: the last Date header seen and when. */
  readonly clockSample?: ClockSample;
}

const PHASE_LABEL: Record<Phase, Localized> = {
  dns: msg('DNS', 'DNS'),
  connect: msg('TCP', 'TCP'),
  proxyConnect: msg('CONNECT', 'CONNECT'),
  tls: msg('TLS', 'TLS'),
  firstByte: msg('första byte', 'first byte'),
  body: msg('innehåll', 'body'),
};

export function describeTimings(timings: Timings): Localized {
  const parts = phaseDurations(timings);
  const line = (lang: 'sv' | 'en') => `${parts.map((p) => `${PHASE_LABEL[p.phase][lang]} ${p.ms} ms`).join(' · ')} = ${timings.totalMs} ms`;
  return msg(line('sv'), line('en'));
}

function nextStep(url: string): Localized {
  return msg(
    `Nästa steg: öppna ${url} i webbläsaren, välj ditt SITHS-certifikat när webbläsaren frågar och skriv din legitimeringskod (PIN) i Net iD. Visas dina uppgifter fungerar inloggningen hela vägen.`,
    `Next: open ${url} in the browser, choose your SITHS certificate when the browser asks, and enter your PIN in Net iD. If your details are shown, the login works all the way.`,
  );
}

const viaText = (via: string): Localized => (via === 'direct' ? msg('direkt', 'direct') : msg(`via proxyn ${via}`, `via proxy ${via}`));

export const testPageProbe: Probe<TestPageDetails> = {
  id: 'test-page',
  title: msg('SITHS testsida', 'SITHS test page'),
  description: msg(
    'Hämtar SITHS testsida (https://test.siths.se/ eller --test-url) över samma väg som webbläsaren tar: proxy, omdirigeringar, HTTP-status och tider per steg.',
    'Fetches the SITHS test page (https://test.siths.se/ or --test-url) the way the browser goes: proxy, redirects, HTTP status and time per step.',
  ),
  dependsOn: [proxyProbe.id],
  network: true,
  waitingFor: msg('väntar på testsidan…', 'waiting for the test page…'),
  async run(ctx) {
    const start = new URL(ctx.options.testUrl);
    const hops: PageHop[] = [];
    const seen = new Set<string>();
    let clockSample: ClockSample | undefined;
    let url = start;
    for (;;) {
      seen.add(url.href);
      let exchange: PageExchange;
      try {
        exchange = await fetchPage(ctx, url);
      } catch (err) {
        return failedExchange(ctx, err, start, url, hops, clockSample);
      }
      const { response, decision } = exchange;
      clockSample = exchange.clockSample ?? clockSample;
      const via = decision.url ? proxyForDisplay(decision.url)! : 'direct';
      const redirect = response.status >= 300 && response.status < 400 ? redirectTarget(response.headers.location, url) : undefined;
      hops.push({ url: url.href, status: response.status, ...(redirect ? { location: redirect.href } : {}), via, timings: response.timings });
      if (!redirect) return answered(ctx, start, exchange, hops, clockSample);
      if (seen.has(redirect.href)) return redirectFailure('redirect-loop', start, hops, clockSample);
      if (hops.length > MAX_REDIRECTS) return redirectFailure('too-many-redirects', start, hops, clockSample);
      url = redirect;
    }
  },
};

/** Where a redirect leads, when it leads somewhere a browser would follow (http or https); else undefined. */
function redirectTarget(location: string | undefined, base: URL): URL | undefined {
  if (!location) return undefined;
  try {
    const target = new URL(location, base);
    return target.protocol === 'https:' || target.protocol === 'http:' ? target : undefined;
  } catch {
    return undefined;
  }
}

function hopNotes(hops: readonly PageHop[]): Localized[] {
  return hops.flatMap((hop) => {
    const to = hop.location ? ` → ${hop.location}` : '';
    return [msg(`GET ${hop.url} → ${hop.status}${to} (${viaText(hop.via).sv})`, `GET ${hop.url} → ${hop.status}${to} (${viaText(hop.via).en})`)];
  });
}

function answered(ctx: ProbeContext, start: URL, exchange: PageExchange, hops: readonly PageHop[], clockSample: ClockSample | undefined): ProbeOutcome<TestPageDetails> {
  const { response } = exchange;
  const last = hops.at(-1)!;
  const details: TestPageDetails = {
    url: start.href,
    finalUrl: response.url,
    status: response.status,
    hops,
    timings: response.timings,
    via: last.via,
    ...(response.tls ? { tls: response.tls } : {}),
    ...(response.bodyTruncated ? { bodyTruncated: true } : {}),
    ...(clockSample ? { clockSample } : {}),
    ...(response.status >= 300 ? { cause: 'http-status' as const } : {}),
  };
  // The time the whole way took, redirects included.
  const totalMs = hops.reduce((n, hop) => n + hop.timings.totalMs, 0);
  const took = (lang: 'sv' | 'en') => duration(totalMs, lang);
  const redirects = hops.length - 1;
  const after = redirects > 0 ? msg(`, efter ${redirects} omdirigering${redirects === 1 ? '' : 'ar'}`, `, after ${redirects} redirect${redirects === 1 ? '' : 's'}`) : msg('', '');
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const notes = [...hopNotes(hops), describeTimings(response.timings)];
  if (response.bodyTruncated) notes.push(msg('Sidan var större än vad som lästes; bara början hämtades.', 'The page was larger than what was read; only its start was fetched.'));
  const where = (lang: 'sv' | 'en') => `${viaText(last.via)[lang]}${after[lang]}`;
  if (response.status >= 200 && response.status < 300) {
    return {
      status: 'pass',
      summary: msg(`Testsidan svarade ${status} på ${took('sv')} (${where('sv')}).`, `The test page answered ${status} in ${took('en')} (${where('en')}).`),
      advice: nextStep(start.href),
      notes,
      details,
    };
  }
  if (response.status === 401 || response.status === 403) {
    // The way there works; the page wants a login (often a client certificate) that only the browser with the card can give.
    return {
      status: 'warn',
      summary: msg(
        `Testsidan nås men svarade ${status} (${where('sv')}): den vill att du loggar in.`,
        `The test page is reachable but answered ${status} (${where('en')}): it wants you to log in.`,
      ),
      advice: msg(
        `Vägen fram fungerar. Sidan kräver inloggning, ofta med kortet: ${nextStep(start.href).sv}`,
        `The way there works. The page requires a login, often with the card: ${nextStep(start.href).en}`,
      ),
      notes,
      details,
    };
  }
  return {
    status: 'fail',
    summary: msg(`Testsidan svarade ${status} (${where('sv')}).`, `The test page answered ${status} (${where('en')}).`),
    advice:
      response.status === 404 || response.status === 410
        ? msg('Sidan finns inte på den adressen. Kontrollera --test-url, eller kontakta IT.', 'There is no page at that address. Check --test-url, or contact IT.')
        : response.status >= 500
          ? msg(
              'Servern nås men rapporterar ett fel hos sig själv. Försök igen senare; kvarstår felet, kontakta IT eller tjänstens support.',
              'The server is reached but reports an error of its own. Try again later; if it persists, contact IT or the service’s support.',
            )
          : msg('Servern svarade oväntat. Kontakta IT och skicka med rapporten.', 'The server answered unexpectedly. Contact IT and include the report.'),
    notes,
    details,
  };
}

function redirectFailure(
  cause: 'redirect-loop' | 'too-many-redirects',
  start: URL,
  hops: readonly PageHop[],
  clockSample: ClockSample | undefined,
): ProbeOutcome<TestPageDetails> {
  const last = hops.at(-1)!;
  return {
    status: 'fail',
    summary:
      cause === 'redirect-loop'
        ? msg(`Testsidan skickar runt i en cirkel: ${last.location} har redan besökts.`, `The test page redirects in a circle: ${last.location} was already visited.`)
        : msg(`Testsidan omdirigerar mer än ${MAX_REDIRECTS} gånger.`, `The test page redirects more than ${MAX_REDIRECTS} times.`),
    advice: msg(
      'Omdirigeringarna tar aldrig slut, ofta på grund av en proxy eller en inloggningsportal på vägen. Kontakta IT och skicka med listan över adresser.',
      'The redirects never end, often because of a proxy or a login portal on the way. Contact IT and include the list of addresses.',
    ),
    notes: hopNotes(hops),
    details: { url: start.href, status: last.status, hops, timings: last.timings, via: last.via, cause, ...(clockSample ? { clockSample } : {}) },
  };
}

function failedExchange(
  ctx: ProbeContext,
  err: unknown,
  start: URL,
  url: URL,
  hops: readonly PageHop[],
  clockSample: ClockSample | undefined,
): ProbeOutcome<TestPageDetails> {
  const base = { url: start.href, hops, ...(clockSample ? { clockSample } : {}) };
  if (err instanceof TrustConfigError) {
    return { status: 'error', summary: err.text, advice: msg('Rätta filen som anges med --ca-file.', 'Correct the file given with --ca-file.'), details: base };
  }
  if (err instanceof ProxyConfigError) {
    return { status: 'fail', summary: err.text, advice: msg('Be IT rätta proxyinställningen.', 'Ask IT to correct the proxy setting.'), notes: hopNotes(hops), details: base };
  }
  if (!(err instanceof NetError)) throw err;
  const details: TestPageDetails = {
    ...base,
    ...(err.timings ? { timings: err.timings } : {}),
    cause: err.kind,
    phase: err.phase,
    ...(err.info.code ? { code: err.info.code } : {}),
  };
  const { cause, advice } = explainNetError(err, ctx);
  const code = err.info.code ? ` (${err.info.code})` : '';
  const notes = [...hopNotes(hops), msg(`GET ${url.href}: ${cause.sv}${code}`, `GET ${url.href}: ${cause.en}${code}`), ...(err.timings ? [describeTimings(err.timings)] : [])];
  if (err.kind === 'client-cert-required') {
    return {
      status: 'pass',
      summary: msg(
        // Which authorities it asks for cannot be seen here: a proxy asking for its own does the same. idp-tls reads the names.
        `Testsidan nås; servern ber om ett klientcertifikat, som vid inloggning med kort (om den ber om just SITHS visar kontrollen idp-tls).`,
        `The test page is reachable; the server asks for a client certificate, as a card login does (whether it asks for SITHS as such, the idp-tls check shows).`,
      ),
      advice: nextStep(start.href),
      notes,
      details: { ...details, clientCertificateRequested: true },
    };
  }
  return { status: 'fail', summary: msg(`Testsidan gick inte att nå: ${cause.sv}.`, `The test page could not be reached: ${cause.en}.`), advice, notes, details };
}
