/**
 * `certutil -user -store My`, parsed by structure. certutil localises its
 * labels (English "Serial Number:", "Issuer:"; Swedish "Serienummer:",
 * "Utfärdare:") and writes them in the console code page, so nothing here
 * matches a label. What keeps its shape in every language:
 * - a certificate starts at a line of '=' around a word and its index
 *   ("================ Certificate 0 ================");
 * - its first "label: value" line is the serial number (hex), the second the
 *   issuer (a DN: it holds "CN=");
 * - the validity dates are the lines indented by one space, NotBefore then
 *   NotAfter, in the locale's date format (1/15/2030 9:12 AM, 2030-01-15 09:12);
 * - the SHA-1 hash is the line ending in 40 hex digits (with or without spaces);
 * - the key's details are "  name = value" lines; the one whose value names a
 *   provider ("... Provider") says where the private key is.
 */

export interface StoreCertificate {
  readonly index: number;
  /** Lower-case hex without separators or leading zeros. */
  readonly serial: string;
  readonly issuer: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly sha1?: string;
  /** The key storage provider or CSP named for the private key; absent when the store holds no key for it. */
  readonly provider?: string;
}

const MAX_CERTIFICATES = 200;
const SEPARATOR = /^=+ \S.*?(\d+) =+$/;
const LABELLED = /^(\S[^:=]*?):\s*(.*)$/;
const DATE_LINE = /^ \S[^:]*:\s*(.+)$/;
const KEY_LINE = /^ {2}\S[^=]*?=\s*(.*)$/;
const SHA1 = /(?:^|[:\s])((?:[0-9a-f]{2} ?){19}[0-9a-f]{2})\s*$/i;

export function parseCertutilStore(output: string): StoreCertificate[] {
  const certificates: StoreCertificate[] = [];
  let current: { index: number; labelled: string[]; dates: Date[]; sha1?: string; provider?: string } | undefined;
  const flush = (): void => {
    if (!current || current.labelled.length < 2) return;
    const [serial, issuer] = current.labelled;
    certificates.push({
      index: current.index,
      serial: normalizeSerial(serial!),
      issuer: issuer!,
      ...(current.dates[0] ? { notBefore: current.dates[0] } : {}),
      ...(current.dates[1] ? { notAfter: current.dates[1] } : {}),
      ...(current.sha1 ? { sha1: current.sha1 } : {}),
      ...(current.provider ? { provider: current.provider } : {}),
    });
  };
  for (const raw of output.split(/\r\n|\r|\n/)) {
    const line = raw.trimEnd();
    const separator = SEPARATOR.exec(line);
    if (separator) {
      flush();
      if (certificates.length >= MAX_CERTIFICATES) return certificates;
      current = { index: Number(separator[1]), labelled: [], dates: [] };
      continue;
    }
    if (!current) continue;
    const sha1 = SHA1.exec(line);
    if (sha1 && current.labelled.length >= 2 && !current.sha1) {
      current.sha1 = sha1[1]!.replace(/ /g, '').toLowerCase();
      continue;
    }
    const date = DATE_LINE.exec(line);
    if (date && current.dates.length < 2) {
      const parsed = parseCertutilDate(date[1]!);
      if (parsed) {
        current.dates.push(parsed);
        continue;
      }
    }
    const key = KEY_LINE.exec(line);
    if (key) {
      if (!current.provider && /provider/i.test(key[1]!)) current.provider = key[1]!.trim();
      continue;
    }
    const labelled = LABELLED.exec(line);
    if (labelled && current.labelled.length < 2) {
      // The serial is hex; the issuer a DN. Anything else before them (a store heading) is not a certificate field.
      if (current.labelled.length === 0 && !/^[0-9a-f ]+$/i.test(labelled[2]!)) continue;
      current.labelled.push(labelled[2]!.trim());
    }
  }
  flush();
  return certificates;
}

/** A key the card holds: a smart card provider (Microsoft's, or SAC's eToken/SafeNet ones). */
export function keyOnCard(provider: string | undefined): boolean {
  return provider !== undefined && /smart\s*card|etoken|safenet/i.test(provider);
}

export function normalizeSerial(serial: string): string {
  return serial.replace(/[^0-9a-f]/gi, '').toLowerCase().replace(/^0+(?=.)/, '');
}

/** "2030-01-15 09:12" (Swedish and ISO locales) or "1/15/2030 9:12 AM" (US English): the day is what matters. */
export function parseCertutilDate(text: string): Date | undefined {
  const iso = /(\d{4})-(\d{1,2})-(\d{1,2})(?:\D+(\d{1,2}):(\d{2}))?/.exec(text);
  if (iso) return utc(+iso[1]!, +iso[2]!, +iso[3]!, +(iso[4] ?? 0), +(iso[5] ?? 0));
  const us = /(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\D+(\d{1,2}):(\d{2})\s*(AM|PM)?)?/i.exec(text);
  if (us) {
    let hour = +(us[4] ?? 0);
    if (us[6]?.toUpperCase() === 'PM' && hour < 12) hour += 12;
    if (us[6]?.toUpperCase() === 'AM' && hour === 12) hour = 0;
    return utc(+us[3]!, +us[1]!, +us[2]!, hour, +(us[5] ?? 0));
  }
  return undefined;
}

function utc(y: number, m: number, d: number, h: number, min: number): Date | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  // certutil prints local time; a day's precision is all the verdicts need.
  return new Date(Date.UTC(y, m - 1, d, h, min));
}
