import type { Command } from 'commander';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { requireFormat } from '../common.js';
import type { CommandModule } from '../kit.js';
import { emit } from '../run-report.js';
import { msg, pick, pickAll, type Lang } from '../../i18n/index.js';
import { dependenciesOf, type Probe } from '../../model.js';
import type { DoctorOptions } from '../../options.js';

const HEAD = {
  id: msg('id', 'id'),
  title: msg('kontroll', 'check'),
  deps: msg('kräver', 'needs'),
  net: msg('nätverk', 'network'),
  alias: msg('även', 'also'),
  only: msg('bara', 'only'),
  none: msg('–', '–'),
  more: msg('Mer om varje kontroll, dess utfall och detaljer: docs/checks.md i siths-doctors källkod.', "More on each check, its outcomes and details: docs/checks.md in siths-doctor's source."),
};

/** `list-checks`: what each probe checks and what it depends on, in the chosen format. */
export function renderCheckList(probes: readonly Probe<object>[], options: DoctorOptions): string {
  const lang: Lang = options.lang;
  const rows = probes.map((p) => ({
    id: p.id,
    ...(p.aliases && p.aliases.length > 0 ? { aliases: [...p.aliases] } : {}),
    title: pick(p.title, lang),
    description: pick(p.description, lang),
    dependsOn: [...dependenciesOf(p, options)],
    network: Boolean(p.network),
    ...(p.platforms ? { platforms: [...p.platforms] } : {}),
  }));
  if (options.format === 'json') return JSON.stringify({ schemaVersion: 1, checks: rows }, null, 2) + '\n';
  const h = pickAll(HEAD, lang);
  if (options.format === 'markdown') {
    const lines = [`| ${h.id} | ${h.title} | ${h.deps} |`, '|---|---|---|'];
    for (const r of rows) {
      const id = [r.id, ...(r.aliases ?? [])].map((a) => `\`${a}\``).join(', ');
      const only = r.platforms ? ` (${h.only} ${r.platforms.join(', ')})` : '';
      lines.push(`| ${id} | **${r.title}**${only}: ${r.description} | ${r.dependsOn.map((d) => `\`${d}\``).join(', ') || h.none} |`);
    }
    return lines.join('\n') + `\n\n${h.more}\n`;
  }
  const width = Math.max(0, ...rows.map((r) => r.id.length));
  const lines: string[] = [];
  for (const r of rows) {
    const extras = [
      r.aliases ? `${h.alias}: ${r.aliases.join(', ')}` : '',
      r.dependsOn.length > 0 ? `${h.deps}: ${r.dependsOn.join(', ')}` : '',
      r.network ? h.net : '',
      r.platforms ? `${h.only} ${r.platforms.map((o) => (o === 'win32' ? 'Windows' : o === 'darwin' ? 'macOS' : o)).join(', ')}` : '',
    ].filter(Boolean);
    lines.push(`${r.id.padEnd(width)}  ${r.title}${extras.length > 0 ? ` (${extras.join('; ')})` : ''}`);
    lines.push(`${' '.repeat(width)}  ${r.description}`);
  }
  return lines.join('\n') + `\n\n${h.more}\n`;
}

export const listChecksCommand: CommandModule = (program, kit) => {
  kit
    .subcommand(program, 'list-checks', ['report'])
    .description(kit.help.listChecks)
    .action(async (_opts, cmd: Command) => {
      const { options } = kit.options(cmd);
      requireFormat(options, ['text', 'json', 'markdown'], 'list-checks');
      kit.setExit((await emit(renderCheckList(kit.deps.probes, options), options, kit.deps.io)) ? EXIT_OK : EXIT_USAGE);
    });
};
