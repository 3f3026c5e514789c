import { duration } from '../i18n/duration.js';
import { pick, pickAll } from '../i18n/index.js';
import type { Status } from '../model.js';
import type { RenderedReport } from './report.js';
import { actionsOf } from './actions.js';
import { becauseOf, countsPhrase, OVERALL, STATUS_WORD, WORDS } from './words.js';

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
  const w = pickAll(WORDS, lang);
  const lines: string[] = [];
  lines.push(`# ${w.heading}`, '');
  const counts = countsPhrase(report);
  lines.push(
    `**${w.result}:** ${EMOJI[report.summary.status]} ${pick(OVERALL[report.summary.status], lang)}${counts ? ` (${counts})` : ''}  `,
    `**${w.supportCode}:** \`${report.summary.supportCode}\`  `,
    `**${w.ran}:** ${report.startedAt} · ${duration(report.durationMs, lang)} · ${report.platform.os} ${report.platform.arch} · Node ${report.platform.node} · siths-doctor ${report.tool.version}`,
    '',
  );
  if (report.checks.length === 0) {
    lines.push(w.noChecks, '');
  } else {
    lines.push(`| | ${w.check} | ${w.outcome} |`, '|---|---|---|');
    const titleOf = (id: string): string => report.checks.find((c) => c.id === id)?.title ?? id;
    for (const c of report.checks) {
      // The agent reads the ticket: the check's own finding, and that it follows from the root cause.
      const outcome = c.because ? `${c.summary} ${becauseOf(c.status, titleOf(c.because), lang)}` : c.summary;
      lines.push(`| ${EMOJI[c.status]} ${pick(STATUS_WORD[c.status], lang)} | ${cell(c.title)} (\`${c.id}\`) | ${cell(outcome)} |`);
    }
    lines.push('');
  }
  const actions = actionsOf(report);
  if (actions.length > 0) {
    lines.push(`## ${w.whatToDo.replace(/:$/, '')}`, '');
    actions.forEach((a, i) => {
      const head = a.cause ? `**${a.cause}** (\`${a.check.id}\`)` : `**${a.check.title}:**`;
      lines.push(`${i + 1}. ${EMOJI[a.status]} ${head} ${a.advice.replace(/\r?\n/g, ' ')}`);
      const sub: string[] = [];
      if (a.commands.length > 0) sub.push('', '   ```', ...a.commands.map((c) => `   ${c.run}`), '   ```');
      for (const l of a.links) sub.push(`   - [${l.title.replace(/[[\]]/g, '')}](<${l.url}>)`);
      if (a.agentHint) sub.push(`   - *${w.forTheAgent}:* ${a.agentHint}`);
      if (sub.length > 0) lines.push(...sub, '');
    });
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
