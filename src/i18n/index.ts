/** Every text a user reads exists in Swedish and English. */
export type Lang = 'sv' | 'en';

export interface Localized {
  readonly sv: string;
  readonly en: string;
}

/** Build a localized text; Swedish first, since the checklist is Swedish. */
export function msg(sv: string, en: string): Localized {
  return { sv, en };
}

/** The same text in both languages (names, numbers, file paths). */
export function same(text: string): Localized {
  return { sv: text, en: text };
}

const PLURAL_RULES = { sv: new Intl.PluralRules('sv'), en: new Intl.PluralRules('en') };

/** "1 certifikat", "2 certificates": the number with the form its language wants. */
export function plural(n: number, lang: Lang, forms: { readonly one: string; readonly other: string }): string {
  return `${n} ${PLURAL_RULES[lang].select(n) === 'one' ? forms.one : forms.other}`;
}

/** The same in both languages at once, for a probe's summary. */
export function counted(n: number, sv: { readonly one: string; readonly other: string }, en: { readonly one: string; readonly other: string }): Localized {
  return { sv: plural(n, 'sv', sv), en: plural(n, 'en', en) };
}

export function pick(text: Localized, lang: Lang): string {
  return text[lang];
}

/** A table of texts keyed by what each says, every one in one language. */
export type Picked<T extends Readonly<Record<string, Localized>>> = { readonly [K in keyof T]: string };

/** A whole table of `msg` pairs in one language, for a renderer that uses many of them. */
export function pickAll<T extends Readonly<Record<string, Localized>>>(table: T, lang: Lang): Picked<T> {
  return Object.fromEntries(Object.entries(table).map(([key, text]) => [key, text[lang]])) as Picked<T>;
}

/** Join localized parts with a separator, language by language. */
export function joinLocalized(parts: readonly Localized[], sep: string | Localized): Localized {
  const s = typeof sep === 'string' ? same(sep) : sep;
  return { sv: parts.map((p) => p.sv).join(s.sv), en: parts.map((p) => p.en).join(s.en) };
}

/**
 * Language from the environment, the POSIX way: the first non-empty of
 * LC_ALL, LC_MESSAGES, LANG decides. Windows rarely sets these, so fall back to
 * the locale the runtime reports (the Windows display language).
 */
export function langFromEnv(env: Readonly<Record<string, string | undefined>>, runtimeLocale?: string | (() => string | undefined)): Lang {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name];
    if (value && value.trim() !== '') return isSwedishLocale(value) ? 'sv' : 'en';
  }
  // A function is asked only here: the runtime's locale costs a noticeable part of the start-up.
  const locale = typeof runtimeLocale === 'function' ? runtimeLocale() : runtimeLocale;
  if (locale) return isSwedishLocale(locale) ? 'sv' : 'en';
  return 'en';
}

function isSwedishLocale(locale: string): boolean {
  // sv, sv_SE.UTF-8, sv-FI, sv_SE@euro; "C" and "POSIX" are not Swedish.
  return /^sv([_-]|$|\.|@)/i.test(locale.trim());
}

export function parseLang(value: string): Lang | undefined {
  const v = value.trim().toLowerCase();
  return v === 'sv' || v === 'en' ? v : undefined;
}
