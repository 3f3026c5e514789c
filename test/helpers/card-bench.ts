import { afterAll, beforeAll } from 'vitest';
import type { Pcsc, CardPresence } from '../../src/pcsc/types.js';
import type { System } from '../../src/system.js';
import type { CardApplet } from '../emulator/vpcd-card.js';
import { VirtualCard } from '../emulator/vpcd-card.js';
import { waitFor } from './children.js';
import { startPcscd, type PrivatePcscd } from './pcscd.js';
import { testPcsc, testSystem } from './system.js';

/**
 * A private pcscd with vpcd's two virtual readers, the real PC/SC adapter
 * pointed at it, and emulated cards to put in. One per test file: `useCardBench()`
 * starts it before the file's tests and stops it after them.
 */
export class CardBench {
  private readonly cards = new Set<VirtualCard>();

  private constructor(
    readonly pcscd: PrivatePcscd,
    /** The real adapter (helper process, koffi, libpcsclite) talking to this pcscd. */
    readonly pcsc: Pcsc,
  ) {}

  static async start(): Promise<CardBench> {
    const pcscd = await startPcscd();
    return new CardBench(pcscd, testPcsc({ env: { ...process.env, ...pcscd.env } }));
  }

  /** The reader name of vpcd slot 0 or 1. */
  reader(slot: 0 | 1 = 0): string {
    return this.pcscd.readers[slot];
  }

  /** The environment a child process (siths-doctor, pkcs15-tool) needs to use this pcscd. */
  get env(): Record<string, string> {
    return { ...this.pcscd.env };
  }

  system(overrides: Partial<System> = {}): System {
    return testSystem({ pcsc: this.pcsc, env: this.env, ...overrides });
  }

  /** Put a card in a slot and wait until the PC/SC service reports it (present, or mute). */
  async insert(options: { atr: Buffer; applet: CardApplet; slot?: 0 | 1 }): Promise<VirtualCard> {
    const slot = options.slot ?? 0;
    // A card pulled out by the previous test may still show as present until pcscd notices; a new card
    // put in before then is seen as that one, then removed under the reader's feet.
    await this.waitForCard(slot, (state) => state === 'absent');
    const card = new VirtualCard(this.pcscd.port + slot, options);
    this.cards.add(card);
    await card.insert();
    await this.waitForCard(slot, (state) => state === 'present' || state === 'mute');
    return card;
  }

  /** Take a card out and wait until the service reports the slot empty. */
  async remove(card: VirtualCard): Promise<void> {
    await card.remove();
    this.cards.delete(card);
    await this.waitForCard((card.port - this.pcscd.port) as 0 | 1, (state) => state === 'absent');
  }

  async waitForCard(slot: 0 | 1, wanted: (state: CardPresence) => boolean, timeoutMs = 5000): Promise<void> {
    const context = await this.pcsc.establish({ timeoutMs: 5000 });
    let last: CardPresence | undefined;
    try {
      await waitFor(
        async () => {
          const reader = (await context.listReaders({ timeoutMs: 5000 })).find((r) => r.name === this.reader(slot));
          last = reader?.card;
          return last !== undefined && wanted(last);
        },
        timeoutMs,
        () => `reader ${this.reader(slot)} stayed ${last ?? 'missing'}`,
      );
    } finally {
      await context.release();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.cards].map((c) => c.remove()));
    await this.pcsc.close();
    await this.pcscd.stop();
  }
}

/** A CardBench for the tests of the enclosing describe block: started before them, stopped after. */
export function useCardBench(): () => CardBench {
  let bench: CardBench | undefined;
  beforeAll(async () => {
    bench = await CardBench.start();
  });
  afterAll(async () => {
    await bench?.stop();
  });
  return () => bench!;
}
