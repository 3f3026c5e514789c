import net from 'node:net';

/** What answers the APDUs of an emulated card. */
export interface CardApplet {
  /** The response APDU (data + SW1 SW2), or undefined to give no answer at all (a silent card). */
  process(apdu: Buffer): Buffer | undefined;
  /** Power-up or reset: nothing selected any more. */
  reset(): void;
}

export interface ApduRecord {
  readonly command: Buffer;
  /** Undefined when the card gave no answer. */
  readonly response?: Buffer;
}

/** vpcd control messages: a one-byte payload. */
const CONTROL = { POWER_OFF: 0, POWER_ON: 1, RESET: 2, GET_ATR: 4 } as const;

/**
 * An emulated card in a vpcd slot. vpcd (the virtual reader driver of
 * pcscd) listens on a TCP port; a card "is inserted" while a client is
 * connected. Each message either way is a 2-byte big-endian length and a
 * payload; a 1-byte payload from vpcd is a control message (0 power off,
 * 1 power on, 2 reset, 4 get ATR, the only one answered), anything longer
 * is a command APDU to answer. Every APDU is logged, so tests can assert
 * exactly what a tool sent to the card.
 */
export class VirtualCard {
  atr: Buffer;
  applet: CardApplet;
  readonly apdus: ApduRecord[] = [];
  /**
   * A hung card: answers nothing at all any more, not even vpcd's ATR
   * requests (a card that answered those but no APDUs would have its ATR
   * taken for a response). Set by hand, or when the applet gives no answer.
   */
  silent = false;
  private socket: net.Socket | undefined;
  private pullAfter: number | undefined;
  private closed: Promise<void> = Promise.resolve();

  private readonly host: string;

  constructor(
    readonly port: number,
    options: { atr: Buffer; applet: CardApplet; host?: string },
  ) {
    this.atr = options.atr;
    this.applet = options.applet;
    this.host = options.host ?? '127.0.0.1';
  }

  get inserted(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  /** Put the card in the reader (connect to vpcd). Resolves once connected; pcscd notices within its poll interval. */
  insert(): Promise<void> {
    if (this.inserted) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.port, this.host);
      // Answer at once. (vpcd itself sends each message's length and body in two
      // writes, so every command waits ~40 ms for our delayed ACK: a vpcd artefact.)
      socket.setNoDelay(true);
      this.socket = socket;
      let pending = Buffer.alloc(0);
      this.closed = new Promise((done) => socket.once('close', () => done()));
      let connected = false;
      socket.once('connect', () => {
        connected = true;
        resolve();
      });
      // After connecting, errors just end the connection (the card is "removed").
      socket.on('error', (err) => {
        if (!connected) reject(err);
      });
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2) {
          const length = pending.readUInt16BE(0);
          if (pending.length < 2 + length) break;
          const payload = pending.subarray(2, 2 + length);
          pending = pending.subarray(2 + length);
          this.onMessage(socket, Buffer.from(payload));
        }
      });
    });
  }

  /** Take the card out (disconnect). Resolves when the connection is closed. */
  async remove(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return;
    socket.destroy();
    await this.closed;
  }

  /** Pull the card out as the n-th APDU from now arrives, without answering it. */
  pullOutOnApdu(n: number): void {
    this.pullAfter = this.apdus.length + n;
  }

  clearLog(): void {
    this.apdus.length = 0;
  }

  /** The INS byte of every APDU received. */
  instructions(): number[] {
    return this.apdus.map((r) => r.command[1] ?? -1);
  }

  private onMessage(socket: net.Socket, payload: Buffer): void {
    if (this.silent) {
      if (payload.length > 1) this.apdus.push({ command: payload });
      return;
    }
    if (payload.length === 1) {
      switch (payload[0]) {
        case CONTROL.GET_ATR:
          send(socket, this.atr);
          break;
        case CONTROL.POWER_ON:
        case CONTROL.RESET:
        case CONTROL.POWER_OFF:
          this.applet.reset();
          break;
      }
      return;
    }
    if (this.pullAfter !== undefined && this.apdus.length + 1 >= this.pullAfter) {
      this.pullAfter = undefined;
      this.apdus.push({ command: payload });
      void this.remove();
      return;
    }
    const response = this.applet.process(payload);
    this.apdus.push({ command: payload, ...(response ? { response } : {}) });
    if (response) send(socket, response);
    else this.silent = true;
  }
}

function send(socket: net.Socket, payload: Buffer): void {
  const header = Buffer.alloc(2);
  header.writeUInt16BE(payload.length);
  socket.write(Buffer.concat([header, payload]));
}
