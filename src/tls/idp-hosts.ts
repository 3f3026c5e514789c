import { msg, same, type Localized } from '../i18n/index.js';

/** How a person logs in through a host. */
export type LoginMethod = 'card-mtls' | 'siths-eid-app' | 'bankid';

export const LOGIN_METHOD_NAMES: Record<LoginMethod, Localized> = {
  'card-mtls': msg('SITHS-kort på denna enhet (ömsesidig TLS med kortet)', 'SITHS card on this device (mutual TLS with the card)'),
  'siths-eid-app': msg('SITHS eID-appen (utanför webbläsaren, på denna eller annan enhet)', 'the SITHS eID app (out of band, on this or another device)'),
  bankid: same('BankID'),
};

/**
 * The login hosts idp-tls knows, with what each serves and where that is
 * written. A host matches by its exact name or, for `*.`, any name under it.
 * `--idp-host` replaces the list; an unknown host gets no methods.
 *
 * Not here, though wanted (issue 16): the names of Inera's IdP "secure
 * endpoints" used for "SITHS-kort på denna enhet" (mTLS) and of the SITHS
 * eID authentication service. Inera lists them in "Nätverksinställningar för
 * tjänster inom identitet och åtkomst"
 * (https://inera.atlassian.net/wiki/spaces/ST/pages/3475217087, revision 1.61
 * speaks of "secure-endpoints/domännamn för IdP:n"), but the stored copy
 * available here shows only the revision history, not the table. No name is
 * guessed: add them here with that page as source.
 */
export interface IdpHostEntry {
  /** "idp.inera.se" or "*.idp.funktionstjanster.se". */
  readonly pattern: string;
  readonly operator: string;
  readonly methods: readonly LoginMethod[];
  /**
   * Whether the first TLS handshake on this host asks for the card. False
   * when other methods share the host, so a card may be asked for only later
   * or on another path: then a missing request is no evidence of anything.
   */
  readonly asksForCardAtHandshake: boolean;
  readonly source: string;
  /** Examined by default (without --idp-host). */
  readonly defaultHost?: string;
}

export const IDP_HOSTS: readonly IdpHostEntry[] = [
  {
    pattern: '*.idp.funktionstjanster.se',
    operator: 'CGI (Funktionstjänster)',
    methods: ['card-mtls', 'bankid'],
    asksForCardAtHandshake: false,
    // The help page this tool grew from (seeds/000_9c3fee5ee11d569f.txt) names *.idp.funktionstjanster.se;
    // public client code logs in with BankID on m00-mg-local (/mg-local/auth/ccp11/grp/...) without a certificate (../shared/DESIGN.md).
    source: 'seeds/000_9c3fee5ee11d569f.txt; ../shared/DESIGN.md (m00-mg-local…/mg-local/auth/ccp11/grp in public client code)',
    defaultHost: 'm00-mg-local.idp.funktionstjanster.se',
  },
  {
    pattern: 'idp.inera.se',
    operator: 'Inera',
    methods: ['card-mtls', 'siths-eid-app'],
    // The login page offers the methods; the card itself goes to a separate secure (mTLS) endpoint.
    asksForCardAtHandshake: false,
    // Inera's production IdP, checked for reachability by Inera's own Webcert
    // (github.com/sklintyg/webcert, idpConnectivityService: idp.ineratest.org, idp.ineraqa.org, idp.inera.se);
    // its methods: "SITHS eID på annan enhet / denna enhet – via SITHS eID-appen", "SITHS-kort på denna enhet – via
    // dubbelriktad TLS" (Inera, "Anslutningsguide till IdP", inera.atlassian.net/wiki/spaces/ST/pages/4210852583).
    source:
      'https://github.com/sklintyg/webcert (idpConnectivityService); https://inera.atlassian.net/wiki/spaces/ST/pages/4210852583 (2.7 Anslutningsguide till IdP)',
    defaultHost: 'idp.inera.se',
  },
];

/** The hosts examined without --idp-host. */
export const DEFAULT_IDP_HOSTS: readonly string[] = IDP_HOSTS.flatMap((e) => (e.defaultHost ? [e.defaultHost] : []));

/** The table entry for a host name, if any. */
export function idpHostEntry(host: string): IdpHostEntry | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  return IDP_HOSTS.find((e) => (e.pattern.startsWith('*.') ? name === e.pattern.slice(2) || name.endsWith(e.pattern.slice(1)) : name === e.pattern));
}

/** "SITHS card on this device (…), BankID" for the notes. */
export function methodsText(entry: IdpHostEntry): Localized {
  const names = entry.methods.map((m) => LOGIN_METHOD_NAMES[m]);
  return msg(names.map((n) => n.sv).join('; '), names.map((n) => n.en).join('; '));
}
