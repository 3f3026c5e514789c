/**
 * A small XML property-list reader, enough for an app bundle's Info.plist.
 * Written here rather than taken from npm: the usual package pulls in a full
 * XML DOM for what is a dozen tags, and this one is bounded (size, depth,
 * item count), never expands entities beyond the five predefined ones and
 * numeric references, and refuses a DOCTYPE with an internal subset.
 * Binary plists ("bplist00") are not parsed here; the caller converts them.
 */

export type PlistValue = string | number | boolean | readonly PlistValue[] | PlistDict;
export interface PlistDict {
  readonly [key: string]: PlistValue;
}

export class PlistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlistError';
  }
}

export const MAX_PLIST_BYTES = 1024 * 1024;
const MAX_DEPTH = 32;
const MAX_ITEMS = 20_000;

export function isBinaryPlist(bytes: Buffer): boolean {
  return bytes.subarray(0, 6).toString('latin1') === 'bplist';
}

export function parseXmlPlist(input: string | Buffer): PlistValue {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  if (text.length > MAX_PLIST_BYTES) throw new PlistError(`larger than ${MAX_PLIST_BYTES} bytes`);
  return new Reader(text.replace(/^\uFEFF/, '')).document();
}

class Reader {
  private pos = 0;
  private items = 0;
  constructor(private readonly text: string) {}

  document(): PlistValue {
    this.skipMisc();
    const open = this.tag();
    if (open.name !== 'plist' || open.closing) throw this.error('expected <plist>');
    const value = open.selfClosing ? undefined : this.value(0);
    this.skipMisc();
    if (!open.selfClosing) this.expectClose('plist');
    this.skipMisc();
    if (this.pos < this.text.length) throw this.error('text after </plist>');
    if (value === undefined) throw this.error('empty <plist>');
    return value;
  }

  private value(depth: number): PlistValue {
    if (depth > MAX_DEPTH) throw this.error('nested too deeply');
    if (++this.items > MAX_ITEMS) throw this.error('too many items');
    this.skipMisc();
    const tag = this.tag();
    if (tag.closing) throw this.error(`unexpected </${tag.name}>`);
    switch (tag.name) {
      case 'dict':
        return tag.selfClosing ? {} : this.dict(depth);
      case 'array':
        return tag.selfClosing ? [] : this.array(depth);
      case 'true':
      case 'false':
        if (!tag.selfClosing) {
          this.skipMisc();
          this.expectClose(tag.name);
        }
        return tag.name === 'true';
      case 'string':
      case 'date':
      case 'data':
        return tag.selfClosing ? '' : this.textUntil(tag.name);
      case 'integer':
      case 'real': {
        const raw = tag.selfClosing ? '' : this.textUntil(tag.name).trim();
        const n = Number(raw);
        if (raw === '' || !Number.isFinite(n)) throw this.error(`<${tag.name}> is not a number`);
        return n;
      }
      default:
        throw this.error(`unknown element <${tag.name}>`);
    }
  }

  private dict(depth: number): PlistDict {
    const out: Record<string, PlistValue> = Object.create(null) as Record<string, PlistValue>;
    for (;;) {
      this.skipMisc();
      const tag = this.tag();
      if (tag.closing && tag.name === 'dict') return out;
      if (tag.name !== 'key' || tag.closing) throw this.error('expected <key> in <dict>');
      const key = tag.selfClosing ? '' : this.textUntil('key');
      out[key] = this.value(depth + 1);
    }
  }

  private array(depth: number): PlistValue[] {
    const out: PlistValue[] = [];
    for (;;) {
      this.skipMisc();
      if (this.text.startsWith('</array', this.pos)) {
        this.expectClose('array');
        return out;
      }
      out.push(this.value(depth + 1));
    }
  }

  /** Character data up to </name>, with entities and CDATA sections decoded. */
  private textUntil(name: string): string {
    let out = '';
    for (;;) {
      const lt = this.text.indexOf('<', this.pos);
      if (lt < 0) throw this.error(`unterminated <${name}>`);
      out += decodeEntities(this.text.slice(this.pos, lt), () => this.error('bad character reference'));
      this.pos = lt;
      if (this.text.startsWith('<![CDATA[', lt)) {
        const end = this.text.indexOf(']]>', lt);
        if (end < 0) throw this.error('unterminated CDATA');
        out += this.text.slice(lt + 9, end);
        this.pos = end + 3;
        continue;
      }
      this.expectClose(name);
      return out;
    }
  }

  private expectClose(name: string): void {
    const tag = this.tag();
    if (!tag.closing || tag.name !== name) throw this.error(`expected </${name}>`);
  }

  private tag(): { name: string; closing: boolean; selfClosing: boolean } {
    const m = /^<(\/?)([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*?)?(\/?)>/.exec(this.text.slice(this.pos, this.pos + 512));
    if (!m) throw this.error('expected a tag');
    this.pos += m[0].length;
    return { name: m[2]!, closing: m[1] === '/', selfClosing: m[3] === '/' };
  }

  /** Whitespace, the XML declaration, comments and a DOCTYPE without an internal subset. */
  private skipMisc(): void {
    for (;;) {
      while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
      const rest = (prefix: string): boolean => this.text.startsWith(prefix, this.pos);
      const skipTo = (end: string, what: string): void => {
        const i = this.text.indexOf(end, this.pos);
        if (i < 0) throw this.error(`unterminated ${what}`);
        this.pos = i + end.length;
      };
      if (rest('<?')) skipTo('?>', 'declaration');
      else if (rest('<!--')) skipTo('-->', 'comment');
      else if (rest('<!DOCTYPE')) {
        const end = this.text.indexOf('>', this.pos);
        if (end < 0) throw this.error('unterminated DOCTYPE');
        if (this.text.slice(this.pos, end).includes('[')) throw this.error('DOCTYPE with an internal subset');
        this.pos = end + 1;
      } else return;
    }
  }

  private error(what: string): PlistError {
    const line = this.text.slice(0, this.pos).split('\n').length;
    return new PlistError(`${what} (line ${line})`);
  }
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string, bad: () => Error): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]+);/g, (_all, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw bad();
      return String.fromCodePoint(code);
    }
    const named = NAMED[ref];
    if (named === undefined) throw bad();
    return named;
  });
}

/** A string entry of a top-level dict, trimmed; undefined when absent or not a string. */
export function plistString(root: PlistValue, key: string): string | undefined {
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return undefined;
  const value = (root as PlistDict)[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
