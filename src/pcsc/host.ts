/**
 * The PC/SC helper process. siths-doctor runs the native `pcsclite` module
 * here, not in its own process, because some of the module's calls block the
 * thread that makes them (SCardEstablishContext hangs for good when pcscd is
 * stuck; a status event waits for a transmit to a silent card; stopping the
 * status thread of a reader with a mute card never returns). Out here a stuck
 * call cannot freeze the tool: the parent enforces every time limit and kills
 * this process when one runs out.
 *
 * Started by src/pcsc/host-process.ts with an IPC channel; ends when it closes.
 */
import { loadBinding, type Binding, type RawCardReader, type RawPcscLite } from './binding.js';
import { errorFromBindingMessage, PcscError } from './errors.js';
import { MAX_RESPONSE_LENGTH, type HostMessage, type HostRequest, type WireChannel, type WireError, type WireReader, type WireWatchEvent } from './host-protocol.js';
import { parseMultiString } from './reader-state.js';

function send(message: HostMessage): void {
  process.send?.(message);
}

function wire(err: unknown): WireError {
  const e = err instanceof PcscError ? err : errorFromBindingMessage(err instanceof Error ? err.message : String(err));
  return { message: e.message, kind: e.kind, ...(e.code === undefined ? {} : { code: e.code }) };
}

/**
 * Native objects stay referenced for the life of this process: their C++
 * destructors stop and join threads (one even reads a field it never set),
 * and running those from the garbage collector could hang or crash. Only a
 * handful are ever made.
 */
const retained: object[] = [];

/**
 * What the service says about every reader, kept current the way pcsc_scan
 * does: one thread waits on `\\?PnP?\Notification` for readers to come and
 * go, one per reader waits for its state to change. Listing reads this state;
 * watches subscribe to its changes. Status threads are never stopped: the
 * binding's stop hangs when a mute card is in the reader.
 */
class ReaderMonitor {
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

class Host {
  private monitor: ReaderMonitor | undefined;
  private readonly channels = new Map<number, { reader: RawCardReader; protocol: number }>();
  private readonly watches = new Map<number, () => void>();
  private nextHandle = 1;

  constructor(private readonly b: Binding) {}

  /** The monitor, made again after the service failed (which throws while the service is down). */
  private current(): ReaderMonitor {
    if (!this.monitor || this.monitor.failure) this.monitor = new ReaderMonitor(this.b);
    return this.monitor;
  }

  async handle(request: HostRequest): Promise<unknown> {
    switch (request.op) {
      case 'establish':
        // SCardEstablishContext (and a PnP capability check); throws on failure.
        retained.push(new this.b.PCSCLite());
        return undefined;
      case 'list':
        return this.current().snapshot();
      case 'connect':
        return this.connect(request.reader);
      case 'transmit':
        return this.transmit(request.channel, request.apdu);
      case 'disconnect':
        return this.disconnect(request.channel);
      case 'watch':
        return this.watch();
      case 'unwatch':
        this.watches.get(request.watch)?.();
        this.watches.delete(request.watch);
        return undefined;
    }
  }

  private async connect(name: string): Promise<WireChannel> {
    const monitor = this.current();
    await monitor.snapshot();
    const reader = new this.b.CardReader(name);
    retained.push(reader);
    const protocol = await new Promise<number>((resolve, reject) => {
      reader._connect(reader.SCARD_SHARE_SHARED, reader.SCARD_PROTOCOL_T0 | reader.SCARD_PROTOCOL_T1, (err, chosen) => (err ? reject(err) : resolve(chosen ?? 0)));
    });
    const channel = this.nextHandle++;
    this.channels.set(channel, { reader, protocol });
    return { channel, atr: monitor.stateOf(name)?.atr ?? new Uint8Array(), protocol };
  }

  private transmit(channel: number, apdu: Uint8Array): Promise<Uint8Array> {
    const open = this.channels.get(channel);
    if (!open) return Promise.reject(new PcscError('other', 'the card connection is closed'));
    return new Promise((resolve, reject) => {
      open.reader._transmit(Buffer.from(apdu), MAX_RESPONSE_LENGTH, open.protocol, (err, response) => (err ? reject(err) : resolve(response ?? new Uint8Array())));
    });
  }

  private disconnect(channel: number): Promise<void> {
    const open = this.channels.get(channel);
    this.channels.delete(channel);
    if (!open) return Promise.resolve();
    return new Promise((resolve) => open.reader._disconnect(open.reader.SCARD_LEAVE_CARD, () => resolve()));
  }

  private watch(): number {
    const id = this.nextHandle++;
    const unsubscribe = this.current().subscribe((event) => send({ type: 'watch', watch: id, event }));
    this.watches.set(id, unsubscribe);
    return id;
  }
}

async function main(): Promise<void> {
  process.on('disconnect', () => process.exit(0));
  const loaded = await loadBinding();
  if (!loaded.ok) {
    send({ type: 'hello', ok: false, error: { kind: 'module-unavailable', moduleProblem: loaded.problem, message: loaded.message } });
    return;
  }
  const host = new Host(loaded.binding);
  process.on('message', (request: HostRequest) => {
    host.handle(request).then(
      (value) => send({ type: 'reply', id: request.id, ok: true, value }),
      (err: unknown) => send({ type: 'reply', id: request.id, ok: false, error: wire(err) }),
    );
  });
  send({ type: 'hello', ok: true });
}

void main();
