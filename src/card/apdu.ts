import type { CardChannel } from '../pcsc/types.js';
import { formatAtr } from './atr.js';
import { CardReadError, fromPcscFailure } from './errors.js';

/**
 * The only instructions siths-doctor ever sends to a card. All of them read;
 * nothing here can verify a PIN (VERIFY, 0x20) or write (UPDATE/WRITE BINARY,
 * PUT DATA, ...). `ReadOnlyCard.send` refuses anything else.
 */
export const INS = {
  SELECT: 0xa4,
  READ_BINARY: 0xb0,
  GET_RESPONSE: 0xc0,
  GET_DATA: 0xca,
} as const;

const ALLOWED_INS: ReadonlySet<number> = new Set(Object.values(INS));

/** A short command APDU with the interindustry class byte 00 (no secure messaging, no proprietary commands). */
export interface CommandApdu {
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data?: Buffer;
  /** Expected response length, 1 to 256 (256 is encoded as 00). */
  readonly le?: number;
}

export interface ResponseApdu {
  readonly data: Buffer;
  readonly sw: number;
}

export function encodeCommand(command: CommandApdu): Buffer {
  const data = command.data ?? Buffer.alloc(0);
  if (data.length > 255) throw new RangeError('command data longer than a short APDU allows');
  if (command.le !== undefined && (command.le < 1 || command.le > 256)) throw new RangeError(`Le out of range: ${command.le}`);
  const header = Buffer.from([0x00, command.ins, command.p1 & 0xff, command.p2 & 0xff]);
  const body = data.length > 0 ? Buffer.concat([Buffer.from([data.length]), data]) : Buffer.alloc(0);
  const le = command.le === undefined ? Buffer.alloc(0) : Buffer.from([command.le & 0xff]);
  return Buffer.concat([header, body, le]);
}

export interface ExchangeOptions {
  /** Time limit for one exchange with the card. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * A card that can only be read. Every command APDU siths-doctor sends goes
 * through `send`, which enforces the allow-list, counts the APDUs and turns
 * PC/SC failures into CardReadError.
 */
export class ReadOnlyCard {
  private sent = 0;
  readonly atr: string;

  constructor(
    private readonly channel: CardChannel,
    private readonly options: ExchangeOptions,
  ) {
    this.atr = formatAtr(channel.atr);
  }

  get apduCount(): number {
    return this.sent;
  }

  async send(command: CommandApdu): Promise<ResponseApdu> {
    if (!ALLOWED_INS.has(command.ins)) {
      // A programming error, never a card's doing: refuse loudly.
      throw new Error(`refusing to send INS ${command.ins.toString(16)}: siths-doctor only reads cards`);
    }
    if (this.options.signal?.aborted) throw new CardReadError('cancelled', 'reading the card was cancelled', this.atr);
    const apdu = encodeCommand(command);
    this.sent++;
    let raw: Buffer;
    try {
      raw = await this.channel.transmit(apdu, this.options);
    } catch (err) {
      throw fromPcscFailure(err, this.atr);
    }
    // vpcd and some readers report a card that went away mid-exchange as an empty answer.
    if (raw.length === 0) throw new CardReadError('card-removed', 'the card gave an empty answer: it was taken out or stopped answering', this.atr);
    if (raw.length < 2) throw new CardReadError('malformed', 'the card answered with 1 byte, not even a status word', this.atr);
    return { data: raw.subarray(0, raw.length - 2), sw: raw.readUInt16BE(raw.length - 2) };
  }
}
