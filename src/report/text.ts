import { Chalk, type ChalkInstance } from 'chalk';
import { duration } from '../i18n/duration.js';
import { pick, pickAll } from '../i18n/index.js';
import type { Status } from '../model.js';
import type { RenderedCheck, RenderedReport, SummaryStatus } from './report.js';
import { actionsOf } from './actions.js';
import { becauseOf, countsPhrase, OVERALL, WORDS } from './words.js';
import { columns, hanging } from './wrap.js';

export interface TextStyle {
  /** chalk colour level: 0 = no ANSI codes at all. */
  readonly colorLevel: 0 | 1 | 2 | 3;
  readonly verbose: boolean;
  /** Show the evidence lines (notes, without the structured details) even without --verbose, for commands whose point is the evidence (`tls`). */
  readonly showNotes?: boolean;
  /** The terminal's width in columns; undefined (a file, a pipe) leaves lines unwrapped. */
  readonly width?: number;
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
 * One line per check for the helpdesk to read aloud, then what to do, in
 * the order to act (each root cause once, first), the result and the support
 * code. Wrapped at word boundaries to the terminal's width, continuation
 * lines under their text. --verbose adds the agent's hints, the evidence
 * lines and the structured details under each check.
 */
export function renderText(report: RenderedReport, style: TextStyle): string {
  const chalk = new Chalk({ level: style.colorLevel });
  const w = pickAll(WORDS, report.lang);
  const width = style.width;
  const lines: string[] = [];
  lines.push(...hanging('', chalk.bold(`${w.heading} · siths-doctor ${report.tool.version}`), 0, width));
  if (report.checks.length === 0) lines.push(w.noChecks);
  const titleWidth = Math.max(0, ...report.checks.map((c) => columns(c.title)));
  // Summaries beside the titles when there is room for them, else under them.
  const beside = width === undefined || width - (titleWidth + 6) >= 36;
  const titleOf = (id: string): string => report.checks.find((c) => c.id === id)?.title ?? id;
  for (const check of report.checks) {
    const summary = check.because ? becauseOf(check.status, titleOf(check.because), report.lang) : check.summary;
    const symbol = paint(chalk, check.status, SYMBOL[check.status]);
    if (beside) {
      const title = check.title + ' '.repeat(titleWidth - columns(check.title));
      lines.push(...hanging(`${symbol} ${chalk.bold(title)}  `, check.because ? chalk.dim(summary) : summary, titleWidth + 6, width));
    } else {
      lines.push(...hanging(`${symbol} `, chalk.bold(check.title), 4, width));
      lines.push(...hanging('    ', check.because ? chalk.dim(summary) : summary, 4, width));
    }
    const evidence = style.verbose ? verboseLines(check, report.lang) : style.showNotes ? check.notes : [];
    for (const line of evidence) lines.push(...hanging('      ', line, 6, width));
    if (style.verbose) lines.push(...detailLines(check));
  }
  const actions = actionsOf(report);
  if (actions.length > 0) {
    lines.push('', chalk.bold(w.whatToDo));
    actions.forEach((action, i) => {
      const number = `${i + 1}.`.padStart(4);
      const head = `${number} ${paint(chalk, action.status, SYMBOL[action.status])} `;
      // A network cause is said in its own words; the check that showed it first is only the evidence.
      const text = action.cause ? `${chalk.bold(action.cause)} ${action.advice}` : `${chalk.bold(action.check.title + ':')} ${action.advice}`;
      lines.push(...hanging(head, text, 9, width));
      for (const c of action.commands) lines.push(...hanging('         $ ', c.run, 11, width));
      for (const l of action.links) lines.push(...hanging('         ', `${l.title}: ${l.url}`, 9, width));
      if (style.verbose && action.agentHint) lines.push(...hanging(`         ${w.forTheAgent}: `, action.agentHint, 9, width));
    });
  }
  lines.push('');
  const overall = report.summary.status;
  const counts = countsPhrase(report);
  lines.push(
    ...hanging(
      '',
      `${w.result}: ${paint(chalk, overall, chalk.bold(pick(OVERALL[overall], report.lang)))}${counts ? ` (${counts})` : ''}, ${duration(report.durationMs, report.lang)}`,
      2,
      width,
    ),
  );
  lines.push(...hanging('', `${w.supportCode} (${w.supportCodeHint}): ${chalk.bold(report.summary.supportCode)}`, 2, width));
  return lines.join('\n') + '\n';
}

function verboseLines(check: RenderedCheck, lang: RenderedReport['lang']): string[] {
  const out = check.because ? [check.summary] : [];
  if (check.agentHint && check.advice === '') out.push(`${pick(WORDS.forTheAgent, lang)}: ${check.agentHint}`);
  return [...out, ...check.notes];
}

function detailLines(check: RenderedCheck): string[] {
  const details = JSON.stringify(check.details, null, 2);
  return details === '{}' ? [] : details.split('\n').map((l) => `      ${l}`);
}
