/**
 * The PC/SC helper process. siths-doctor calls the platform's PC/SC library
 * (through koffi, src/pcsc/winscard.ts) here, not in its own process,
 * because some calls can block for good (SCardEstablishContext when pcscd is
 * stuck, SCardTransmit to a silent card, SCardBeginTransaction while another
 * program holds the card). Out here a stuck call cannot freeze the tool: the
 * parent enforces every time limit and kills this process when one runs out.
 *
 * Started by src/pcsc/host-process.ts with an IPC channel (the thin entry
 * script is src/pcsc/host-main.ts); ends when the channel closes.
 */
import { PcscError } from './errors.js';
import { MAX_RESPONSE_LENGTH, type HostMessage, type HostRequest, type WireChannel, type WireReaderAttributes } from './host-protocol.js';
import { ReaderWatch, snapshot, wire } from './reader-monitor.js';
import {
  LoadFailure,
  SCARD_LEAVE_CARD,
  SCARD_PROTOCOL_T0,
  SCARD_PROTOCOL_T1,
  SCARD_SHARE_DIRECT,
  SCARD_SHARE_SHARED,
  WinSCard,
  type Handle,
  type ReaderName,
} from './winscard.js';

function send(message: HostMessage): void {
  process.send?.(message);
}

/** SCARD_ATTR_* (class << 16 | tag), the same in pcsc-lite and winscard. */
const ATTRIBUTES: readonly (readonly [keyof WireReaderAttributes, number])[] = [
  ['vendorName', 0x00010100],
  ['vendorType', 0x00010101],
  ['vendorVersion', 0x00010102],
  ['serialNumber', 0x00010103],
];

interface OpenChannel {
  readonly card: Handle;
  readonly context: Handle;
  protocol: number;
}

/** Earlier contexts kept open (a call may still be on its way through one); older ones without channels are released. */
const KEEP_CONTEXTS = 4;

class Host {
  private context: Handle | undefined;
  private readonly earlier: Handle[] = [];
  /** The raw name of each reader seen, for names that are not valid text. */
  private readonly rawNames = new Map<string, Buffer>();
  private readonly channels = new Map<number, OpenChannel>();
  private readonly watches = new Map<number, ReaderWatch>();
  private nextHandle = 1;

  constructor(private readonly lib: WinSCard) {}

  async handle(request: HostRequest): Promise<unknown> {
    try {
      return await this.dispatch(request);
    } catch (err) {
      // A service that went away takes our context with it: the next establish makes a new one.
      if (err instanceof PcscError && err.kind === 'no-service') this.context = undefined;
      throw err;
    }
  }

  private current(): Handle {
    if (this.context === undefined) throw new PcscError('no-service', 'no PC/SC context (the service went away)', 0x8010001d);
    return this.context;
  }

  private async dispatch(request: HostRequest): Promise<unknown> {
    switch (request.op) {
      case 'establish':
        // A fresh context each time, so establishing also proves the service answers now.
        if (this.context !== undefined) this.earlier.push(this.context);
        this.context = await this.lib.establish();
        this.releaseOld();
        return undefined;
      case 'list': {
        const { names, readers } = await snapshot(this.lib, this.current());
        this.remember(names);
        return readers;
      }
      case 'connect':
        return this.connect(request.reader);
      case 'transmit':
        return this.withChannel(request.channel, (open) => this.lib.transmit(open.card, open.protocol, Buffer.from(request.apdu), MAX_RESPONSE_LENGTH));
      case 'disconnect': {
        const open = this.channels.get(request.channel);
        this.channels.delete(request.channel);
        if (open) await this.lib.disconnect(open.card, SCARD_LEAVE_CARD).catch(() => undefined);
        return undefined;
      }
      case 'begin':
        return this.withChannel(request.channel, (open) => this.lib.beginTransaction(open.card));
      case 'end':
        return this.withChannel(request.channel, (open) => this.lib.endTransaction(open.card, SCARD_LEAVE_CARD));
      case 'reconnect':
        return this.withChannel(request.channel, async (open) => {
          open.protocol = await this.lib.reconnect(open.card, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, SCARD_LEAVE_CARD);
          return open.protocol;
        });
      case 'attributes':
        return this.attributes(request.reader);
      case 'watch': {
        const id = this.nextHandle++;
        const watch = new ReaderWatch(this.lib, (event) => send({ type: 'watch', watch: id, event }));
        this.watches.set(id, watch);
        await watch.start();
        return id;
      }
      case 'unwatch':
        this.watches.get(request.watch)?.stop();
        this.watches.delete(request.watch);
        return undefined;
    }
  }

  private releaseOld(): void {
    while (this.earlier.length > KEEP_CONTEXTS) {
      const old = this.earlier.shift()!;
      if ([...this.channels.values()].some((c) => c.context === old)) this.earlier.push(old);
      else void this.lib.release(old);
      if (this.earlier.every((c) => [...this.channels.values()].some((ch) => ch.context === c))) break;
    }
  }

  private remember(names: readonly ReaderName[]): void {
    for (const r of names) this.rawNames.set(r.name, r.raw);
  }

  private async rawName(name: string): Promise<Buffer> {
    if (!this.rawNames.has(name)) this.remember(await this.lib.listReaders(this.current()));
    return this.rawNames.get(name) ?? this.lib.encodeName(name);
  }

  private withChannel<T>(channel: number, run: (open: OpenChannel) => Promise<T>): Promise<T> {
    const open = this.channels.get(channel);
    if (!open) return Promise.reject(new PcscError('other', 'the card connection is closed'));
    return run(open);
  }

  private async connect(name: string): Promise<WireChannel> {
    const context = this.current();
    const { card, protocol } = await this.lib.connect(context, await this.rawName(name), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1);
    const channel = this.nextHandle++;
    this.channels.set(channel, { card, context, protocol });
    const status = await this.lib.status(card).catch(() => undefined);
    return { channel, atr: status?.atr ?? new Uint8Array(), protocol };
  }

  /**
   * SCardGetAttrib needs a card handle: a direct connection reaches the
   * reader with or without a card and never touches the card itself.
   */
  private async attributes(name: string): Promise<WireReaderAttributes> {
    const { card } = await this.lib.connect(this.current(), await this.rawName(name), SCARD_SHARE_DIRECT, 0);
    try {
      const found: Record<string, string> = {};
      for (const [key, attribute] of ATTRIBUTES) {
        const value = await this.lib.getAttrib(card, attribute);
        const text = value ? attributeText(value) : undefined;
        if (text) found[key] = text;
      }
      return found;
    } finally {
      await this.lib.disconnect(card, SCARD_LEAVE_CARD).catch(() => undefined);
    }
  }
}

/** Attributes are byte strings, usually ASCII with a trailing NUL; anything else is shown in hex. */
function attributeText(value: Buffer): string | undefined {
  const trimmed = value.subarray(0, value.indexOf(0) === -1 ? value.length : value.indexOf(0));
  if (trimmed.length === 0) return undefined;
  if ([...trimmed].every((b) => b >= 0x20 && b < 0x7f)) return trimmed.toString('latin1').trim() || undefined;
  return trimmed.toString('hex').toUpperCase();
}

/** The helper's whole life: load the library, answer requests until the parent goes. */
export function runPcscHost(library = process.argv[2] || undefined): void {
  process.on('disconnect', () => process.exit(0));
  let lib: WinSCard;
  try {
    lib = WinSCard.open(library);
  } catch (err) {
    const problem = err instanceof LoadFailure ? err.problem : 'ffi-unavailable';
    send({ type: 'hello', ok: false, error: { kind: 'module-unavailable', moduleProblem: problem, message: err instanceof Error ? err.message : String(err) } });
    return;
  }
  const host = new Host(lib);
  process.on('message', (request: HostRequest) => {
    host.handle(request).then(
      (value) => send({ type: 'reply', id: request.id, ok: true, value }),
      (err: unknown) => send({ type: 'reply', id: request.id, ok: false, error: wire(err) }),
    );
  });
  send({ type: 'hello', ok: true });
}
