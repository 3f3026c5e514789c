import { PcscError } from '../../src/pcsc/errors.js';
import type { CardChannel } from '../../src/pcsc/types.js';
import type { CardApplet } from './vpcd-card.js';

/**
 * A card channel straight to an emulated card, without pcscd: for fast tests
 * of the card-reading logic (and property tests that run it thousands of
 * times). The end-to-end suites use the real path through pcscd and vpcd.
 */
export function directChannel(applet: CardApplet, atr: Buffer, log: Buffer[] = []): CardChannel & { readonly log: Buffer[] } {
  applet.reset();
  return {
    reader: 'Direct test channel',
    atr,
    protocol: 'T=1',
    log,
    async transmit(apdu) {
      log.push(Buffer.from(apdu));
      const response = applet.process(Buffer.from(apdu));
      if (!response) throw new PcscError('timeout', 'SCardTransmit: no answer (emulated silent card)');
      return response;
    },
    async disconnect() {},
  };
}
