/**
 * The PKCS#11 child process: `node child.js LIBRARY`. Loads the library with
 * pkcs11js, lists slots, tokens and the certificate objects readable without
 * logging in, and reports on fd 3 (see protocol.ts). It runs apart from the
 * doctor because a library may hang (a C_Initialize that never returns) or
 * crash the process; the parent kills it when its time is up.
 *
 * It never calls C_Login, never asks for private objects, and opens only
 * read-only sessions.
 */
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { LIMITS, PROTOCOL_FD, type CertificateObjectReport, type ChildLine, type InspectionReport, type SlotReport, type Stage, type TokenReport } from './protocol.js';

/** The part of pkcs11js this uses, declared here so the build does not need the optional package. */
interface Pkcs11Module {
  PKCS11: new () => Pkcs11Api;
  CKF_SERIAL_SESSION: number;
  CKA_CLASS: number;
  CKA_LABEL: number;
  CKA_ID: number;
  CKA_VALUE: number;
  CKO_CERTIFICATE: number;
}
interface Version {
  major: number;
  minor: number;
}
interface Pkcs11Api {
  load(path: string): void;
  C_Initialize(): void;
  C_Finalize(): void;
  C_GetInfo(): { manufacturerID: string; libraryDescription: string; libraryVersion: Version; cryptokiVersion: Version };
  C_GetSlotList(tokenPresent: boolean): Buffer[];
  C_GetSlotInfo(slot: Buffer): { slotDescription: string; manufacturerID: string; flags: number };
  C_GetTokenInfo(slot: Buffer): { label: string; manufacturerID: string; model: string; serialNumber: string; flags: number };
  C_OpenSession(slot: Buffer, flags: number): Buffer;
  C_CloseSession(session: Buffer): void;
  C_FindObjectsInit(session: Buffer, template: { type: number; value?: number }[]): void;
  C_FindObjects(session: Buffer, max: number): Buffer[];
  C_FindObjectsFinal(session: Buffer): void;
  C_GetAttributeValue(session: Buffer, object: Buffer, template: { type: number }[]): { type: number; value?: Buffer }[];
}

// PKCS#11 constants from the standard (pkcs11t.h), for flags pkcs11js exports under other names or not at all.
const CKF_TOKEN_PRESENT = 0x1;
const CKF_REMOVABLE_DEVICE = 0x2;
const CKF_HW_SLOT = 0x4;
const CKF_TOKEN_INITIALIZED = 0x400;
const CKF_USER_PIN_FINAL_TRY = 0x20000;
const CKF_USER_PIN_LOCKED = 0x40000;
const CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;

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

function handleHex(handle: Buffer): string {
  const value = handle.length >= 8 ? handle.readBigUInt64LE(0) : BigInt(handle.length >= 4 ? handle.readUInt32LE(0) : 0);
  return `0x${value.toString(16)}`;
}

function run(libraryPath: string): void {
  let pkcs11: Pkcs11Module;
  try {
    pkcs11 = at('load-binding', () => createRequire(import.meta.url)('pkcs11js') as Pkcs11Module);
  } catch (err) {
    send({ result: { kind: 'binding-missing', message: messageOf(err) } });
    return;
  }
  const lib = new pkcs11.PKCS11();
  try {
    at('load-library', () => lib.load(libraryPath));
  } catch (err) {
    send({ result: { kind: 'load-failed', message: messageOf(err) } });
    return;
  }
  try {
    at('C_Initialize', () => {
      try {
        lib.C_Initialize();
      } catch (err) {
        if ((err as { code?: number }).code !== CKR_CRYPTOKI_ALREADY_INITIALIZED) throw err;
      }
    });
  } catch (err) {
    send({ result: { kind: 'pkcs11-error', stage: 'C_Initialize', message: messageOf(err) } });
    return;
  }
  try {
    send({ result: { kind: 'ok', report: inspect(pkcs11, lib) } });
  } catch (err) {
    const stage = err instanceof StageError ? err.stage : 'C_GetSlotList';
    send({ result: { kind: 'pkcs11-error', stage, message: messageOf(err) } });
  }
  try {
    at('C_Finalize', () => lib.C_Finalize());
  } catch {
    // The report is out; a library that fails to finalize changes nothing in it.
  }
}

function call<T>(stage: Stage, fn: () => T): T {
  try {
    return at(stage, fn);
  } catch (err) {
    throw new StageError(stage, err);
  }
}

function inspect(pkcs11: Pkcs11Module, lib: Pkcs11Api): InspectionReport {
  const info = call('C_GetInfo', () => lib.C_GetInfo());
  const slots = call('C_GetSlotList', () => lib.C_GetSlotList(false));
  return {
    library: {
      manufacturer: text(info.manufacturerID),
      description: text(info.libraryDescription),
      libraryVersion: version(info.libraryVersion),
      cryptokiVersion: version(info.cryptokiVersion),
    },
    slots: slots.slice(0, LIMITS.slots).map((slot) => slotReport(pkcs11, lib, slot)),
    slotCount: slots.length,
  };
}

function slotReport(pkcs11: Pkcs11Module, lib: Pkcs11Api, slot: Buffer): SlotReport {
  const id = handleHex(slot);
  let info;
  try {
    info = call('C_GetSlotInfo', () => lib.C_GetSlotInfo(slot));
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
    const t = call('C_GetTokenInfo', () => lib.C_GetTokenInfo(slot));
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
    return { ...base, token, certificates: certificates(pkcs11, lib, slot) };
  } catch (err) {
    const e = err as StageError;
    return { ...base, token, error: { stage: e.stage, message: e.message } };
  }
}

/** Public certificate objects, in a read-only session without login. */
function certificates(pkcs11: Pkcs11Module, lib: Pkcs11Api, slot: Buffer): CertificateObjectReport[] {
  const session = call('C_OpenSession', () => lib.C_OpenSession(slot, pkcs11.CKF_SERIAL_SESSION));
  try {
    const objects = call('C_FindObjects', () => {
      lib.C_FindObjectsInit(session, [{ type: pkcs11.CKA_CLASS, value: pkcs11.CKO_CERTIFICATE }]);
      try {
        return lib.C_FindObjects(session, LIMITS.certificatesPerToken);
      } finally {
        lib.C_FindObjectsFinal(session);
      }
    });
    return objects.map((object) => {
      // One attribute per call: a library that refuses one must not hide the others.
      const attribute = (type: number): Buffer | undefined => {
        try {
          return call('C_GetAttributeValue', () => lib.C_GetAttributeValue(session, object, [{ type }]))[0]?.value;
        } catch {
          return undefined;
        }
      };
      const value = attribute(pkcs11.CKA_VALUE);
      const label = attribute(pkcs11.CKA_LABEL);
      return {
        label: label ? text(label.toString('utf8')) : '',
        id: attribute(pkcs11.CKA_ID)?.subarray(0, 64).toString('hex') ?? '',
        ...(value && value.length <= LIMITS.derBytes ? { der: value.toString('base64') } : {}),
        size: value?.length ?? 0,
      };
    });
  } finally {
    try {
      at('C_CloseSession', () => lib.C_CloseSession(session));
    } catch {
      // Closing a read-only session that failed changes nothing.
    }
  }
}

run(process.argv[2] ?? '');
process.exit(0);
