import type { Command } from 'commander';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { requireFormat } from '../common.js';
import type { CommandModule } from '../kit.js';
import { emit } from '../run-report.js';
import { msg, pick } from '../../i18n/index.js';
import { LocalizedCommand } from '../localized-command.js';
import { titleOf, type Probe } from '../../model.js';
import type { DoctorOptions } from '../../options.js';
import { SYMBOL } from '../../report/text.js';
import { STATUS_WORD } from '../../report/words.js';
import { decodeSupportCode, formatSupportCode, type CodeState } from '../../support-code.js';

const NOT_RUN = msg('kördes inte', 'not run');

/** `explain CODE`: the per-check outcome a support code stands for. Throws SupportCodeError for a mistyped code. */
export function renderExplanation(code: string, probes: readonly Probe<object>[], options: DoctorOptions): string {
  const decoded = decodeSupportCode(code);
  const lang = options.lang;
  // Titles as that run showed them: a run with --cert read files, not the card.
  const asRun: DoctorOptions = { ...options, certFiles: decoded.certificates === 'files' ? ['(--cert)'] : [] };
  const title = (id: string): string => {
    const probe = probes.find((p) => p.id === id);
    return probe ? pick(titleOf(probe, asRun), lang) : id;
  };
  const shown = formatSupportCode(code);
  const word = (state: CodeState): string => pick(state === 'not-run' ? NOT_RUN : STATUS_WORD[state], lang);
  const checks = decoded.checks.map((c) => ({ id: c.id, title: title(c.id), status: c.state }));
  if (options.format === 'json') {
    return JSON.stringify({ schemaVersion: 1, supportCode: shown, layout: decoded.layout, certificates: decoded.certificates, checks }, null, 2) + '\n';
  }
  const width = Math.max(0, ...checks.map((c) => [...c.title].length));
  const lines = [pick(msg(`Supportkod ${shown}:`, `Support code ${shown}:`), lang)];
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

/** The example code of the help texts, which a test decodes. */
export const EXAMPLE_CODE = '222-J3A-U2Z';

export const explainCommand: CommandModule = (program, kit) => {
  const cmd = kit.subcommand(program, 'explain', ['report']);
  if (cmd instanceof LocalizedCommand) {
    cmd.missingArgumentText = () =>
      msg(`Ange en supportkod, till exempel: siths-doctor explain ${EXAMPLE_CODE}.`, `Give a support code, for example: siths-doctor explain ${EXAMPLE_CODE}.`);
  }
  cmd
    .description(kit.help.explain)
    .argument('<code>', kit.help.explainCode)
    .addHelpText('after', kit.help.explainAfter)
    .action(async (code: string, _opts, cmd: Command) => {
      const { options } = kit.options(cmd);
      requireFormat(options, ['text', 'json', 'markdown'], 'explain');
      kit.setExit((await emit(renderExplanation(code, kit.deps.probes, options), options, kit.deps.io)) ? EXIT_OK : EXIT_USAGE);
    });
};
