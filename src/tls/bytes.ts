import { TlsProbeError, type Phase } from './errors.js';

/**
 * Bytes that arrive in pieces and are taken off the front. Pieces are kept
 * as they came and copied once when taken, so a peer that sends one byte at
 * a time costs no more than one that sends everything at once.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** The first n bytes, without taking them. n must not exceed length. */
  peek(n: number): Buffer {
    return this.copy(n, false);
  }

  /** Take the first n bytes off the queue. n must not exceed length. */
  take(n: number): Buffer {
    return this.copy(n, true);
  }

  private copy(n: number, consume: boolean): Buffer {
    if (n > this.size) throw new RangeError(`ByteQueue: ${n} bytes asked, ${this.size} held`);
    const first = this.chunks[0];
    if (first && first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      if (consume) this.advance(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let written = 0;
    let index = 0;
    let offset = this.head;
    while (written < n) {
      const chunk = this.chunks[index]!;
      const count = Math.min(chunk.length - offset, n - written);
      chunk.copy(out, written, offset, offset + count);
      written += count;
      index++;
      offset = 0;
    }
    if (consume) this.advance(n);
    return out;
  }

  private advance(n: number): void {
    this.size -= n;
    let left = n;
    while (left > 0) {
      const chunk = this.chunks[0]!;
      const available = chunk.length - this.head;
      if (available > left) {
        this.head += left;
        return;
      }
      left -= available;
      this.chunks.shift();
      this.head = 0;
    }
  }
}

/**
 * A cursor over one message from the wire. Every read checks the bounds and
 * throws a typed `malformed` error instead of reading past the end, so a
 * length field from a hostile peer can never make us read or allocate more
 * than the message holds.
 */
export class WireReader {
  private offset = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly what: string,
    private readonly phase: Phase = 'handshake',
  ) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  u8(): number {
    this.need(1, 'a byte');
    return this.buf[this.offset++]!;
  }

  u16(): number {
    this.need(2, 'a 16-bit number');
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  u24(): number {
    this.need(3, 'a 24-bit length');
    const v = this.buf.readUIntBE(this.offset, 3);
    this.offset += 3;
    return v;
  }

  bytes(n: number, field: string): Buffer {
    this.need(n, field);
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** A TLS vector: a length of 1, 2 or 3 bytes, then that many bytes, as a reader of its own. */
  vector(lengthBytes: 1 | 2 | 3, field: string): WireReader {
    const n = lengthBytes === 1 ? this.u8() : lengthBytes === 2 ? this.u16() : this.u24();
    return new WireReader(this.bytes(n, field), `${this.what}: ${field}`, this.phase);
  }

  /** Everything left. */
  rest(): Buffer {
    return this.bytes(this.remaining, 'the rest');
  }

  private need(n: number, field: string): void {
    if (n > this.remaining) {
      throw new TlsProbeError('malformed', this.phase, `${this.what}: ${field} runs past the end (${n} bytes needed, ${this.remaining} left)`);
    }
  }
}
