import { DEFAULT_IDP_HOSTS } from '../tls/idp-hosts.js';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { isIP } from 'node:net';
import { UsageError } from '../runner.js';
import { langFromEnv, parseLang, pick, type Lang, type Localized, msg } from '../i18n/index.js';
import {
  DEFAULT_EXPIRY_WARN_DAYS,
  DEFAULT_TEST_URL,
  DEFAULT_TIMEOUT_MS,
  defaultOptions,
  FORMATS,
  MAX_TIMEOUT_MS,
  type DoctorOptions,
  type Format,
  type HostPort,
  type ResolveRule,
} from '../options.js';

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
  return langFromEnv(env, () => Intl.DateTimeFormat().resolvedOptions().locale);
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

function parseUrl(value: string, what: string, protocols: readonly string[], lang: Lang): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    invalid(msg(`${what} måste vara en fullständig adress, till exempel ${protocols[0]}//exempel.se:8080`, `${what} must be a full URL, for example ${protocols[0]}//example.com:8080`), lang);
  }
  if (!protocols.includes(url.protocol) || !url.hostname) {
    invalid(msg(`${what} måste börja med ${protocols.join(' eller ')}`, `${what} must start with ${protocols.join(' or ')}`), lang);
  }
  return value;
}

const HOSTNAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

function parsePort(text: string, lang: Lang): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65535) invalid(msg(`ogiltig port: ${text}`, `invalid port: ${text}`), lang);
  return port;
}

export function parseHostPort(value: string, lang: Lang): HostPort {
  const m = /^([^:\s]+)(?::(\d+))?$/.exec(value.trim());
  if (!m || !HOSTNAME.test(m[1]!)) invalid(msg('Ange ett värdnamn, eventuellt med port: värd.se eller värd.se:443', 'Give a host name, optionally with a port: host.se or host.se:443'), lang);
  return { host: m[1]!.toLowerCase(), port: m[2] ? parsePort(m[2], lang) : 443 };
}

/** curl's --resolve syntax: HOST:PORT:ADDRESS, the address may be IPv6 in brackets or bare. */
export function parseResolve(value: string, lang: Lang): ResolveRule {
  const m = /^([^:\s]+):(\d+):(.+)$/.exec(value.trim());
  const address = m?.[3]?.replace(/^\[(.*)\]$/, '$1');
  if (!m || !address || !HOSTNAME.test(m[1]!) || isIP(address) === 0) {
    invalid(msg('Skriv VÄRD:PORT:ADRESS, till exempel test.siths.se:443:127.0.0.1', 'Write HOST:PORT:ADDRESS, for example test.siths.se:443:127.0.0.1'), lang);
  }
  return { host: m[1]!.toLowerCase(), port: parsePort(m[2]!, lang), address };
}

function parseDays(value: string, lang: Lang): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 3650) invalid(msg('Ange ett antal dagar mellan 0 och 3650.', 'Give a number of days from 0 to 3650.'), lang);
  return n;
}

function collect<T>(parse: (value: string) => T) {
  return (value: string, previous: T[] | undefined): T[] => [...(previous ?? []), parse(value)];
}

/**
 * The option groups, each shown under its own heading in --help. A command
 * takes only the groups it uses (`explain` only `report`); `check` and the
 * program itself take them all.
 */
export type OptionGroup = 'report' | 'run' | 'card' | 'network';
export const ALL_OPTION_GROUPS: readonly OptionGroup[] = ['report', 'run', 'card', 'network'];

/** Options commands take, grouped in --help. The checks' own options are here too, since `check` runs them all. */
export function addCommonOptions(cmd: Command, lang: Lang, groups: readonly OptionGroup[] = ALL_OPTION_GROUPS): Command {
  if (groups.includes('report')) addReportOptions(cmd, lang);
  if (groups.includes('run')) addRunOptions(cmd, lang);
  if (groups.includes('card')) addCardOptions(cmd, lang);
  if (groups.includes('network')) addNetworkOptions(cmd, lang);
  return cmd;
}

/** The heading of the run options, where `check` puts --skip too. */
export function runGroupTitle(lang: Lang): string {
  return pick(msg('Körning:', 'Run:'), lang);
}

function addReportOptions(cmd: Command, lang: Lang): void {
  const t = (sv: string, en: string): string => pick(msg(sv, en), lang);
  cmd
    .optionsGroup(t('Rapport:', 'Report:'))
    .addOption(
      new Option('--format <format>', t('rapportformat', 'report format'))
        .choices([...FORMATS])
        // Our parser after choices(): the choices stay for --help, the error is ours.
        .argParser((value: string) => {
          if (!(FORMATS as readonly string[]).includes(value)) invalid(msg(`Välj en av: ${FORMATS.join(', ')}.`, `Choose one of: ${FORMATS.join(', ')}.`), lang);
          return value as Format;
        })
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
        '--show-personal-data',
        t('visa namn, personnummer, HSA-id och kortnummer (dolda som standard)', 'show names, personal numbers, HSA-ids and card numbers (hidden by default)'),
      ),
    )
    .addOption(new Option('--no-color', t('ingen färg i textrapporten', 'no colour in the text report')))
    .addOption(new Option('--verbose', t('visa underlag och detaljer för varje kontroll', 'show evidence and details for every check')));
}

function addRunOptions(cmd: Command, lang: Lang): void {
  const t = (sv: string, en: string): string => pick(msg(sv, en), lang);
  cmd
    .optionsGroup(runGroupTitle(lang))
    .addOption(
      new Option(
        '--timeout <ms>',
        t('tidsgräns per nätverks- eller kortoperation, i millisekunder', 'time limit per network or card operation, in milliseconds'),
      )
        .argParser((v: string) => parseTimeout(v, lang))
        .default(DEFAULT_TIMEOUT_MS),
    )
    .addOption(new Option('--offline', t('hoppa över kontroller som behöver nätverket', 'skip the checks that need the network')));
}

function addCardOptions(cmd: Command, lang: Lang): void {
  const t = (sv: string, en: string): string => pick(msg(sv, en), lang);
  cmd
    .optionsGroup(t('Kort och certifikat:', 'Card and certificates:'))
    .addOption(
      new Option(
        '--cert <file>',
        t(
          'granska en certifikatfil i stället för kortets: PEM (.pem, .crt, .cer, en eller flera) eller DER (.der, .cer); aldrig .pfx/.p12 eller privata nycklar; kan upprepas',
          "analyse a certificate file instead of the card's: PEM (.pem, .crt, .cer, one or more) or DER (.der, .cer); never .pfx/.p12 or private keys; may repeat",
        ),
      ).argParser(collect((v) => v)),
    )
    .addOption(
      new Option('--expiry-warn-days <days>', t('varna när inloggningscertifikatet går ut inom så många dagar', 'warn when the login certificate expires within this many days'))
        .argParser((v: string) => parseDays(v, lang))
        .default(DEFAULT_EXPIRY_WARN_DAYS),
    )
    .addOption(new Option('--pkcs11-module <path>', t('PKCS#11-biblioteket att använda i stället för att leta efter Net iD:s', "the PKCS#11 library to use instead of searching for Net iD's")));
}

function addNetworkOptions(cmd: Command, lang: Lang): void {
  const t = (sv: string, en: string): string => pick(msg(sv, en), lang);
  cmd
    .optionsGroup(t('Nätverk:', 'Network:'))
    .addOption(
      new Option('--proxy <url>', t('använd den här proxyn (http://[användare:lösen@]värd:port)', 'use this proxy (http://[user:password@]host:port)')).argParser((v: string) =>
        parseUrl(v, '--proxy', ['http:', 'https:'], lang),
      ),
    )
    .addOption(new Option('--no-proxy', t('gå direkt, utan proxy, oavsett inställningar', 'connect directly, without a proxy, whatever the settings')))
    .addOption(new Option('--pac <url|file>', t('proxyskript (PAC) att utvärdera, adress eller fil', 'proxy auto-config (PAC) script to evaluate, URL or file')))
    .addOption(
      new Option('--resolve <host:port:address>', t('anslut till ADRESS för VÄRD:PORT, som curl; kan upprepas', 'connect to ADDRESS for HOST:PORT, like curl; may repeat')).argParser(
        collect((v) => parseResolve(v, lang)),
      ),
    )
    .addOption(
      new Option('--ca-file <file>', t('fler rotcertifikat att lita på (PEM), utöver Nodes inbyggda; kan upprepas', "more root certificates to trust (PEM), besides Node's bundled ones; may repeat")).argParser(
        collect((v) => v),
      ),
    )
    .addOption(
      new Option('--test-url <url>', t('SITHS testsida', 'the SITHS test page'))
        .argParser((v: string) => parseUrl(v, '--test-url', ['https:', 'http:'], lang))
        .default(DEFAULT_TEST_URL),
    )
    .addOption(
      new Option(
        '--idp-host <host[:port]>',
        t(
          `inloggningstjänstens (IdP) värd att granska; kan upprepas (standard: ${DEFAULT_IDP_HOSTS.join(', ')})`,
          `identity provider host to examine; may repeat (default: ${DEFAULT_IDP_HOSTS.join(', ')})`,
        ),
      ).argParser(collect((v) => parseHostPort(v, lang))),
    );
}

/** Commander's parsed values, merged from the program and the subcommand, as DoctorOptions. */
export function toDoctorOptions(raw: Record<string, unknown>, lang: Lang): DoctorOptions {
  return defaultOptions({
    lang: (raw.lang as Lang | undefined) ?? lang,
    format: (raw.format as Format | undefined) ?? 'text',
    // `-o -` is the screen, as for most tools; `-o ''` stays empty and is refused before the run.
    output: raw.output === '-' ? undefined : (raw.output as string | undefined),
    timeoutMs: (raw.timeout as number | undefined) ?? DEFAULT_TIMEOUT_MS,
    offline: raw.offline === true,
    showPersonalData: raw.showPersonalData === true,
    color: raw.color !== false,
    verbose: raw.verbose === true,
    certFiles: (raw.cert as string[] | undefined) ?? [],
    expiryWarnDays: (raw.expiryWarnDays as number | undefined) ?? DEFAULT_EXPIRY_WARN_DAYS,
    pkcs11Module: raw.pkcs11Module as string | undefined,
    // commander folds --proxy URL and --no-proxy into one value: a string, or false.
    proxy: typeof raw.proxy === 'string' ? raw.proxy : undefined,
    noProxy: raw.proxy === false,
    pac: raw.pac as string | undefined,
    resolve: (raw.resolve as ResolveRule[] | undefined) ?? [],
    caFiles: (raw.caFile as string[] | undefined) ?? [],
    testUrl: (raw.testUrl as string | undefined) ?? DEFAULT_TEST_URL,
    ...(raw.idpHost ? { idpHosts: raw.idpHost as HostPort[] } : {}),
  });
}

/** Commands that cannot produce every report format refuse the others by name (exit code 2) instead of printing something else. */
export function requireFormat(options: { readonly format: Format }, supported: readonly Format[], command: string): void {
  if (supported.includes(options.format)) return;
  const list = supported.join(', ');
  throw new UsageError(
    msg(
      `--format ${options.format} går inte med ${command}; välj en av: ${list}.`,
      `--format ${options.format} does not go with ${command}; choose one of: ${list}.`,
    ),
  );
}
