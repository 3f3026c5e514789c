import path from 'node:path';
import { msg } from '../i18n/index.js';
import type { ProbeContext } from '../model.js';
import { unique, type PlatformFindings } from './files.js';
import { findKey, parseRegQuery, stringValue, type RegKey } from './reg-query.js';
import { packageFromName, productFromName, type AppPackage, type NetidEvidence, type NetidProduct } from './types.js';
import { envValue, expandEnv } from './windows-env.js';

const win = path.win32;

/** Net iD's own keys (Enterprise: SecMaker docs; Client: Pointsharp docs, "[Install] ConfigurationGlobal"). */
const PRODUCT_KEYS: readonly { product: 'enterprise' | 'client'; key: string }[] = [
  { product: 'enterprise', key: 'HKLM\\SOFTWARE\\SecMaker\\NetiD\\Enterprise' },
  { product: 'enterprise', key: 'HKLM\\SOFTWARE\\WOW6432Node\\SecMaker\\NetiD\\Enterprise' },
  { product: 'client', key: 'HKLM\\SOFTWARE\\Pointsharp\\NetiD\\Client' },
  { product: 'client', key: 'HKLM\\SOFTWARE\\WOW6432Node\\Pointsharp\\NetiD\\Client' },
];
const UNINSTALL_KEYS = [
  'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
  'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
];
/** What the Uninstall searches look for in DisplayName (reg.exe /f matches a substring, case-insensitively). */
const UNINSTALL_SEARCHES = ['Net iD', 'SITHS eID', 'SafeNet Authentication Client'];
const CARD_SOFTWARE_NAME = /net\s*id|siths\s*e-?id|safenet\s+authentication\s+client/i;
/** Uninstall entries read one by one after the search; a real machine has one to three. */
const MAX_UNINSTALL_ENTRIES = 10;

export type RegRead = { readonly kind: 'keys'; readonly keys: RegKey[] } | { readonly kind: 'missing' } | { readonly kind: 'failed'; readonly reason: string };

/** What the registry says about one product, before looking on disk. */
export interface Claim {
  product: NetidProduct;
  name?: string;
  version?: string;
  dir?: string;
  package?: AppPackage;
  evidence: NetidEvidence;
}

/**
 * What the registry says, in two rounds of concurrent reg.exe queries: Net
 * iD's own keys and the Uninstall searches, then each Uninstall entry whose
 * DisplayName says Net iD. A query that fails marks the findings incomplete.
 */
export async function readRegistryClaims(ctx: ProbeContext, findings: PlatformFindings): Promise<Claim[]> {
  const env = ctx.system.env;
  const regExe = system32(env, 'reg.exe');
  const query = (args: readonly string[]): Promise<RegRead> => regQuery(ctx, regExe, args);

  const failed: string[] = [];
  const note = (read: RegRead, key: string): void => {
    if (read.kind === 'failed') failed.push(`${key}: ${read.reason}`);
  };

  // Round 1, concurrently: the product keys and the Uninstall searches.
  const productReads = PRODUCT_KEYS.map(({ key }) => query([key, '/s']));
  const searches = UNINSTALL_KEYS.flatMap((key) => UNINSTALL_SEARCHES.map((text) => ({ key, text })));
  const uninstallSearches = searches.map(({ key, text }) => query([key, '/s', '/f', text, '/d']));
  const claims: Claim[] = [];
  for (const [i, read] of (await Promise.all(productReads)).entries()) {
    const { product, key } = PRODUCT_KEYS[i]!;
    findings.searched.push(key);
    note(read, key);
    if (read.kind !== 'keys') continue;
    claims.push(productKeyClaim(product, key, read.keys, findings));
  }

  // Round 2: each Uninstall entry whose DisplayName names card software, read whole.
  const entryPaths: string[] = [];
  for (const [i, read] of (await Promise.all(uninstallSearches)).entries()) {
    const { key: searched, text } = searches[i]!;
    findings.searched.push(`${searched} (DisplayName *${text}*)`);
    note(read, searched);
    if (read.kind !== 'keys') continue;
    for (const key of read.keys) {
      if (key.values.some((v) => v.name.toLowerCase() === 'displayname' && CARD_SOFTWARE_NAME.test(v.data))) entryPaths.push(key.path);
    }
  }
  // reg.exe without /f (Wine's, and any that refuses the search): list the whole key once and filter here.
  const searchReads = await Promise.all(uninstallSearches);
  const unsearched = UNINSTALL_KEYS.filter((key) => searches.every((s, i) => s.key !== key || searchReads[i]!.kind === 'missing'));
  for (const [i, read] of (await Promise.all(unsearched.map((key) => query([key, '/s'])))).entries()) {
    findings.searched.push(`${unsearched[i]!} (/s)`);
    if (read.kind !== 'keys') continue;
    for (const key of read.keys) {
      if (key.values.some((v) => v.name.toLowerCase() === 'displayname' && CARD_SOFTWARE_NAME.test(v.data))) entryPaths.push(key.path);
    }
  }
  const entries = unique(entryPaths, (p) => p.toLowerCase()).slice(0, MAX_UNINSTALL_ENTRIES);
  for (const [i, read] of (await Promise.all(entries.map((key) => query([key])))).entries()) {
    note(read, entries[i]!);
    if (read.kind !== 'keys') continue;
    const claim = uninstallClaim(entries[i]!, read.keys, findings, env);
    if (claim) claims.push(claim);
  }

  if (failed.length > 0) {
    findings.incomplete = true;
    findings.notes.push(msg(`Kunde inte läsa registret: ${failed.join('; ')}`, `Could not read the registry: ${failed.join('; ')}`));
  }
  return claims;
}

/** One `reg.exe query` with `args`; a key that is not there is `missing`, reg.exe that cannot run or answer is `failed`. */
export async function regQuery(ctx: ProbeContext, regExe: string, args: readonly string[]): Promise<RegRead> {
  let result;
  try {
    result = await ctx.system.exec(regExe, ['query', ...args], { timeoutMs: ctx.timeoutMs, signal: ctx.signal, maxBuffer: 2 * 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { kind: 'failed', reason: e.code === 'ENOENT' ? `${regExe} not found` : e.message };
  }
  if (result.timedOut) return { kind: 'failed', reason: 'reg.exe did not answer in time' };
  const keys = parseRegQuery(result.stdout);
  if (keys.length > 0) return { kind: 'keys', keys };
  if (result.code === null) return { kind: 'failed', reason: 'reg.exe was stopped' };
  // reg.exe answered and showed nothing: the key is not there (exit 1), or a search matched nothing.
  return { kind: 'missing' };
}

/** HKLM\SOFTWARE\...\NetiD\<product>: the [Install] section holds Directory and Version. */
function productKeyClaim(product: NetidProduct, key: string, keys: readonly RegKey[], findings: PlatformFindings): Claim {
  const install = findKey(keys, `${key}\\Install`);
  const installPath = `${key}\\Install`;
  const dir = textValue(install, 'Directory', installPath, findings);
  const version = textValue(install, 'Version', installPath, findings);
  return {
    product,
    evidence: 'registry',
    ...(dir ? { dir } : {}),
    ...(version ? { version: product === 'enterprise' ? enterpriseVersion(version) : version } : {}),
  };
}

function uninstallClaim(entryPath: string, keys: readonly RegKey[], findings: PlatformFindings, env: ProbeContext['system']['env']): Claim | undefined {
  const entry = findKey(keys, entryPath) ?? keys[0];
  const name = textValue(entry, 'DisplayName', entryPath, findings);
  if (!name || !CARD_SOFTWARE_NAME.test(name)) return undefined;
  const version = textValue(entry, 'DisplayVersion', entryPath, findings);
  const location = textValue(entry, 'InstallLocation', entryPath, findings);
  const product = productFromName(name);
  return {
    product,
    name,
    ...(product === 'siths-eid' ? { package: packageFromName(name) } : {}),
    evidence: 'uninstall-entry',
    ...(version ? { version } : {}),
    ...(location ? { dir: expandEnv(location, env) } : {}),
  };
}

/** Net iD Enterprise writes its version as eight digits, two per part: 06080102 is 6.8.1.2 (SecMaker's settings reference). */
function enterpriseVersion(raw: string): string {
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(raw);
  return m ? m.slice(1).map(Number).join('.') : raw;
}

function textValue(key: RegKey | undefined, name: string, where: string, findings: PlatformFindings): string | undefined {
  const value = stringValue(key, name);
  if (value.kind === 'wrong-type') {
    findings.notes.push(
      msg(
        `${where}: värdet ${name} har typen ${value.type}, väntade text (REG_SZ); det hoppades över.`,
        `${where}: value ${name} has type ${value.type}, expected text (REG_SZ); ignored.`,
      ),
    );
    return undefined;
  }
  if (value.kind !== 'string' || value.value === '') return undefined;
  return value.value.replace(/^"(.*)"$/, '$1').slice(0, 1024);
}

/** A program in System32, found through SystemRoot as Windows itself does (never through PATH). */
export function system32(env: ProbeContext['system']['env'], program: string): string {
  return win.join(envValue(env, 'SystemRoot') ?? 'C:\\Windows', 'System32', program);
}
