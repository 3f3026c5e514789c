import path from 'node:path';
import type { ProbeContext } from '../model.js';
import { emptyFindings, findPkcs11Library, isDirectory, isFile, unique, type PlatformFindings } from './files.js';
import { PRODUCT_NAMES, type NetidEvidence, type NetidInstallation, type NetidProduct } from './types.js';
import { envValue, expandEnv } from './windows-env.js';
import { readRegistryClaims, type Claim } from './windows-registry.js';

const win = path.win32;
const SAC_LIBRARY = 'eTPKCS11.dll';

/** Program folders relative to Program Files, and the files that mark them as that product's. */
const FOLDERS: Record<'enterprise' | 'client', { dirs: readonly string[][]; markers: readonly string[]; libraries: readonly string[] }> = {
  enterprise: { dirs: [['Net iD']], markers: ['iid.exe', 'iidp11.dll'], libraries: ['iidp11.dll'] },
  client: { dirs: [['Net iD', 'Client'], ['Pointsharp', 'Net iD', 'Client']], markers: ['netid.exe'], libraries: [] },
};

/**
 * Windows: what the registry says (windows-registry.ts), then the folders on
 * disk, named by the registry or the installers' defaults.
 */
export async function findOnWindows(ctx: ProbeContext): Promise<PlatformFindings> {
  const findings = emptyFindings();
  const claims = await readRegistryClaims(ctx, findings);
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
  findings.installations.push(...appInstallations(claims, ctx.system.env));
  const sac = await sacInstallation(ctx, claims, findings);
  if (sac) findings.installations.push(sac);
  return findings;
}

/** Each SITHS eID app entry on its own: two entries of different packages is the mixing Inera warns against. */
function appInstallations(claims: readonly Claim[], env: ProbeContext['system']['env']): NetidInstallation[] {
  return claims
    .filter((c) => c.product === 'siths-eid')
    .map((c) => ({
      product: 'siths-eid' as const,
      productName: c.name ?? PRODUCT_NAMES['siths-eid'],
      ...(c.version ? { version: c.version } : {}),
      ...(c.dir ? { installPath: win.normalize(expandEnv(c.dir, env)) } : {}),
      ...(c.package ? { package: c.package } : {}),
      foundBy: [c.evidence],
    }));
}

/** SAC: its Uninstall entry, and its PKCS#11 library eTPKCS11.dll in System32 (facts: sac-library-windows). */
async function sacInstallation(ctx: ProbeContext, claims: readonly Claim[], findings: PlatformFindings): Promise<NetidInstallation | undefined> {
  const mine = claims.filter((c) => c.product === 'sac');
  const library = win.join(envValue(ctx.system.env, 'SystemRoot') ?? 'C:\\Windows', 'System32', SAC_LIBRARY);
  findings.searched.push(library);
  const hasLibrary = await isFile(ctx.system.fs, library);
  if (mine.length === 0 && !hasLibrary) return undefined;
  const claim = mine[0];
  return {
    product: 'sac',
    productName: PRODUCT_NAMES.sac,
    ...(claim?.version ? { version: claim.version } : {}),
    ...(claim?.dir ? { installPath: win.normalize(expandEnv(claim.dir, ctx.system.env)) } : {}),
    ...(hasLibrary ? { pkcs11Library: library } : {}),
    foundBy: unique([...mine.map((c) => c.evidence), ...(hasLibrary ? (['library-file'] as const) : [])]),
  };
}

/** Combine the registry's claims for one product with what is on disk. */
async function onDisk(ctx: ProbeContext, product: NetidProduct, claims: readonly Claim[], findings: PlatformFindings): Promise<NetidInstallation | undefined> {
  const fs = ctx.system.fs;
  const env = ctx.system.env;
  const mine = claims.filter((c) => c.product === product);
  const evidence: NetidEvidence[] = unique(mine.map((c) => c.evidence));
  const named = mine.map((c) => c.dir).filter((d): d is string => Boolean(d)).map((d) => expandEnv(d, env));
  const folder = product === 'enterprise' || product === 'client' ? FOLDERS[product] : undefined;
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
  const productName = product === 'enterprise' || product === 'client' ? PRODUCT_NAMES[product] : (mine.find((c) => c.name)?.name ?? PRODUCT_NAMES[product]);
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
