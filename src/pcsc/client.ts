import { fileURLToPath } from 'node:url';
import { isPcscError, PcscError } from './errors.js';
import { HostProcess, type HostLaunch } from './host-process.js';
import type { WireChannel, WireReader, WireReaderAttributes, WireWatchEvent } from './host-protocol.js';
import { ReaderTracker } from './reader-changes.js';
import { pause, withLimit } from './time-limit.js';
import { readerState } from './reader-state.js';
import type { CardChannel, CardProtocol, Pcsc, PcscCallOptions, PcscContext, ReaderAttributes, ReaderChange, ReaderState, WatchOptions } from './types.js';

export const DEFAULT_HOST_SCRIPT = fileURLToPath(new URL('./host-main.js', import.meta.url));

export interface PcscClientOptions {
  /** The compiled helper entry (dist/pcsc/host-main.js); tests that run from the TypeScript sources point here. */
  readonly hostScript?: string;
  /** The PC/SC library to load instead of the platform's (winscard.dll, PCSC.framework, libpcsclite.so.1): a test seam. */
  readonly library?: string;
  /** The helper's environment (PCSCLITE_CSOCK_NAME picks the pcscd socket). Default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Node options for the helper only. Default: none. */
  readonly execArgv?: readonly string[];
  /** Whose service rules apply (see establish). Default: this process's platform. */
  readonly platform?: NodeJS.Platform;
}

/** How long to wait before establishing again after SCARD_E_NO_SERVICE (a restarting service). */
const RETRY_PAUSE_MS = 200;

/** The real PC/SC service, through the platform's library in a helper process. */
export function createPcsc(options: PcscClientOptions = {}): Pcsc {
  return new HostedPcsc({
    script: options.hostScript ?? DEFAULT_HOST_SCRIPT,
    ...(options.library ? { library: options.library } : {}),
    env: options.env ?? process.env,
    execArgv: options.execArgv ?? [],
  }, (options.platform ?? process.platform) === 'win32');
}

class HostedPcsc implements Pcsc {
  private host: HostProcess | undefined;

  constructor(
    private readonly launch: HostLaunch,
    /** Windows starts SCardSvr on demand and stops it with the last reader: a first "no service" may be a starting one. */
    private readonly serviceStartsOnDemand: boolean,
  ) {}

  current(): HostProcess {
    if (!this.host || this.host.dead) this.host = new HostProcess(this.launch);
    return this.host;
  }

  /** One request to the helper, bounded: on time-out or abort the helper is killed, since it may be stuck. */
  async call<T>(body: Parameters<HostProcess['request']>[0], what: string, options: PcscCallOptions): Promise<T> {
    const host = this.current();
    const work = host.ready.then(() => host.request(body).reply as Promise<T>);
    return withLimit(work, options, what, (reason) => host.kill(reason));
  }

  async establish(options: PcscCallOptions): Promise<PcscContext> {
    try {
      await this.call({ op: 'establish' }, 'SCardEstablishContext', options);
    } catch (err) {
      // Windows stops SCardSvr when the last reader is unplugged; once more before giving up. Elsewhere the
      // service is there or not (pcscd, socket-activated or not; macOS's on-demand ctkpcscd answers the first call).
      if (!this.serviceStartsOnDemand || !isPcscError(err, 'no-service')) throw err;
      await pause(RETRY_PAUSE_MS, options.signal);
      await this.call({ op: 'establish' }, 'SCardEstablishContext', options);
    }
    return new HostedContext(this);
  }

  /**
   * After the service went away: wait a moment first. A pcscd that is still
   * dying accepts the connection and closes it, which pcsc-lite reports as
   * "access denied"; a restarting SCardSvr needs the moment anyway.
   */
  async reestablish(options: PcscCallOptions): Promise<void> {
    await pause(RETRY_PAUSE_MS, options.signal);
    await this.call({ op: 'establish' }, 'SCardEstablishContext', options);
  }

  async close(): Promise<void> {
    this.host?.kill(new PcscError('cancelled', 'the PC/SC helper was closed'));
    this.host = undefined;
  }
}

class HostedContext implements PcscContext {
  private readonly channels = new Set<CardChannel>();
  private released = false;

  constructor(private readonly pcsc: HostedPcsc) {}

  /** Run a call; when the service went away, establish again once and retry. */
  private async withService<T>(run: () => Promise<T>, options: PcscCallOptions): Promise<T> {
    if (this.released) throw new PcscError('other', 'the PC/SC context was released');
    try {
      return await run();
    } catch (err) {
      if (!isPcscError(err, 'no-service')) throw err;
      await this.pcsc.reestablish(options);
      return run();
    }
  }

  async listReaders(options: PcscCallOptions): Promise<ReaderState[]> {
    const readers = await this.withService(() => this.pcsc.call<WireReader[]>({ op: 'list' }, 'SCardListReaders', options), options);
    return readers.map((r) => readerState(r.name, r.flags, r.atr));
  }

  async connect(reader: string, options: PcscCallOptions): Promise<CardChannel> {
    const opened = await this.withService(() => this.pcsc.call<WireChannel>({ op: 'connect', reader }, 'SCardConnect', options), options);
    const channel = new HostedChannel(this.pcsc, this.pcsc.current(), reader, opened, () => this.channels.delete(channel));
    this.channels.add(channel);
    return channel;
  }

  async readerAttributes(reader: string, options: PcscCallOptions): Promise<ReaderAttributes> {
    return this.withService(() => this.pcsc.call<WireReaderAttributes>({ op: 'attributes', reader }, 'SCardGetAttrib', options), options);
  }

  async watch(listener: (change: ReaderChange) => void, options: WatchOptions): Promise<void> {
    const tracker = new ReaderTracker();
    let reestablished = false;
    for (;;) {
      const ended = await this.watchUntilEnd(tracker, listener, options);
      if (!ended) return;
      if (ended.kind !== 'no-service' || reestablished) throw ended;
      reestablished = true;
      await this.pcsc.reestablish(options);
      listener({ kind: 'service-restarted' });
    }
  }

  /** Resolves undefined when aborted, or with the error that ended the watch. */
  private async watchUntilEnd(tracker: ReaderTracker, listener: (change: ReaderChange) => void, options: WatchOptions): Promise<PcscError | undefined> {
    if (options.signal.aborted) return undefined;
    const host = this.pcsc.current();
    return new Promise<PcscError | undefined>((resolve, reject) => {
      let watchId: number | undefined;
      let settled = false;
      const finish = (result: PcscError | undefined): void => {
        if (settled) return;
        settled = true;
        options.signal.removeEventListener('abort', onAbort);
        if (watchId !== undefined) {
          host.onWatch(watchId, undefined);
          if (!result) host.notify({ op: 'unwatch', watch: watchId });
        }
        resolve(result);
      };
      const onAbort = (): void => finish(undefined);
      options.signal.addEventListener('abort', onAbort, { once: true });
      const onEvent = (event: WireWatchEvent): void => {
        if (settled) return;
        if (event.kind === 'error') {
          finish(new PcscError(event.error.kind, event.error.message, event.error.code));
          return;
        }
        for (const change of tracker.apply(event)) listener(change);
      };
      this.pcsc
        .call<number>({ op: 'watch' }, 'SCardGetStatusChange', options)
        .then((id) => {
          watchId = id;
          if (!settled) {
            host.onWatch(id, onEvent);
            return;
          }
          host.onWatch(id, undefined);
          host.notify({ op: 'unwatch', watch: id });
        })
        .catch((err: unknown) => {
          if (settled) return;
          settled = true;
          options.signal.removeEventListener('abort', onAbort);
          if (isPcscError(err)) resolve(err);
          else reject(err);
        });
    });
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await Promise.all([...this.channels].map((c) => c.disconnect()));
  }
}

class HostedChannel implements CardChannel {
  readonly atr: Buffer;
  readonly protocol: CardProtocol;
  private open = true;

  constructor(
    private readonly pcsc: HostedPcsc,
    private readonly host: HostProcess,
    readonly reader: string,
    private readonly opened: WireChannel,
    private readonly onClose: () => void,
  ) {
    this.atr = Buffer.from(opened.atr);
    this.protocol = protocolName(opened.protocol);
  }

  private usable(): void {
    if (!this.open) throw new PcscError('other', 'the card connection is closed');
    // A helper that was restarted lost this connection with it.
    if (this.host.dead || this.pcsc.current() !== this.host) throw new PcscError('helper-failed', 'the connection to the card was lost when the PC/SC helper restarted');
  }

  async transmit(apdu: Buffer, options: PcscCallOptions): Promise<Buffer> {
    this.usable();
    const response = await this.pcsc.call<Uint8Array>({ op: 'transmit', channel: this.opened.channel, apdu }, 'SCardTransmit', options);
    return Buffer.from(response);
  }

  async beginTransaction(options: PcscCallOptions): Promise<void> {
    this.usable();
    await this.pcsc.call({ op: 'begin', channel: this.opened.channel }, 'SCardBeginTransaction', options);
  }

  async endTransaction(): Promise<void> {
    if (!this.open || this.host.dead) return;
    await this.pcsc.call({ op: 'end', channel: this.opened.channel }, 'SCardEndTransaction', { timeoutMs: 2000 }).catch(() => undefined);
  }

  async reconnect(options: PcscCallOptions): Promise<void> {
    this.usable();
    await this.pcsc.call({ op: 'reconnect', channel: this.opened.channel }, 'SCardReconnect', options);
  }

  async disconnect(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    this.onClose();
    if (this.host.dead) return;
    await this.pcsc.call({ op: 'disconnect', channel: this.opened.channel }, 'SCardDisconnect', { timeoutMs: 2000 }).catch(() => undefined);
  }
}

/** SCARD_PROTOCOL_*: T0 = 1, T1 = 2 everywhere; RAW is 4 on pcsc-lite and 0x10000 on Windows. */
function protocolName(value: number): CardProtocol {
  if (value === 1) return 'T=0';
  if (value === 2) return 'T=1';
  if (value === 4 || value === 0x10000) return 'raw';
  return 'unknown';
}
