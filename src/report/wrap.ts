import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/** Columns a string takes on a terminal: ANSI colours count zero, wide characters two. */
export function columns(text: string): number {
  return stringWidth(text);
}

/**
 * Wrap at word boundaries to `width` columns, the first line after `first`
 * and every continuation line indented by `indent` spaces, so a paragraph
 * stays under its own start. No width (not a terminal): one line. A word
 * longer than a line (a URL, a path) is left whole rather than broken.
 */
export function hanging(first: string, text: string, indent: number, width: number | undefined): string[] {
  if (width === undefined) return [first + text];
  const firstWidth = columns(first);
  // Too narrow to keep the text beside its label: start it on its own line.
  if (width - firstWidth < 20 && first.trim() !== '') return [first.trimEnd(), ...hanging(' '.repeat(indent), text, indent, width)];
  const room = Math.max(20, width - Math.max(firstWidth, indent));
  const wrapped = wrapAnsi(text, room, { hard: false, trim: true, wordWrap: true }).split('\n');
  return wrapped.map((line, i) => (i === 0 ? first : ' '.repeat(indent)) + line);
}
