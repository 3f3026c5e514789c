import { INS, type CommandApdu, type ReadOnlyCard, type ResponseApdu } from './apdu.js';
import { CardReadError, swHex } from './errors.js';
import { readBerTlvs } from '../der.js';

/** READ BINARY addresses 15 bits of offset: no transparent file read this way can be bigger. */
export const MAX_FILE_BYTES = 0x8000;
const MAX_GET_RESPONSE_ROUNDS = 64;

export const SW_OK = 0x9000;
const SW_END_OF_FILE = 0x6282;
const SW_NOT_FOUND = 0x6a82;
const SW_WRONG_P1P2 = 0x6a86;
const SW_FUNCTION_NOT_SUPPORTED = 0x6a81;
const SW_OFFSET_OUTSIDE = 0x6b00;
const SW_INS_NOT_SUPPORTED = 0x6d00;
/** Command not allowed: no current EF (the selection is gone). */
export const SW_NO_CURRENT_EF = 0x6986;

/**
 * One command with the ISO 7816-4 follow-ups: 6Cxx means "ask again with
 * Le = xx", 61xx means "xx more bytes wait, fetch them with GET RESPONSE".
 * The total is bounded.
 */
export async function transceive(card: ReadOnlyCard, command: CommandApdu): Promise<ResponseApdu> {
  let response = await card.send(command);
  if (response.sw >> 8 === 0x6c) response = await card.send({ ...command, le: response.sw & 0xff || 256 });
  if (response.sw >> 8 !== 0x61) return response;
  const parts = [response.data];
  let total = response.data.length;
  for (let round = 0; response.sw >> 8 === 0x61; round++) {
    if (round >= MAX_GET_RESPONSE_ROUNDS || total > MAX_FILE_BYTES) throw new CardReadError('malformed', 'the card keeps announcing more response data (61xx)', card.atr);
    response = await card.send({ ins: INS.GET_RESPONSE, p1: 0, p2: 0, le: response.sw & 0xff || 256 });
    parts.push(response.data);
    total += response.data.length;
  }
  return { data: Buffer.concat(parts), sw: response.sw };
}

/** What the file control information of a selected file says. */
export interface FileInfo {
  /** Number of data bytes, when the card says. */
  readonly size?: number;
  readonly isDf: boolean;
  readonly transparent: boolean;
}

/** Where to find a file. Absolute paths start with 3F00; relative ones are below the current DF. */
export type FileRef =
  | { readonly by: 'aid'; readonly aid: Buffer }
  | { readonly by: 'path'; readonly path: Buffer }
  | { readonly by: 'relative'; readonly path: Buffer };

/**
 * SELECT, asking for the FCI. Resolves undefined when the file is not there
 * (6A82); rejects for any other refusal. Falls back to selecting step by
 * step on cards that do not take a path in one command.
 */
export async function selectFile(card: ReadOnlyCard, ref: FileRef): Promise<FileInfo | undefined> {
  if (ref.by === 'aid') return selectOnce(card, 0x04, ref.aid);
  if (ref.path.length === 0 || ref.path.length % 2 !== 0) throw new CardReadError('malformed', `invalid file path ${ref.path.toString('hex')}`, card.atr);
  if (ref.by === 'path') {
    if (ref.path.readUInt16BE(0) !== 0x3f00) throw new CardReadError('malformed', `not an absolute path: ${ref.path.toString('hex')}`, card.atr);
    if (ref.path.length === 2) return selectOnce(card, 0x00, ref.path);
    try {
      return await selectOnce(card, 0x08, ref.path.subarray(2));
    } catch (err) {
      if (!stepwiseHelps(err)) throw err;
      return selectStepwise(card, ref.path);
    }
  }
  if (ref.path.length === 2) return selectOnce(card, 0x00, ref.path);
  try {
    return await selectOnce(card, 0x09, ref.path);
  } catch (err) {
    if (!stepwiseHelps(err)) throw err;
    return selectStepwise(card, ref.path);
  }
}

/** The card does not select by path (P1 08/09) but may by file id. */
function stepwiseHelps(err: unknown): boolean {
  return err instanceof CardReadError && err.kind === 'card-error' && (err.sw === SW_WRONG_P1P2 || err.sw === SW_FUNCTION_NOT_SUPPORTED || err.sw === SW_INS_NOT_SUPPORTED);
}

async function selectStepwise(card: ReadOnlyCard, path: Buffer): Promise<FileInfo | undefined> {
  let info: FileInfo | undefined;
  for (let i = 0; i < path.length; i += 2) {
    info = await selectOnce(card, 0x00, path.subarray(i, i + 2));
    if (!info) return undefined;
  }
  return info;
}

async function selectOnce(card: ReadOnlyCard, p1: number, data: Buffer): Promise<FileInfo | undefined> {
  let response = await transceive(card, { ins: INS.SELECT, p1, p2: 0x00, data, le: 256 });
  // Some cards will not return an FCI; select without one then.
  if (response.sw === SW_WRONG_P1P2) response = await transceive(card, { ins: INS.SELECT, p1, p2: 0x0c, data });
  if (response.sw === SW_NOT_FOUND) return undefined;
  if (response.sw !== SW_OK) throw new CardReadError('card-error', `SELECT ${data.toString('hex').toUpperCase()} was refused (SW ${swHex(response.sw)})`, card.atr, response.sw);
  return parseFci(response.data);
}

/**
 * The FCI (6F) or FCP (62) template: 80 or 81 hold the size, 82 the file
 * descriptor. Anything unreadable just means "unknown".
 */
export function parseFci(bytes: Buffer): FileInfo {
  const template = readBerTlvs(bytes).find((t) => t.tag === 0x6f || t.tag === 0x62);
  const inner = template ? readBerTlvs(template.value) : [];
  const sizeTag = inner.find((t) => t.tag === 0x80) ?? inner.find((t) => t.tag === 0x81);
  const descriptor = inner.find((t) => t.tag === 0x82)?.value[0];
  const size = sizeTag && sizeTag.value.length >= 1 && sizeTag.value.length <= 4 ? sizeTag.value.readUIntBE(0, sizeTag.value.length) : undefined;
  const isDf = descriptor !== undefined && (descriptor & 0x38) === 0x38;
  // Descriptor bits 3..1: 001 is a transparent EF; without a descriptor assume transparent.
  const transparent = descriptor === undefined || (!isDf && (descriptor & 0x07) === 0x01);
  return { ...(size === undefined ? {} : { size }), isDf, transparent };
}

/**
 * READ BINARY of the selected file, from `offset`, `length` bytes or (without
 * a length) up to the end of the file, in chunks of at most 256 bytes. The end
 * shows as 6282, 6B00 or a short answer. Never more than MAX_FILE_BYTES.
 */
export async function readBinary(card: ReadOnlyCard, range: { offset?: number; length?: number } = {}): Promise<Buffer> {
  const start = range.offset ?? 0;
  const end = range.length === undefined ? undefined : start + range.length;
  if (start < 0 || (end !== undefined && (end < start || end > MAX_FILE_BYTES))) {
    throw new CardReadError('malformed', `cannot read ${range.length ?? '?'} bytes at offset ${start}: beyond what READ BINARY can address`, card.atr);
  }
  const chunks: Buffer[] = [];
  let offset = start;
  for (;;) {
    const want = Math.min(256, (end ?? MAX_FILE_BYTES) - offset);
    if (want <= 0) break;
    const response = await transceive(card, { ins: INS.READ_BINARY, p1: offset >> 8, p2: offset & 0xff, le: want });
    const data = response.data.subarray(0, want);
    if (response.sw === SW_OK || response.sw === SW_END_OF_FILE) {
      chunks.push(data);
      offset += data.length;
      if (response.sw === SW_END_OF_FILE || data.length === 0 || (end === undefined && data.length < want)) break;
      continue;
    }
    // Offset outside the file: the end, when we did not know the size.
    if (response.sw === SW_OFFSET_OUTSIDE && end === undefined) break;
    throw new CardReadError('card-error', `READ BINARY at offset ${offset} was refused (SW ${swHex(response.sw)})`, card.atr, response.sw);
  }
  const data = Buffer.concat(chunks);
  if (end !== undefined && data.length < end - start) {
    throw new CardReadError('malformed', `the file ended after ${data.length} of ${end - start} bytes`, card.atr);
  }
  return data;
}
