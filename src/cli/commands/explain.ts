import type { Command } from 'commander';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { requireFormat } from '../common.js';
import type { CommandModule } from '../kit.js';
import { emit } from '../run-report.js';
import { pick } from '../../i18n/index.js';
import type { Probe } from '../../model.js';
import type { DoctorOptions } from '../../options.js';
import { SYMBOL } from '../../report/text.js';
import { STATUS_WORD } from '../../report/words.js';
import { decodeSupportCode, type CodeState } from '../../support-code.js';

const NOT_RUN = { sv: 'kördes inte', en: 'not run' } as const;

/** `explain CODE`: the per-check outcome a support code stands for. Throws SupportCodeError for a mistyped code. */
export function renderExplanation(code: string, probes: readonly Probe<object>[], options: DoctorOptions): string {
  const decoded = decodeSupportCode(code);
  const lang = options.lang;
  const titleOf = (id: string): string => {
    const probe = probes.find((p) => p.id === id);
    return probe ? pick(probe.title, lang) : id;
  };
  const word = (state: CodeState): string => (state === 'not-run' ? NOT_RUN[lang] : STATUS_WORD[state][lang]);
  const checks = decoded.checks.map((c) => ({ id: c.id, title: titleOf(c.id), status: c.state }));
  if (options.format === 'json') {
    return JSON.stringify({ schemaVersion: 1, supportCode: code.trim().toUpperCase(), layout: decoded.layout, checks }, null, 2) + '\n';
  }
  const width = Math.max(0, ...checks.map((c) => [...c.title].length));
  const lines = [lang === 'sv' ? `Supportkod ${code.trim().toUpperCase()}:` : `Support code ${code.trim().toUpperCase()}:`];
  for (const c of checks) {
    const symbol = c.status === 'not-run' ? '   ' : SYMBOL[c.status];
    const pad = ' '.repeat(width - [...c.title].length);
    lines.push(
      options.format === 'markdown'
        ? `- ${c.title} (\`${c.id}\`): ${word(c.status)}`
        : `${symbol} ${c.title}${pad}  ${word(c.status)} (${c.id})`,
    );
  }
  return lines.join('\n') + '\n';
}

export const explainCommand: CommandModule = (program, kit) => {
  kit
    .subcommand(program, 'explain')
    .description(kit.help.explain)
    .argument('<code>', kit.help.explainCode)
    .addHelpText('after', kit.help.explainAfter)
    .action(async (code: string, _opts, cmd: Command) => {
      const { options } = kit.options(cmd);
      requireFormat(options, ['text', 'json', 'markdown'], 'explain');
      kit.setExit((await emit(renderExplanation(code, kit.deps.probes, options), options, kit.deps.io)) ? EXIT_OK : EXIT_USAGE);
    });
};
