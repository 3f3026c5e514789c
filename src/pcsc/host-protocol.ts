import type { ModuleProblem, PcscErrorKind } from './errors.js';

/**
 * Messages between siths-doctor and its PC/SC helper process
 * (src/pcsc/host.ts), over the Node IPC channel with structured cloning.
 */

export type HostRequest =
  | { readonly id: number; readonly op: 'establish' }
  | { readonly id: number; readonly op: 'list' }
  | { readonly id: number; readonly op: 'connect'; readonly reader: string }
  | { readonly id: number; readonly op: 'transmit'; readonly channel: number; readonly apdu: Uint8Array }
  | { readonly id: number; readonly op: 'disconnect'; readonly channel: number }
  | { readonly id: number; readonly op: 'begin'; readonly channel: number }
  | { readonly id: number; readonly op: 'end'; readonly channel: number }
  | { readonly id: number; readonly op: 'reconnect'; readonly channel: number }
  | { readonly id: number; readonly op: 'attributes'; readonly reader: string }
  | { readonly id: number; readonly op: 'watch' }
  | { readonly id: number; readonly op: 'unwatch'; readonly watch: number };

export interface WireError {
  readonly message: string;
  readonly kind: PcscErrorKind;
  readonly code?: number;
  readonly moduleProblem?: ModuleProblem;
}

export interface WireReader {
  readonly name: string;
  readonly flags: number;
  readonly atr: Uint8Array;
}

export interface WireChannel {
  readonly channel: number;
  readonly atr: Uint8Array;
  readonly protocol: number;
}

/** What SCardGetAttrib gave for a reader (each only where the driver has it). */
export interface WireReaderAttributes {
  readonly vendorName?: string;
  readonly vendorType?: string;
  readonly vendorVersion?: string;
  readonly serialNumber?: string;
}

/** What a watch reports, raw: the host does not interpret, the parent diffs (src/pcsc/reader-changes.ts). */
export type WireWatchEvent =
  | { readonly kind: 'readers'; readonly names: readonly string[] }
  | { readonly kind: 'status'; readonly reader: string; readonly flags: number; readonly atr: Uint8Array }
  | { readonly kind: 'reader-gone'; readonly reader: string }
  | { readonly kind: 'reader-error'; readonly reader: string; readonly error: WireError }
  | { readonly kind: 'error'; readonly error: WireError };

export type HostMessage =
  | { readonly type: 'hello'; readonly ok: true }
  | { readonly type: 'hello'; readonly ok: false; readonly error: WireError }
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value?: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: WireError }
  | { readonly type: 'watch'; readonly watch: number; readonly event: WireWatchEvent };

/** Responses can be up to 65536 bytes of data plus SW1 SW2 (extended length). */
export const MAX_RESPONSE_LENGTH = 65538;
