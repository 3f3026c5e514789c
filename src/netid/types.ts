/** The card software check's id; `netid`, its id before SITHS moved on from Net iD, stays an alias on the command line. */
export const CARD_SOFTWARE_ID = 'card-software';
export const CARD_SOFTWARE_ALIASES = ['netid'] as const;

/**
 * What the `netid` probe found, as `details` of its result. `netid-token`
 * reads the PKCS#11 library path from here through `ctx.resultOf(netidProbe)`.
 */

/**
 * The card software a SITHS or Efos user may have: Net iD Enterprise
 * (SecMaker, the classic SITHS client), Net iD Client (Pointsharp, its
 * successor), another Net iD product, Inera's SITHS eID app, Thales SafeNet
 * Authentication Client (the app's card driver), or OpenSC (Linux).
 */
export type NetidProduct = 'enterprise' | 'client' | 'other' | 'siths-eid' | 'sac' | 'opensc';

export const PRODUCT_NAMES: Record<NetidProduct, string> = {
  enterprise: 'Net iD Enterprise',
  client: 'Net iD Client',
  other: 'Net iD',
  'siths-eid': 'SITHS eID-appen',
  sac: 'SafeNet Authentication Client (SAC)',
  opensc: 'OpenSC',
};

/** The SITHS eID app for Windows comes as "SITHS eID för Windows" (SAC over PKCS#11) or an MD package (SAC minidriver). */
export type AppPackage = 'sac-pkcs11' | 'md';

/** The product a display or bundle name speaks of. */
export function productFromName(name: string): NetidProduct {
  if (/siths\s*e-?id/i.test(name)) return 'siths-eid';
  if (/safenet\s+authentication\s+client/i.test(name)) return 'sac';
  if (/enterprise/i.test(name)) return 'enterprise';
  if (/client/i.test(name)) return 'client';
  return 'other';
}

/** The package of a SITHS eID app entry: "MD" as a word in its name marks the minidriver packages (facts: app-uninstall-name). */
export function packageFromName(name: string): AppPackage {
  return /(^|[\s_(-])MD([\s_)-]|$)/.test(name) ? 'md' : 'sac-pkcs11';
}

/** Net iD products, as opposed to the app, SAC and OpenSC. */
export function isNetid(product: NetidProduct): boolean {
  return product === 'enterprise' || product === 'client' || product === 'other';
}

/** Where the evidence for an installation came from. */
export type NetidEvidence =
  | 'option' // --pkcs11-module
  | 'registry' // HKLM\SOFTWARE\SecMaker\NetiD\Enterprise or HKLM\SOFTWARE\Pointsharp\NetiD\Client
  | 'uninstall-entry' // an Uninstall key whose DisplayName contains "Net iD"
  | 'install-folder' // the program folder on disk
  | 'app-bundle' // a macOS .app bundle
  | 'library-file'; // a PKCS#11 library in a well-known place

export interface NetidInstallation {
  readonly product: NetidProduct;
  readonly productName: string;
  readonly version?: string;
  readonly installPath?: string;
  readonly pkcs11Library?: string;
  /** The SITHS eID app's package, when the product is the app. */
  readonly package?: AppPackage;
  readonly foundBy: readonly NetidEvidence[];
}

export interface NetidDetails {
  /** The installation the token check uses (the first one with a PKCS#11 library), flattened for scripts. */
  readonly product?: NetidProduct;
  readonly productName?: string;
  readonly version?: string;
  readonly installPath?: string;
  readonly pkcs11Library?: string;
  /** `option` when --pkcs11-module chose the library, `search` when the probe found it. */
  readonly pkcs11LibrarySource?: 'option' | 'search';
  /** The card family the verdict was for: from card-cert when it ran, else both. */
  readonly judgedFor?: readonly ('siths' | 'efos')[];
  readonly installations: readonly NetidInstallation[];
  /** The places looked at, so a "not installed" can be checked by hand. */
  readonly searched: readonly string[];
}

