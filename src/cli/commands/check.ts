import type { Command } from 'commander';
import { selectProbes } from '../../runner.js';
import { Option } from 'commander';
import { collectList, runGroupTitle } from '../common.js';
import type { CommandKit, CommandModule } from '../kit.js';
import { runAndReport } from '../run-report.js';

/** Run the named checks (all when none are named) and what they depend on. Also the program's default action. */
export async function runChecks(ids: readonly string[], cmd: Command, kit: CommandKit): Promise<void> {
  const { options, raw } = kit.options(cmd);
  const skip = (raw.skip as string[] | undefined) ?? [];
  const probes = selectProbes(kit.deps.probes, { ids, skip }, options);
  const requested = ids.length > 0 ? ids : probes.map((p) => p.id);
  kit.setExit(await runAndReport({ probes, skip, requested, options, system: kit.deps.createSystem(options), io: kit.deps.io }));
}

export const checkCommand: CommandModule = (program, kit) => {
  kit
    .subcommand(program, 'check')
    .description(kit.help.check)
    .argument('[ids...]', kit.help.checkIds)
    .addOption(new Option('--skip <ids>', kit.help.skip).argParser(collectList).helpGroup(runGroupTitle(kit.lang)))
    .addHelpText('after', kit.help.checkAfter)
    .action(async (ids: string[], _opts, cmd: Command) => runChecks(ids, cmd, kit));
};
