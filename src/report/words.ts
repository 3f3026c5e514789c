import { msg, pick, plural, type Lang } from '../i18n/index.js';
import type { Status } from '../model.js';
import type { RenderedReport, SummaryStatus } from './report.js';

/** Words the renderers share. Probes bring their own texts. */
export const WORDS = {
  sv: {
    heading: 'Kontroll av SITHS-inloggning',
    whatToDo: 'Gör så här:',
    result: 'Resultat',
    supportCode: 'Supportkod',
    supportCodeHint: 'läs upp den för supporten',
    evidence: 'Underlag',
    check: 'Kontroll',
    outcome: 'Utfall',
    ran: 'Körd',
    reportWritten: (file: string) => `Rapporten är sparad i ${file}`,
    checking: 'Kontrollerar',
    noChecks: 'Inga kontroller kördes.',
    forTheAgent: 'För supporten',
    commands: 'Kommandon',
    links: 'Läs mer',
  },
  en: {
    heading: 'SITHS login check',
    whatToDo: 'What to do:',
    result: 'Result',
    supportCode: 'Support code',
    supportCodeHint: 'read it out to the helpdesk',
    evidence: 'Evidence',
    check: 'Check',
    outcome: 'Outcome',
    ran: 'Ran',
    reportWritten: (file: string) => `Report saved to ${file}`,
    checking: 'Checking',
    noChecks: 'No checks were run.',
    forTheAgent: 'For the helpdesk',
    commands: 'Commands',
    links: 'Read more',
  },
} as const;

export const OVERALL: Record<SummaryStatus, Record<Lang, string>> = {
  pass: { sv: 'OK', en: 'OK' },
  warn: { sv: 'VARNING', en: 'WARNING' },
  fail: { sv: 'FEL', en: 'FAILED' },
  error: { sv: 'OFULLSTÄNDIGT', en: 'INCOMPLETE' },
  skip: { sv: 'INGET KONTROLLERADES', en: 'NOTHING WAS CHECKED' },
};

export const STATUS_WORD: Record<Status, Record<Lang, string>> = {
  pass: { sv: 'godkänd', en: 'passed' },
  warn: { sv: 'varning', en: 'warning' },
  fail: { sv: 'fel', en: 'failed' },
  skip: { sv: 'inte kontrollerad', en: 'skipped' },
  error: { sv: 'kunde inte kontrolleras', en: 'could not be checked' },
};

const COUNT_WORDS: Record<Status, Record<Lang, [one: string, many: string]>> = {
  pass: { sv: ['godkänd', 'godkända'], en: ['passed', 'passed'] },
  warn: { sv: ['varning', 'varningar'], en: ['warning', 'warnings'] },
  fail: { sv: ['fel', 'fel'], en: ['failed', 'failed'] },
  skip: { sv: ['inte kontrollerad', 'inte kontrollerade'], en: ['skipped', 'skipped'] },
  error: { sv: ['kunde inte kontrolleras', 'kunde inte kontrolleras'], en: ['could not be checked', 'could not be checked'] },
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
    .map((s) => {
      const n = report.summary[s];
      const [one, other] = COUNT_WORDS[s][lang];
      return plural(n, lang, { one, other });
    });
  return parts.join(', ');
}
