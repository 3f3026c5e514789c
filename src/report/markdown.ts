import type { Status } from '../model.js';
import type { RenderedReport } from './report.js';
import { countsPhrase, OVERALL, seconds, STATUS_WORD, WORDS } from './words.js';

const EMOJI: Record<Status, string> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  skip: '⏭️',
  error: '❓',
};

/** Table cells: no line breaks, no unescaped pipes. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** A report to paste into a helpdesk ticket: the same content as the text report, plus the evidence. */
export function renderMarkdown(report: RenderedReport): string {
  const lang = report.lang;
  const w = WORDS[lang];
  const lines: string[] = [];
  lines.push(`# ${w.heading}`, '');
  const counts = countsPhrase(report);
  lines.push(
    `**${w.result}:** ${EMOJI[report.summary.status]} ${OVERALL[report.summary.status][lang]}${counts ? ` (${counts})` : ''}  `,
    `**${w.supportCode}:** \`${report.summary.supportCode}\`  `,
    `**${w.ran}:** ${report.startedAt} · ${seconds(report.durationMs, lang)} · ${report.platform.os} ${report.platform.arch} · Node ${report.platform.node} · siths-doctor ${report.tool.version}`,
    '',
  );
  if (report.checks.length === 0) {
    lines.push(w.noChecks, '');
  } else {
    lines.push(`| | ${w.check} | ${w.outcome} |`, '|---|---|---|');
    for (const c of report.checks) {
      lines.push(`| ${EMOJI[c.status]} ${STATUS_WORD[c.status][lang]} | ${cell(c.title)} (\`${c.id}\`) | ${cell(c.summary)} |`);
    }
    lines.push('');
  }
  const needsAction = report.checks.filter((c) => c.advice && (c.status === 'fail' || c.status === 'error' || c.status === 'warn'));
  if (needsAction.length > 0) {
    lines.push(`## ${w.whatToDo.replace(/:$/, '')}`, '');
    for (const c of needsAction) lines.push(`- ${EMOJI[c.status]} **${c.title}:** ${c.advice.replace(/\r?\n/g, ' ')}`);
    lines.push('');
  }
  const withEvidence = report.checks.filter((c) => c.notes.length > 0 || Object.keys(c.details).length > 0);
  if (withEvidence.length > 0) {
    lines.push(`## ${w.evidence}`, '');
    for (const c of withEvidence) {
      lines.push(`### ${c.title} (\`${c.id}\`)`, '');
      for (const n of c.notes) lines.push(`- ${n.replace(/\r?\n/g, ' ')}`);
      if (c.notes.length > 0) lines.push('');
      if (Object.keys(c.details).length > 0) {
        lines.push('```json', JSON.stringify(c.details, null, 2).replace(/```/g, '`\u200b``'), '```', '');
      }
    }
  }
  return lines.join('\n');
}
