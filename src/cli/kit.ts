import type { Command, Option } from 'commander';
import { msg, pick, type Lang } from '../i18n/index.js';
import type { Probe } from '../model.js';
import type { DoctorOptions } from '../options.js';
import type { System } from '../system.js';
import { addCommonOptions, toDoctorOptions, type OptionGroup } from './common.js';
import { translateHelpTitle, type HelpTexts } from './help-texts.js';
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
  /** Create a subcommand with the shared help, output and error handling and the option groups it takes (all when not named). */
  subcommand(program: Command, name: string, groups?: readonly OptionGroup[]): Command;
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
      optionDescription: (option: Option) => describeOption(option, lang),
    })
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Usage errors are ours (LocalizedCommand); anything else commander says goes out as it is.
      outputError: (s, writeErr) => writeErr(`siths-doctor: ${s}`),
    })
    .exitOverride();
}

/** An option's help line: our description, then its choices and default in the user's language. */
function describeOption(option: Option, lang: Lang): string {
  const extras: string[] = [];
  if (option.argChoices) extras.push(`${pick(msg('val', 'choices'), lang)}: ${option.argChoices.join(', ')}`);
  const shownDefault = option.defaultValueDescription ?? (option.defaultValue === undefined || option.negate ? undefined : String(option.defaultValue));
  if (shownDefault !== undefined && !option.negate) extras.push(`${pick(msg('standard', 'default'), lang)}: ${shownDefault}`);
  return extras.length > 0 ? `${option.description} (${extras.join(', ')})` : option.description;
}

export function createKit(lang: Lang, help: HelpTexts, deps: CliDeps, setExit: (code: number) => void): CommandKit {
  return {
    lang,
    help,
    deps,
    setExit,
    subcommand(program, name, groups) {
      return addCommonOptions(configureCommand(program.command(name), lang, help, deps.io), lang, groups);
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
