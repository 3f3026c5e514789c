import { durationText } from '../i18n/duration.js';
import { msg, type Localized } from '../i18n/index.js';
import type { TlsProbeError } from './errors.js';
import { bypassName } from './wording.js';

export interface FailureJudgement {
  readonly status: 'fail' | 'error';
  readonly summary: Localized;
  readonly advice: Localized;
}

/** A connection that never got as far as a certificate, in plain words: what happened, where, and what to do. */
export function judgeFailure(host: string, port: number, err: TlsProbeError): FailureJudgement {
  const { info } = err;
  const endpoint = info.endpoint ?? `${host}:${port}`;
  const domain = bypassName(host);
  const atProxy = info.at === 'proxy';
  const fail = (summary: Localized, advice: Localized): FailureJudgement => ({ status: 'fail', summary, advice });
  const askToAllow = msg(
    `En brandvägg eller proxy på vägen stoppar troligen inloggningstjänsten. Be IT att tillåta utgående HTTPS till ${domain}.`,
    `A firewall or proxy on the way probably blocks the login service. Ask IT to allow outgoing HTTPS to ${domain}.`,
  );
  const checkProxySetting = msg(
    'Proxyinställningen pekar på en proxy som inte svarar som den ska. Be IT kontrollera proxyinställningen.',
    'The proxy setting points to a proxy that does not answer as it should. Ask IT to check the proxy setting.',
  );
  const somethingAnswers = msg(
    `Något på vägen (en brandvägg, en proxy eller en inloggningssida för nätet) svarar i stället för inloggningstjänsten. Be IT att släppa igenom ${domain} orört.`,
    `Something on the way (a firewall, a proxy or a network login page) answers in place of the login service. Ask IT to let ${domain} through untouched.`,
  );

  switch (err.kind) {
    case 'dns':
      return atProxy
        ? fail(msg(`Proxyns namn i ${endpoint} gick inte att slå upp (DNS).`, `The proxy's name in ${endpoint} could not be looked up (DNS).`), checkProxySetting)
        : fail(
            msg(`Namnet ${host} gick inte att slå upp (DNS).`, `The name ${host} could not be looked up (DNS).`),
            msg(
              `Kontrollera att datorn är ansluten till nätet. Fungerar andra webbplatser, be IT kontrollera namnuppslagning (DNS) för ${domain}.`,
              `Check that the computer is connected to the network. If other sites work, ask IT to check name lookup (DNS) for ${domain}.`,
            ),
          );
    case 'refused':
      return atProxy
        ? fail(msg(`Proxyn ${endpoint} vägrade anslutningen.`, `The proxy ${endpoint} refused the connection.`), checkProxySetting)
        : fail(msg(`${endpoint} vägrade anslutningen.`, `${endpoint} refused the connection.`), askToAllow);
    case 'reset':
      return fail(
        atProxy
          ? msg(`Anslutningen till proxyn ${endpoint} bröts (reset).`, `The connection to the proxy ${endpoint} was cut off (reset).`)
          : msg(`Anslutningen till ${endpoint} bröts (reset) – ofta en brandvägg.`, `The connection to ${endpoint} was cut off (reset) – often a firewall.`),
        askToAllow,
      );
    case 'unreachable':
      return fail(
        msg(`Det finns ingen väg till ${endpoint} (nätet eller värden nås inte).`, `There is no route to ${endpoint} (network or host unreachable).`),
        msg('Kontrollera nätanslutningen och, om ni använder det, VPN.', 'Check the network connection and, if you use one, the VPN.'),
      );
    case 'network':
      return fail(msg(`Nätverksfel mot ${endpoint}: ${info.code ?? err.message}.`, `Network error towards ${endpoint}: ${info.code ?? err.message}.`), askToAllow);
    case 'timeout':
      return timedOut(err, host, endpoint, atProxy, askToAllow, checkProxySetting);
    case 'closed':
      return atProxy
        ? fail(msg(`Proxyn ${endpoint} stängde anslutningen utan att svara.`, `The proxy ${endpoint} closed the connection without answering.`), checkProxySetting)
        : fail(msg(`${endpoint} stängde anslutningen utan att svara på TLS-hälsningen.`, `${endpoint} closed the connection without answering the TLS greeting.`), askToAllow);
    case 'truncated':
      return fail(
        msg(
          `Anslutningen till ${endpoint} stängdes mitt i TLS-hälsningen (efter ${info.bytesRead ?? 0} byte).`,
          `The connection to ${endpoint} closed in the middle of the TLS greeting (after ${info.bytesRead ?? 0} bytes).`,
        ),
        askToAllow,
      );
    case 'proxy-auth': {
      const schemes = info.authSchemes?.length ? info.authSchemes.join(', ') : '';
      // 407 is the standard answer; some proxies (tinyproxy) answer wrong credentials with 401.
      const code = info.httpStatus ?? 407;
      return fail(
        info.credentialsSent
          ? msg(`Proxyn ${endpoint} godtog inte användarnamnet och lösenordet (${code}).`, `The proxy ${endpoint} rejected the user name and password (${code}).`)
          : msg(
              `Proxyn ${endpoint} kräver inloggning (${code})${schemes ? `; den erbjuder ${schemes}` : ''}.`,
              `The proxy ${endpoint} requires a login (${code})${schemes ? `; it offers ${schemes}` : ''}.`,
            ),
        msg(
          `Webbläsare loggar oftast in i proxyn automatiskt (Kerberos/NTLM), vilket den här kontrollen inte kan. Ange proxyinloggningen med --proxy http://användare:lösenord@proxy:port, eller fråga IT om ${domain} kan undantas från proxyinloggning.`,
          `Browsers usually log in to the proxy automatically (Kerberos/NTLM), which this check cannot do. Give the proxy login with --proxy http://user:password@proxy:port, or ask IT whether ${domain} can be exempt from proxy login.`,
        ),
      );
    }
    case 'proxy-forbidden':
      return fail(
        msg(`Proxyn ${endpoint} nekar anslutning till ${host} (403).`, `The proxy ${endpoint} refuses connections to ${host} (403).`),
        msg(`Be IT att tillåta ${domain} i proxyn.`, `Ask IT to allow ${domain} in the proxy.`),
      );
    case 'proxy-upstream':
      return fail(
        msg(`Proxyn ${endpoint} kunde inte nå ${host} (${info.httpStatus}).`, `The proxy ${endpoint} could not reach ${host} (${info.httpStatus}).`),
        msg(
          `Proxyn når inte inloggningstjänsten. Be IT kontrollera proxyns förbindelse och namnuppslagning för ${domain}.`,
          `The proxy cannot reach the login service. Ask IT to check the proxy's connection and name lookup for ${domain}.`,
        ),
      );
    case 'proxy-status':
      return fail(
        msg(`Proxyn ${endpoint} svarade ${info.httpStatus} i stället för att öppna en förbindelse till ${host}.`, `The proxy ${endpoint} answered ${info.httpStatus} instead of opening a connection to ${host}.`),
        msg(`Be IT kontrollera att proxyn tillåter ${domain}.`, `Ask IT to check that the proxy allows ${domain}.`),
      );
    case 'proxy-protocol':
      return fail(msg(`Proxyn ${endpoint} svarar inte som en HTTP-proxy.`, `The proxy ${endpoint} does not answer like an HTTP proxy.`), checkProxySetting);
    case 'proxy-tls':
      return fail(
        msg(`TLS-anslutningen till proxyn ${endpoint} misslyckades (${info.code ?? err.message}).`, `The TLS connection to the proxy ${endpoint} failed (${info.code ?? err.message}).`),
        checkProxySetting,
      );
    case 'not-tls':
      return fail(
        info.preview
          ? msg(`${endpoint} svarade inte med TLS utan med ”${info.preview}”.`, `${endpoint} did not answer with TLS but with “${info.preview}”.`)
          : msg(`${endpoint} svarade inte med TLS.`, `${endpoint} did not answer with TLS.`),
        somethingAnswers,
      );
    case 'tls-alert':
      return fail(
        msg(`${endpoint} avvisade TLS-handskakningen (${info.alert?.name ?? 'alert'}).`, `${endpoint} refused the TLS handshake (${info.alert?.name ?? 'alert'}).`),
        msg(
          'Servern, eller något på vägen, godtar inte webbläsarens TLS-inställningar. Skicka rapporten till IT.',
          "The server, or something on the way, does not accept a browser's TLS settings. Send this report to IT.",
        ),
      );
    case 'malformed':
      return fail(msg(`TLS-svaret från ${endpoint} är trasigt: ${err.message}.`, `The TLS answer from ${endpoint} is broken: ${err.message}.`), somethingAnswers);
    case 'too-large':
      return fail(
        msg(
          `${endpoint} skickade mer än någon riktig server gör (gräns ${info.limit}); läsningen avbröts.`,
          `${endpoint} sent more than any real server does (limit ${info.limit}); reading stopped.`,
        ),
        somethingAnswers,
      );
    case 'aborted':
      return {
        status: 'error',
        summary: msg(`Kontrollen av ${host} avbröts innan den var klar.`, `The check of ${host} was stopped before it finished.`),
        advice: msg('Kör igen. Om det upprepas, skicka rapporten till IT.', 'Run again. If it repeats, send the report to IT.'),
      };
  }
}

function timedOut(err: TlsProbeError, host: string, endpoint: string, atProxy: boolean, askToAllow: Localized, checkProxySetting: Localized): FailureJudgement {
  const s = durationText(err.info.limitMs ?? 0);
  const bytes = err.info.bytesRead ?? 0;
  switch (err.phase) {
    case 'dns':
      return {
        status: 'fail',
        summary: msg(`Namnuppslagningen av ${atProxy ? endpoint : host} tog mer än ${s.sv}.`, `Looking up ${atProxy ? endpoint : host} took more than ${s.en}.`),
        advice: msg('Namnuppslagningen (DNS) svarar inte. Kontrollera nätanslutningen eller be IT kontrollera DNS.', 'Name lookup (DNS) does not answer. Check the network connection or ask IT to check DNS.'),
      };
    case 'connect':
    case 'proxy':
      return {
        status: 'fail',
        summary: atProxy
          ? msg(`Proxyn ${endpoint} svarade inte inom ${s.sv}.`, `The proxy ${endpoint} did not answer within ${s.en}.`)
          : msg(`Inget svar från ${endpoint} inom ${s.sv}.`, `No answer from ${endpoint} within ${s.en}.`),
        advice: atProxy ? checkProxySetting : askToAllow,
      };
    case 'handshake':
      return {
        status: 'fail',
        summary: msg(
          `${endpoint} tog emot anslutningen men slutförde inte TLS-hälsningen inom ${s.sv} (${bytes} byte mottagna).`,
          `${endpoint} accepted the connection but did not complete the TLS greeting within ${s.en} (${bytes} bytes received).`,
        ),
        advice: msg(
          `Något på vägen håller anslutningen öppen utan att svara, ofta en brandvägg eller proxy. Be IT att släppa igenom ${bypassName(host)}.`,
          `Something on the way holds the connection open without answering, often a firewall or proxy. Ask IT to let ${bypassName(host)} through.`,
        ),
      };
  }
}
