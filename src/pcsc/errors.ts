/** Why a PC/SC call failed, in the few categories a person can act on. */
export type PcscErrorKind =
  /** The platform's PC/SC library (or koffi, which reaches it) cannot be loaded. */
  | 'module-unavailable'
  /** pcscd / SCardSvr is not running, or stopped while we talked to it. */
  | 'no-service'
  | 'access-denied'
  | 'no-readers'
  /** The reader is not (or no longer) there. */
  | 'unknown-reader'
  | 'no-card'
  | 'removed-card'
  /** A card that does not answer, or cannot be powered. */
  | 'mute-card'
  /** Another program holds the card exclusively. */
  | 'sharing-violation'
  /** Another program reset the card (SCARD_W_RESET_CARD): reconnect and start again. */
  | 'reset-card'
  /** The exchange with the card broke off (often: the card was pulled out). */
  | 'not-transacted'
  | 'timeout'
  | 'cancelled'
  /** Our helper process failed (crashed, could not start). */
  | 'helper-failed'
  | 'other';

/** library-missing: no libpcsclite / winscard / PCSC.framework; wrong-library: it lacks the PC/SC functions; ffi-unavailable: koffi itself did not load. */
export type ModuleProblem = 'library-missing' | 'wrong-library' | 'ffi-unavailable';

export class PcscError extends Error {
  constructor(
    readonly kind: PcscErrorKind,
    message: string,
    /** The SCARD_* code, when the service gave one. */
    readonly code?: number,
    /** For `module-unavailable`: what exactly is wrong with the module. */
    readonly moduleProblem?: ModuleProblem,
  ) {
    super(message);
    this.name = 'PcscError';
  }

  /** A failed call: "SCardConnect: SCARD_E_NO_SMARTCARD (0x8010000C)". */
  static fromCode(code: number, call: string): PcscError {
    const name = SCARD_CODES.get(code >>> 0)?.[0];
    const hex = `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
    return new PcscError(kindOfCode(code), `${call}: ${name ? `${name} (${hex})` : hex}`, code >>> 0);
  }

  /** The SCARD_* name of the code, e.g. "SCARD_E_NO_SERVICE", when known. */
  get codeName(): string | undefined {
    return this.code === undefined ? undefined : SCARD_CODES.get(this.code)?.[0];
  }
}

export function isPcscError(err: unknown, kind?: PcscErrorKind): err is PcscError {
  return err instanceof PcscError && (kind === undefined || err.kind === kind);
}

// The codes are the same on pcsc-lite, macOS and Windows (winscard.h, pcsclite.h).
const SCARD_CODES = new Map<number, readonly [string, PcscErrorKind]>([
  [0x80100002, ['SCARD_E_CANCELLED', 'cancelled']],
  [0x80100003, ['SCARD_E_INVALID_HANDLE', 'other']],
  [0x80100004, ['SCARD_E_INVALID_PARAMETER', 'other']],
  [0x80100008, ['SCARD_E_INSUFFICIENT_BUFFER', 'other']],
  [0x80100009, ['SCARD_E_UNKNOWN_READER', 'unknown-reader']],
  [0x8010000a, ['SCARD_E_TIMEOUT', 'timeout']],
  [0x8010000b, ['SCARD_E_SHARING_VIOLATION', 'sharing-violation']],
  [0x8010000c, ['SCARD_E_NO_SMARTCARD', 'no-card']],
  [0x80100013, ['SCARD_F_COMM_ERROR', 'no-service']], // pcsc-lite: the socket to pcscd broke (the daemon died)
  [0x80100016, ['SCARD_E_NOT_TRANSACTED', 'not-transacted']],
  [0x80100017, ['SCARD_E_READER_UNAVAILABLE', 'unknown-reader']],
  [0x8010001d, ['SCARD_E_NO_SERVICE', 'no-service']],
  [0x8010001e, ['SCARD_E_SERVICE_STOPPED', 'no-service']],
  [0x80100027, ['SCARD_E_NO_ACCESS', 'access-denied']],
  [0x8010002e, ['SCARD_E_NO_READERS_AVAILABLE', 'no-readers']],
  [0x8010000f, ['SCARD_E_PROTO_MISMATCH', 'other']],
  [0x80100022, ['SCARD_E_UNSUPPORTED_FEATURE', 'other']],
  [0x80100065, ['SCARD_W_UNSUPPORTED_CARD', 'mute-card']],
  [0x80100066, ['SCARD_W_UNRESPONSIVE_CARD', 'mute-card']],
  [0x80100067, ['SCARD_W_UNPOWERED_CARD', 'mute-card']],
  [0x80100068, ['SCARD_W_RESET_CARD', 'reset-card']],
  [0x80100069, ['SCARD_W_REMOVED_CARD', 'removed-card']],
  [0x8010006a, ['SCARD_W_SECURITY_VIOLATION', 'access-denied']],
]);

export function kindOfCode(code: number): PcscErrorKind {
  return SCARD_CODES.get(code >>> 0)?.[1] ?? 'other';
}
