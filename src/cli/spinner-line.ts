import { pick, type Lang, type Localized } from '../i18n/index.js';
import { WORDS } from '../report/words.js';

/** After this long a check's spinner line says what it waits for (like flutter doctor's slowWarning). */
export const SLOW_CHECK_MS = 3000;

/** A check the spinner shows as running: its title, what it waits for, and when it started (monotonic ms). */
export interface RunningCheck {
  readonly title: Localized;
  readonly waitingFor?: Localized;
  readonly startedMs: number;
}

/**
 * The spinner's text: the checks running, and once one of them has run for
 * SLOW_CHECK_MS, what the longest-running of those waits for, so a caller on
 * the phone can read out "waiting for the card to answer…".
 */
export function spinnerLine(running: readonly RunningCheck[], nowMs: number, lang: Lang): string {
  const line = `${pick(WORDS.checking, lang)}: ${running.map((r) => pick(r.title, lang)).join(', ')}`;
  const slow = running
    .filter((r) => r.waitingFor !== undefined && nowMs - r.startedMs >= SLOW_CHECK_MS)
    .reduce<RunningCheck | undefined>((oldest, r) => (oldest && oldest.startedMs <= r.startedMs ? oldest : r), undefined);
  return slow?.waitingFor ? `${line} — ${pick(slow.waitingFor, lang)}` : line;
}
