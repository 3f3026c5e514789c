import { msg, type Localized } from '../i18n/index.js';

/**
 * What siths-doctor knows about card software, each claim with the page it
 * comes from, like the CA table (src/x509/known-cas.ts). `confidence` says
 * how sure: `published` is written on the source page; `inferred` follows
 * from it but is not said in so many words; `unconfirmed` is what installers
 * are commonly seen to do and no page we could read states it. The verdicts
 * in verdict.ts cite these entries, and the report shows the source.
 */
export type Confidence = 'published' | 'inferred' | 'unconfirmed';

export interface Fact {
  readonly id: FactId;
  readonly claim: Localized;
  readonly source: string;
  readonly confidence: Confidence;
}

export type FactId =
  | 'enterprise-unsupported'
  | 'app-2.0-required'
  | 'app-2.0.8481-portal'
  | 'app-2.0.8325-server'
  | 'packages'
  | 'no-mixing'
  | 'md-certprop-off'
  | 'md-not-with-telia'
  | 'efos-net-id'
  | 'sac-library-windows'
  | 'sac-library-linux'
  | 'sac-library-macos'
  | 'app-uninstall-name'
  | 'sac-uninstall-name'
  | 'app-macos'
  | 'opensc-linux';

const AVVECKLING = 'https://inera.atlassian.net/wiki/spaces/IAM/pages/2653945869/Avveckling+och+samexistens+med+Net+iD+Enterprise';
/** "Ladda ner SITHS eID-app för Windows", an earlier version of the page (revision compared in Confluence). */
const LADDA_NER_2023 = 'https://inera.atlassian.net/wiki/pages/diffpages.action?originalId=3475274602&pageId=3475274632';
/** The same page as mirrored with its revision history (1.01: certificate propagation "SKA"; 1.02: 2.0.8325 for Server/VDI). */
const LADDA_NER_MIRROR = 'https://confluence.cgiostersund.se/pages/viewpage.action?pageId=220220520';
const LADDA_NER_MD = 'https://inera.atlassian.net/wiki/pages/diffpages.action?originalId=3475270619&pageId=3475269911';
const SMART_CARD_APP = 'https://inera.atlassian.net/wiki/pages/viewpage.action?pageId=3475274009';
const FK_TEKNISK = 'https://www.forsakringskassan.se/myndigheter/e-tjanster/e-identitet/teknisk-beskrivning';

export const FACTS: Readonly<Record<FactId, Fact>> = {
  'enterprise-unsupported': {
    id: 'enterprise-unsupported',
    claim: msg(
      'Inera slutade ge support för Net iD Enterprise inom SITHS-tjänsten 2023-06-30; SITHS eID-appen för Windows ersätter den.',
      'Inera stopped supporting Net iD Enterprise within the SITHS service on 2023-06-30; the SITHS eID app for Windows replaces it.',
    ),
    source: AVVECKLING,
    confidence: 'published',
  },
  'app-2.0-required': {
    id: 'app-2.0-required',
    claim: msg('Minst version 2.0 av SITHS eID-appen för Windows krävs sedan början av 2023.', 'At least version 2.0 of the SITHS eID app for Windows has been required since early 2023.'),
    source: LADDA_NER_2023,
    confidence: 'published',
  },
  'app-2.0.8481-portal': {
    id: 'app-2.0.8481-portal',
    claim: msg(
      'Sedan breddlanseringen av SITHS eID Portal krävs minst version 2.0.8481 av SITHS eID-appen för Windows.',
      'Since SITHS eID Portal went live for everyone, at least version 2.0.8481 of the SITHS eID app for Windows is required.',
    ),
    source: LADDA_NER_MIRROR,
    confidence: 'published',
  },
  'app-2.0.8325-server': {
    id: 'app-2.0.8325-server',
    claim: msg(
      'Version 2.0.8325 finns kvar för Windows Server och VDI (Citrix, VMware Horizon) på grund av problem med 2.0.8481 där.',
      'Version 2.0.8325 is still offered for Windows Server and VDI (Citrix, VMware Horizon) because of problems with 2.0.8481 there.',
    ),
    source: LADDA_NER_MIRROR,
    confidence: 'published',
  },
  packages: {
    id: 'packages',
    claim: msg(
      'Version 2 finns i paket: ”SITHS eID för Windows” med SAC som kortdrivrutin över PKCS#11, och MD-paket med SAC minidriver (inloggning med dubbelriktad TLS via Windows certifikatlager).',
      'Version 2 comes in packages: “SITHS eID för Windows” with SAC as the card driver over PKCS#11, and MD packages with the SAC minidriver (mutual TLS through the Windows certificate store).',
    ),
    source: AVVECKLING,
    confidence: 'published',
  },
  'no-mixing': {
    id: 'no-mixing',
    claim: msg(
      'Blanda inte paket: för att byta paket, avinstallera, starta om datorn och installera det nya.',
      'Do not mix packages: to change package, uninstall, restart the computer, then install the new one.',
    ),
    source: LADDA_NER_2023,
    confidence: 'published',
  },
  'md-certprop-off': {
    id: 'md-certprop-off',
    claim: msg(
      'För MD-paketen ska Microsofts tjänst för certifikatpropagering (CertPropSvc) stängas av.',
      "For the MD packages, Microsoft's certificate propagation service (CertPropSvc) must be turned off.",
    ),
    source: LADDA_NER_MIRROR,
    confidence: 'published',
  },
  'md-not-with-telia': {
    id: 'md-not-with-telia',
    claim: msg(
      'Telias SITHS Admin och Mina sidor behöver Net iD Enterprise; på sådana datorer ska inte MD-paketen installeras. Paketet utan MD fungerar med eller utan Net iD Enterprise.',
      "Telia's SITHS Admin and Mina sidor need Net iD Enterprise; such computers must not get the MD packages. The package without MD works with or without Net iD Enterprise.",
    ),
    source: LADDA_NER_2023,
    confidence: 'inferred',
  },
  'efos-net-id': {
    id: 'efos-net-id',
    claim: msg('Efos-kort används med Net iD som PKI-klient (Försäkringskassan).', 'Efos cards are used with Net iD as the PKI client (Försäkringskassan).'),
    source: FK_TEKNISK,
    // The page says "Net iD"; that it is Net iD Client today (not Enterprise) is not written there.
    confidence: 'inferred',
  },
  'sac-library-windows': {
    id: 'sac-library-windows',
    claim: msg('SAC installerar sitt PKCS#11-bibliotek som eTPKCS11.dll i System32.', 'SAC installs its PKCS#11 library as eTPKCS11.dll in System32.'),
    source: 'https://pdf-tools.com/docs/pdf-tools-sdk/api-reference/latest/dotnet/html/M_PdfTools_Crypto_Providers_Pkcs11_Module_Load.htm',
    // The page names etpkcs11.dll for Aladdin (SAC's origin); System32 is what installs are seen to do.
    confidence: 'unconfirmed',
  },
  'sac-library-linux': {
    id: 'sac-library-linux',
    claim: msg('SAC för Linux installerar /usr/lib/libeTPkcs11.so.', 'SAC for Linux installs /usr/lib/libeTPkcs11.so.'),
    source: 'https://gist.github.com/cristiroma',
    confidence: 'unconfirmed',
  },
  'sac-library-macos': {
    id: 'sac-library-macos',
    claim: msg('SAC för macOS installerar /usr/local/lib/libeTPkcs11.dylib.', 'SAC for macOS installs /usr/local/lib/libeTPkcs11.dylib.'),
    source: SMART_CARD_APP,
    confidence: 'unconfirmed',
  },
  'app-uninstall-name': {
    id: 'app-uninstall-name',
    claim: msg(
      'SITHS eID-appen syns i Program och funktioner med ett namn som innehåller ”SITHS eID”; MD-paketen har ”MD” i namnet.',
      'The SITHS eID app appears in Programs and Features under a name containing “SITHS eID”; the MD packages have “MD” in the name.',
    ),
    source: LADDA_NER_2023,
    confidence: 'unconfirmed',
  },
  'sac-uninstall-name': {
    id: 'sac-uninstall-name',
    claim: msg('SAC syns i Program och funktioner som ”SafeNet Authentication Client”.', 'SAC appears in Programs and Features as “SafeNet Authentication Client”.'),
    source: 'https://docplayer.net/3585683-SafeNet-Authentication-Client.html',
    confidence: 'unconfirmed',
  },
  'app-macos': {
    id: 'app-macos',
    claim: msg('Det finns en SITHS eID-app för smarta kort på Mac, med SAC (t.ex. app 1.0.8481 med SAC 10.8.267).', 'There is a SITHS eID app for smart cards on the Mac, with SAC (for example app 1.0.8481 with SAC 10.8.267).'),
    source: SMART_CARD_APP,
    confidence: 'published',
  },
  'opensc-linux': {
    id: 'opensc-linux',
    claim: msg(
      'Inera ger ingen SITHS eID-app för Linux; OpenSC:s PKCS#11-bibliotek läser SITHS-kortens PKCS#15-struktur.',
      "Inera offers no SITHS eID app for Linux; OpenSC's PKCS#11 library reads the SITHS cards' PKCS#15 layout.",
    ),
    source: LADDA_NER_MD,
    confidence: 'inferred',
  },
};

/** Inera's version minimums for the SITHS eID app for Windows. */
export const APP_MINIMUMS = {
  required: { version: '2.0', fact: 'app-2.0-required' },
  portal: { version: '2.0.8481', fact: 'app-2.0.8481-portal' },
  serverVdi: { version: '2.0.8325', fact: 'app-2.0.8325-server' },
} as const satisfies Record<string, { version: string; fact: FactId }>;

/** "claim (source)", for a note. */
export function citeFact(id: FactId): Localized {
  const f = FACTS[id];
  const sure = f.confidence === 'published' ? msg('', '') : f.confidence === 'inferred' ? msg(' [slutsats]', ' [inferred]') : msg(' [obekräftat]', ' [unconfirmed]');
  return msg(`${f.claim.sv}${sure.sv} Källa: ${f.source}`, `${f.claim.en}${sure.en} Source: ${f.source}`);
}

/** Compare dotted versions numerically: "2.0.8481.28506" vs "2.0.8325". Non-numeric parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.\s-]/).map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(/[.\s-]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
