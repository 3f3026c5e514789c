/**
 * The PKCS#11 child process (entry script child-main.ts). Loads koffi, reads
 * the library's path as one line on stdin (the parent may start the child
 * before it knows which library: see inspector.ts), loads the
 * library with koffi (src/pkcs11/cryptoki.ts), lists slots, tokens and the certificate objects readable without
 * logging in, and reports on fd 3 (see protocol.ts). It runs apart from the
 * doctor because a library may hang (a C_Initialize that never returns) or
 * crash the process; the parent kills it when its time is up.
 *
 * It never calls C_Login, never asks for private objects, and opens only
 * read-only sessions.
 */
import { writeSync } from 'node:fs';
import { loadKoffi } from '../native/koffi.js';
import { Cryptoki, CryptokiError, type Handle, type Version } from './cryptoki.js';
import { LIMITS, PROTOCOL_FD, type CertificateObjectReport, type ChildLine, type InspectionReport, type SlotReport, type Stage, type TokenReport } from './protocol.js';

// PKCS#11 constants from the standard (pkcs11t.h).
const CKF_TOKEN_PRESENT = 0x1;
const CKF_REMOVABLE_DEVICE = 0x2;
const CKF_HW_SLOT = 0x4;
const CKF_TOKEN_INITIALIZED = 0x400;
const CKF_USER_PIN_FINAL_TRY = 0x20000;
const CKF_USER_PIN_LOCKED = 0x40000;
const CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;
const CKA_LABEL = 0x3;
const CKA_VALUE = 0x11;
const CKA_ID = 0x102;

function send(line: ChildLine): void {
  // Synchronous: the line is out before the next call, even if that call kills the process.
  writeSync(PROTOCOL_FD, JSON.stringify(line) + '\n');
}

function at<T>(stage: Stage, call: () => T): T {
  send({ stage });
  return call();
}

class StageError extends Error {
  constructor(
    readonly stage: Stage,
    cause: unknown,
  ) {
    super(messageOf(cause));
  }
}

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 500);
}

function text(value: string): string {
  return value.replace(/\0/g, '').trim().slice(0, LIMITS.text);
}

function version(v: Version): string {
  return `${v.major}.${v.minor}`;
}

function handleHex(handle: Handle): string {
  return `0x${handle.toString(16)}`;
}

/** The child's whole life: load koffi, take the library's path from stdin, inspect it, report on fd 3. */
export async function runPkcs11Child(): Promise<void> {
  try {
    at('load-ffi', () => loadKoffi());
  } catch (err) {
    send({ result: { kind: 'binding-missing', message: messageOf(err) } });
    return;
  }
  // One JSON string on a line: a path may hold any character, a line break too.
  const line = await firstLine(process.stdin);
  // Stdin closed with no path: the parent went away or needs no inspection after all.
  if (line === undefined) return;
  let libraryPath: unknown;
  try {
    libraryPath = JSON.parse(line);
  } catch {
    libraryPath = undefined;
  }
  if (typeof libraryPath !== 'string' || libraryPath === '') {
    send({ result: { kind: 'load-failed', message: 'no library path was given' } });
    return;
  }
  let lib: Cryptoki;
  try {
    const file = libraryPath;
    lib = at('load-library', () => new Cryptoki(file));
  } catch (err) {
    send({ result: { kind: 'load-failed', message: messageOf(err) } });
    return;
  }
  try {
    at('C_Initialize', () => {
      try {
        lib.initialize();
      } catch (err) {
        if (!(err instanceof CryptokiError && err.code === CKR_CRYPTOKI_ALREADY_INITIALIZED)) throw err;
      }
    });
  } catch (err) {
    send({ result: { kind: 'pkcs11-error', stage: 'C_Initialize', message: messageOf(err) } });
    return;
  }
  try {
    send({ result: { kind: 'ok', report: inspect(lib) } });
  } catch (err) {
    const stage = err instanceof StageError ? err.stage : 'C_GetSlotList';
    send({ result: { kind: 'pkcs11-error', stage, message: messageOf(err) } });
  }
  try {
    at('C_Finalize', () => lib.finalize());
  } catch {
    // The report is out; a library that fails to finalize changes nothing in it.
  }
}

/** The first line of `input`, or undefined when it ends before a whole line. */
function firstLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const done = (line: string | undefined): void => {
      input.removeAllListeners('data');
      input.pause();
      resolve(line);
    };
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      text += chunk;
      const nl = text.indexOf('\n');
      if (nl >= 0) done(text.slice(0, nl));
    });
    input.once('end', () => done(undefined));
    input.once('error', () => done(undefined));
  });
}

function call<T>(stage: Stage, fn: () => T): T {
  try {
    return at(stage, fn);
  } catch (err) {
    throw new StageError(stage, err);
  }
}

function inspect(lib: Cryptoki): InspectionReport {
  const info = call('C_GetInfo', () => lib.getInfo());
  const slots = call('C_GetSlotList', () => lib.getSlotList(false));
  return {
    library: {
      manufacturer: text(info.manufacturerID),
      description: text(info.libraryDescription),
      libraryVersion: version(info.libraryVersion),
      cryptokiVersion: version(info.cryptokiVersion),
    },
    slots: slots.slice(0, LIMITS.slots).map((slot) => slotReport(lib, slot)),
    slotCount: slots.length,
  };
}

function slotReport(lib: Cryptoki, slot: Handle): SlotReport {
  const id = handleHex(slot);
  let info;
  try {
    info = call('C_GetSlotInfo', () => lib.getSlotInfo(slot));
  } catch (err) {
    const e = err as StageError;
    return { id, description: '', manufacturer: '', tokenPresent: false, removable: false, hardware: false, error: { stage: e.stage, message: e.message } };
  }
  const base = {
    id,
    description: text(info.slotDescription),
    manufacturer: text(info.manufacturerID),
    tokenPresent: (info.flags & CKF_TOKEN_PRESENT) !== 0,
    removable: (info.flags & CKF_REMOVABLE_DEVICE) !== 0,
    hardware: (info.flags & CKF_HW_SLOT) !== 0,
  };
  if (!base.tokenPresent) return base;
  let token: TokenReport;
  try {
    const t = call('C_GetTokenInfo', () => lib.getTokenInfo(slot));
    token = {
      label: text(t.label),
      manufacturer: text(t.manufacturerID),
      model: text(t.model),
      serialNumber: text(t.serialNumber),
      flags: t.flags,
      initialized: (t.flags & CKF_TOKEN_INITIALIZED) !== 0,
      userPinLocked: (t.flags & CKF_USER_PIN_LOCKED) !== 0,
      userPinFinalTry: (t.flags & CKF_USER_PIN_FINAL_TRY) !== 0,
    };
  } catch (err) {
    const e = err as StageError;
    return { ...base, error: { stage: e.stage, message: e.message } };
  }
  if (!token.initialized) return { ...base, token };
  try {
    return { ...base, token, certificates: certificates(lib, slot) };
  } catch (err) {
    const e = err as StageError;
    return { ...base, token, error: { stage: e.stage, message: e.message } };
  }
}

/** Public certificate objects, in a read-only session without login. */
function certificates(lib: Cryptoki, slot: Handle): CertificateObjectReport[] {
  const session = call('C_OpenSession', () => lib.openSession(slot));
  try {
    const objects = call('C_FindObjects', () => lib.findCertificates(session, LIMITS.certificatesPerToken));
    return objects.map((object) => {
      // One attribute per call: a library that refuses one must not hide the others.
      const attribute = (type: number, max: number): Buffer | undefined => {
        try {
          return call('C_GetAttributeValue', () => lib.getAttribute(session, object, type, max));
        } catch {
          return undefined;
        }
      };
      const value = attribute(CKA_VALUE, LIMITS.derBytes);
      const label = attribute(CKA_LABEL, 4096);
      return {
        label: label ? text(label.toString('utf8')) : '',
        id: attribute(CKA_ID, 4096)?.subarray(0, 64).toString('hex') ?? '',
        ...(value ? { der: value.toString('base64') } : {}),
        size: value?.length ?? 0,
      };
    });
  } finally {
    try {
      at('C_CloseSession', () => lib.closeSession(session));
    } catch {
      // Closing a read-only session that failed changes nothing.
    }
  }
}
