import { Command, InvalidArgumentError, type Option } from 'commander';
import { msg, pick, type Lang, type Localized } from '../i18n/index.js';
import { UsageError } from '../runner.js';

/**
 * Commander, speaking our words. Commander reports a usage error by calling
 * one method per kind, with what went wrong as arguments (the flag, the
 * option, the argument's name); these overrides turn each into a sentence in
 * the user's language and end the parse with a UsageError (exit code 2),
 * instead of rewriting commander's English text afterwards. Subcommands are
 * made through createCommand, so they speak the same way.
 */
export class LocalizedCommand extends Command {
  constructor(
    name: string | undefined,
    readonly lang: Lang,
  ) {
    super(name);
  }

  override createCommand(name?: string): Command {
    return new LocalizedCommand(name, this.lang);
  }

  /** "[options] [command] <code>", with the bracketed words in the user's language. */
  override usage(): string;
  override usage(str: string): this;
  override usage(str?: string): string | this {
    if (str !== undefined) return super.usage(str);
    const custom = (this as unknown as { _usage?: string })._usage;
    if (custom) return custom;
    return [
      ...(this.options.length > 0 ? [pick(msg('[flaggor]', '[options]'), this.lang)] : []),
      ...(this.commands.length > 0 ? [pick(msg('[kommando]', '[command]'), this.lang)] : []),
      ...this.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)),
    ].join(' ');
  }

  unknownCommand(): void {
    const word = this.args[0] ?? '';
    const names = this.commands.map((c) => c.name());
    const near = closest(word, names);
    this.fail(
      msg(
        `Okänt kommando: ${word}.${near ? ` Menade du ${near}?` : ''} Kommandon: ${names.join(', ')}.`,
        `Unknown command: ${word}.${near ? ` Did you mean ${near}?` : ''} Commands: ${names.join(', ')}.`,
      ),
    );
  }

  /** How this command is typed, for "see … --help". */
  private commandLine(): string {
    const names: string[] = [];
    for (let c: Command | null = this; c; c = c.parent) names.unshift(c.name());
    return names.join(' ');
  }

  private fail(text: Localized): never {
    const help = this.commandLine();
    throw new UsageError(msg(`${text.sv} Se ”${help} --help”.`, `${text.en} See “${help} --help”.`));
  }

  unknownOption(flag: string): void {
    const known: string[] = [];
    for (let c: Command | null = this; c; c = c.parent) known.push(...c.options.map((o) => o.long).filter((l): l is string => Boolean(l)));
    const near = flag.startsWith('--') ? closest(flag, known) : undefined;
    this.fail(
      msg(
        `Okänd flagga: ${flag}.${near ? ` Menade du ${near}?` : ''}`,
        `Unknown option: ${flag}.${near ? ` Did you mean ${near}?` : ''}`,
      ),
    );
  }

  optionMissingArgument(option: Option): void {
    this.fail(msg(`${option.long ?? option.flags} behöver ett värde.`, `${option.long ?? option.flags} needs a value.`));
  }

  missingArgument(name: string): void {
    this.fail(this.missingArgumentText?.(name) ?? msg(`Ange ${name}.`, `Give ${name}.`));
  }

  /** Set by a command whose argument deserves a better sentence than "give <name>" (explain: an example code). */
  missingArgumentText?: (name: string) => Localized;

  _excessArguments(received: readonly string[]): void {
    if ((this as unknown as { _allowExcessArguments: boolean })._allowExcessArguments) return;
    const expected = this.registeredArguments.length;
    const name = this.name();
    this.fail(
      expected === 0
        ? msg(`${name} tar inga argument (fick ${received.join(' ')}).`, `${name} takes no arguments (got ${received.join(' ')}).`)
        : msg(`${name} tar högst ${expected} argument (fick ${received.length}).`, `${name} takes at most ${expected} arguments (got ${received.length}).`),
    );
  }

  /** An option's parser throws InvalidArgumentError with our text; say which option and value, in our words. */
  _callParseArg(target: Option & { parseArg?: (value: string, previous: unknown) => unknown }, value: string, previous: unknown, _english: string): unknown {
    try {
      return target.parseArg!(value, previous);
    } catch (err) {
      if (!(err instanceof InvalidArgumentError)) throw err;
      const flag = target.long ?? target.flags;
      return this.fail(msg(`Ogiltigt värde för ${flag}: ${value}. ${err.message}`, `Invalid value for ${flag}: ${value}. ${err.message}`));
    }
  }
}

/** The known option nearest to a mistyped one (at most two edits away), like commander's suggestion. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of new Set(candidates)) {
    const d = distance(word, c);
    if (d <= 2 && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
