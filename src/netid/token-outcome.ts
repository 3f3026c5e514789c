import type { CardSeen } from '../card/types.js';
import { INSERT_CARD } from '../card/advice.js';
import { counted, joinLocalized, msg, plural, type Localized } from '../i18n/index.js';
import type { ProbeOutcome } from '../model.js';
import { personal } from '../personal.js';
import { describeCertificate, markNames, type TokenCertificate } from '../pkcs11/certificates.js';
import type { InspectionReport, LibraryInfo, SlotReport, Stage } from '../pkcs11/protocol.js';

export interface TokenSlotDetails {
  readonly id: string;
  readonly description: string;
  readonly tokenPresent: boolean;
  readonly token?: {
    readonly label: string;
    readonly manufacturer: string;
    readonly model: string;
    /** Marked as a card serial number. */
    readonly serialNumber: string;
    readonly initialized: boolean;
    readonly userPinLocked: boolean;
    readonly userPinFinalTry: boolean;
  };
  readonly certificates?: readonly TokenCertificate[];
  readonly error?: { readonly stage: Stage; readonly message: string };
}

export interface NetidTokenDetails {
  readonly library?: string;
  /** The card software whose library was asked (card-software's product), so a report says through whom the card was seen. */
  readonly middleware?: { readonly product?: string; readonly name: string };
  readonly libraryInfo?: LibraryInfo;
  readonly slotCount?: number;
  readonly slots?: readonly TokenSlotDetails[];
  /** Tokens present and initialised: cards the middleware can use. */
  readonly tokens?: number;
  readonly certificates?: number;
  /** Whether the `card` check (PC/SC, directly) saw a card; absent when it did not run. */
  readonly cardReaderSawCard?: boolean;
  /** The reader sees a card, the middleware does not. */
  readonly disagreement?: boolean;
  readonly stage?: Stage;
  readonly timedOut?: boolean;
  readonly signal?: string;
  readonly skipReason?: string;
  readonly component?: string;
  readonly error?: string;
}

/** Turn what the middleware showed into the check's outcome, comparing with the card reader when it ran. */
export function tokenOutcome(
  library: string,
  report: InspectionReport,
  who: Localized,
  cards: readonly CardSeen[] | undefined,
): ProbeOutcome<NetidTokenDetails> {
  const holderNames: string[] = [];
  const slots: TokenSlotDetails[] = report.slots.map((slot) => slotDetails(slot, holderNames));
  // Labels may repeat the holder's name: mark it wherever it appears.
  const marked = slots.map((s) => ({
    ...s,
    ...(s.token ? { token: { ...s.token, label: markNames(s.token.label, holderNames) } } : {}),
    ...(s.certificates ? { certificates: s.certificates.map((c) => ({ ...c, label: markNames(c.label, holderNames) })) } : {}),
  }));
  const usable = marked.filter((s) => s.tokenPresent && s.token?.initialized);
  const certificateCount = usable.reduce((n, s) => n + (s.certificates?.length ?? 0), 0);
  const presentCards = cards?.filter((c) => c.state === 'present');
  const details: NetidTokenDetails = {
    library,
    libraryInfo: report.library,
    slotCount: report.slotCount,
    slots: marked,
    tokens: usable.length,
    certificates: certificateCount,
    ...(presentCards ? { cardReaderSawCard: presentCards.length > 0 } : {}),
  };
  const notes = [msg(`Bibliotek: ${libraryLine(report.library)}`, `Library: ${libraryLine(report.library)}`), ...marked.map(slotLine)];

  if (usable.length === 0) return noToken(who, marked, presentCards, details, notes);

  const first = usable[0]!;
  const token = first.token!;
  const labels = usable.flatMap((s) => s.certificates ?? []).map((c) => c.label || c.id);
  const seen = msg(
    `${who.sv} ser kortet ”${token.label}” (${token.manufacturer} ${token.model})`,
    `${who.en} sees the card “${token.label}” (${token.manufacturer} ${token.model})`,
  );
  const more = usable.length > 1 ? msg(` och ${usable.length - 1} kort till`, ` and ${usable.length - 1} more`) : msg('', '');

  if (token.userPinLocked || token.userPinFinalTry) {
    const state = token.userPinLocked ? msg('PIN-koden är låst', 'the PIN is locked') : msg('ett försök återstår för PIN-koden', 'one PIN attempt is left');
    return {
      status: 'warn',
      summary: msg(`${seen.sv}${more.sv}, men ${state.sv}.`, `${seen.en}${more.en}, but ${state.en}.`),
      advice: msg(
        'Lås upp PIN-koden med PUK-koden (i SITHS eID-appen eller Net iD), eller kontakta din ID-administratör. Gissa inte PIN-koden fler gånger.',
        'Unblock the PIN with the PUK code (in the SITHS eID app or Net iD), or contact your ID administrator. Do not guess the PIN again.',
      ),
      notes,
      details,
    };
  }
  if (certificateCount === 0) {
    return {
      status: 'warn',
      summary: msg(`${seen.sv}${more.sv}, men inga certifikat syns utan inloggning.`, `${seen.en}${more.en}, but no certificates are visible without logging in.`),
      advice: msg(
        'Ett SITHS-kort visar sina certifikat utan PIN-kod. Kortet kan vara tomt eller inte vara ett SITHS-kort: prova ett annat kort, eller kontakta din ID-administratör.',
        'A SITHS card shows its certificates without a PIN. The card may be empty or not a SITHS card: try another card, or contact your ID administrator.',
      ),
      notes,
      details,
    };
  }
  return {
    status: 'pass',
    summary: msg(
      `${seen.sv}${more.sv} med ${certificateCount} certifikat: ${labels.map((l) => `”${l}”`).join(', ')}.`,
      `${seen.en}${more.en} with ${certificateCount} certificate${certificateCount === 1 ? '' : 's'}: ${labels.map((l) => `“${l}”`).join(', ')}.`,
    ),
    notes,
    details,
  };
}

function noToken(
  who: Localized,
  slots: readonly TokenSlotDetails[],
  presentCards: readonly CardSeen[] | undefined,
  details: NetidTokenDetails,
  notes: Localized[],
): ProbeOutcome<NetidTokenDetails> {
  const slotText = slots.length === 0 ? msg('den listar inga kortläsare alls', 'it lists no card readers at all') : counted(slots.length, { one: 'kortplats, inget kort', other: 'kortplatser, inget kort' }, { one: 'card slot, no card', other: 'card slots, no card' });
  if (presentCards && presentCards.length > 0) {
    const readers = (open: string, close: string): string => presentCards.map((c) => `${open}${c.reader}${close}`).join(', ');
    const unmapped = presentCards.filter((c) => !slots.some((s) => sameReader(c.reader, s.description)));
    return {
      status: 'fail',
      summary: msg(
        `Kortläsaren ser ett kort (i ${readers('”', '”')}), men ${who.sv} gör det inte: ${slotText.sv}.`,
        `The card reader sees a card (in ${readers('“', '”')}), but ${who.en.replace(/^The /, 'the ')} does not: ${slotText.en}.`,
      ),
      advice: msg(
        'Det här är ett typiskt tecken på en trasig installation av kortprogramvaran. Starta om datorn. Hjälper inte det: be IT kontrollera att versionen är den som organisationen använder för kortet (se ”Kortprogramvara”), att programvarans tjänst är igång, och installera om den.',
        "This is the typical sign of a broken card software installation. Restart the computer. If that does not help, ask IT to check that the version is the one your organisation uses for the card (see “Card software”), that the software's service is running, and to reinstall it.",
      ),
      notes: [
        ...notes,
        ...unmapped.map((c) =>
          msg(`${who.sv} listar inte läsaren ”${c.reader}” som en kortplats.`, `${who.en} does not list the reader “${c.reader}” as a slot.`),
        ),
      ],
      details: { ...details, disagreement: true },
    };
  }
  const agrees = presentCards ? msg(' Kortläsarkontrollen håller med: inget kort i läsaren.', ' The card reader check agrees: no card in the reader.') : msg('', '');
  return {
    status: 'fail',
    summary: msg(`${who.sv} ser inget kort (${slotText.sv}).${agrees.sv}`, `${who.en} sees no card (${slotText.en}).${agrees.en}`),
    // The card check's own advice, word for word, and what to do when the card is already in.
    advice: joinLocalized(
      [INSERT_CARD, msg('Sitter kortet redan i: ta ut det, skjut in det igen och starta om kortprogramvaran (eller datorn).', 'If it is already in: take it out, push it back in and restart the card software (or the computer).')],
      ' ',
    ),
    notes,
    details,
  };
}

function slotDetails(slot: SlotReport, holderNames: string[]): TokenSlotDetails {
  const certificates = slot.certificates?.map((object) => {
    const { certificate, holderName } = describeCertificate(object);
    if (holderName) holderNames.push(holderName);
    return certificate;
  });
  return {
    id: slot.id,
    description: slot.description,
    tokenPresent: slot.tokenPresent,
    ...(slot.token
      ? {
          token: {
            label: slot.token.label,
            manufacturer: slot.token.manufacturer,
            model: slot.token.model,
            serialNumber: slot.token.serialNumber && personal(slot.token.serialNumber, 'card-serial'),
            initialized: slot.token.initialized,
            userPinLocked: slot.token.userPinLocked,
            userPinFinalTry: slot.token.userPinFinalTry,
          },
        }
      : {}),
    ...(certificates ? { certificates } : {}),
    ...(slot.error ? { error: slot.error } : {}),
  };
}

/** PKCS#11 slot descriptions are at most 64 characters, so a long reader name appears cut short. */
function sameReader(reader: string, slotDescription: string): boolean {
  const a = reader.trim().toLowerCase();
  const b = slotDescription.trim().toLowerCase();
  return b.length >= 4 && (a.includes(b) || b.includes(a));
}

function libraryLine(info: LibraryInfo): string {
  return `${info.description} (${info.manufacturer}) ${info.libraryVersion}, PKCS#11 ${info.cryptokiVersion}`;
}

function slotLine(slot: TokenSlotDetails): Localized {
  const where = slot.description || slot.id;
  if (slot.error) return msg(`${where}: ${slot.error.stage} misslyckades: ${slot.error.message}`, `${where}: ${slot.error.stage} failed: ${slot.error.message}`);
  if (!slot.token) return msg(`${where}: inget kort`, `${where}: no card`);
  if (!slot.token.initialized) return msg(`${where}: oinitierat kort`, `${where}: uninitialised token`);
  const certs = (slot.certificates ?? []).map((c) => `${c.label || c.id}${c.notAfter ? ` (→ ${c.notAfter.slice(0, 10)})` : ''}`).join(', ');
  const { label, manufacturer, model, serialNumber } = slot.token;
  return msg(
    `${where}: ”${label}” (${manufacturer} ${model}, kortnummer ${serialNumber}), ${plural(slot.certificates?.length ?? 0, 'sv', { one: 'certifikat', other: 'certifikat' })}${certs ? `: ${certs}` : ''}`,
    `${where}: “${label}” (${manufacturer} ${model}, card number ${serialNumber}), ${plural(slot.certificates?.length ?? 0, 'en', { one: 'certificate', other: 'certificates' })}${certs ? `: ${certs}` : ''}`,
  );
}
