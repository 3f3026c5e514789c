import { msg } from '../i18n/index.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../model.js';
import { certificateSetFromFiles, type CertificateSet } from '../x509/inputs.js';
import { certificateOutcome } from '../x509/outcome.js';

export const CARD_CERT_ID = 'card-cert';

/**
 * "Är ditt certifikat på kortet fortfarande giltigt?" The certificates on the
 * card (read without a PIN), or the files given with --cert, judged by the
 * authentication certificate SITHS logins need. `listing` puts every fact of
 * every certificate into the notes, for `siths-doctor cert`; the check itself
 * gives one line per certificate.
 */
export function createCardCertProbe(style: { readonly listing: boolean }): Probe {
  return {
    id: CARD_CERT_ID,
    title: msg('Certifikat på kortet', 'Certificates on the card'),
    description: msg(
      'Läser certifikaten på kortet utan PIN-kod och bedömer legitimeringscertifikatet som SITHS-inloggningar behöver: giltigt nu, dagar kvar, utfärdare (SITHS, Efos, Telia), HSA-id eller personnummer. Med --cert granskas filer i stället.',
      'Reads the certificates on the card without a PIN and judges the authentication certificate SITHS logins need: valid now, days left, issuer (SITHS, Efos, Telia), HSA-id or personal number. With --cert it examines files instead.',
    ),
    dependsOn: (o) => (o.certFiles.length > 0 ? [] : ['card']),
    // Read the clock check's result when it ran: every date here is judged against that clock.
    uses: ['clock'],
    async run(ctx) {
      const set = ctx.options.certFiles.length > 0 ? await certificateSetFromFiles(ctx.options.certFiles, ctx.system.fs, ctx.signal) : await certificatesFromCards(ctx);
      if (!('inputs' in set)) return set;
      const clock = ctx.results.get('clock');
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
 * The card path, the one place that reads certificates from the cards the
 * `card` check found (`ctx.results.get('card')?.details` is CardProbeDetails).
 * It returns the certificates as a CertificateSet (`certificateSetFromCards`
 * in src/x509/inputs.ts turns CardCertificateRead[] into one), or an outcome
 * when they cannot be read. This build has no card reader code.
 */
async function certificatesFromCards(_ctx: ProbeContext): Promise<CertificateSet | ProbeOutcome> {
  return {
    status: 'skip',
    summary: msg(
      'Att läsa certifikat från kortet finns inte i den här versionen; granska en exporterad certifikatfil med --cert FIL.',
      'Reading certificates from the card is not available in this build; examine an exported certificate file with --cert FILE.',
    ),
    details: { skipReason: 'not-available' },
  };
}
