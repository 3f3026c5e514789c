import { formatAtr } from '../card/atr.js';
import { joinLocalized, msg, same, type Localized } from '../i18n/index.js';
import type { Probe } from '../model.js';
import { isPcscError } from '../pcsc/errors.js';
import { pcscFailure, type PcscErrorDetails } from '../pcsc/outcome.js';
import { displayReaderName, readerKind, type ReaderKind } from '../pcsc/reader-names.js';
import { flagNames } from '../pcsc/reader-state.js';
import type { CardPresence, PcscContext, ReaderAttributes, ReaderState } from '../pcsc/types.js';
import { pcscServiceProbe } from './pcsc-service.js';

export interface ReaderDetail {
  /** The name as the service gives it, control characters escaped. */
  readonly name: string;
  /** virtual: Windows Hello for Business, the modem SIM reader, TPM virtual smart cards. */
  readonly kind: ReaderKind;
  readonly card: CardPresence;
  /** SCARD_STATE_* flag names, "PRESENT INUSE". */
  readonly state: string;
  readonly atr?: string;
  /** What the reader's driver says about itself (SCardGetAttrib), where it says anything: tells a caller which physical reader is meant. */
  readonly attributes?: ReaderAttributes;
}

export interface ReaderProbeDetails {
  readonly readers: readonly ReaderDetail[];
  readonly cardReaders: number;
  readonly virtualReaders: number;
  readonly pcscError?: PcscErrorDetails;
}

export function readerDetail(reader: ReaderState): ReaderDetail {
  return {
    name: displayReaderName(reader.name),
    kind: readerKind(reader.name),
    card: reader.card,
    state: flagNames(reader.flags),
    ...(reader.atr.length > 0 ? { atr: formatAtr(reader.atr) } : {}),
  };
}

/** Attributes are extra: a short limit each, and a reader that will not say is simply shown without them. */
const ATTRIBUTE_LIMIT_MS = 1500;
const MAX_ATTRIBUTE_READERS = 8;

async function readAttributes(context: PcscContext, readers: readonly ReaderState[], into: Map<string, ReaderAttributes>, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  if (!context.readerAttributes) return;
  // Not where another program is connected: it may hold a transaction, and pcsc-lite makes even a direct connection wait for it.
  for (const reader of readers.filter((r) => readerKind(r.name) === 'card-reader' && !r.inUse).slice(0, MAX_ATTRIBUTE_READERS)) {
    try {
      into.set(reader.name, await context.readerAttributes(reader.name, { timeoutMs: Math.min(timeoutMs, ATTRIBUTE_LIMIT_MS), ...(signal ? { signal } : {}) }));
    } catch {
      // Not every driver gives attributes.
    }
  }
}

const quoted = (name: string): Localized => msg(`”${name}”`, `“${name}”`);

const PLUG_IN = msg(
  'Sätt i kortläsaren i en USB-port och vänta några sekunder. Prova en annan USB-port (direkt i datorn, inte via en hubb eller skärm). Är läsaren inbyggd i tangentbordet eller datorn: kontrollera att den inte är avstängd i Enhetshanteraren eller BIOS.',
  'Plug the card reader into a USB port and wait a few seconds. Try another USB port (directly on the computer, not through a hub or a screen). If the reader is built into the keyboard or the computer, check that it is not disabled in Device Manager or the BIOS.',
);

/** At least one real card reader is attached. */
export const readerProbe: Probe<ReaderProbeDetails> = {
  id: 'reader',
  title: msg('Kortläsare', 'Card reader'),
  description: msg(
    'Att en kortläsare är ansluten. Virtuella läsare som inte tar kort (Windows Hello for Business, Microsoft UICC ISO Reader, virtuella smartkort) räknas inte.',
    'That a card reader is attached. Virtual readers that take no card (Windows Hello for Business, Microsoft UICC ISO Reader, virtual smart cards) do not count.',
  ),
  dependsOn: [pcscServiceProbe.id],
  waitingFor: msg('väntar på att smartkortstjänsten ska lista kortläsarna…', 'waiting for the smart card service to list the card readers…'),
  async run(ctx) {
    let readers: ReaderState[];
    const attributes = new Map<string, ReaderAttributes>();
    try {
      const context = await ctx.system.pcsc.establish({ timeoutMs: ctx.timeoutMs, signal: ctx.signal });
      try {
        readers = await context.listReaders({ timeoutMs: ctx.timeoutMs, signal: ctx.signal });
        await readAttributes(context, readers, attributes, ctx.timeoutMs, ctx.signal);
      } finally {
        await context.release();
      }
    } catch (err) {
      if (!isPcscError(err)) throw err;
      const failure = pcscFailure(err, ctx.system.platform.os);
      return { ...failure, details: { readers: [], cardReaders: 0, virtualReaders: 0, ...failure.details } };
    }

    const details = readers.map((r) => {
      const found = attributes.get(r.name);
      return { ...readerDetail(r), ...(found && Object.keys(found).length > 0 ? { attributes: found } : {}) };
    });
    const real = details.filter((r) => r.kind === 'card-reader');
    const virtual = details.filter((r) => r.kind === 'virtual');
    const summaryDetails: ReaderProbeDetails = { readers: details, cardReaders: real.length, virtualReaders: virtual.length };
    const notes = details.map((r) =>
      r.kind === 'virtual'
        ? msg(`${r.name}: virtuell läsare, tar inga kort`, `${r.name}: virtual reader, takes no card`)
        : msg(`${r.name}: ${CARD_WORDS[r.card].sv}`, `${r.name}: ${CARD_WORDS[r.card].en}`),
    );

    if (real.length === 0) {
      return {
        status: 'fail',
        summary:
          virtual.length === 0
            ? msg('Ingen kortläsare hittades.', 'No card reader was found.')
            : msg(
                `Ingen kortläsare hittades, bara virtuella läsare som inte tar kort: ${joinLocalized(virtual.map((r) => quoted(r.name)), ', ').sv}.`,
                `No card reader was found, only virtual readers that take no card: ${joinLocalized(virtual.map((r) => quoted(r.name)), ', ').en}.`,
              ),
        advice: PLUG_IN,
        notes,
        details: summaryDetails,
      };
    }
    const names = joinLocalized(real.map((r) => quoted(r.name)), same(', '));
    return {
      status: 'pass',
      summary:
        real.length === 1
          ? msg(`Kortläsare ansluten: ${names.sv}.`, `Card reader attached: ${names.en}.`)
          : msg(`${real.length} kortläsare anslutna: ${names.sv}.`, `${real.length} card readers attached: ${names.en}.`),
      notes,
      details: summaryDetails,
    };
  },
};

const CARD_WORDS: Record<CardPresence, Localized> = {
  absent: msg('inget kort', 'no card'),
  present: msg('kort isatt', 'card inserted'),
  mute: msg('kort isatt men svarar inte', 'card inserted but not answering'),
  unknown: msg('okänt läge', 'unknown state'),
};
