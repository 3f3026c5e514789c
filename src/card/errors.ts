import { msg, type Localized } from '../i18n/index.js';
import { isPcscError } from '../pcsc/errors.js';

export type CardReadErrorKind =
  /** The card has no PKCS#15 / ISO 7816-15 application: its layout is not one siths-doctor can read. */
  | 'layout-not-supported'
  /** The card went away during the read (pulled out, reader unplugged). */
  | 'card-removed'
  /** One exchange with the card took longer than the time limit. */
  | 'timeout'
  | 'cancelled'
  /** A structure on the card could not be understood (truncated, too long, not DER). */
  | 'malformed'
  /** The card refused a command with an unexpected status word. */
  | 'card-error'
  /** Another program held the card (a transaction longer than the time limit, or it reset the card twice). */
  | 'card-busy'
  /** The PC/SC service failed underneath. */
  | 'service';

export class CardReadError extends Error {
  constructor(
    readonly kind: CardReadErrorKind,
    message: string,
    /** The card's ATR, "3B 7F ...", when known. */
    readonly atr?: string,
    /** The status word that ended it, when a card answer did. */
    readonly sw?: number,
  ) {
    super(message);
    this.name = 'CardReadError';
  }
}

export function isCardReadError(err: unknown, kind?: CardReadErrorKind): err is CardReadError {
  return err instanceof CardReadError && (kind === undefined || err.kind === kind);
}

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/** A PC/SC failure during a card exchange, as a card read error. */
export function fromPcscFailure(err: unknown, atr: string): CardReadError {
  if (!isPcscError(err)) return new CardReadError('service', err instanceof Error ? err.message : String(err), atr);
  switch (err.kind) {
    case 'removed-card':
    case 'no-card':
    case 'not-transacted':
    case 'unknown-reader':
      return new CardReadError('card-removed', err.message, atr);
    case 'timeout':
      return new CardReadError('timeout', err.message, atr);
    case 'cancelled':
      return new CardReadError('cancelled', err.message, atr);
    case 'reset-card':
      return new CardReadError('card-busy', err.message, atr);
    default:
      return new CardReadError('service', err.message, atr);
  }
}

/** What went wrong reading the card, and what to do, in plain words. */
export function explainCardReadError(err: CardReadError): { summary: Localized; advice: Localized; notes?: Localized[] } {
  const atr = err.atr ? ` (ATR ${err.atr})` : '';
  switch (err.kind) {
    case 'layout-not-supported':
      return {
        summary: msg(
          `Kortet har ingen PKCS#15-applikation, så siths-doctor kan inte läsa dess certifikat${atr}.`,
          `The card has no PKCS#15 application, so siths-doctor cannot read its certificates${atr}.`,
        ),
        advice: msg(
          'Kontrollera att det är SITHS-kortet som sitter i läsaren. Är det ett SITHS-kort: kontrollera certifikaten i Net iD i stället, och skicka rapporten till IT.',
          'Check that it is the SITHS card that is in the reader. If it is a SITHS card, check the certificates in Net iD instead, and send the report to IT.',
        ),
      };
    case 'card-removed':
      return {
        summary: msg('Kortet togs ut (eller slutade svara) medan certifikaten lästes.', 'The card was taken out (or stopped answering) while the certificates were read.'),
        advice: msg('Låt kortet sitta kvar i läsaren och kör igen.', 'Leave the card in the reader and run again.'),
      };
    case 'timeout':
      return {
        summary: msg(`Kortet svarade inte i tid: ${err.message}`, `The card did not answer in time: ${err.message}`),
        advice: msg(
          'Ta ut kortet, sätt i det igen och kör igen. Upprepas det: prova en annan kortläsare eller USB-port.',
          'Take the card out, put it back and run again. If it repeats, try another card reader or USB port.',
        ),
      };
    case 'cancelled':
      return { summary: msg('Läsningen av kortet avbröts.', 'Reading the card was cancelled.'), advice: msg('', '') };
    case 'malformed':
    case 'card-error':
      return {
        // The reader's words (EF.ODF, DER) are for the agent's evidence, not the summary a caller reads out.
        summary: msg('Kortets innehåll gick inte att läsa: det är inte uppbyggt som siths-doctor väntar sig.', "The card's contents could not be read: they are not laid out the way siths-doctor expects."),
        advice: msg('Kontrollera certifikaten i Net iD i stället och skicka rapporten till IT.', 'Check the certificates in Net iD instead and send the report to IT.'),
        notes: [msg(`Teknisk detalj: ${err.message}${atr}`, `Technical detail: ${err.message}${atr}`)],
      };
    case 'card-busy':
      return {
        summary: msg(
          'Ett annat program använde kortet samtidigt, så certifikaten kunde inte läsas.',
          'Another program was using the card at the same time, so the certificates could not be read.',
        ),
        advice: msg(
          'Stäng program som använder kortet (till exempel Net iD eller SITHS eID-appen) eller vänta en stund, och kör igen.',
          'Close programs that use the card (for example Net iD or the SITHS eID app) or wait a moment, and run again.',
        ),
      };
    case 'service':
      return {
        summary: msg(`Smartkortstjänsten slutade svara under läsningen: ${err.message}`, `The smart card service stopped answering during the read: ${err.message}`),
        advice: msg('Kör igen. Upprepas det: starta om datorn.', 'Run again. If it repeats, restart the computer.'),
      };
  }
}
