import type { FileSystem } from '../system.js';
import { cleanText } from '../x509/facts.js';

/**
 * pcsc-tools' community list of ATRs (Ludovic Rousseau's smartcard_list.txt),
 * where the machine has it: it names thousands of cards our own table does not
 * (bank cards, transport cards, foreign ID cards), so an unknown card can be
 * named ("a Swedbank Visa card") instead of "unknown card".
 *
 * Format: an ATR pattern at the start of a line (hex bytes, "." for any nibble,
 * "[..]" classes, ".*" for any rest), then tab-indented description lines,
 * then a blank line; "#" lines are comments. The file comes from outside the
 * program, so it is read bounded and parsed defensively: anything that is not
 * a pattern of that alphabet is skipped, never compiled.
 */

/** Where packages put it: Debian/Ubuntu, pcsc-tools built from source or Homebrew (Intel, Apple silicon). */
export const SMARTCARD_LIST_PATHS = [
  '/usr/share/pcsc/smartcard_list.txt',
  '/usr/local/share/pcsc/smartcard_list.txt',
  '/opt/homebrew/share/pcsc/smartcard_list.txt',
] as const;

/** The real file is about 0.5 MB; anything past this is not it. */
export const MAX_LIST_BYTES = 4 * 1024 * 1024;
const MAX_PATTERN_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 160;
const PATTERN = /^(?:[0-9A-F.]{2}|\[[0-9A-F,-]{1,20}\][0-9A-F.]|[0-9A-F.]\[[0-9A-F,-]{1,20}\]|\.\*|[0-9A-F.]{2}\.\*)(?: (?:[0-9A-F.]{2}|\[[0-9A-F,-]{1,20}\][0-9A-F.]|[0-9A-F.]\[[0-9A-F,-]{1,20}\]|\.\*|[0-9A-F.]{2}\.\*))*$/;

export interface SmartcardListEntry {
  readonly pattern: string;
  readonly descriptions: readonly string[];
  readonly regex: RegExp;
}

/** Parse the list's text; lines that are not a valid pattern or description are skipped. */
export function parseSmartcardList(text: string): SmartcardListEntry[] {
  const entries: SmartcardListEntry[] = [];
  let current: { pattern: string; regex: RegExp; descriptions: string[] } | undefined;
  const finish = (): void => {
    if (current && current.descriptions.length > 0) entries.push(current);
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#')) continue;
    if (line.trim() === '') {
      finish();
      continue;
    }
    if (/^\s/.test(line)) {
      if (current && current.descriptions.length < 8) {
        const description = cleanText(line.trim());
        if (description) current.descriptions.push(description.length > MAX_DESCRIPTION_LENGTH ? `${description.slice(0, MAX_DESCRIPTION_LENGTH)}…` : description);
      }
      continue;
    }
    finish();
    const pattern = line.trim().toUpperCase();
    if (pattern.length > MAX_PATTERN_LENGTH || !PATTERN.test(pattern)) continue;
    // The alphabet is hex, ".", "[..]" classes and ".*": safe to compile, with "," in a class meaning nothing.
    current = { pattern, regex: new RegExp(`^${pattern.replace(/\[([^\]]*)\]/g, (_m, cls: string) => `[${cls.replace(/,/g, '')}]`)}$`), descriptions: [] };
  }
  finish();
  return entries;
}

/** The descriptions of the first entry matching an ATR ("3B 67 00 …", as formatAtr writes it). */
export function lookUpAtr(entries: readonly SmartcardListEntry[], atr: string): SmartcardListEntry | undefined {
  const text = atr.toUpperCase();
  return entries.find((e) => e.regex.test(text));
}

/**
 * Read the list from the first place it is, through the probe's file system.
 * Undefined when there is none, it is too large, or it cannot be read: the
 * list only adds a name, so its absence is never an error.
 */
export async function loadSmartcardList(fs: FileSystem, paths: readonly string[] = SMARTCARD_LIST_PATHS): Promise<SmartcardListEntry[] | undefined> {
  for (const path of paths) {
    try {
      const stat = await fs.stat(path);
      if (!stat?.isFile || stat.size > MAX_LIST_BYTES) continue;
      const bytes = await fs.readFile(path);
      if (bytes.length > MAX_LIST_BYTES) continue;
      return parseSmartcardList(bytes.toString('utf8'));
    } catch {
      continue;
    }
  }
  return undefined;
}
