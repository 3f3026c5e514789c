import { analyseAtr, formatAtr } from '../card/atr.js';
import { INSERT_CARD } from '../card/advice.js';
import { identifyAtr, type CardFamily } from '../card/atr-table.js';
import { loadSmartcardList, lookUpAtr } from '../card/smartcard-list.js';
import type { CardHandover, CardProbeDetails, CardSeen } from '../card/types.js';
import { msg, same, type Localized } from '../i18n/index.js';
import type { Probe, ProbeOutcome } from '../model.js';
import { isPcscError, type PcscError } from '../pcsc/errors.js';
import { pcscFailure, type PcscErrorDetails } from '../pcsc/outcome.js';
import { displayReaderName, readerKind } from '../pcsc/reader-names.js';
import type { PcscCallOptions, PcscContext, ReaderState } from '../pcsc/types.js';
import { readerProbe } from './reader.js';

export interface CardDetails extends CardProbeDetails {
  readonly pcscError?: PcscErrorDetails;
}

// The ATR names the chip, not the card: an IDPrime chip is on SITHS and Efos cards, but also on
// national ID cards and others. Whether it is a SITHS card is card-cert's verdict, from the certificates.
const FAMILY: Record<CardFamily, Localized> = {
  idprime: msg('ett Thales IDPrime-kort; om det är ett SITHS-kort visar kontrollen card-cert', 'a Thales IDPrime card; whether it is a SITHS card shows in card-cert'),
  telia: msg('ett Telia EID-kort: äldre SITHS-kort eller Telia e-legitimation', 'a Telia EID card: an older SITHS card or a Telia e-ID'),
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
/** A card as checked: what details show, plus what PC/SC said when another program held it too long (handed over). */
type CardChecked = CardSeen & { readonly busy?: string };

export const cardProbe: Probe<CardDetails, CardHandover> = {
  id: 'card',
  title: msg('Kort', 'Card'),
  description: msg(
    'Att ett kort sitter i kortläsaren och svarar, dess ATR och vilken sorts kort det ser ut att vara.',
    'That a card is in the card reader and answers, its ATR, and what kind of card it looks like.',
  ),
  dependsOn: [readerProbe.id],
  waitingFor: msg('väntar på att kortet ska svara…', 'waiting for the card to answer…'),
  async run(ctx) {
    const call: PcscCallOptions = { timeoutMs: ctx.timeoutMs, signal: ctx.signal };
    let cards: CardChecked[];
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
    const named = await withListNames(cards, ctx.system.fs);
    const busy = new Map(named.flatMap((c) => (c.busy === undefined ? [] : [[c.reader, c.busy] as const])));
    return { ...judge(named.map(({ busy: _, ...seen }) => seen)), handover: { busy } };
  },
};

/** Name the cards our table does not know from pcsc-tools' list, read only when there is such a card. */
async function withListNames(cards: CardChecked[], fs: Parameters<typeof loadSmartcardList>[0]): Promise<CardChecked[]> {
  if (!cards.some((c) => !c.cardType && c.atr)) return cards;
  const list = await loadSmartcardList(fs);
  if (!list) return cards;
  return cards.map((card) => {
    if (card.cardType || !card.atr) return card;
    const entry = lookUpAtr(list, card.atr);
    return entry ? { ...card, looksLike: entry.descriptions.slice(0, 2).join('; ') } : card;
  });
}

/** What is in one reader: undefined when it is empty (or the card left while we looked). */
async function checkCard(context: PcscContext, reader: ReaderState, call: PcscCallOptions): Promise<CardChecked | undefined> {
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
    // pcsc-lite's SCardConnect waits while another program holds a transaction: a card in use that kept us waiting is held, not broken.
    if (err.kind === 'timeout' && reader.inUse) return { ...base, state: 'present', inUse: true, busy: err.message };
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
  const atr = card.atr ? same(card.atr) : msg('saknas', 'none');
  if (card.state === 'mute') return msg(`Kortet i ”${reader}” svarar inte (ATR ${atr.sv}).`, `The card in “${reader}” does not answer (ATR ${atr.en}).`);
  if (!card.cardType || !card.family) {
    if (card.looksLike) {
      return msg(
        `Kort i ”${reader}” som enligt pcsc-tools kortlista ser ut som: ${card.looksLike} (ATR ${atr.sv}). Det är inget SITHS-kort.`,
        `Card in “${reader}” that, by pcsc-tools' list of cards, looks like: ${card.looksLike} (ATR ${atr.en}). It is not a SITHS card.`,
      );
    }
    return msg(`Okänt kort i ”${reader}” (ATR ${atr.sv}).`, `Unknown card in “${reader}” (ATR ${atr.en}).`);
  }
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
  if (!card.cardType && card.looksLike) return msg(`${card.looksLike} i ”${reader}”`, `${card.looksLike} in “${reader}”`);
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
