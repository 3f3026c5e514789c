import { msg } from '../i18n/index.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../model.js';
import { CardReadError, explainCardReadError, isCardReadError, swHex, type CardReadErrorKind } from '../card/errors.js';
import type { CardCertificateRead } from '../card/types.js';
import { isPcscError } from '../pcsc/errors.js';
import { pcscFailure, type PcscErrorDetails } from '../pcsc/outcome.js';
import type { CertificateSet } from '../x509/inputs.js';
import type { CardCertDetails } from '../x509/outcome.js';
import { cardProbe } from './card.js';
import { clockProbe } from './clock.js';

export const CARD_CERT_ID = 'card-cert';
/** The check's title when --cert files ran instead of the card (also what `explain` says for such a code). */
export const CERTIFICATE_FILES_TITLE = msg('Certifikat i filerna', 'Certificates in the files');

/** A card that could not be read: which reader, why, and what the card said. */
export interface CardReadFailureDetails {
  readonly reader: string;
  readonly readError: CardReadErrorKind;
  readonly atr: string;
  readonly sw?: string;
  readonly technical?: string;
}

/** details of card-cert: the certificates judged, or why the card could not be read. */
export type CardCertCheckDetails = CardCertDetails | CardReadFailureDetails | { readonly pcscError: PcscErrorDetails };

/** The judged certificates, when card-cert got that far (not when the card could not be read). */
export function judgedCertificates(details: CardCertCheckDetails | undefined): CardCertDetails | undefined {
  return details && 'certificates' in details ? details : undefined;
}

/**
 * "Är ditt certifikat på kortet fortfarande giltigt?" The certificates on the
 * card (read without a PIN), or the files given with --cert, judged by the
 * authentication certificate SITHS logins need. `listing` puts every fact of
 * every certificate into the notes, for `siths-doctor cert`; the check itself
 * gives one line per certificate.
 */
export function createCardCertProbe(style: { readonly listing: boolean }): Probe<CardCertCheckDetails> {
  return {
    id: CARD_CERT_ID,
    title: msg('Certifikat på kortet', 'Certificates on the card'),
    titleFor: (o) => (o.certFiles.length > 0 ? CERTIFICATE_FILES_TITLE : msg('Certifikat på kortet', 'Certificates on the card')),
    description: msg(
      'Läser certifikaten på kortet utan PIN-kod och bedömer legitimeringscertifikatet som SITHS-inloggningar behöver: giltigt nu, dagar kvar, utfärdare (SITHS, Efos, Telia), HSA-id eller personnummer. Med --cert granskas filer i stället.',
      'Reads the certificates on the card without a PIN and judges the authentication certificate SITHS logins need: valid now, days left, issuer (SITHS, Efos, Telia), HSA-id or personal number. With --cert it examines files instead.',
    ),
    dependsOn: (o) => (o.certFiles.length > 0 ? [] : [cardProbe.id]),
    // Read the clock check's result when it ran: every date here is judged against that clock.
    uses: [clockProbe.id],
    waitingFor: msg('väntar på att kortet ska svara…', 'waiting for the card to answer…'),
    async run(ctx) {
      // The certificate code (src/x509) is loaded only when this check runs.
      const [{ certificateSetFromCards, certificateSetFromFiles }, { certificateOutcome }] = await Promise.all([
        import('../x509/inputs.js'),
        import('../x509/outcome.js'),
      ]);
      const set =
        ctx.options.certFiles.length > 0
          ? await certificateSetFromFiles(ctx.options.certFiles, ctx.system.fs, ctx.signal)
          : await certificatesFromCards(ctx, certificateSetFromCards);
      if (!('inputs' in set)) return set;
      const clock = ctx.resultOf(clockProbe);
      return certificateOutcome(set, {
        now: ctx.system.clock.now(),
        expiryWarnDays: ctx.options.expiryWarnDays,
        clockLooksWrong: clock?.status === 'fail' || clock?.status === 'warn',
        listing: style.listing,
      });
    },
  };
}

export const cardCert = createCardCertProbe({ listing: false });

/**
 * The card path: read the certificates of every card the `card` check found
 * present, over PC/SC and without a PIN. A card that cannot be read ends the
 * check with the reason: pulled out mid-read is a failure (the advice says to
 * leave it in); a layout siths-doctor cannot read, a time-out or a service
 * fault leave the answer unknown (error).
 */
async function certificatesFromCards(
  ctx: ProbeContext,
  certificateSetFromCards: (reads: readonly CardCertificateRead[]) => CertificateSet,
): Promise<CertificateSet | ProbeOutcome<CardCertCheckDetails>> {
  const cardCheck = ctx.resultOf(cardProbe);
  const cards = cardCheck?.details?.cards.filter((c) => c.state === 'present') ?? [];
  const reads: CardCertificateRead[] = [];
  const { readCardCertificatesFromReader } = await import('../card/read-certificates.js');
  for (const card of cards) {
    try {
      // The card check already waited its whole time limit for another program to let go.
      const busy = cardCheck?.handover?.busy.get(card.reader);
      if (busy) throw new CardReadError('card-busy', `SCardConnect: another program held the card longer than the time limit (${busy})`, card.atr);
      reads.push(await readCardCertificatesFromReader(ctx.system.pcsc, card.reader, { timeoutMs: ctx.timeoutMs, signal: ctx.signal }));
    } catch (err) {
      if (isPcscError(err)) return pcscFailure(err, ctx.system.platform.os);
      if (!isCardReadError(err)) throw err;
      const { summary, advice, notes } = explainCardReadError(err);
      return {
        status: err.kind === 'card-removed' ? 'fail' : 'error',
        summary,
        advice,
        ...(notes ? { notes } : {}),
        details: {
          reader: card.reader,
          readError: err.kind,
          atr: err.atr ?? card.atr,
          ...(err.sw === undefined ? {} : { sw: swHex(err.sw) }),
          // The plain words are in the summary; the PC/SC detail is for --verbose.
          ...(err.kind === 'card-busy' ? { technical: err.message } : {}),
        },
      };
    }
  }
  return certificateSetFromCards(reads);
}
