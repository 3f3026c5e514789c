import type { CardApplet } from './vpcd-card.js';

/** A file of an emulated card: a dedicated file (folder, maybe an application with an AID) or a transparent elementary file. */
export type CardFile = DedicatedFile | ElementaryFile;

export interface DedicatedFile {
  readonly kind: 'DF';
  readonly fid: number;
  readonly aid?: Buffer;
  readonly children: CardFile[];
}

export interface ElementaryFile {
  readonly kind: 'EF';
  readonly fid: number;
  data: Buffer;
  /** Record-structured files cannot be read with READ BINARY. */
  readonly structure?: 'transparent' | 'record';
}

export const df = (fid: number, children: CardFile[], aid?: Buffer): DedicatedFile => ({ kind: 'DF', fid, children, ...(aid ? { aid } : {}) });
export const ef = (fid: number, data: Buffer, structure?: 'transparent' | 'record'): ElementaryFile => ({ kind: 'EF', fid, data, ...(structure ? { structure } : {}) });

export interface Iso7816Options {
  /** Like a T=0 card: hand out response data only through 61xx and GET RESPONSE. */
  readonly getResponseStyle?: boolean;
  /** Answer a READ BINARY that asks for more than is left with 6Cxx (the right Le) instead of the rest and 6282. */
  readonly exactLe?: boolean;
  /** Leave the file size (tag 80) out of the FCI. */
  readonly omitFileSize?: boolean;
  /** Report this size in the FCI instead of the real one (a lying card). */
  readonly fakeFileSize?: number;
}

const SW = {
  OK: 0x9000,
  END_OF_FILE: 0x6282,
  WRONG_LENGTH: 0x6700,
  INCOMPATIBLE_FILE: 0x6981,
  NO_CURRENT_EF: 0x6986,
  CONDITIONS: 0x6985,
  NOT_FOUND: 0x6a82,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  WRONG_P1P2: 0x6a86,
  DATA_NOT_FOUND: 0x6a88,
  OFFSET_OUTSIDE: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

interface Command {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Buffer;
  /** Expected response length; 256 for Le = 00; undefined when absent. */
  readonly le?: number;
}

/** Short APDUs only (what the tools under test send). */
function parseCommand(apdu: Buffer): Command | undefined {
  if (apdu.length < 4) return undefined;
  const [cla, ins, p1, p2] = [apdu[0]!, apdu[1]!, apdu[2]!, apdu[3]!];
  if (apdu.length === 4) return { cla, ins, p1, p2, data: Buffer.alloc(0) };
  if (apdu.length === 5) return { cla, ins, p1, p2, data: Buffer.alloc(0), le: apdu[4] || 256 };
  const lc = apdu[4]!;
  if (lc === 0) return undefined; // extended length
  if (apdu.length === 5 + lc) return { cla, ins, p1, p2, data: apdu.subarray(5, 5 + lc) };
  if (apdu.length === 6 + lc) return { cla, ins, p1, p2, data: apdu.subarray(5, 5 + lc), le: apdu[5 + lc] || 256 };
  return undefined;
}

const sw = (code: number, data: Buffer = Buffer.alloc(0)): Buffer => Buffer.concat([data, Buffer.from([code >> 8, code & 0xff])]);

function tlv(tag: number, value: Buffer): Buffer {
  if (value.length > 255) throw new Error('FCI value too long');
  return Buffer.concat([Buffer.from(value.length > 127 ? [tag, 0x81, value.length] : [tag, value.length]), value]);
}

/**
 * An ISO/IEC 7816-4 card with a file system: SELECT (by file id, path, AID;
 * FCI, FCP or nothing back), READ BINARY with offsets, GET RESPONSE. Every
 * other instruction, VERIFY and the writing ones included, is refused with 6D00.
 */
export class Iso7816Card implements CardApplet {
  private currentDf: DedicatedFile;
  private currentEf: ElementaryFile | undefined;
  private pending: Buffer | undefined;

  constructor(
    readonly mf: DedicatedFile,
    readonly options: Iso7816Options = {},
  ) {
    this.currentDf = mf;
  }

  reset(): void {
    this.currentDf = this.mf;
    this.currentEf = undefined;
    this.pending = undefined;
  }

  process(apdu: Buffer): Buffer {
    const command = parseCommand(apdu);
    if (!command) return sw(SW.WRONG_LENGTH);
    if (command.ins !== 0xc0) this.pending = undefined;
    if (command.cla !== 0x00) return sw(SW.CLA_NOT_SUPPORTED);
    switch (command.ins) {
      case 0xa4:
        return this.select(command);
      case 0xb0:
        return this.readBinary(command);
      case 0xc0:
        return this.getResponse(command);
      case 0xca:
        return sw(SW.DATA_NOT_FOUND);
      default:
        return sw(SW.INS_NOT_SUPPORTED);
    }
  }

  private respond(data: Buffer): Buffer {
    if (data.length === 0) return sw(SW.OK);
    if (this.options.getResponseStyle) {
      this.pending = data;
      return sw(0x6100 | Math.min(data.length, 256) % 256);
    }
    return sw(SW.OK, data);
  }

  private getResponse(command: Command): Buffer {
    const pending = this.pending;
    if (!pending) return sw(SW.CONDITIONS);
    const le = command.le ?? 256;
    const chunk = pending.subarray(0, le);
    const rest = pending.subarray(chunk.length);
    this.pending = rest.length > 0 ? rest : undefined;
    return rest.length > 0 ? sw(0x6100 | Math.min(rest.length, 256) % 256, chunk) : sw(SW.OK, chunk);
  }

  private select(command: Command): Buffer {
    const { p1, p2, data } = command;
    if (p2 !== 0x00 && p2 !== 0x04 && p2 !== 0x0c) return sw(SW.WRONG_P1P2);
    let found: { file: CardFile; parent: DedicatedFile | undefined } | undefined;
    switch (p1) {
      case 0x00:
        if (data.length !== 0 && data.length !== 2) return sw(SW.WRONG_LENGTH);
        found = data.length === 0 || data.readUInt16BE(0) === 0x3f00 ? { file: this.mf, parent: undefined } : this.byFid(data.readUInt16BE(0));
        break;
      case 0x01:
      case 0x02: {
        if (data.length !== 2) return sw(SW.WRONG_LENGTH);
        const child = this.currentDf.children.find((c) => c.fid === data.readUInt16BE(0) && c.kind === (p1 === 0x01 ? 'DF' : 'EF'));
        found = child && { file: child, parent: this.currentDf };
        break;
      }
      case 0x04:
        found = this.byAid(this.mf, undefined, data);
        break;
      case 0x08:
      case 0x09:
        if (data.length === 0 || data.length % 2 !== 0) return sw(SW.WRONG_LENGTH);
        found = this.byPath(p1 === 0x08 ? this.mf : this.currentDf, data);
        break;
      default:
        return sw(SW.WRONG_P1P2);
    }
    if (!found) return sw(SW.NOT_FOUND);
    if (found.file.kind === 'DF') {
      this.currentDf = found.file;
      this.currentEf = undefined;
    } else {
      this.currentDf = found.parent ?? this.mf;
      this.currentEf = found.file;
    }
    if (p2 === 0x0c) return sw(SW.OK);
    return this.respond(this.fci(found.file, p2 === 0x04 ? 0x62 : 0x6f));
  }

  private fci(file: CardFile, tag: number): Buffer {
    const parts: Buffer[] = [];
    if (file.kind === 'EF' && !this.options.omitFileSize) {
      const size = this.options.fakeFileSize ?? file.data.length;
      parts.push(tlv(0x80, size > 0xffff ? Buffer.from([size >>> 24, (size >>> 16) & 0xff, (size >>> 8) & 0xff, size & 0xff]) : Buffer.from([size >> 8, size & 0xff])));
    }
    parts.push(tlv(0x82, Buffer.from([file.kind === 'DF' ? 0x38 : file.structure === 'record' ? 0x02 : 0x01])));
    parts.push(tlv(0x83, Buffer.from([file.fid >> 8, file.fid & 0xff])));
    if (file.kind === 'DF' && file.aid) parts.push(tlv(0x84, file.aid));
    return tlv(tag, Buffer.concat(parts));
  }

  /** SELECT by file id looks among the current DF's children, then at the current DF's parent and its children. */
  private byFid(fid: number): { file: CardFile; parent: DedicatedFile | undefined } | undefined {
    const child = this.currentDf.children.find((c) => c.fid === fid);
    if (child) return { file: child, parent: this.currentDf };
    if (this.currentDf.fid === fid) return { file: this.currentDf, parent: this.parentOf(this.currentDf) };
    const parent = this.parentOf(this.currentDf);
    if (parent?.fid === fid) return { file: parent, parent: this.parentOf(parent) };
    const sibling = parent?.children.find((c) => c.fid === fid);
    return sibling ? { file: sibling, parent } : undefined;
  }

  private byAid(dir: DedicatedFile, parent: DedicatedFile | undefined, aid: Buffer): { file: CardFile; parent: DedicatedFile | undefined } | undefined {
    if (dir.aid?.equals(aid)) return { file: dir, parent };
    for (const child of dir.children) {
      if (child.kind !== 'DF') continue;
      const hit = this.byAid(child, dir, aid);
      if (hit) return hit;
    }
    return undefined;
  }

  private byPath(start: DedicatedFile, path: Buffer): { file: CardFile; parent: DedicatedFile | undefined } | undefined {
    let dir = start;
    let parent = this.parentOf(start);
    for (let i = 0; i < path.length; i += 2) {
      const fid = path.readUInt16BE(i);
      const child = dir.children.find((c) => c.fid === fid);
      if (!child) return undefined;
      if (i + 2 === path.length) return { file: child, parent: dir };
      if (child.kind !== 'DF') return undefined;
      parent = dir;
      dir = child;
    }
    return { file: dir, parent };
  }

  private parentOf(target: DedicatedFile): DedicatedFile | undefined {
    const search = (dir: DedicatedFile): DedicatedFile | undefined => {
      for (const child of dir.children) {
        if (child === target) return dir;
        if (child.kind === 'DF') {
          const hit = search(child);
          if (hit) return hit;
        }
      }
      return undefined;
    };
    return target === this.mf ? undefined : search(this.mf);
  }

  private readBinary(command: Command): Buffer {
    if (command.p1 & 0x80) return sw(SW.FUNCTION_NOT_SUPPORTED); // short file identifiers are not emulated
    const file = this.currentEf;
    if (!file) return sw(SW.NO_CURRENT_EF);
    if (file.structure === 'record') return sw(SW.INCOMPATIBLE_FILE);
    if (command.le === undefined) return sw(SW.WRONG_LENGTH);
    const offset = (command.p1 << 8) | command.p2;
    if (offset >= file.data.length) return sw(SW.OFFSET_OUTSIDE);
    const left = file.data.length - offset;
    if (command.le > left) {
      if (this.options.exactLe) return sw(0x6c00 | left % 256);
      return sw(SW.END_OF_FILE, file.data.subarray(offset));
    }
    return sw(SW.OK, file.data.subarray(offset, offset + command.le));
  }
}
