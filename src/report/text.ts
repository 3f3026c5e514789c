import { Chalk, type ChalkInstance } from 'chalk';
import type { Status } from '../model.js';
import type { RenderedCheck, RenderedReport, SummaryStatus } from './report.js';
import { countsPhrase, OVERALL, seconds, WORDS } from './words.js';

export interface TextStyle {
  /** chalk colour level: 0 = no ANSI codes at all. */
  readonly colorLevel: 0 | 1 | 2 | 3;
  readonly verbose: boolean;
  /** Evidence lines without the structured details. */
  readonly showNotes?: boolean;
}

export const SYMBOL: Record<Status, string> = {
  pass: '[✓]',
  warn: '[!]',
  fail: '[✗]',
  skip: '[-]',
  error: '[?]',
};

function paint(chalk: ChalkInstance, status: Status | SummaryStatus, text: string): string {
  switch (status) {
    case 'pass':
      return chalk.green(text);
    case 'warn':
      return chalk.yellow(text);
    case 'fail':
      return chalk.red(text);
    case 'error':
      return chalk.magenta(text);
    default:
      return chalk.dim(text);
  }
}

/**
 * One line per check for the helpdesk to read aloud, then what to do for
 * what did not pass, the result and the support code. --verbose adds the
 * evidence lines and the structured details under each check.
 */
export function renderText(report: RenderedReport, style: TextStyle): string {
  const chalk = new Chalk({ level: style.colorLevel });
  const w = WORDS[report.lang];
  const lines: string[] = [];
  lines.push(chalk.bold(`${w.heading} · siths-doctor ${report.tool.version}`));
  if (report.checks.length === 0) lines.push(w.noChecks);
  const width = Math.max(0, ...report.checks.map((c) => [...c.title].length));
  for (const check of report.checks) {
    const title = check.title + ' '.repeat(width - [...check.title].length);
    lines.push(`${paint(chalk, check.status, SYMBOL[check.status])} ${chalk.bold(title)}  ${check.summary}`);
    if (style.verbose) lines.push(...verboseLines(check));
    else if (style.showNotes) lines.push(...check.notes.map((n) => `      ${n}`));
  }
  const needsAction = report.checks.filter((c) => c.advice && (c.status === 'fail' || c.status === 'error' || c.status === 'warn'));
  if (needsAction.length > 0) {
    lines.push('', chalk.bold(w.whatToDo));
    for (const check of needsAction) {
      lines.push(`  ${paint(chalk, check.status, SYMBOL[check.status])} ${chalk.bold(check.title)}: ${check.advice}`);
    }
  }
  lines.push('');
  const overall = report.summary.status;
  const counts = countsPhrase(report);
  lines.push(
    `${w.result}: ${paint(chalk, overall, chalk.bold(OVERALL[overall][report.lang]))}${counts ? ` (${counts})` : ''}, ${seconds(report.durationMs, report.lang)}`,
  );
  lines.push(`${w.supportCode} (${w.supportCodeHint}): ${chalk.bold(report.summary.supportCode)}`);
  return lines.join('\n') + '\n';
}

function verboseLines(check: RenderedCheck): string[] {
  const out = check.notes.map((n) => `      ${n}`);
  const details = JSON.stringify(check.details, null, 2);
  if (details !== '{}') out.push(...details.split('\n').map((l) => `      ${l}`));
  return out;
}
