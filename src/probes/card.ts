import { analyseAtr, formatAtr } from '../card/atr.js';
import { INSERT_CARD } from '../card/advice.js';
import { identifyAtr, type CardFamily } from '../card/atr-table.js';
import type { CardProbeDetails, CardSeen } from '../card/types.js';
import { msg, type Localized } from '../i18n/index.js';
import type { Probe, ProbeOutcome } from '../model.js';
import { isPcscError, type PcscError } from '../pcsc/errors.js';
import { pcscFailure, type PcscErrorDetails } from '../pcsc/outcome.js';
import { displayReaderName, readerKind } from '../pcsc/reader-names.js';
import type { PcscCallOptions, PcscContext, ReaderState } from '../pcsc/types.js';

export interface CardDetails extends CardProbeDetails {
  readonly pcscError?: PcscErrorDetails;
}

// IDPrime: the card family current SITHS e-id and Efos cards are issued on [medium confidence].
const FAMILY: Record<CardFamily, Localized> = {
  idprime: msg('korttypen för SITHS- och Efos-kort', 'the card type of SITHS and Efos cards'),
  telia: msg('äldre SITHS-kort eller Telia e-legitimation', 'an older SITHS card or a Telia e-ID'),
  'gemalto-pki': msg('kort för e-legitimation, PKCS#15', 'an e-ID card, PKCS#15'),
  bank: msg('bankkort med BankID, inte ett SITHS-kort', 'a bank card with BankID, not a SITHS card'),
};

const MUTE_ADVICE = msg(
  'Ta ut kortet och sätt i det igen, med chippet först och åt rätt håll. Torka försiktigt av chippet. Prova en annan USB-port eller en annan kortläsare. Svarar kortet fortfarande inte kan det vara skadat: kontakta den som lämnar ut SITHS-kort i din organisation.',
  'Take the card out and put it back in, chip first and the right way round. Gently wipe the chip. Try another USB port or another card reader. If the card still does not answer it may be damaged: contact whoever issues SITHS cards in your organisation.',
);
const CHECK_WHICH_CARD = msg(
  'Kontrollera att det är SITHS-kortet som sitter i kortläsaren, inte ett bankkort eller något annat kort.',
  'Check that it is the SITHS card that is in the card reader, not a bank card or some other card.',
);

/** A card is in a reader and answers; what it looks like from its ATR. */
export const cardProbe: Probe<CardDetails> = {
  id: 'card',
  title: msg('Kort', 'Card'),
  description: msg(
    'Att ett kort sitter i kortläsaren och svarar, dess ATR och vilken sorts kort det ser ut att vara.',
    'That a card is in the card reader and answers, its ATR, and what kind of card it looks like.',
  ),
  dependsOn: ['reader'],
  async run(ctx) {
    const call: PcscCallOptions = { timeoutMs: ctx.timeoutMs, signal: ctx.signal };
    let cards: CardSeen[];
    try {
      const context = await ctx.system.pcsc.establish(call);
      try {
        const readers = (await context.listReaders(call)).filter((r) => readerKind(r.name) === 'card-reader');
        cards = [];
        for (const reader of readers) {
          const seen = await checkCard(context, reader, call);
          if (seen) cards.push(seen);
        }
      } finally {
        await context.release();
      }
    } catch (err) {
      if (!isPcscError(err)) throw err;
      const failure = pcscFailure(err, ctx.system.platform.os);
      return { ...failure, details: { cards: [], ...failure.details } };
    }
    return judge(cards);
  },
};

/** What is in one reader: undefined when it is empty (or the card left while we looked). */
async function checkCard(context: PcscContext, reader: ReaderState, call: PcscCallOptions): Promise<CardSeen | undefined> {
  if (reader.card === 'absent' || reader.card === 'unknown') return undefined;
  const known = identifyAtr(reader.atr);
  const problem = analyseAtr(reader.atr).problem;
  const base = {
    reader: reader.name,
    atr: formatAtr(reader.atr),
    ...(known ? { cardType: known.name, family: known.family } : {}),
    ...(problem ? { atrProblem: problem } : {}),
  };
  if (reader.card === 'mute') return { ...base, state: 'mute' };
  // Connecting powers the card up and negotiates a protocol: the card has to answer.
  try {
    const channel = await context.connect(reader.name, call);
    const protocol = channel.protocol;
    await channel.disconnect();
    return { ...base, state: 'present', protocol };
  } catch (err) {
    if (!isPcscError(err)) throw err;
    return afterConnectFailure(err, base);
  }
}

function afterConnectFailure(err: PcscError, base: Omit<CardSeen, 'state'>): CardSeen | undefined {
  switch (err.kind) {
    case 'mute-card':
      return { ...base, state: 'mute' };
    case 'sharing-violation':
      // Net iD or another program holds it: it is there, it just cannot be checked further.
      return { ...base, state: 'present', inUse: true };
    case 'no-card':
    case 'removed-card':
    case 'unknown-reader':
      return undefined;
    default:
      throw err;
  }
}

function describe(card: CardSeen): Localized {
  const reader = displayReaderName(card.reader);
  const atr = { sv: card.atr || 'saknas', en: card.atr || 'none' };
  if (card.state === 'mute') return msg(`Kortet i ”${reader}” svarar inte (ATR ${atr.sv}).`, `The card in “${reader}” does not answer (ATR ${atr.en}).`);
  if (!card.cardType || !card.family) return msg(`Okänt kort i ”${reader}” (ATR ${atr.sv}).`, `Unknown card in “${reader}” (ATR ${atr.en}).`);
  const family = FAMILY[card.family];
  return msg(`Kort i ”${reader}”: ${card.cardType} (${family.sv}), ATR ${atr.sv}.`, `Card in “${reader}”: ${card.cardType} (${family.en}), ATR ${atr.en}.`);
}

function notesFor(cards: readonly CardSeen[]): Localized[] {
  return cards.map((card) => {
    const d = describe(card);
    const extra: Localized[] = [];
    if (card.inUse) extra.push(msg('används just nu av ett annat program', 'in use by another program right now'));
    if (card.atrProblem) extra.push(msg(`ATR:en är felaktig (${card.atrProblem})`, `the ATR is malformed (${card.atrProblem})`));
    return extra.length === 0 ? d : msg(`${d.sv} ${extra.map((e) => e.sv).join('; ')}.`, `${d.en} ${extra.map((e) => e.en).join('; ')}.`);
  });
}

/** One card in a few words, for a summary naming several: "Thales IDPrime 940 i ”X”". */
function brief(card: CardSeen): Localized {
  const reader = displayReaderName(card.reader);
  if (card.state === 'mute') return msg(`ett kort som inte svarar i ”${reader}”`, `a card that does not answer in “${reader}”`);
  if (!card.cardType) return msg(`ett okänt kort i ”${reader}”`, `an unknown card in “${reader}”`);
  return msg(`${card.cardType} i ”${reader}”`, `${card.cardType} in “${reader}”`);
}

/** The summary: the card that decides, or every card when there are several. */
function summaryOf(cards: readonly CardSeen[], decisive: CardSeen): Localized {
  if (cards.length === 1) return describe(decisive);
  const list = cards.map(brief);
  return msg(`${cards.length} kort: ${list.map((l) => l.sv).join(', ')}.`, `${cards.length} cards: ${list.map((l) => l.en).join(', ')}.`);
}

/** Decide from every card seen: a usable card passes, even next to an unknown one; a mute one next to it warns. */
function judge(cards: CardSeen[]): ProbeOutcome<CardDetails> {
  const details: CardDetails = { cards };
  const notes = notesFor(cards);
  if (cards.length === 0) {
    return { status: 'fail', summary: msg('Inget kort i kortläsaren.', 'No card in the card reader.'), advice: INSERT_CARD, details };
  }
  const answering = cards.filter((c) => c.state === 'present');
  const mute = cards.filter((c) => c.state === 'mute');
  const usable = answering.filter((c) => c.family !== undefined && c.family !== 'bank');
  if (answering.length === 0) return { status: 'fail', summary: summaryOf(cards, mute[0]!), advice: MUTE_ADVICE, notes, details };
  if (usable.length === 0) return { status: 'warn', summary: summaryOf(cards, answering[0]!), advice: CHECK_WHICH_CARD, notes, details };
  if (mute.length > 0) return { status: 'warn', summary: summaryOf(cards, mute[0]!), advice: MUTE_ADVICE, notes, details };
  return { status: 'pass', summary: summaryOf(cards, usable[0]!), notes, details };
}
