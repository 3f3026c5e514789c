import { PcscError } from '../../src/pcsc/errors.js';
import { readerState, SCARD_STATE } from '../../src/pcsc/reader-state.js';
import type { CardChannel, Pcsc, PcscContext, ReaderChange } from '../../src/pcsc/types.js';

/** One reader as a recording describes it. */
export interface RecordedReader {
  readonly name: string;
  readonly card: 'absent' | 'present' | 'mute' | 'unknown';
  /** Hex, spaces allowed. */
  readonly atr?: string;
  /** What SCardConnect does: succeed (default) or fail like this. */
  readonly connect?: PcscError;
}

export interface Recording {
  readonly establish?: PcscError;
  readonly list?: PcscError;
  readonly readers?: readonly RecordedReader[];
  readonly watch?: readonly ReaderChange[];
  /** How the watch ends after its changes: rejected with this, or (undefined) when aborted. */
  readonly watchEnd?: PcscError;
}

const FLAGS = {
  absent: SCARD_STATE.EMPTY,
  present: SCARD_STATE.PRESENT,
  mute: SCARD_STATE.PRESENT | SCARD_STATE.MUTE,
  unknown: SCARD_STATE.UNKNOWN | SCARD_STATE.UNAVAILABLE,
} as const;

/** A PC/SC service that plays back a recording: for outcomes a real pcscd cannot be made to give on cue. */
export function recordedPcsc(recording: Recording): Pcsc & { readonly connects: string[] } {
  const connects: string[] = [];
  const context: PcscContext = {
    async listReaders() {
      if (recording.list) throw recording.list;
      return (recording.readers ?? []).map((r) => readerState(r.name, FLAGS[r.card], Buffer.from((r.atr ?? '').replace(/\s/g, ''), 'hex')));
    },
    async connect(reader) {
      connects.push(reader);
      const recorded = recording.readers?.find((r) => r.name === reader);
      if (!recorded) throw new PcscError('unknown-reader', 'SCardConnect error: Unknown reader specified.(0x80100009)', 0x80100009);
      if (recorded.connect) throw recorded.connect;
      const channel: CardChannel = {
        reader,
        atr: Buffer.from((recorded.atr ?? '').replace(/\s/g, ''), 'hex'),
        protocol: 'T=1',
        async transmit() {
          return Buffer.from([0x6d, 0x00]);
        },
        async disconnect() {},
      };
      return channel;
    },
    async watch(listener, options) {
      for (const change of recording.watch ?? []) listener(change);
      if (recording.watchEnd) throw recording.watchEnd;
      await new Promise<void>((resolve) => (options.signal.aborted ? resolve() : options.signal.addEventListener('abort', () => resolve(), { once: true })));
    },
    async release() {},
  };
  return {
    connects,
    async establish() {
      if (recording.establish) throw recording.establish;
      return context;
    },
    async close() {},
  };
}
