/**
 * The PC/SC service as probes see it (`system.pcsc`). The real one talks to
 * pcscd / SCardSvr through the platform's PC/SC library, called with koffi
 * in a helper process (src/pcsc/client.ts); tests may hand in a recording instead.
 */

/** A time limit and a way to give up, for one PC/SC call. */
export interface PcscCallOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface Pcsc {
  /** SCardEstablishContext. Rejects with PcscError (kind `no-service`, `module-unavailable`, `timeout`, ...). */
  establish(options: PcscCallOptions): Promise<PcscContext>;
  /** Stop the helper process, if one runs. Later calls start a new one. */
  close(): Promise<void>;
}

export interface PcscContext {
  /** The readers the service knows, each with its state and the ATR of its card. */
  listReaders(options: PcscCallOptions): Promise<ReaderState[]>;
  /** SCardConnect in shared mode, T=0 or T=1. */
  connect(reader: string, options: PcscCallOptions): Promise<CardChannel>;
  /**
   * Status-change notifications (SCardGetStatusChange on every reader and on
   * the `\\?PnP?\Notification` pseudo-reader), not polling. The first change
   * is a `snapshot` of what is there now. Resolves when `signal` aborts;
   * rejects with PcscError when the service goes away for good.
   */
  watch(listener: (change: ReaderChange) => void, options: WatchOptions): Promise<void>;
  /**
   * What the reader's driver says about itself (SCardGetAttrib on a direct
   * connection): vendor, model, firmware, serial number. Empty where it says nothing.
   */
  readerAttributes?(reader: string, options: PcscCallOptions): Promise<ReaderAttributes>;
  /** SCardReleaseContext; closes the channels opened through this context. */
  release(): Promise<void>;
}

export interface WatchOptions {
  readonly signal: AbortSignal;
  /** Time limit for (re-)establishing the context and starting to watch. */
  readonly timeoutMs: number;
}

/** What the service says about one reader. */
export interface ReaderState {
  readonly name: string;
  /** SCARD_STATE_* flags without the event counter pcsc-lite keeps in the high 16 bits. */
  readonly flags: number;
  readonly card: CardPresence;
  /** The card's ATR; empty when there is no card or it gave none. */
  readonly atr: Buffer;
  /** Another program holds the card (SCARD_STATE_INUSE / EXCLUSIVE). */
  readonly inUse: boolean;
  readonly exclusive: boolean;
}

export interface ReaderAttributes {
  readonly vendorName?: string;
  readonly vendorType?: string;
  readonly vendorVersion?: string;
  readonly serialNumber?: string;
}

/** absent: no card; present: a card that answered power-up; mute: a card that did not; unknown: the reader is in an unknown state. */
export type CardPresence = 'absent' | 'present' | 'mute' | 'unknown';

export type ReaderChange =
  | { readonly kind: 'snapshot'; readonly readers: readonly ReaderState[] }
  | { readonly kind: 'reader-attached'; readonly reader: string }
  | { readonly kind: 'reader-removed'; readonly reader: string }
  | { readonly kind: 'card-inserted'; readonly reader: string; readonly atr: Buffer }
  | { readonly kind: 'card-mute'; readonly reader: string; readonly atr: Buffer }
  | { readonly kind: 'card-removed'; readonly reader: string }
  /** The service went away and the context was re-established once. */
  | { readonly kind: 'service-restarted' };

export type CardProtocol = 'T=0' | 'T=1' | 'raw' | 'unknown';

/** A connection to the card in one reader. */
export interface CardChannel {
  readonly reader: string;
  readonly atr: Buffer;
  readonly protocol: CardProtocol;
  /** SCardTransmit: one command APDU, one response APDU (data and SW1 SW2). */
  transmit(apdu: Buffer, options: PcscCallOptions): Promise<Buffer>;
  /**
   * SCardBeginTransaction: no other program may talk to the card until
   * `endTransaction`. Waits while another program holds one (bounded by the
   * time limit). Channels that cannot (recordings) leave it out.
   */
  beginTransaction?(options: PcscCallOptions): Promise<void>;
  /** SCardEndTransaction, leaving the card as it is. Never throws. */
  endTransaction?(): Promise<void>;
  /** SCardReconnect (shared, leave the card): after another program reset it. */
  reconnect?(options: PcscCallOptions): Promise<void>;
  /** SCardDisconnect, leaving the card as it is. Never throws. */
  disconnect(): Promise<void>;
}
