import { duration } from '../i18n/duration.js';
import { msg, type Lang, type Localized } from '../i18n/index.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../model.js';
import { NetError } from '../net/errors.js';
import { explainNetError } from '../net/explain.js';
import { fetchPage, type ClockSample } from '../net/fetch-page.js';
import { ProxyConfigError } from '../net/proxy.js';
import { TrustConfigError } from '../net/trust.js';
import { testPageProbe, type TestPageDetails } from './test-page.js';

export const CLOCK_WARN_SECONDS = 60;
export const CLOCK_FAIL_SECONDS = 5 * 60;

export interface ClockDetails {
  /** Server time minus local time: positive when this computer's clock is behind. */
  readonly offsetSeconds?: number;
  /** How far off the estimate may be: half the round trip plus the Date header's one-second resolution. */
  readonly uncertaintySeconds?: number;
  readonly server?: string;
  readonly serverDate?: string;
  /** The local time the comparison was made at (the middle of the round trip). */
  readonly localTime?: string;
  readonly roundTripMs?: number;
  /** Where the server time came from: the test page check's own request, or a request of this check. */
  readonly source?: 'test-page' | 'own-request';
  /** What went wrong with each server asked, when none gave a time. */
  readonly failures?: readonly string[];
}

export interface ClockEstimate {
  readonly offsetMs: number;
  readonly uncertaintyMs: number;
  readonly localMidMs: number;
  readonly roundTripMs: number;
}

/**
 * The server wrote its Date header somewhere between sending and the first
 * byte, truncated to the second: take the middle of both ranges.
 */
export function estimateOffset(sample: ClockSample): ClockEstimate {
  const sent = Date.parse(sample.sentAt);
  const firstByte = Date.parse(sample.firstByteAt);
  const localMidMs = (sent + firstByte) / 2;
  const roundTripMs = Math.max(0, firstByte - sent);
  return { offsetMs: Date.parse(sample.date) + 500 - localMidMs, uncertaintyMs: roundTripMs / 2 + 500, localMidMs, roundTripMs };
}

export const clockProbe: Probe<ClockDetails> = {
  id: 'clock',
  title: msg('Datorns klocka', 'Computer clock'),
  description: msg(
    'Jämför datorns klocka med tiden som testsidan (eller inloggningstjänsten) anger i sitt svar. Går klockan fel ser giltiga certifikat ut att ha gått ut eller inte börjat gälla.',
    'Compares the computer’s clock with the time the test page (or the identity provider) gives in its answer. A wrong clock makes valid certificates look expired or not yet valid.',
  ),
  uses: [testPageProbe.id],
  network: true,
  waitingFor: msg('väntar på att servern ska ange sin tid…', 'waiting for a server to give its time…'),
  async run(ctx) {
    const pageResult = ctx.resultOf(testPageProbe);
    const page = pageResult?.details;
    if (page?.clockSample) return judge(page.clockSample, 'test-page');
    // The test page was out of reach: the identity provider is most likely too, and waiting for it
    // would only run the clock check to the deadline. Say why at once instead.
    if (pageResult && page?.cause && UNREACHABLE.has(page.cause)) {
      const { sv, en } = pageResult.title;
      return {
        status: 'skip',
        summary: msg(`Hoppades över eftersom ”${sv}” inte gick att nå.`, `Skipped because “${en}” could not be reached.`),
        details: { failures: [] },
      };
    }
    const failures: Localized[] = [];
    for (const url of serversToAsk(ctx, page)) {
      const failed = (why: Localized) => failures.push(msg(`${url.host}: ${why.sv}`, `${url.host}: ${why.en}`));
      try {
        // Only the Date header is read, so a certificate that looks invalid (as it does when the clock is wrong) must not stop it.
        const { clockSample } = await fetchPage(ctx, url, { verifyTls: false, maxBodyBytes: 1024 });
        if (clockSample) return judge(clockSample, 'own-request');
        failed(msg('svaret saknade tid (Date)', 'the answer had no time (Date)'));
      } catch (err) {
        if (err instanceof NetError) failed(explainNetError(err, ctx).cause);
        else if (err instanceof ProxyConfigError || err instanceof TrustConfigError) failed(err.text);
        else throw err;
        if (ctx.signal.aborted) break;
      }
    }
    return noServerTime(failures);
  },
};

/** Failures of the test page that asking it again would only repeat. */
const UNREACHABLE = new Set(['dns', 'refused', 'unreachable', 'reset', 'timeout', 'proxy-auth', 'proxy-refused', 'aborted']);

/** The test page, unless the test page check found it out of reach, then the identity provider. */
function serversToAsk(ctx: ProbeContext, page: TestPageDetails | undefined): URL[] {
  const idp = ctx.options.idpHosts.map((h) => new URL(`https://${h.host}${h.port === 443 ? '' : `:${h.port}`}/`));
  return page?.cause && UNREACHABLE.has(page.cause) ? idp : [new URL(ctx.options.testUrl), ...idp];
}

function judge(sample: ClockSample, source: 'test-page' | 'own-request'): ProbeOutcome<ClockDetails> {
  const estimate = estimateOffset(sample);
  const host = new URL(sample.url).host;
  const details: ClockDetails = {
    offsetSeconds: Math.round(estimate.offsetMs / 100) / 10,
    uncertaintySeconds: Math.round(estimate.uncertaintyMs / 100) / 10,
    server: sample.url,
    serverDate: sample.date,
    localTime: new Date(estimate.localMidMs).toISOString(),
    roundTripMs: Math.round(estimate.roundTripMs),
    source,
  };
  const notes = [
    msg(
      `${host} angav ${sample.date}; datorns klocka visade ${details.localTime} (svarstid ${details.roundTripMs} ms).`,
      `${host} said ${sample.date}; this computer's clock said ${details.localTime} (round trip ${details.roundTripMs} ms).`,
    ),
  ];
  const off = Math.abs(estimate.offsetMs) / 1000;
  const how = (lang: Lang): string => duration(estimate.offsetMs, lang);
  const direction: Localized = estimate.offsetMs > 0 ? msg('efter', 'behind') : msg('före', 'ahead of');
  if (off <= CLOCK_WARN_SECONDS) {
    return {
      status: 'pass',
      summary: msg(`Klockan stämmer (skillnad ${how('sv')} mot ${host}).`, `The clock is right (off by ${how('en')} compared with ${host}).`),
      notes,
      details,
    };
  }
  const consequence = msg(
    'Går klockan fel mer än några minuter ser certifikat, både kortets och webbplatsernas, ut att ha gått ut eller inte ha börjat gälla, och inloggningen misslyckas fast kortet är i ordning.',
    'When the clock is off by more than a few minutes, certificates (the card’s and the websites’) look expired or not yet valid, and the login fails even though the card is fine.',
  );
  const fix = msg(
    'Ställ in datum och tid automatiskt (Windows: Inställningar > Tid och språk > Datum och tid > Ange tid automatiskt; macOS: Systeminställningar > Allmänt > Datum och tid). Går det inte, kontakta IT.',
    'Set the date and time automatically (Windows: Settings > Time & language > Date & time > Set time automatically; macOS: System Settings > General > Date & Time). If you cannot, contact IT.',
  );
  const summary = msg(`Datorns klocka går ${how('sv')} ${direction.sv} jämfört med ${host}.`, `This computer's clock is ${how('en')} ${direction.en} ${host}.`);
  if (off <= CLOCK_FAIL_SECONDS) {
    return { status: 'warn', summary, advice: msg(`${fix.sv} ${consequence.sv}`, `${fix.en} ${consequence.en}`), notes, details };
  }
  return { status: 'fail', summary, advice: msg(`${consequence.sv} ${fix.sv}`, `${consequence.en} ${fix.en}`), notes, details };
}

function noServerTime(failures: readonly Localized[]): ProbeOutcome<ClockDetails> {
  return {
    status: 'error',
    summary: msg('Ingen server gav sin tid att jämföra klockan med.', 'No server gave its time to compare the clock with.'),
    advice: msg(
      'Kontrollera datorns datum och tid mot en klocka du litar på. Se också kontrollerna av proxy och testsidan för varför servrarna inte nåddes.',
      'Check the computer’s date and time against a clock you trust. See also the proxy and test page checks for why the servers could not be reached.',
    ),
    notes: failures,
    details: { failures: failures.map((f) => f.en) },
  };
}
