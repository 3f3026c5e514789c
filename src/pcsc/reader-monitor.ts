import type { Binding, RawCardReader, RawPcscLite } from './binding.js';
import { errorFromBindingMessage, PcscError } from './errors.js';
import type { WireError, WireReader, WireWatchEvent } from './host-protocol.js';
import { parseMultiString } from './reader-state.js';

/** A failure of the native module as it travels to the parent process. */
export function wire(err: unknown): WireError {
  const e = err instanceof PcscError ? err : errorFromBindingMessage(err instanceof Error ? err.message : String(err));
  return { message: e.message, kind: e.kind, ...(e.code === undefined ? {} : { code: e.code }) };
}

/**
 * Native objects stay referenced for the life of this process: their C++
 * destructors stop and join threads (one even reads a field it never set),
 * and running those from the garbage collector could hang or crash. Only a
 * handful are ever made.
 */
export const retained: object[] = [];

/**
 * What the service says about every reader, kept current the way pcsc_scan
 * does: one thread waits on `\\?PnP?\Notification` for readers to come and
 * go, one per reader waits for its state to change. Listing reads this state;
 * watches subscribe to its changes. Status threads are never stopped: the
 * binding's stop hangs when a mute card is in the reader.
 */
export class ReaderMonitor {
  private readonly states = new Map<string, WireReader | undefined>();
  private readonly readers = new Map<string, RawCardReader>();
  private readonly subscribers = new Set<(event: WireWatchEvent) => void>();
  private readonly settled: Promise<void>;
  private settle!: (err?: WireError) => void;
  private listed = false;
  /** Set when the service failed: this monitor is finished, a new one must be made. */
  failure: WireError | undefined;

  constructor(private readonly b: Binding) {
    this.settled = new Promise<void>((resolve, reject) => {
      this.settle = (err) => (err ? reject(new PcscError(err.kind, err.message, err.code)) : resolve());
    });
    this.settled.catch(() => undefined);
    const pnp: RawPcscLite = new b.PCSCLite(); // SCardEstablishContext: throws when the service is not there
    retained.push(pnp);
    pnp.start((err, data) => (err ? this.fail(wire(err)) : this.onList(parseMultiString(data ?? Buffer.alloc(0)))));
  }

  /** Every reader with its current state, once all of them have reported. */
  async snapshot(): Promise<WireReader[]> {
    await this.settled;
    return [...this.states.values()].filter((s): s is WireReader => s !== undefined);
  }

  stateOf(name: string): WireReader | undefined {
    return this.states.get(name);
  }

  /** Replays the current state as events, then reports each change. */
  subscribe(listener: (event: WireWatchEvent) => void): () => void {
    void this.settled.then(
      () => {
        listener({ kind: 'readers', names: [...this.states.keys()] });
        for (const state of this.states.values()) if (state) listener({ kind: 'status', reader: state.name, flags: state.flags, atr: state.atr });
        this.subscribers.add(listener);
      },
      (err: PcscError) => listener({ kind: 'error', error: wire(err) }),
    );
    return () => this.subscribers.delete(listener);
  }

  private publish(event: WireWatchEvent): void {
    for (const listener of this.subscribers) listener(event);
  }

  private fail(error: WireError): void {
    if (this.failure) return;
    this.failure = error;
    this.settle(error);
    this.publish({ kind: 'error', error });
  }

  private onList(names: string[]): void {
    if (this.failure) return;
    for (const name of [...this.states.keys()]) {
      if (names.includes(name)) continue;
      this.forget(name);
      this.publish({ kind: 'reader-gone', reader: name });
    }
    const added = names.filter((name) => !this.states.has(name));
    for (const name of added) this.states.set(name, undefined);
    this.publish({ kind: 'readers', names });
    for (const name of added) this.follow(name);
    this.listed = true;
    this.settleIfComplete();
  }

  private forget(name: string): void {
    this.states.delete(name);
    this.readers.delete(name);
  }

  private settleIfComplete(): void {
    if (this.listed && [...this.states.values()].every((s) => s !== undefined)) this.settle();
  }

  private follow(name: string): void {
    const reader = new this.b.CardReader(name);
    retained.push(reader);
    this.readers.set(name, reader);
    const current = (): boolean => this.readers.get(name) === reader && !this.failure;
    let failed = false;
    // The status thread ends when the reader goes away, or after an error it has already reported.
    reader.on('_end', () => {
      if (!current()) return;
      const wasKnown = this.states.get(name) !== undefined;
      this.forget(name);
      if (!failed && wasKnown) this.publish({ kind: 'reader-gone', reader: name });
      this.settleIfComplete();
    });
    reader.get_status((err, state, atr) => {
      if (!current()) return;
      if (err) {
        failed = true;
        const error = wire(err);
        if (error.kind === 'no-service') this.fail(error);
        else this.publish({ kind: 'reader-error', reader: name, error });
        return;
      }
      const wireState: WireReader = { name, flags: state ?? 0, atr: atr ?? new Uint8Array() };
      this.states.set(name, wireState);
      this.publish({ kind: 'status', reader: name, flags: wireState.flags, atr: wireState.atr });
      this.settleIfComplete();
    });
  }
}
