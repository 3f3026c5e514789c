import { Command, CommanderError } from 'commander';
import { msg, pick, type Lang } from './i18n/index.js';
import { PROBES } from './probes/index.js';
import { UsageError } from './runner.js';
import { SupportCodeError } from './support-code.js';
import { createSystem } from './system.js';
import { TOOL_VERSION } from './version.js';
import { addCommonOptions, preScanLang } from './cli/common.js';
import { COMMANDS } from './cli/commands/index.js';
import { runChecks } from './cli/commands/check.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE } from './cli/exit-codes.js';
import { helpTexts } from './cli/help-texts.js';
import { processIo, write, type CliIo } from './cli/io.js';
import { configureCommand, createKit, type CliDeps } from './cli/kit.js';
import { LocalizedCommand } from './cli/localized-command.js';

export type { CliDeps } from './cli/kit.js';
export { exitProcess } from './cli/exit.js';

const defaultDeps: CliDeps = { io: processIo, probes: PROBES, createSystem: () => createSystem() };

/** Runs the command line and resolves with the exit code; never throws. */
export async function main(argv: readonly string[], deps: CliDeps = defaultDeps): Promise<number> {
  const { io } = deps;
  const lang = preScanLang(argv.slice(2), io.env);
  let exitCode = EXIT_OK;
  const help = helpTexts(lang);
  const kit = createKit(lang, help, deps, (code) => {
    exitCode = code;
  });

  const program = configureCommand(new LocalizedCommand('siths-doctor', lang), lang, help, io)
    .description(help.program)
    .version(TOOL_VERSION, '-V, --version', help.versionOption)
    .helpCommand('help [command]', help.helpCommand)
    .addHelpText('after', help.programAfter);
  for (const register of COMMANDS) register(program, kit);
  // The default action runs every check. Excess words are allowed here only
  // to report them as an unknown command, which commander would not do.
  addCommonOptions(program, lang)
    .allowExcessArguments(true)
    .action(async (_opts, cmd: Command) => {
      if (cmd.args.length > 0) throw unknownCommand(cmd.args[0]!, program);
      await runChecks([], cmd, kit);
    });

  try {
    // Commander answers `help nosuch` with the main help and exit 0: a typo would look like success.
    const [first, second] = argv.slice(2);
    if (first === 'help' && second !== undefined && !second.startsWith('-') && !program.commands.some((c) => c.name() === second || c.aliases().includes(second))) {
      throw unknownCommand(second, program);
    }
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (err) {
    return handleError(err, lang, io, argv.includes('--verbose'));
  }
}

function unknownCommand(word: string, program: Command): UsageError {
  const names = program.commands.map((c) => c.name());
  return new UsageError(
    msg(
      `Okänt kommando: ${word}. Kommandon: ${names.join(', ')}. Se ”siths-doctor --help”.`,
      `Unknown command: ${word}. Commands: ${names.join(', ')}. See “siths-doctor --help”.`,
    ),
  );
}

async function handleError(err: unknown, lang: Lang, io: CliIo, verbose: boolean): Promise<number> {
  if (err instanceof CommanderError) {
    // Commander has already printed its (translated) message, or the help.
    const quiet = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    return quiet.includes(err.code) ? EXIT_OK : EXIT_USAGE;
  }
  if (err instanceof UsageError || err instanceof SupportCodeError) {
    await write(io.stderr, `siths-doctor: ${pick(err.text, lang)}\n`);
    return EXIT_USAGE;
  }
  const message = err instanceof Error ? err.message : String(err);
  const detail = verbose && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  await write(
    io.stderr,
    pick(
      msg(
        `siths-doctor: internt fel: ${message}${detail}\nDetta är ett fel i siths-doctor. Kör igen med --verbose och rapportera det.\n`,
        `siths-doctor: internal error: ${message}${detail}\nThis is a bug in siths-doctor. Run again with --verbose and report it.\n`,
      ),
      lang,
    ),
  );
  return EXIT_INTERNAL;
}
