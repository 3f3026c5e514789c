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
import { loadBinding, type Binding, type RawCardReader } from './binding.js';
import { PcscError } from './errors.js';
import { MAX_RESPONSE_LENGTH, type HostMessage, type HostRequest, type WireChannel } from './host-protocol.js';
import { ReaderMonitor, retained, wire } from './reader-monitor.js';

function send(message: HostMessage): void {
  process.send?.(message);
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
