import { Command, Help, type Option } from 'commander';
import type { Lang } from '../i18n/index.js';
import type { Probe } from '../model.js';
import type { DoctorOptions } from '../options.js';
import type { System } from '../system.js';
import { addCommonOptions, toDoctorOptions } from './common.js';
import { translateCommanderError, translateHelpExtras, translateHelpTitle, type HelpTexts } from './help-texts.js';
import type { CliIo } from './io.js';

export interface CliDeps {
  readonly io: CliIo;
  readonly probes: readonly Probe<object>[];
  readonly createSystem: (options: DoctorOptions) => System;
}

/** What a command module gets to define itself: one file per command under src/cli/commands/. */
export interface CommandKit {
  readonly lang: Lang;
  readonly help: HelpTexts;
  readonly deps: CliDeps;
  /** Create a subcommand with the shared help, output and error handling and the common options. */
  subcommand(program: Command, name: string): Command;
  /** The options as probes see them, whether typed before or after the command name. */
  options(cmd: Command): { readonly options: DoctorOptions; readonly raw: Record<string, unknown> };
  /** The process exit code, set by the command's action. */
  setExit(code: number): void;
}

export type CommandModule = (program: Command, kit: CommandKit) => void;

export function configureCommand(cmd: Command, lang: Lang, help: HelpTexts, io: CliIo): Command {
  return cmd
    .helpOption('-h, --help', help.helpOption)
    .configureHelp({
      styleTitle: (title) => translateHelpTitle(title, lang),
      optionDescription(this: Help, option: Option) {
        return translateHelpExtras(Help.prototype.optionDescription.call(this, option), lang);
      },
    })
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, writeErr) => writeErr(translateCommanderError(s, lang)),
    })
    .showSuggestionAfterError(true)
    .exitOverride();
}

export function createKit(lang: Lang, help: HelpTexts, deps: CliDeps, setExit: (code: number) => void): CommandKit {
  return {
    lang,
    help,
    deps,
    setExit,
    subcommand(program, name) {
      return addCommonOptions(configureCommand(program.command(name), lang, help, deps.io), lang);
    },
    options(cmd) {
      const raw = mergedOptions(cmd);
      return { raw, options: toDoctorOptions(raw, lang) };
    },
  };
}

/**
 * Options may be given before or after the command name. Commander keeps the
 * two levels apart and a subcommand's defaults would hide what was typed
 * before it, so merge by source: a value the user gave beats a default.
 */
function mergedOptions(cmd: Command): Record<string, unknown> {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  const merged: Record<string, unknown> = {};
  const fromUser = new Set<string>();
  for (const c of chain) {
    for (const [key, value] of Object.entries(c.opts())) {
      const given = c.getOptionValueSource(key) !== 'default';
      if (given || !fromUser.has(key)) merged[key] = value;
      if (given) fromUser.add(key);
    }
  }
  return merged;
}
