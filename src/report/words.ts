import { counted, msg, pick, type Lang, type Localized } from '../i18n/index.js';
import type { Status } from '../model.js';
import type { RenderedReport, SummaryStatus } from './report.js';

/** Words the renderers share. Probes bring their own texts. */
export const WORDS = {
  heading: msg('Kontroll av SITHS-inloggning', 'SITHS login check'),
  whatToDo: msg('Gör så här:', 'What to do:'),
  result: msg('Resultat', 'Result'),
  supportCode: msg('Supportkod', 'Support code'),
  supportCodeHint: msg('läs upp den för supporten', 'read it out to the helpdesk'),
  evidence: msg('Underlag', 'Evidence'),
  check: msg('Kontroll', 'Check'),
  outcome: msg('Utfall', 'Outcome'),
  ran: msg('Körd', 'Ran'),
  checking: msg('Kontrollerar', 'Checking'),
  noChecks: msg('Inga kontroller kördes.', 'No checks were run.'),
  forTheAgent: msg('För supporten', 'For the helpdesk'),
} satisfies Record<string, Localized>;

/** Said on stderr once --output has written the report. */
export function reportWritten(file: string): Localized {
  return msg(`Rapporten är sparad i ${file}`, `Report saved to ${file}`);
}

export const OVERALL: Record<SummaryStatus, Localized> = {
  pass: msg('OK', 'OK'),
  warn: msg('VARNING', 'WARNING'),
  fail: msg('FEL', 'FAILED'),
  error: msg('OFULLSTÄNDIGT', 'INCOMPLETE'),
  skip: msg('INGET KONTROLLERADES', 'NOTHING WAS CHECKED'),
};

export const STATUS_WORD: Record<Status, Localized> = {
  pass: msg('godkänd', 'passed'),
  warn: msg('varning', 'warning'),
  fail: msg('fel', 'failed'),
  skip: msg('inte kontrollerad', 'skipped'),
  error: msg('kunde inte kontrolleras', 'could not be checked'),
};

/** "2 godkända" / "2 passed": a count of checks with one outcome. */
const COUNT_WORDS: Record<Status, (n: number) => Localized> = {
  pass: (n) => counted(n, { one: 'godkänd', other: 'godkända' }, { one: 'passed', other: 'passed' }),
  warn: (n) => counted(n, { one: 'varning', other: 'varningar' }, { one: 'warning', other: 'warnings' }),
  fail: (n) => counted(n, { one: 'fel', other: 'fel' }, { one: 'failed', other: 'failed' }),
  skip: (n) => counted(n, { one: 'inte kontrollerad', other: 'inte kontrollerade' }, { one: 'skipped', other: 'skipped' }),
  error: (n) => counted(n, { one: 'kunde inte kontrolleras', other: 'kunde inte kontrolleras' }, { one: 'could not be checked', other: 'could not be checked' }),
};

/** A check that failed or was skipped because of another: said instead of repeating the cause. */
export function becauseOf(status: Status, root: string, lang: Lang): string {
  switch (status) {
    case 'fail':
      return pick(msg(`Fel på grund av ”${root}”.`, `Failed because of “${root}”.`), lang);
    case 'skip':
      return pick(msg(`Kontrollerades inte eftersom ”${root}” inte gick igenom.`, `Not checked because “${root}” did not pass.`), lang);
    default:
      return pick(msg(`Kunde inte kontrolleras på grund av ”${root}”.`, `Could not be checked because of “${root}”.`), lang);
  }
}

/** "2 passed, 1 failed, 1 skipped" with zero counts left out, worst first. */
export function countsPhrase(report: RenderedReport): string {
  const lang = report.lang;
  const order: Status[] = ['fail', 'error', 'warn', 'pass', 'skip'];
  const parts = order
    .filter((s) => report.summary[s] > 0)
    .map((s) => pick(COUNT_WORDS[s](report.summary[s]), lang));
  return parts.join(', ');
}
