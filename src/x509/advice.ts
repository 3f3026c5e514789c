import { msg, type Localized } from '../i18n/index.js';
import { dateOf } from './describe.js';
import type { CertificateSet } from './inputs.js';
import { isAnalysed, type JudgedCertificate, type Verdict } from './judge.js';

const ORDER_NEW_CARD = msg(
  'Beställ ett nytt kort hos din organisations kortadministratör (ofta kallad SITHS-administratör eller korttillverkningen); ta med giltig legitimation.',
  'Order a new card from your organisation\'s card administrator (often called the SITHS administrator, or card production: “korttillverkning”); bring valid ID.',
);

/** What to do, in plain words, for every reason the verdict gives; undefined when there is nothing to do. */
export function adviceOf(verdict: Verdict, items: readonly JudgedCertificate[], source: CertificateSet['source'], clockLooksWrong: boolean): Localized | undefined {
  const sentences: Localized[] = [];
  if (clockLooksWrong) {
    sentences.push(
      msg(
        'Kontrollen ”clock” visar att datorns klocka går fel: rätta den först, eftersom certifikatens datum bedöms mot den.',
        'The “clock” check found this computer\'s clock wrong: correct it first, since the certificate dates are judged against it.',
      ),
    );
  }
  const d = verdict.deciding?.analysis;
  for (const reason of verdict.reasons) {
    switch (reason) {
      case 'expired':
        sentences.push(msg('Kortet kan inte längre användas för att logga in.', 'The card can no longer be used to log in.'), ORDER_NEW_CARD);
        break;
      case 'expiring': {
        const until = d ? dateOf(d.facts.notAfter) : '';
        sentences.push(msg(`Kortet slutar fungera för inloggning ${until}.`, `The card stops working for logins on ${until}.`), ORDER_NEW_CARD);
        break;
      }
      case 'not-yet-valid': {
        const from = d ? dateOf(d.facts.notBefore) : '';
        sentences.push(
          msg(
            `Kontrollera datorns datum, klockslag och tidszon (kontrollen ”clock” visar om klockan går fel). Stämmer klockan är certifikatet nytt och fungerar från ${from}.`,
            `Check this computer's date, time and time zone (the “clock” check shows whether the clock is wrong). If the clock is right, the certificate is new and works from ${from}.`,
          ),
        );
        break;
      }
      case 'no-authentication-certificate':
        sentences.push(
          source === 'card'
            ? msg(
                'Kortet saknar legitimeringscertifikat och kan inte användas för att logga in. Kontrollera att det är rätt kort i läsaren (ditt SITHS- eller Efos-kort).',
                'The card has no authentication certificate and cannot be used to log in. Check that the right card is in the reader (your SITHS or Efos card).',
              )
            : msg(
                'Inget av certifikaten kan användas för att logga in. Exportera legitimeringscertifikatet (inte underskriftscertifikatet) från kortet och kör igen.',
                'None of these certificates can be used to log in. Export the authentication certificate (not the signature certificate) from the card and run again.',
              ),
        );
        if (source === 'card' && items.some(isAnalysed)) sentences.push(ORDER_NEW_CARD);
        break;
      case 'reserve-card':
        sentences.push(
          msg(
            'Reservkort (nivå 2) är tänkta som en tillfällig lösning och godtas inte av alla e-tjänster. Använd ditt ordinarie SITHS-kort, eller beställ ett nytt hos kortadministratören.',
            'Reserve cards (level 2) are a temporary solution and not every e-service accepts them. Use your ordinary SITHS card, or order a new one from the card administrator.',
          ),
        );
        break;
      case 'not-siths':
        sentences.push(
          source === 'card'
            ? msg(
                'Sätt i ditt SITHS- eller Efos-kort i stället: tjänstekortet du fått av din arbetsgivare, oftast med foto och arbetsgivarens namn. Id-kort, körkort och bankkort fungerar inte för SITHS-inloggning.',
                'Put your SITHS or Efos card in instead: the staff card your employer gave you, usually with your photo and the employer\'s name. ID cards, driving licences and bank cards do not work for SITHS logins.',
              )
            : msg(
                'Exportera legitimeringscertifikatet från ditt SITHS- eller Efos-kort och kör igen.',
                'Export the authentication certificate from your SITHS or Efos card and run again.',
              ),
        );
        break;
      case 'function-certificate':
        sentences.push(
          msg(
            'Ett funktionscertifikat identifierar ett system, inte dig. För att logga in behövs ditt eget SITHS- eller Efos-kort med personcertifikat. Är det här ett kort, kontrollera att det är ditt eget tjänstekort och inte ett systemkort.',
            'A function certificate identifies a system, not you. To log in you need your own SITHS or Efos card with its person certificate. If this is a card, check that it is your own staff card and not a system card.',
          ),
        );
        break;
      case 'implausible-certificate':
        sentences.push(
          msg(
            'Ett certifikat har orimlig giltighetstid eller storlek för ett kortcertifikat. Ta reda på var det kommer ifrån innan någon litar på det.',
            'A certificate has a validity or size no card certificate has. Find out where it comes from before anyone trusts it.',
          ),
        );
        break;
      case 'unreadable-certificates':
        sentences.push(unreadableAdvice(items, source));
        break;
      case 'valid':
        break;
    }
  }
  const unique = sentences.filter((s, i) => sentences.findIndex((t) => t.en === s.en) === i);
  if (unique.length === 0) return undefined;
  return msg(unique.map((s) => s.sv).join(' '), unique.map((s) => s.en).join(' '));
}

function unreadableAdvice(items: readonly JudgedCertificate[], source: CertificateSet['source']): Localized {
  if (source === 'card') {
    return msg(
      'Ett certifikat på kortet gick inte att läsa; kortet kan vara skadat. Låt kortadministratören kontrollera det.',
      'A certificate on the card could not be read; the card may be damaged. Have the card administrator check it.',
    );
  }
  const pfx = items.some((i) => !isAnalysed(i) && i.problem === 'pkcs12');
  return msg(
    `Exportera certifikatet igen, som DER eller Base-64 (.cer), och kör igen.${pfx ? ' Skicka aldrig .pfx- eller .p12-filer: de innehåller den privata nyckeln.' : ''}`,
    `Export the certificate again, as DER or Base-64 (.cer), and run again.${pfx ? ' Never send .pfx or .p12 files: they contain the private key.' : ''}`,
  );
}
