import { loadKoffi, type KoffiModule } from '../native/koffi.js';

/**
 * The read-only part of a PKCS#11 library, called through koffi: the
 * library's C_GetFunctionList, then only the functions netid-token needs.
 * There is deliberately no C_Login, no PIN and nothing that writes.
 *
 * ABI (pkcs11.h): CK_ULONG is `unsigned long` (8 bytes on 64-bit Linux and
 * macOS, 4 on Windows), and on Windows every structure is packed to 1 byte
 * (#pragma pack(push, cryptoki, 1)), CK_FUNCTION_LIST included.
 */

export type Handle = number | bigint;

export interface Version {
  readonly major: number;
  readonly minor: number;
}

export class CryptokiError extends Error {
  constructor(
    readonly fn: string,
    readonly code: number,
  ) {
    // The stage (the function) is named by whoever reports it.
    super(CKR_NAMES.get(code) ?? `CKR 0x${code.toString(16).toUpperCase().padStart(8, '0')}`);
  }
}

const CKR_NAMES = new Map<number, string>([
  [0x0, 'CKR_OK'],
  [0x5, 'CKR_GENERAL_ERROR'],
  [0x6, 'CKR_FUNCTION_FAILED'],
  [0x7, 'CKR_ARGUMENTS_BAD'],
  [0x30, 'CKR_DEVICE_ERROR'],
  [0x32, 'CKR_DEVICE_REMOVED'],
  [0x54, 'CKR_FUNCTION_NOT_SUPPORTED'],
  [0xe0, 'CKR_TOKEN_NOT_PRESENT'],
  [0xe1, 'CKR_TOKEN_NOT_RECOGNIZED'],
  [0x150, 'CKR_BUFFER_TOO_SMALL'],
  [0x190, 'CKR_CRYPTOKI_NOT_INITIALIZED'],
  [0x191, 'CKR_CRYPTOKI_ALREADY_INITIALIZED'],
]);

/** Slots in CK_FUNCTION_LIST, after its CK_VERSION (PKCS#11 2.x order, unchanged in 3.x). */
const SLOT = {
  C_Initialize: 0,
  C_Finalize: 1,
  C_GetInfo: 2,
  C_GetSlotList: 4,
  C_GetSlotInfo: 5,
  C_GetTokenInfo: 6,
  C_OpenSession: 12,
  C_CloseSession: 13,
  C_GetAttributeValue: 24,
  C_FindObjectsInit: 26,
  C_FindObjects: 27,
  C_FindObjectsFinal: 28,
} as const;
type Fn = keyof typeof SLOT;

const CKF_SERIAL_SESSION = 0x4;
const CKA_CLASS = 0x0;
const CKO_CERTIFICATE = 0x1;
const CK_UNAVAILABLE_INFORMATION_32 = 0xffffffff;

interface Layout {
  /** sizeof(CK_ULONG) */
  readonly ulong: 4 | 8;
  /** Structures packed to 1 byte (Windows). */
  readonly packed: boolean;
}

export function platformLayout(platform: NodeJS.Platform = process.platform): Layout {
  return platform === 'win32' ? { ulong: 4, packed: true } : { ulong: 8, packed: false };
}

export class Cryptoki {
  private readonly fn: Record<Fn, (...args: unknown[]) => number | bigint>;
  private readonly koffi: KoffiModule;

  /** Loads koffi, the library and its function list; throws (with the loader's words) when the file is not a PKCS#11 library for this machine. */
  constructor(
    path: string,
    private readonly layout: Layout = platformLayout(),
  ) {
    this.koffi = loadKoffi();
    const ulong = layout.ulong === 8 ? 'unsigned long' : 'uint32';
    const lib = this.koffi.load(path);
    let getFunctionList;
    try {
      getFunctionList = lib.func('C_GetFunctionList', ulong, [this.koffi.out(this.koffi.pointer('void *'))]);
    } catch {
      throw new Error(`${path}: undefined symbol: C_GetFunctionList`);
    }
    const out: unknown[] = [null];
    const rv = Number(getFunctionList(out));
    if (rv !== 0) throw new CryptokiError('C_GetFunctionList', rv);
    const list = out[0];
    if (!list) throw new Error('C_GetFunctionList gave no function list');
    // CK_VERSION (2 bytes), then the pointers: at offset 2 when packed, else aligned to 8.
    const first = layout.packed ? 2 : 8;
    const p = 'void *';
    const protos: Record<Fn, string[]> = {
      C_Initialize: [p],
      C_Finalize: [p],
      C_GetInfo: [p],
      C_GetSlotList: ['uint8', p, p],
      C_GetSlotInfo: [ulong, p],
      C_GetTokenInfo: [ulong, p],
      C_OpenSession: [ulong, ulong, p, p, p],
      C_CloseSession: [ulong],
      C_GetAttributeValue: [ulong, ulong, p, ulong],
      C_FindObjectsInit: [ulong, p, ulong],
      C_FindObjects: [ulong, p, ulong, p],
      C_FindObjectsFinal: [ulong],
    };
    const fn = {} as Record<Fn, (...args: unknown[]) => number | bigint>;
    for (const name of Object.keys(SLOT) as Fn[]) {
      const pointer = this.koffi.decode(list, first + SLOT[name] * 8, 'void *');
      if (!pointer) throw new Error(`the function list has no ${name}`);
      const proto = this.koffi.proto(`${name}_${layout.ulong}`, ulong, protos[name]);
      fn[name] = this.koffi.decode(pointer, proto) as (...args: unknown[]) => number | bigint;
    }
    this.fn = fn;
  }

  private check(name: Fn, ...args: unknown[]): void {
    const rv = Number(this.fn[name](...args));
    if (rv !== 0) throw new CryptokiError(name, rv);
  }

  private ulongBuf(count = 1): Buffer {
    return Buffer.alloc(this.layout.ulong * count);
  }

  private readUlong(buf: Buffer, offset = 0): number {
    return this.layout.ulong === 8 ? Number(buf.readBigUInt64LE(offset) & 0xffffffffffffn) : buf.readUInt32LE(offset);
  }

  private readHandle(buf: Buffer, offset = 0): Handle {
    return this.layout.ulong === 8 ? buf.readBigUInt64LE(offset) : buf.readUInt32LE(offset);
  }

  private writeUlong(buf: Buffer, value: Handle, offset = 0): void {
    if (this.layout.ulong === 8) buf.writeBigUInt64LE(BigInt(value), offset);
    else buf.writeUInt32LE(Number(value) >>> 0, offset);
  }

  /** Natural alignment of a CK_ULONG field after `offset`, unless packed. */
  private align(offset: number): number {
    const a = this.layout.packed ? 1 : this.layout.ulong;
    return Math.ceil(offset / a) * a;
  }

  initialize(): void {
    this.check('C_Initialize', null);
  }

  finalize(): void {
    this.check('C_Finalize', null);
  }

  /** CK_INFO: version(2) manufacturerID[32] flags libraryDescription[32] libraryVersion(2). */
  getInfo(): { cryptokiVersion: Version; manufacturerID: string; libraryDescription: string; libraryVersion: Version } {
    const flags = this.align(34);
    const description = flags + this.layout.ulong;
    const buf = Buffer.alloc(this.align(description + 34 + 8));
    this.check('C_GetInfo', buf);
    return {
      cryptokiVersion: { major: buf[0]!, minor: buf[1]! },
      manufacturerID: utf8(buf, 2, 32),
      libraryDescription: utf8(buf, description, 32),
      libraryVersion: { major: buf[description + 32]!, minor: buf[description + 33]! },
    };
  }

  getSlotList(tokenPresent: boolean): Handle[] {
    const count = this.ulongBuf();
    this.check('C_GetSlotList', tokenPresent ? 1 : 0, null, count);
    const n = this.readUlong(count);
    if (n === 0) return [];
    const slots = this.ulongBuf(n);
    this.check('C_GetSlotList', tokenPresent ? 1 : 0, slots, count);
    return Array.from({ length: Math.min(this.readUlong(count), n) }, (_, i) => this.readHandle(slots, i * this.layout.ulong));
  }

  /** CK_SLOT_INFO: slotDescription[64] manufacturerID[32] flags versions. */
  getSlotInfo(slot: Handle): { slotDescription: string; manufacturerID: string; flags: number } {
    const flags = this.align(96);
    const buf = Buffer.alloc(this.align(flags + this.layout.ulong + 4) + 8);
    this.check('C_GetSlotInfo', slot, buf);
    return { slotDescription: utf8(buf, 0, 64), manufacturerID: utf8(buf, 64, 32), flags: this.readUlong(buf, flags) };
  }

  /** CK_TOKEN_INFO: label[32] manufacturerID[32] model[16] serialNumber[16] flags, ten more CK_ULONGs, versions, utcTime[16]. */
  getTokenInfo(slot: Handle): { label: string; manufacturerID: string; model: string; serialNumber: string; flags: number } {
    const flags = this.align(96);
    const buf = Buffer.alloc(flags + 11 * this.layout.ulong + 4 + 16 + 8);
    this.check('C_GetTokenInfo', slot, buf);
    return { label: utf8(buf, 0, 32), manufacturerID: utf8(buf, 32, 32), model: utf8(buf, 64, 16), serialNumber: utf8(buf, 80, 16), flags: this.readUlong(buf, flags) };
  }

  /** A read-only session (CKF_SERIAL_SESSION without CKF_RW_SESSION). */
  openSession(slot: Handle): Handle {
    const session = this.ulongBuf();
    this.check('C_OpenSession', slot, CKF_SERIAL_SESSION, null, null, session);
    return this.readHandle(session);
  }

  closeSession(session: Handle): void {
    this.check('C_CloseSession', session);
  }

  /** CK_ATTRIBUTE: type, pValue, ulValueLen, laid out for this platform. */
  private attribute(type: number, value: Buffer | null, length: number): { buf: Buffer; lengthAt: number } {
    const pointerAt = this.align(this.layout.ulong);
    const lengthAt = pointerAt + 8;
    const buf = Buffer.alloc(this.align(lengthAt + this.layout.ulong));
    this.writeUlong(buf, type, 0);
    buf.writeBigUInt64LE(value ? this.koffi.address(value) : 0n, pointerAt);
    this.writeUlong(buf, length, lengthAt);
    return { buf, lengthAt };
  }

  /** Certificate objects (CKA_CLASS = CKO_CERTIFICATE), at most `max`. */
  findCertificates(session: Handle, max: number): Handle[] {
    const cls = this.ulongBuf();
    this.writeUlong(cls, CKO_CERTIFICATE);
    const template = this.attribute(CKA_CLASS, cls, cls.length);
    this.check('C_FindObjectsInit', session, template.buf, 1);
    try {
      const objects = this.ulongBuf(max);
      const count = this.ulongBuf();
      this.check('C_FindObjects', session, objects, max, count);
      return Array.from({ length: Math.min(this.readUlong(count), max) }, (_, i) => this.readHandle(objects, i * this.layout.ulong));
    } finally {
      this.check('C_FindObjectsFinal', session);
    }
  }

  /** One attribute's value; undefined when the library will not give it. */
  getAttribute(session: Handle, object: Handle, type: number, maxLength: number): Buffer | undefined {
    const probe = this.attribute(type, null, 0);
    this.check('C_GetAttributeValue', session, object, probe.buf, 1);
    const length = this.readUlong(probe.buf, probe.lengthAt);
    if (length === CK_UNAVAILABLE_INFORMATION_32 || length > maxLength || this.layout.ulong === 8 && probe.buf.readBigUInt64LE(probe.lengthAt) === 0xffffffffffffffffn) return undefined;
    const value = Buffer.alloc(length);
    const read = this.attribute(type, value, length);
    this.check('C_GetAttributeValue', session, object, read.buf, 1);
    return value.subarray(0, Math.min(this.readUlong(read.buf, read.lengthAt), length));
  }
}

/** Blank-padded UTF-8 fields of PKCS#11 structures (invalid bytes shown as U+FFFD). */
function utf8(buf: Buffer, offset: number, length: number): string {
  return new TextDecoder('utf-8').decode(buf.subarray(offset, offset + length)).replace(/\0/g, '').trimEnd();
}
