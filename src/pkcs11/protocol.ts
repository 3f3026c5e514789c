/**
 * What the PKCS#11 child process (child.ts) tells its parent (inspector.ts),
 * one JSON object per line on file descriptor 3. fd 3 and not stdout, so a
 * library that prints on stdout cannot corrupt the conversation.
 */

/** The call in progress: sent before each one, so a hang or crash can be named. */
export type Stage =
  | 'load-ffi'
  | 'load-library'
  | 'C_Initialize'
  | 'C_GetInfo'
  | 'C_GetSlotList'
  | 'C_GetSlotInfo'
  | 'C_GetTokenInfo'
  | 'C_OpenSession'
  | 'C_FindObjects'
  | 'C_GetAttributeValue'
  | 'C_CloseSession'
  | 'C_Finalize';

export interface LibraryInfo {
  readonly manufacturer: string;
  readonly description: string;
  /** "2.6" */
  readonly libraryVersion: string;
  /** The PKCS#11 version the library implements, "2.40". */
  readonly cryptokiVersion: string;
}

export interface TokenReport {
  readonly label: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serialNumber: string;
  /** CK_TOKEN_INFO flags, as the library gave them. */
  readonly flags: number;
  readonly initialized: boolean;
  readonly userPinLocked: boolean;
  readonly userPinFinalTry: boolean;
}

/** A certificate object read without logging in (CKO_CERTIFICATE, public). */
export interface CertificateObjectReport {
  readonly label: string;
  /** CKA_ID, hex: pairs the certificate with its private key. */
  readonly id: string;
  /** CKA_VALUE, base64 DER; absent when larger than the limit or unreadable. */
  readonly der?: string;
  readonly size: number;
}

export interface SlotReport {
  /** The slot id, hex. */
  readonly id: string;
  readonly description: string;
  readonly manufacturer: string;
  readonly tokenPresent: boolean;
  readonly removable: boolean;
  readonly hardware: boolean;
  readonly token?: TokenReport;
  readonly certificates?: readonly CertificateObjectReport[];
  /** A call for this slot failed; the other slots are still reported. */
  readonly error?: { readonly stage: Stage; readonly message: string };
}

export interface InspectionReport {
  readonly library: LibraryInfo;
  readonly slots: readonly SlotReport[];
  /** Slots the library listed, including those beyond the report's limit. */
  readonly slotCount: number;
}

/** How a run of the child ended, as the child itself saw it. */
export type ChildResult =
  | { readonly kind: 'ok'; readonly report: InspectionReport }
  /** koffi (the FFI that calls the library) does not load. */
  | { readonly kind: 'binding-missing'; readonly message: string }
  /** The file does not load as a library, or has no C_GetFunctionList: not a PKCS#11 library. */
  | { readonly kind: 'load-failed'; readonly message: string }
  /** A PKCS#11 call the whole inspection needs returned an error (CKR_...). */
  | { readonly kind: 'pkcs11-error'; readonly stage: Stage; readonly message: string };

export type ChildLine = { readonly stage: Stage } | { readonly result: ChildResult };

export const PROTOCOL_FD = 3;
/** Limits the child keeps to, so its report stays small whatever the library says. */
export const LIMITS = { slots: 32, certificatesPerToken: 64, derBytes: 64 * 1024, text: 256 } as const;

const STAGES: readonly Stage[] = [
  'load-ffi',
  'load-library',
  'C_Initialize',
  'C_GetInfo',
  'C_GetSlotList',
  'C_GetSlotInfo',
  'C_GetTokenInfo',
  'C_OpenSession',
  'C_FindObjects',
  'C_GetAttributeValue',
  'C_CloseSession',
  'C_Finalize',
];

/** One protocol line, checked: the child is ours, but what it relays comes from the library. */
export function parseLine(line: string): ChildLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  if (typeof value.stage === 'string') return STAGES.includes(value.stage as Stage) ? { stage: value.stage as Stage } : undefined;
  const result = value.result;
  if (!isObject(result)) return undefined;
  switch (result.kind) {
    case 'binding-missing':
    case 'load-failed':
      return { result: { kind: result.kind, message: str(result.message, 500) } };
    case 'pkcs11-error':
      if (!STAGES.includes(result.stage as Stage)) return undefined;
      return { result: { kind: 'pkcs11-error', stage: result.stage as Stage, message: str(result.message, 500) } };
    case 'ok': {
      const report = checkReport(result.report);
      return report ? { result: { kind: 'ok', report } } : undefined;
    }
    default:
      return undefined;
  }
}

function checkReport(value: unknown): InspectionReport | undefined {
  if (!isObject(value) || !isObject(value.library) || !Array.isArray(value.slots)) return undefined;
  const lib = value.library;
  return {
    library: {
      manufacturer: str(lib.manufacturer),
      description: str(lib.description),
      libraryVersion: str(lib.libraryVersion),
      cryptokiVersion: str(lib.cryptokiVersion),
    },
    slots: value.slots.slice(0, LIMITS.slots).filter(isObject).map(checkSlot),
    slotCount: typeof value.slotCount === 'number' ? value.slotCount : value.slots.length,
  };
}

function checkSlot(s: Record<string, unknown>): SlotReport {
  const token = isObject(s.token) ? s.token : undefined;
  const error = isObject(s.error) && STAGES.includes(s.error.stage as Stage) ? { stage: s.error.stage as Stage, message: str(s.error.message, 500) } : undefined;
  return {
    id: str(s.id),
    description: str(s.description),
    manufacturer: str(s.manufacturer),
    tokenPresent: s.tokenPresent === true,
    removable: s.removable === true,
    hardware: s.hardware === true,
    ...(token
      ? {
          token: {
            label: str(token.label),
            manufacturer: str(token.manufacturer),
            model: str(token.model),
            serialNumber: str(token.serialNumber),
            flags: typeof token.flags === 'number' ? token.flags : 0,
            initialized: token.initialized === true,
            userPinLocked: token.userPinLocked === true,
            userPinFinalTry: token.userPinFinalTry === true,
          },
        }
      : {}),
    ...(Array.isArray(s.certificates)
      ? {
          certificates: s.certificates
            .slice(0, LIMITS.certificatesPerToken)
            .filter(isObject)
            .map((c) => ({
              label: str(c.label),
              id: str(c.id, 128),
              ...(typeof c.der === 'string' && c.der.length <= (LIMITS.derBytes * 4) / 3 + 4 ? { der: c.der } : {}),
              size: typeof c.size === 'number' ? c.size : 0,
            })),
        }
      : {}),
    ...(error ? { error } : {}),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, max: number = LIMITS.text): string {
  return typeof v === 'string' ? v.slice(0, max) : '';
}
