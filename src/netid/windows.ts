import path from 'node:path';
import { msg } from '../i18n/index.js';
import type { ProbeContext } from '../model.js';
import { emptyFindings, findPkcs11Library, isDirectory, isFile, unique, type PlatformFindings } from './files.js';
import { findKey, parseRegQuery, stringValue, type RegKey } from './reg-query.js';
import { PRODUCT_NAMES, productFromName, type NetidEvidence, type NetidInstallation, type NetidProduct } from './types.js';

const win = path.win32;

/** Net iD's own keys (Enterprise: SecMaker docs; Client: Pointsharp docs, "[Install] ConfigurationGlobal"). */
const PRODUCT_KEYS: readonly { product: Exclude<NetidProduct, 'other'>; key: string }[] = [
  { product: 'enterprise', key: 'HKLM\\SOFTWARE\\SecMaker\\NetiD\\Enterprise' },
  { product: 'enterprise', key: 'HKLM\\SOFTWARE\\WOW6432Node\\SecMaker\\NetiD\\Enterprise' },
  { product: 'client', key: 'HKLM\\SOFTWARE\\Pointsharp\\NetiD\\Client' },
  { product: 'client', key: 'HKLM\\SOFTWARE\\WOW6432Node\\Pointsharp\\NetiD\\Client' },
];
const UNINSTALL_KEYS = [
  'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
  'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
];
/** Uninstall entries read one by one after the search; a real machine has one or two. */
const MAX_UNINSTALL_ENTRIES = 6;

/** Program folders relative to Program Files, and the files that mark them as that product's. */
const FOLDERS: Record<Exclude<NetidProduct, 'other'>, { dirs: readonly string[][]; markers: readonly string[]; libraries: readonly string[] }> = {
  enterprise: { dirs: [['Net iD']], markers: ['iid.exe', 'iidp11.dll'], libraries: ['iidp11.dll'] },
  client: { dirs: [['Net iD', 'Client'], ['Pointsharp', 'Net iD', 'Client']], markers: ['netid.exe'], libraries: [] },
};

type RegRead = { readonly kind: 'keys'; readonly keys: RegKey[] } | { readonly kind: 'missing' } | { readonly kind: 'failed'; readonly reason: string };

/** What the registry says about one product, before looking on disk. */
interface Claim {
  product: NetidProduct;
  name?: string;
  version?: string;
  dir?: string;
  evidence: NetidEvidence;
}

export async function findOnWindows(ctx: ProbeContext): Promise<PlatformFindings> {
  const findings = emptyFindings();
  const env = ctx.system.env;
  const regExe = win.join(envValue(env, 'SystemRoot') ?? 'C:\\Windows', 'System32', 'reg.exe');
  const query = (args: readonly string[]): Promise<RegRead> => regQuery(ctx, regExe, args);

  const failed: string[] = [];
  const note = (read: RegRead, key: string): void => {
    if (read.kind === 'failed') failed.push(`${key}: ${read.reason}`);
  };

  // Round 1, concurrently: the product keys and the Uninstall searches.
  const productReads = PRODUCT_KEYS.map(({ key }) => query([key, '/s']));
  const uninstallSearches = UNINSTALL_KEYS.map((key) => query([key, '/s', '/f', 'Net iD', '/d']));
  const claims: Claim[] = [];
  for (const [i, read] of (await Promise.all(productReads)).entries()) {
    const { product, key } = PRODUCT_KEYS[i]!;
    findings.searched.push(key);
    note(read, key);
    if (read.kind !== 'keys') continue;
    claims.push(productKeyClaim(product, key, read.keys, findings));
  }

  // Round 2: each Uninstall entry whose DisplayName says Net iD, read whole.
  const entryPaths: string[] = [];
  for (const [i, read] of (await Promise.all(uninstallSearches)).entries()) {
    findings.searched.push(`${UNINSTALL_KEYS[i]!} (DisplayName *Net iD*)`);
    note(read, UNINSTALL_KEYS[i]!);
    if (read.kind !== 'keys') continue;
    for (const key of read.keys) {
      if (key.values.some((v) => v.name.toLowerCase() === 'displayname' && /net\s*id/i.test(v.data))) entryPaths.push(key.path);
    }
  }
  const entries = unique(entryPaths, (p) => p.toLowerCase()).slice(0, MAX_UNINSTALL_ENTRIES);
  for (const [i, read] of (await Promise.all(entries.map((key) => query([key])))).entries()) {
    note(read, entries[i]!);
    if (read.kind !== 'keys') continue;
    const claim = uninstallClaim(entries[i]!, read.keys, findings, env);
    if (claim) claims.push(claim);
  }

  // Round 3: the folders on disk, named by the registry or the installers' defaults.
  for (const product of ['client', 'enterprise'] as const) {
    const installation = await onDisk(ctx, product, claims, findings);
    if (installation) findings.installations.push(installation);
  }
  // An entry named only "Net iD" that points into a folder already found belongs to that installation.
  const others: Claim[] = [];
  for (const claim of claims.filter((c) => c.product === 'other')) {
    const index = findings.installations.findIndex((i) => claim.dir && i.installPath && folderKey(i.installPath) === folderKey(claim.dir));
    const owner = findings.installations[index];
    if (!owner) {
      others.push(claim);
      continue;
    }
    findings.installations[index] = {
      ...owner,
      ...(owner.version || !claim.version ? {} : { version: claim.version }),
      foundBy: unique([...owner.foundBy, claim.evidence]),
    };
  }
  const other = await onDisk(ctx, 'other', others, findings);
  if (other) findings.installations.push(other);

  if (failed.length > 0) {
    findings.incomplete = true;
    findings.notes.push(msg(`Kunde inte läsa registret: ${failed.join('; ')}`, `Could not read the registry: ${failed.join('; ')}`));
  }
  return findings;
}

async function regQuery(ctx: ProbeContext, regExe: string, args: readonly string[]): Promise<RegRead> {
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
  if (!name || !/net\s*id/i.test(name)) return undefined;
  const version = textValue(entry, 'DisplayVersion', entryPath, findings);
  const location = textValue(entry, 'InstallLocation', entryPath, findings);
  return {
    product: productFromName(name),
    name,
    evidence: 'uninstall-entry',
    ...(version ? { version } : {}),
    ...(location ? { dir: expandEnv(location, env) } : {}),
  };
}

/** Net iD Enterprise writes its version as eight digits, two per part: 06080102 is 6.8.1.2 (SecMaker's settings reference). */
export function enterpriseVersion(raw: string): string {
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

/** Combine the registry's claims for one product with what is on disk. */
async function onDisk(ctx: ProbeContext, product: NetidProduct, claims: readonly Claim[], findings: PlatformFindings): Promise<NetidInstallation | undefined> {
  const fs = ctx.system.fs;
  const env = ctx.system.env;
  const mine = claims.filter((c) => c.product === product);
  const evidence: NetidEvidence[] = unique(mine.map((c) => c.evidence));
  const named = mine.map((c) => c.dir).filter((d): d is string => Boolean(d)).map((d) => expandEnv(d, env));
  const folder = product === 'other' ? undefined : FOLDERS[product];
  const defaults = folder ? programFilesDirs(env).flatMap((pf) => folder.dirs.map((parts) => win.join(pf, ...parts))) : [];

  let installPath: string | undefined;
  let pkcs11Library: string | undefined;
  const namedKeys = new Set(named.map(folderKey));
  for (const dir of unique([...named, ...defaults].map((d) => win.normalize(d).replace(/\\+$/, '')), folderKey)) {
    findings.searched.push(dir);
    if (!(await isDirectory(fs, dir))) continue;
    const isNamed = namedKeys.has(folderKey(dir));
    let marked = false;
    for (const marker of folder?.markers ?? []) if (await isFile(fs, win.join(dir, marker))) marked = true;
    if (!isNamed && !marked) continue; // Program Files\Net iD also exists as the parent of Net iD\Client
    installPath ??= dir;
    if (marked && !evidence.includes('install-folder')) evidence.push('install-folder');
    pkcs11Library = await findPkcs11Library(fs, dir, win.join, folder?.libraries ?? []);
    if (pkcs11Library) {
      installPath = dir;
      break;
    }
  }
  if (evidence.length === 0) return undefined;
  const version = mine.find((c) => c.evidence === 'uninstall-entry' && c.version)?.version ?? mine.find((c) => c.version)?.version;
  const productName = product === 'other' ? (mine.find((c) => c.name)?.name ?? PRODUCT_NAMES.other) : PRODUCT_NAMES[product];
  return {
    product,
    productName,
    ...(version ? { version } : {}),
    ...(installPath ? { installPath } : {}),
    ...(pkcs11Library ? { pkcs11Library } : {}),
    foundBy: evidence,
  };
}

/** Folders compare as Windows compares them: case-insensitively, with or without a trailing backslash. */
function folderKey(dir: string): string {
  return win.normalize(dir).replace(/\\+$/, '').toLowerCase();
}

/** Program Files as the process sees it: a 32-bit process gets "Program Files (x86)" in ProgramFiles, so look at all. */
function programFilesDirs(env: ProbeContext['system']['env']): string[] {
  const dirs = ['ProgramW6432', 'ProgramFiles', 'ProgramFiles(x86)'].map((name) => envValue(env, name)).filter((d): d is string => Boolean(d));
  return unique([...dirs, 'C:\\Program Files'], (d) => d.toLowerCase());
}

/** Windows variables are case-insensitive: %ProgramFiles% and %PROGRAMFILES% are the same. */
function envValue(env: ProbeContext['system']['env'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(env)) if (k.toLowerCase() === wanted && v) return v;
  return undefined;
}

/** %VARIABLE% expansion as Windows does it for REG_EXPAND_SZ; an unknown variable stays as written. */
export function expandEnv(text: string, env: ProbeContext['system']['env']): string {
  return text.replace(/%([^%\\]+)%/g, (all, name: string) => envValue(env, name) ?? all);
}
