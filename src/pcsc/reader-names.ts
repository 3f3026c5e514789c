/**
 * Windows lists readers that are not card readers at all: Windows Hello for
 * Business keys, the SIM ("UICC") of a built-in mobile modem, and TPM-backed
 * virtual smart cards. They are shown, but a SITHS card can never go in them.
 */
const VIRTUAL_READERS: readonly RegExp[] = [/^Windows Hello for Business\b/i, /^Microsoft UICC ISO Reader\b/i, /^Microsoft Virtual Smart Card\b/i, /^Microsoft IFD\b/i];

export type ReaderKind = 'card-reader' | 'virtual';

export function readerKind(name: string): ReaderKind {
  const trimmed = name.trim();
  return VIRTUAL_READERS.some((pattern) => pattern.test(trimmed)) ? 'virtual' : 'card-reader';
}

const MAX_SHOWN_NAME = 120;

/**
 * A reader name fit for one line of a report: control characters (and the
 * private-use characters src/personal.ts marks personal data with) shown as
 * escapes, since a name can hold anything its driver puts there; long names cut.
 */
export function displayReaderName(name: string): string {
  const escaped = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\uE000-\uE002]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const chars = [...escaped];
  return chars.length > MAX_SHOWN_NAME ? `${chars.slice(0, MAX_SHOWN_NAME - 1).join('')}…` : escaped;
}
