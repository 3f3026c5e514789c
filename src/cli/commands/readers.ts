import { InvalidArgumentError, type Command } from 'commander';
import { msg, pick, pickAll, type Lang } from '../../i18n/index.js';
import { selectProbes, UsageError } from '../../runner.js';
import { requireFormat } from '../common.js';
import type { CommandModule } from '../kit.js';
import { watchReaders } from '../readers-watch.js';
import { runAndReport } from '../run-report.js';

/** Longest --duration: a day. */
const MAX_DURATION_SECONDS = 86_400;

const HELP = {
  description: msg(
    'lista kortläsare och kort; med --watch: visa varje händelse när den sker',
    'list card readers and cards; with --watch: show each event as it happens',
  ),
  group: msg('Bevakning:', 'Watch:'),
  watch: msg(
    'stanna kvar och skriv ut varje händelse (läsare ansluten eller borttagen, kort isatt eller uttaget) med tidsstämpel',
    'stay and print each event (reader attached or removed, card inserted or removed) with a timestamp',
  ),
  duration: msg('avsluta bevakningen efter så många sekunder', 'end the watch after this many seconds'),
  after: msg(
    `
Exempel:
  siths-doctor readers                       kortläsare och kort, en gång
  siths-doctor readers --watch               bevaka tills Ctrl-C
  siths-doctor readers --watch --duration 60 --format json
                                             en JSON-rad per händelse i en minut

Med --watch skrivs en rad per händelse till standard ut, med --format json ett
JSON-objekt per rad. Slutkod 0 vid Ctrl-C eller när tiden gått ut, 1 om
smartkortstjänsten försvinner.`,
    `
Examples:
  siths-doctor readers                       card readers and cards, once
  siths-doctor readers --watch               watch until Ctrl-C
  siths-doctor readers --watch --duration 60 --format json
                                             one JSON line per event for a minute

With --watch, one line per event goes to standard output; with --format json,
one JSON object per line. Exit code 0 on Ctrl-C or when the time is up, 1 when
the smart card service goes away.`,
  ),
};

export function parseDurationSeconds(value: string, lang: Lang): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(seconds > 0) || seconds > MAX_DURATION_SECONDS) {
    throw new InvalidArgumentError(
      pick(msg(`Ange sekunder, mer än 0 och högst ${MAX_DURATION_SECONDS}, till exempel 60.`, `Give seconds, more than 0 and at most ${MAX_DURATION_SECONDS}, for example 60.`), lang),
    );
  }
  return seconds;
}

/** `readers`: the reader and card checks, once; `readers --watch`: live events. */
export const readersCommand: CommandModule = (program, kit) => {
  const help = pickAll(HELP, kit.lang);
  kit
    .subcommand(program, 'readers', ['report', 'run'])
    .description(help.description)
    .optionsGroup(help.group)
    .option('--watch', help.watch)
    .option('--duration <seconds>', help.duration, (v: string) => parseDurationSeconds(v, kit.lang))
    .addHelpText('after', help.after)
    .action(async (_opts, cmd: Command) => {
      const { options, raw } = kit.options(cmd);
      const duration = raw.duration as number | undefined;
      if (!raw.watch) {
        if (duration !== undefined) throw new UsageError(msg('--duration gäller bara tillsammans med --watch.', '--duration only goes with --watch.'));
        const probes = selectProbes(kit.deps.probes, { ids: ['card'] }, options);
        kit.setExit(await runAndReport({ probes, options, system: kit.deps.createSystem(options), io: kit.deps.io }));
        return;
      }
      requireFormat(options, ['text', 'json'], 'readers --watch');
      if (options.output !== undefined) throw new UsageError(msg('--output går inte med --watch; omdirigera standard ut i stället.', '--output does not go with --watch; redirect standard output instead.'));
      const system = kit.deps.createSystem(options);
      try {
        kit.setExit(await watchReaders({ options, system, io: kit.deps.io, ...(duration === undefined ? {} : { durationMs: Math.round(duration * 1000) }) }));
      } finally {
        await system.pcsc.close();
      }
    });
};
