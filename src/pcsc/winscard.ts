import { loadKoffi, type KoffiModule } from '../native/koffi.js';
import { PcscError, type ModuleProblem } from './errors.js';

/**
 * The platform's PC/SC library, called through koffi: winscard.dll (the W
 * functions), PCSC.framework, libpcsclite.so.1. Every value crosses as raw
 * bytes in Buffers laid out by `Abi`, so one code path serves the three
 * ABIs and a reader name that is not valid text still reaches SCardConnect
 * exactly as the library gave it.
 */

/** How the platform lays out PC/SC types (winscard.h, pcsclite.h, Apple's PCSC headers). */
export interface Abi {
  /** DWORD and LONG: `unsigned long` (8 bytes) on 64-bit pcsc-lite, 32-bit on Windows and macOS. */
  readonly dword: 4 | 8;
  /** SCARDCONTEXT / SCARDHANDLE: LONG on pcsc-lite, ULONG_PTR on Windows, int32_t on macOS. */
  readonly handle: 4 | 8;
  /** Windows: UTF-16 strings (the W functions). */
  readonly wide: boolean;
  /** SCARD_READERSTATE: size and field offsets. */
  readonly state: { readonly size: number; readonly current: number; readonly event: number; readonly atrLength: number; readonly atr: number; readonly atrMax: number };
}

/** Linux x64/arm64 pcsc-lite: pointers, then three unsigned longs, then rgbAtr[33], padded to 8 bytes. */
const PCSCLITE_64: Abi = { dword: 8, handle: 8, wide: false, state: { size: 80, current: 16, event: 24, atrLength: 32, atr: 40, atrMax: 33 } };
/** Windows x64/arm64 SCARD_READERSTATEW: two pointers, three DWORDs, rgbAtr[36], padded to 8 bytes. */
const WINDOWS_64: Abi = { dword: 4, handle: 8, wide: true, state: { size: 64, current: 16, event: 20, atrLength: 24, atr: 28, atrMax: 36 } };
/** macOS PCSC.framework: 32-bit DWORD, the structure packed to 1 byte, rgbAtr[33]. */
const MACOS_64: Abi = { dword: 4, handle: 4, wide: false, state: { size: 61, current: 16, event: 20, atrLength: 24, atr: 28, atrMax: 33 } };

export const SCARD_SCOPE_SYSTEM = 2;
export const SCARD_SHARE_SHARED = 2;
export const SCARD_SHARE_DIRECT = 3;
export const SCARD_PROTOCOL_T0 = 1;
export const SCARD_PROTOCOL_T1 = 2;
export const SCARD_LEAVE_CARD = 0;
export const SCARD_RESET_CARD = 1;
export const SCARD_S_SUCCESS = 0;
export const SCARD_E_TIMEOUT = 0x8010000a;
export const SCARD_E_CANCELLED = 0x80100002;
export const SCARD_E_INSUFFICIENT_BUFFER = 0x80100008;
export const SCARD_E_NO_READERS_AVAILABLE = 0x8010002e;
export const SCARD_INFINITE = 0xffffffff;
export const PNP_NOTIFICATION = '\\\\?PnP?\\Notification';

export type Handle = number | bigint;
type Native = (...args: unknown[]) => number;
type NativeFn = Native & { async: (...args: unknown[]) => void };

const FUNCTIONS = [
  'SCardEstablishContext',
  'SCardReleaseContext',
  'SCardListReaders',
  'SCardGetStatusChange',
  'SCardCancel',
  'SCardConnect',
  'SCardReconnect',
  'SCardDisconnect',
  'SCardBeginTransaction',
  'SCardEndTransaction',
  'SCardStatus',
  'SCardTransmit',
  'SCardGetAttrib',
] as const;
type FunctionName = (typeof FUNCTIONS)[number];
/** The functions that take or give strings have an A and a W form on Windows. */
const WIDE = new Set<FunctionName>(['SCardListReaders', 'SCardGetStatusChange', 'SCardConnect', 'SCardStatus']);

export function platformAbi(platform: NodeJS.Platform = process.platform): Abi {
  if (platform === 'win32') return WINDOWS_64;
  if (platform === 'darwin') return MACOS_64;
  return PCSCLITE_64;
}

export function defaultLibrary(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return 'winscard.dll';
  if (platform === 'darwin') return '/System/Library/Frameworks/PCSC.framework/PCSC';
  return 'libpcsclite.so.1';
}

/** A reader name as the library spells it (`raw`, NUL-terminated) and as text (invalid bytes replaced). */
export interface ReaderName {
  readonly name: string;
  readonly raw: Buffer;
}

export interface ReaderStatus {
  /** dwEventState, with the event counter pcsc-lite keeps in the high 16 bits. */
  readonly state: number;
  readonly atr: Buffer;
}

/** A failure to load: what is wrong, in the categories explain.ts words for people. */
export class LoadFailure extends Error {
  constructor(
    readonly problem: ModuleProblem,
    message: string,
  ) {
    super(message);
  }
}

export class WinSCard {
  private readonly fn: Record<FunctionName, NativeFn>;

  private constructor(
    readonly abi: Abi,
    private readonly koffi: KoffiModule,
    library: string,
  ) {
    let lib;
    try {
      lib = koffi.load(library);
    } catch (err) {
      throw new LoadFailure('library-missing', `${library}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const d = abi.dword === 8 ? 'unsigned long' : 'uint32';
    const l = abi.dword === 8 ? 'long' : 'int32';
    const h = abi.handle === 8 ? (abi.wide ? 'uintptr_t' : 'long') : 'int32';
    const p = 'void *';
    const signatures: Record<FunctionName, string[]> = {
      SCardEstablishContext: [d, p, p, p],
      SCardReleaseContext: [h],
      SCardListReaders: [h, p, p, p],
      SCardGetStatusChange: [h, d, p, d],
      SCardCancel: [h],
      SCardConnect: [h, p, d, d, p, p],
      SCardReconnect: [h, d, d, d, p],
      SCardDisconnect: [h, d],
      SCardBeginTransaction: [h],
      SCardEndTransaction: [h, d],
      SCardStatus: [h, p, p, p, p, p, p],
      SCardTransmit: [h, p, p, d, p, p, p],
      SCardGetAttrib: [h, d, p, p],
    };
    const fn = {} as Record<FunctionName, NativeFn>;
    const missing: string[] = [];
    for (const name of FUNCTIONS) {
      const symbol = abi.wide && WIDE.has(name) ? `${name}W` : name;
      try {
        fn[name] = lib.func(symbol, l, signatures[name]) as unknown as NativeFn;
      } catch {
        missing.push(symbol);
      }
    }
    if (missing.length > 0) throw new LoadFailure('wrong-library', `${library} does not export ${missing.join(', ')}`);
    this.fn = fn;
  }

  /** Load koffi and the library; throws LoadFailure. */
  static open(library = defaultLibrary(), abi = platformAbi()): WinSCard {
    let koffi: KoffiModule;
    try {
      koffi = loadKoffi();
    } catch (err) {
      throw new LoadFailure('ffi-unavailable', `koffi: ${err instanceof Error ? err.message : String(err)}`);
    }
    return new WinSCard(abi, koffi, library);
  }

  /** One call on a worker thread: some block for as long as the service or the card makes them. */
  private call(name: FunctionName, ...args: unknown[]): Promise<number> {
    return new Promise((resolve, reject) => {
      this.fn[name].async(...args, (err: unknown, result: number) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(Number(result) >>> 0)));
    });
  }

  private async check(name: FunctionName, ...args: unknown[]): Promise<void> {
    const rv = await this.call(name, ...args);
    if (rv !== SCARD_S_SUCCESS) throw scardError(name, rv);
  }

  private dword(): Buffer {
    return Buffer.alloc(this.abi.dword);
  }

  private readDword(buf: Buffer, offset = 0): number {
    return this.abi.dword === 8 ? Number(buf.readBigUInt64LE(offset) & 0xffffffffn) : buf.readUInt32LE(offset);
  }

  private writeDword(buf: Buffer, value: number, offset = 0): void {
    if (this.abi.dword === 8) buf.writeBigUInt64LE(BigInt(value >>> 0), offset);
    else buf.writeUInt32LE(value >>> 0, offset);
  }

  private readHandle(buf: Buffer): Handle {
    if (this.abi.handle === 4) return buf.readInt32LE(0);
    return this.abi.wide ? buf.readBigUInt64LE(0) : buf.readBigInt64LE(0);
  }

  async establish(): Promise<Handle> {
    const out = Buffer.alloc(this.abi.handle);
    await this.check('SCardEstablishContext', SCARD_SCOPE_SYSTEM, null, null, out);
    return this.readHandle(out);
  }

  async release(context: Handle): Promise<void> {
    await this.call('SCardReleaseContext', context).catch(() => undefined);
  }

  cancel(context: Handle): Promise<number> {
    return this.call('SCardCancel', context);
  }

  /** SCardListReaders; no readers is an empty list. */
  async listReaders(context: Handle): Promise<ReaderName[]> {
    for (let attempt = 0; ; attempt++) {
      const length = this.dword();
      let rv = await this.call('SCardListReaders', context, null, null, length);
      if (rv === SCARD_E_NO_READERS_AVAILABLE) return [];
      if (rv !== SCARD_S_SUCCESS) throw scardError('SCardListReaders', rv);
      const chars = this.readDword(length);
      const buf = Buffer.alloc(chars * this.charSize());
      rv = await this.call('SCardListReaders', context, null, buf, length);
      if (rv === SCARD_E_NO_READERS_AVAILABLE) return [];
      // A reader came between the two calls: ask again.
      if (rv === SCARD_E_INSUFFICIENT_BUFFER && attempt < 3) continue;
      if (rv !== SCARD_S_SUCCESS) throw scardError('SCardListReaders', rv);
      return this.splitMultiString(buf.subarray(0, this.readDword(length) * this.charSize()));
    }
  }

  /**
   * SCardGetStatusChange. `current` holds each reader's dwCurrentState; the
   * result is every reader's dwEventState and ATR, or undefined on SCARD_E_TIMEOUT.
   */
  async getStatusChange(context: Handle, readers: readonly { raw: Buffer; current: number }[], timeoutMs: number): Promise<ReaderStatus[] | undefined> {
    const s = this.abi.state;
    const array = Buffer.alloc(s.size * readers.length);
    readers.forEach((reader, i) => {
      const base = i * s.size;
      array.writeBigUInt64LE(this.koffi.address(reader.raw), base);
      this.writeDword(array, reader.current, base + s.current);
    });
    const rv = await this.call('SCardGetStatusChange', context, timeoutMs >>> 0, array, readers.length);
    if (rv === SCARD_E_TIMEOUT) return undefined;
    if (rv !== SCARD_S_SUCCESS) throw scardError('SCardGetStatusChange', rv);
    return readers.map((_, i) => {
      const base = i * s.size;
      const atrLength = Math.min(this.readDword(array, base + s.atrLength), s.atrMax);
      return { state: this.readDword(array, base + s.event), atr: Buffer.from(array.subarray(base + s.atr, base + s.atr + atrLength)) };
    });
  }

  async connect(context: Handle, reader: Buffer, share: number, protocols: number): Promise<{ card: Handle; protocol: number }> {
    const card = Buffer.alloc(this.abi.handle);
    const protocol = this.dword();
    await this.check('SCardConnect', context, reader, share, protocols, card, protocol);
    return { card: this.readHandle(card), protocol: this.readDword(protocol) };
  }

  async reconnect(card: Handle, share: number, protocols: number, initialization: number): Promise<number> {
    const protocol = this.dword();
    await this.check('SCardReconnect', card, share, protocols, initialization, protocol);
    return this.readDword(protocol);
  }

  async disconnect(card: Handle, disposition: number): Promise<void> {
    await this.check('SCardDisconnect', card, disposition);
  }

  async beginTransaction(card: Handle): Promise<void> {
    await this.check('SCardBeginTransaction', card);
  }

  async endTransaction(card: Handle, disposition: number): Promise<void> {
    await this.check('SCardEndTransaction', card, disposition);
  }

  /** SCardStatus: the card's ATR and state. */
  async status(card: Handle): Promise<{ state: number; protocol: number; atr: Buffer }> {
    const nameLength = this.dword();
    this.writeDword(nameLength, 1024);
    const name = Buffer.alloc(1024 * this.charSize());
    const state = this.dword();
    const protocol = this.dword();
    const atr = Buffer.alloc(64);
    const atrLength = this.dword();
    this.writeDword(atrLength, atr.length);
    await this.check('SCardStatus', card, name, nameLength, state, protocol, atr, atrLength);
    return { state: this.readDword(state), protocol: this.readDword(protocol), atr: Buffer.from(atr.subarray(0, Math.min(this.readDword(atrLength), atr.length))) };
  }

  /** SCardTransmit with a SCARD_IO_REQUEST of our own ({protocol, its own size}), as g_rgSCardT0Pci / T1Pci hold. */
  async transmit(card: Handle, protocol: number, apdu: Buffer, maxResponse: number): Promise<Buffer> {
    const pci = Buffer.alloc(this.abi.dword * 2);
    this.writeDword(pci, protocol, 0);
    this.writeDword(pci, pci.length, this.abi.dword);
    const response = Buffer.alloc(maxResponse);
    const length = this.dword();
    this.writeDword(length, response.length);
    await this.check('SCardTransmit', card, pci, apdu, apdu.length, null, response, length);
    return Buffer.from(response.subarray(0, Math.min(this.readDword(length), response.length)));
  }

  /** SCardGetAttrib; undefined when the reader's driver does not give this attribute. */
  async getAttrib(card: Handle, attribute: number): Promise<Buffer | undefined> {
    const value = Buffer.alloc(512);
    const length = this.dword();
    this.writeDword(length, value.length);
    const rv = await this.call('SCardGetAttrib', card, attribute, value, length);
    if (rv !== SCARD_S_SUCCESS) return undefined;
    return Buffer.from(value.subarray(0, Math.min(this.readDword(length), value.length)));
  }

  /** A reader name for the library: NUL-terminated, in its encoding. */
  encodeName(name: string): Buffer {
    return this.abi.wide ? Buffer.from(`${name}\0`, 'utf16le') : Buffer.from(`${name}\0`, 'utf8');
  }

  private charSize(): number {
    return this.abi.wide ? 2 : 1;
  }

  private splitMultiString(buf: Buffer): ReaderName[] {
    return splitMultiString(buf, this.abi.wide);
  }
}

/**
 * "Reader A\0Reader B\0\0" into names. A name that is not valid UTF-8 / UTF-16
 * is shown with replacement characters; its raw bytes still connect.
 */
export function splitMultiString(buf: Buffer, wide: boolean): ReaderName[] {
  const names: ReaderName[] = [];
  const step = wide ? 2 : 1;
  let start = 0;
  for (let i = 0; i + step <= buf.length; i += step) {
    const nul = wide ? buf.readUInt16LE(i) === 0 : buf[i] === 0;
    if (!nul) continue;
    if (i > start) {
      const bytes = buf.subarray(start, i);
      const name = wide ? wellFormed(bytes.toString('utf16le')) : new TextDecoder('utf-8').decode(bytes);
      names.push({ name, raw: Buffer.concat([bytes, Buffer.alloc(step)]) });
    }
    start = i + step;
  }
  return names;
}

/** Lone UTF-16 surrogates (a reader name that is not valid UTF-16) become U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export function scardError(call: string, rv: number): PcscError {
  return PcscError.fromCode(rv >>> 0, call);
}
