import type { CheckResult } from '../model.js';

/**
 * What the `netid` probe found, as `details` of its result. `netid-token`
 * reads the PKCS#11 library path from here through `netidDetailsOf`.
 */

/** Net iD Enterprise (SecMaker, the classic SITHS client), Net iD Client (Pointsharp, its successor), or another Net iD product. */
export type NetidProduct = 'enterprise' | 'client' | 'other';

export const PRODUCT_NAMES: Record<NetidProduct, string> = {
  enterprise: 'Net iD Enterprise',
  client: 'Net iD Client',
  other: 'Net iD',
};

/** The product a display or bundle name speaks of: "Net iD Enterprise", "Net iD Client", or just "Net iD". */
export function productFromName(name: string): NetidProduct {
  if (/enterprise/i.test(name)) return 'enterprise';
  if (/client/i.test(name)) return 'client';
  return 'other';
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
  readonly installations: readonly NetidInstallation[];
  /** The places looked at, so a "not installed" can be checked by hand. */
  readonly searched: readonly string[];
}

/** The netid details from a run's results, when `netid` ran and found something; undefined otherwise. */
export function netidDetailsOf(results: ReadonlyMap<string, CheckResult>): NetidDetails | undefined {
  const details = results.get('netid')?.details as Partial<NetidDetails> | undefined;
  if (!details || !Array.isArray(details.installations) || !Array.isArray(details.searched)) return undefined;
  if (details.pkcs11Library !== undefined && typeof details.pkcs11Library !== 'string') return undefined;
  return details as NetidDetails;
}
