/**
 * The PC/SC helper process. siths-doctor runs the native `pcsclite` module
 * here, not in its own process, because some of the module's calls block the
 * thread that makes them (SCardEstablishContext hangs for good when pcscd is
 * stuck; a status event waits for a transmit to a silent card). Out here a
 * stuck call cannot freeze the tool: the parent enforces every time limit and
 * kills this process when one runs out.
 *
 * Started by src/pcsc/client.ts with an IPC channel; ends when it closes.
 */
import { loadBinding, type Binding, type RawCardReader, type RawPcscLite } from './binding.js';
import { errorFromBindingMessage, PcscError } from './errors.js';
import { MAX_RESPONSE_LENGTH, type HostMessage, type HostRequest, type WireChannel, type WireError, type WireReader, type WireWatchEvent } from './host-protocol.js';
import { parseMultiString, SCARD_STATE } from './reader-state.js';

function send(message: HostMessage): void {
  process.send?.(message);
}

function wire(err: unknown): WireError {
  const e = err instanceof PcscError ? err : errorFromBindingMessage(err instanceof Error ? err.message : String(err));
  return { message: e.message, kind: e.kind, ...(e.code === undefined ? {} : { code: e.code }) };
}

/** Close a native object after the current native callback has returned: closing from inside it deadlocks. */
function closeLater(target: { close(): void }): Promise<void> {
  return new Promise((resolve) =>
    setImmediate(() => {
      try {
        target.close();
      } catch {
        // Already closed, or the service is gone: nothing left to release.
      }
      resolve();
    }),
  );
}

class Host {
  private context: RawPcscLite | undefined;
  private readonly channels = new Map<number, { reader: RawCardReader; protocol: number }>();
  private readonly watches = new Map<number, () => void>();
  private nextHandle = 1;

  constructor(private readonly b: Binding) {}

  async handle(request: HostRequest): Promise<unknown> {
    switch (request.op) {
      case 'establish':
        // Constructing it is SCardEstablishContext (and a PnP capability check); it throws on failure.
        this.context = new this.b.PCSCLite();
        return undefined;
      case 'list':
        return this.list();
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

  private readerNames(): Promise<string[]> {
    // A fresh context per listing: the binding's monitor thread lists once when it starts.
    const monitor = new this.b.PCSCLite();
    return new Promise((resolve, reject) => {
      let answered = false;
      monitor.start((err, data) => {
        if (answered) return;
        answered = true;
        void closeLater(monitor);
        if (err) reject(err);
        else resolve(parseMultiString(data ?? Buffer.alloc(0)));
      });
    });
  }

  /** The first status report of a reader: its state and ATR right now. */
  private firstStatus(reader: RawCardReader): Promise<WireReader> {
    return new Promise((resolve, reject) => {
      let answered = false;
      // Settle once the status thread is closed, so a connect that follows does not contend with it.
      const answer = (result: WireReader | Error): void => {
        if (answered) return;
        answered = true;
        void closeLater(reader).then(() => (result instanceof Error ? reject(result) : resolve(result)));
      };
      // The status thread ends without a report when the reader vanished in the meantime.
      reader.on('_end', () => answer({ name: reader.name, flags: SCARD_STATE.UNKNOWN | SCARD_STATE.UNAVAILABLE, atr: new Uint8Array() }));
      reader.get_status((err, state, atr) => answer(err ?? { name: reader.name, flags: state ?? 0, atr: atr ?? new Uint8Array() }));
    });
  }

  private async list(): Promise<WireReader[]> {
    const names = await this.readerNames();
    return Promise.all(names.map((name) => this.firstStatus(new this.b.CardReader(name))));
  }

  private async connect(name: string): Promise<WireChannel> {
    const reader = new this.b.CardReader(name);
    const status = await this.firstStatus(reader);
    const protocol = await new Promise<number>((resolve, reject) => {
      reader._connect(reader.SCARD_SHARE_SHARED, reader.SCARD_PROTOCOL_T0 | reader.SCARD_PROTOCOL_T1, (err, chosen) =>
        err ? reject(err) : resolve(chosen ?? 0),
      );
    });
    const channel = this.nextHandle++;
    this.channels.set(channel, { reader, protocol });
    return { channel, atr: status.atr, protocol };
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
    const event = (e: WireWatchEvent): void => send({ type: 'watch', watch: id, event: e });
    const monitor = new this.b.PCSCLite();
    const readers = new Map<string, RawCardReader>();
    let stopped = false;
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      for (const reader of readers.values()) void closeLater(reader);
      readers.clear();
      void closeLater(monitor);
    };
    const follow = (name: string): void => {
      const reader = new this.b.CardReader(name);
      let failed = false;
      readers.set(name, reader);
      // The status thread ends when the reader goes away, or after an error it has already reported.
      reader.on('_end', () => {
        if (stopped || readers.get(name) !== reader) return;
        readers.delete(name);
        void closeLater(reader);
        if (!failed) event({ kind: 'reader-gone', reader: name });
      });
      reader.get_status((err, state, atr) => {
        if (stopped) return;
        failed = failed || Boolean(err);
        if (err) event({ kind: 'reader-error', reader: name, error: wire(err) });
        else event({ kind: 'status', reader: name, flags: state ?? 0, atr: atr ?? new Uint8Array() });
      });
    };
    monitor.start((err, data) => {
      if (stopped) return;
      if (err) {
        event({ kind: 'error', error: wire(err) });
        stop();
        return;
      }
      const names = parseMultiString(data ?? Buffer.alloc(0));
      event({ kind: 'readers', names });
      for (const name of names) if (!readers.has(name)) follow(name);
      for (const [name, reader] of readers) {
        if (names.includes(name)) continue;
        readers.delete(name);
        void closeLater(reader);
      }
    });
    this.watches.set(id, stop);
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
