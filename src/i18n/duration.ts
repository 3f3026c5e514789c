import { counted, msg, pick, type Lang, type Localized } from './index.js';

// Always a tenth under a minute: a measured "2,0 s" and a limit "10,0 s" read the same way.
const TENTHS = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
const NUMBER: Record<Lang, Intl.NumberFormat> = {
  sv: new Intl.NumberFormat('sv-SE', TENTHS),
  en: new Intl.NumberFormat('en-GB', TENTHS),
};

/**
 * A duration as a person reads it (and a caller can read aloud): "1,5 s" /
 * "1.5 s" under a minute, to a tenth; then "10 min 3 s", "2 h 5 min",
 * "3 dygn 4 h" / "3 days 4 h". The sign is dropped: the sentence says which way.
 */
export function duration(ms: number, lang: Lang): string {
  const abs = Math.abs(ms);
  if (Math.round(abs / 100) < 600) return `${NUMBER[lang].format(abs / 1000)} s`;
  const total = Math.round(abs / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  if (days > 0) {
    const dayCount = counted(days, { one: 'dygn', other: 'dygn' }, { one: 'day', other: 'days' });
    return `${pick(dayCount, lang)}${hours ? ` ${hours} h` : ''}`;
  }
  if (hours > 0) return `${hours} h${minutes ? ` ${minutes} min` : ''}`;
  return `${minutes} min${secs ? ` ${secs} s` : ''}`;
}

/** `duration` in both languages, for a message built with `msg`. */
export function durationText(ms: number): Localized {
  return msg(duration(ms, 'sv'), duration(ms, 'en'));
}
