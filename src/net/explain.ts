import { durationText } from '../i18n/duration.js';
import { msg, type Localized } from '../i18n/index.js';
import type { NetError } from './errors.js';
import type { Phase } from './timings.js';

export const PHASE_NAME: Record<Phase, Localized> = {
  dns: msg('namnuppslagning (DNS)', 'name lookup (DNS)'),
  connect: msg('anslutning (TCP)', 'connecting (TCP)'),
  proxyConnect: msg('förbindelsen genom proxyn', 'the connection through the proxy'),
  tls: msg('TLS-handskakning', 'TLS handshake'),
  firstByte: msg('väntan på svar', 'waiting for the answer'),
  body: msg('läsning av sidan', 'reading the page'),
};

export interface Explanation {
  /** What happened, one sentence without a final full stop. */
  readonly cause: Localized;
  /** What to do about it. */
  readonly advice: Localized;
}

export interface ExplainContext {
  /** The per-phase time limit, for "did not answer within N s". */
  readonly timeoutMs: number;
}

const ASK_IT_NETWORK = msg(
  'Försök igen om en stund. Om felet finns kvar: be IT kontrollera brandvägg och proxy, och skicka med den här rapporten.',
  'Try again in a while. If it persists, ask IT to check the firewall and proxy, and include this report.',
);

/** A failed exchange in plain words, for a nurse on the phone and the helpdesk agent guiding them. */
export function explainNetError(err: NetError, ctx: ExplainContext): Explanation {
  const host = err.info.host;
  const where = err.info.atProxy ? msg(`proxyn ${host}`, `the proxy ${host}`) : msg(`servern ${host}`, `the server ${host}`);
  switch (err.kind) {
    case 'dns':
      return {
        cause: err.info.atProxy
          ? msg(`Proxyns namn ${host} gick inte att slå upp (DNS)`, `The proxy's name ${host} could not be looked up (DNS)`)
          : msg(`Namnet ${host} gick inte att slå upp (DNS)`, `The name ${host} could not be looked up (DNS)`),
        advice: msg(
          'Datorn hittar inte adressen. Kontrollera att nätverket fungerar genom att öppna någon annan webbplats; fungerar andra sidor, be IT kontrollera DNS och proxyinställningen.',
          'The computer cannot find the address. Check that the network works by opening another website; if other sites work, ask IT to check DNS and the proxy setting.',
        ),
      };
    case 'refused':
      return {
        cause: msg(`${cap(where.sv)} tog inte emot anslutningen`, `${cap(where.en)} refused the connection`),
        advice: err.info.atProxy
          ? msg('Proxyn svarar inte: den kan vara avstängd, eller så är proxyinställningen fel. Kontakta IT.', 'The proxy does not answer: it may be down, or the proxy setting is wrong. Contact IT.')
          : ASK_IT_NETWORK,
      };
    case 'unreachable':
      return {
        cause: msg(`${cap(where.sv)} går inte att nå från den här datorn`, `${cap(where.en)} cannot be reached from this computer`),
        advice: msg(
          'Kontrollera nätverksanslutningen (kabel, wifi, VPN). Fungerar den, kontakta IT.',
          'Check the network connection (cable, Wi-Fi, VPN). If it works, contact IT.',
        ),
      };
    case 'reset':
      return {
        cause: msg(`${cap(where.sv)} stängde anslutningen oväntat (${PHASE_NAME[err.phase].sv})`, `${cap(where.en)} closed the connection unexpectedly (${PHASE_NAME[err.phase].en})`),
        advice: ASK_IT_NETWORK,
      };
    case 'timeout': {
      const limit = durationText(ctx.timeoutMs);
      return {
        cause: msg(
          `${cap(where.sv)} svarade inte inom ${limit.sv} (${PHASE_NAME[err.phase].sv})`,
          `${cap(where.en)} did not answer within ${limit.en} (${PHASE_NAME[err.phase].en})`,
        ),
        advice: msg(
          'Anslutningen är för långsam eller stoppas i tysthet på vägen. Försök igen; om det upprepas, be IT kontrollera brandvägg och proxy.',
          'The connection is too slow or silently blocked on the way. Try again; if it repeats, ask IT to check the firewall and proxy.',
        ),
      };
    }
    case 'proxy-auth':
      return explainProxyAuth(err);
    case 'proxy-refused':
      return explainProxyRefused(err);
    case 'cert-untrusted':
      return {
        cause: msg(`Certifikatet från ${host} är utfärdat av någon som datorn inte litar på`, `The certificate from ${host} is issued by someone this computer does not trust`),
        advice: msg(
          'Oftast betyder det att en proxy granskar (bryter upp) den krypterade trafiken. Se kontrollen idp-tls för vem som utfärdat certifikatet, och be IT undanta SITHS-adresserna från TLS-inspektion.',
          'Most often a proxy inspects (breaks open) the encrypted traffic. See the idp-tls check for who issued the certificate, and ask IT to exempt the SITHS addresses from TLS inspection.',
        ),
      };
    case 'cert-wrong-host':
      return {
        cause: msg(`Certifikatet som ${host} visade upp gäller inte det namnet`, `The certificate ${host} presented is not valid for that name`),
        advice: msg(
          'Något annat svarar i serverns ställe, till exempel en proxy eller en inloggningssida för gästnätverk. Se kontrollen idp-tls och kontakta IT.',
          'Something else answers in place of the server, for example a proxy or a guest network login page. See the idp-tls check and contact IT.',
        ),
      };
    case 'cert-expired':
      return {
        cause: msg(`Certifikatet från ${host} ser ut att ha gått ut`, `The certificate from ${host} looks expired`),
        advice: msg(
          'Kontrollera först att datorns datum och tid stämmer (se kontrollen av klockan). Stämmer klockan har serverns certifikat gått ut: kontakta IT.',
          'First check that the computer’s date and time are right (see the clock check). If the clock is right, the server’s certificate has expired: contact IT.',
        ),
      };
    case 'cert-not-yet-valid':
      return {
        cause: msg(`Certifikatet från ${host} gäller inte ännu, så datorns klocka går troligen fel`, `The certificate from ${host} is not valid yet, so this computer's clock is probably wrong`),
        advice: msg('Ställ in rätt datum och tid på datorn (helst automatiskt) och försök igen.', 'Set the right date and time on the computer (preferably automatically) and try again.'),
      };
    case 'client-cert-required':
      return {
        cause: msg(`${host} ber om ett klientcertifikat (som vid inloggning med kort)`, `${host} asks for a client certificate (as a card login does)`),
        advice: msg('Det är väntat för inloggning med kort; webbläsaren skickar certifikatet från kortet via Net iD.', 'That is expected for a card login; the browser sends the certificate from the card through Net iD.'),
      };
    case 'tls':
      return {
        cause: msg(`TLS-handskakningen med ${host} misslyckades (${err.info.code ?? err.message})`, `The TLS handshake with ${host} failed (${err.info.code ?? err.message})`),
        // A TLS 1.2 server that demands a client certificate says only "handshake failure".
        advice:
          err.info.code === 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'
            ? msg(
              'Servern kan kräva ett klientcertifikat (kortet) redan i handskakningen; då skickar webbläsaren det via Net iD. Annars stör något på vägen den krypterade trafiken: kontakta IT och skicka med rapporten.',
              'The server may demand a client certificate (the card) in the handshake; the browser then sends it through Net iD. Otherwise something on the way interferes with encrypted traffic: contact IT and include the report.',
            )
          : msg(
              'Något på vägen stör den krypterade trafiken, ofta en proxy eller brandvägg som granskar TLS. Kontakta IT och skicka med rapporten.',
              'Something on the way interferes with encrypted traffic, often a proxy or firewall that inspects TLS. Contact IT and include the report.',
            ),
      };
    case 'protocol':
      return {
        cause: msg(`${cap(where.sv)} svarade inte med HTTP som väntat`, `${cap(where.en)} did not answer with HTTP as expected`),
        advice: ASK_IT_NETWORK,
      };
    case 'too-large':
      return {
        cause: msg(`Svaret från ${host} hade orimligt stora rubriker`, `The answer from ${host} had unreasonably large headers`),
        advice: ASK_IT_NETWORK,
      };
    case 'aborted':
      return {
        cause: msg('Kontrollen avbröts innan svaret kom', 'The check was stopped before the answer came'),
        advice: msg('Kör igen. Om det upprepas, skicka rapporten till IT.', 'Run again. If it repeats, send the report to IT.'),
      };
    default:
      return {
        cause: msg(`Anslutningen till ${host} misslyckades: ${err.message}`, `The connection to ${host} failed: ${err.message}`),
        advice: ASK_IT_NETWORK,
      };
  }
}

function explainProxyAuth(err: NetError): Explanation {
  const host = err.info.host;
  const schemes = err.info.proxyAuthSchemes ?? [];
  const scheme = schemes.length > 0 ? schemes.join(', ') : undefined;
  // The proxy's first choice decides: browsers answer NTLM and Negotiate by themselves.
  const windowsSignIn = /^(ntlm|negotiate|kerberos)$/i.test(schemes[0] ?? '');
  // 407 is the standard answer; some proxies (tinyproxy) answer wrong credentials with 401.
  const code = err.info.statusCode ?? 407;
  const cause = msg(
    `Proxyn ${host} kräver inloggning (${code}${scheme ? `, ${scheme}` : ''})`,
    `The proxy ${host} requires authentication (${code}${scheme ? `, ${scheme}` : ''})`,
  );
  if (windowsSignIn) {
    return {
      cause,
      advice: msg(
        'Proxyn vill ha en Windows-inloggning (NTLM/Kerberos). Webbläsaren sköter den själv, men siths-doctor kan inte. Når webbläsaren testsidan är detta inte felet.',
        'The proxy wants a Windows sign-in (NTLM/Kerberos). The browser does that by itself, siths-doctor cannot. If the browser reaches the test page, this is not the fault.',
      ),
    };
  }
  return {
    cause,
    advice: err.info.credentialsSent
      ? msg('Proxyn godtog inte användarnamnet och lösenordet. Kontrollera dem, eller fråga IT.', 'The proxy did not accept the user name and password. Check them, or ask IT.')
      : msg(
          'Proxyn vill ha användarnamn och lösenord, som webbläsaren brukar fråga efter. Når webbläsaren testsidan är detta inte felet; annars: fråga IT.',
          'The proxy wants a user name and password, which the browser usually asks for. If the browser reaches the test page, this is not the fault; otherwise ask IT.',
        ),
  };
}

function explainProxyRefused(err: NetError): Explanation {
  const host = err.info.host;
  const status = err.info.statusCode ?? 0;
  if (status === 403) {
    return {
      cause: msg(`Proxyn ${host} stoppade anslutningen (403)`, `The proxy ${host} blocked the connection (403)`),
      advice: msg(
        'Proxyn släpper inte igenom adressen. Be IT öppna proxyn för test.siths.se och *.idp.funktionstjanster.se (port 443).',
        'The proxy does not let the address through. Ask IT to open the proxy for test.siths.se and *.idp.funktionstjanster.se (port 443).',
      ),
    };
  }
  if (status >= 500) {
    return {
      cause: msg(`Proxyn ${host} kunde inte nå servern (${status})`, `The proxy ${host} could not reach the server (${status})`),
      advice: msg(
        'Proxyn kommer inte fram till servern: servern kan vara nere, eller så hittar proxyn den inte. Försök igen senare; kvarstår felet, be IT kontrollera proxyn.',
        'The proxy cannot get through to the server: the server may be down, or the proxy cannot find it. Try again later; if it persists, ask IT to check the proxy.',
      ),
    };
  }
  return {
    cause: msg(`Proxyn ${host} avböjde anslutningen (${status})`, `The proxy ${host} declined the connection (${status})`),
    advice: ASK_IT_NETWORK,
  };
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
