import { InvalidArgumentError, Option, type Command } from 'commander';
import { langFromEnv, parseLang, pick, type Lang, type Localized, msg } from '../i18n/index.js';
import { DEFAULT_TIMEOUT_MS, FORMATS, MAX_TIMEOUT_MS, type DoctorOptions, type Format } from '../options.js';

/**
 * The language for everything the CLI prints, known before commander parses:
 * --lang wins, then the locale. An unknown --lang value is reported by the
 * option's own parser below.
 */
export function preScanLang(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Lang {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    const value = arg === '--lang' ? argv[i + 1] : arg.startsWith('--lang=') ? arg.slice('--lang='.length) : undefined;
    const lang = value === undefined ? undefined : parseLang(value);
    if (lang) return lang;
  }
  return langFromEnv(env, Intl.DateTimeFormat().resolvedOptions().locale);
}

function invalid(text: Localized, lang: Lang): never {
  throw new InvalidArgumentError(pick(text, lang));
}

export function parseTimeout(value: string, lang: Lang): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_TIMEOUT_MS) {
    invalid(
      msg(
        `Ange millisekunder som ett heltal mellan 1 och ${MAX_TIMEOUT_MS}, till exempel 10000.`,
        `Give milliseconds as a whole number from 1 to ${MAX_TIMEOUT_MS}, for example 10000.`,
      ),
      lang,
    );
  }
  return n;
}

/** "a,b" and repeated options both work: --skip netid --skip clock, or --skip netid,clock. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return [...(previous ?? []), ...items];
}

/** Options every command takes. Probe-specific options are added by the commands that need them. */
export function addCommonOptions(cmd: Command, lang: Lang): Command {
  const t = (sv: string, en: string): string => (lang === 'sv' ? sv : en);
  return cmd
    .addOption(
      new Option('--format <format>', t('rapportformat', 'report format'))
        .choices([...FORMATS])
        .default('text'),
    )
    .addOption(new Option('-o, --output <file>', t('skriv rapporten till en fil i stället för till skärmen', 'write the report to a file instead of the screen')))
    .addOption(
      new Option('--lang <lang>', t('språk: sv eller en (standard: från LC_ALL / LC_MESSAGES / LANG)', 'language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)')).argParser(
        (value: string) => {
          const parsed = parseLang(value);
          if (!parsed) invalid(msg('Välj sv eller en.', 'Choose sv or en.'), lang);
          return parsed;
        },
      ),
    )
    .addOption(
      new Option(
        '--timeout <ms>',
        t('tidsgräns per nätverks- eller kortoperation, i millisekunder', 'time limit per network or card operation, in milliseconds'),
      )
        .argParser((v: string) => parseTimeout(v, lang))
        .default(DEFAULT_TIMEOUT_MS),
    )
    .addOption(new Option('--offline', t('hoppa över kontroller som behöver nätverket', 'skip the checks that need the network')))
    .addOption(
      new Option(
        '--show-personal-data',
        t('visa namn, personnummer, HSA-id och kortnummer (dolda som standard)', 'show names, personal numbers, HSA-ids and card numbers (hidden by default)'),
      ),
    )
    .addOption(new Option('--no-color', t('ingen färg i textrapporten', 'no colour in the text report')))
    .addOption(new Option('--verbose', t('visa underlag och detaljer för varje kontroll', 'show evidence and details for every check')));
}

/** Commander's parsed values, merged from the program and the subcommand, as DoctorOptions. */
export function toDoctorOptions(raw: Record<string, unknown>, lang: Lang): DoctorOptions {
  return {
    lang: (raw.lang as Lang | undefined) ?? lang,
    format: (raw.format as Format | undefined) ?? 'text',
    output: raw.output as string | undefined,
    timeoutMs: (raw.timeout as number | undefined) ?? DEFAULT_TIMEOUT_MS,
    offline: raw.offline === true,
    showPersonalData: raw.showPersonalData === true,
    color: raw.color !== false,
    verbose: raw.verbose === true,
  };
}
