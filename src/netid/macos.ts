import path from 'node:path';
import { msg } from '../i18n/index.js';
import type { ProbeContext } from '../model.js';
import { emptyFindings, findPkcs11Library, isDirectory, isFile, listDirectory, type PlatformFindings } from './files.js';
import { isBinaryPlist, MAX_PLIST_BYTES, parseXmlPlist, plistString, type PlistValue } from './plist.js';
import { PRODUCT_NAMES, productFromName, type NetidInstallation } from './types.js';

const posix = path.posix;

/** Bundle folders that may hold the PKCS#11 library, looked at one level deep each. */
const BUNDLE_LIBRARY_DIRS = ['Frameworks', 'MacOS', 'Resources', 'PlugIns', 'lib'];
/** Outside the bundle: where an installer may put it (the library name is Net iD Enterprise's, iidp11). */
const LIBRARY_NAMES = ['libiidp11.dylib', 'libnetid.dylib'];
const MAX_BUNDLES = 5;
const SAC_LIBRARY = '/usr/local/lib/libeTPkcs11.dylib';

/**
 * macOS: application bundles whose name contains "Net iD" in /Applications
 * and ~/Applications, their version from Contents/Info.plist, and the PKCS#11
 * library inside the bundle or in /usr/local/lib or ~/.iid/lib.
 */
export async function findOnMacos(ctx: ProbeContext): Promise<PlatformFindings> {
  const findings = emptyFindings();
  const fs = ctx.system.fs;
  const home = ctx.system.platform.homedir;
  const bundles: string[] = [];
  for (const dir of ['/Applications', posix.join(home, 'Applications')]) {
    findings.searched.push(posix.join(dir, '*Net iD*.app'));
    findings.searched.push(posix.join(dir, '*SITHS eID*.app'));
    for (const name of await listDirectory(fs, dir)) {
      if (/net\s*id|siths\s*e-?id/i.test(name) && /\.app$/i.test(name) && bundles.length < MAX_BUNDLES) bundles.push(posix.join(dir, name));
    }
  }

  const outside = ['/usr/local/lib', posix.join(home, '.iid', 'lib')].flatMap((dir) => LIBRARY_NAMES.map((name) => posix.join(dir, name)));
  let looseLibrary: string | undefined;
  for (const file of outside) {
    findings.searched.push(file);
    if (!looseLibrary && (await isFile(fs, file))) looseLibrary = file;
  }

  for (const bundle of bundles) {
    if (!(await isDirectory(fs, bundle))) continue;
    findings.installations.push(await readBundle(ctx, bundle, looseLibrary, findings));
  }
  // SAC, the SITHS eID app's card driver on the Mac (facts: app-macos, sac-library-macos).
  findings.searched.push(SAC_LIBRARY);
  if (await isFile(fs, SAC_LIBRARY)) {
    findings.installations.push({ product: 'sac', productName: PRODUCT_NAMES.sac, installPath: posix.dirname(SAC_LIBRARY), pkcs11Library: SAC_LIBRARY, foundBy: ['library-file'] });
  }
  if (!findings.installations.some((i) => i.pkcs11Library) && looseLibrary) {
    const product = /iidp11/i.test(looseLibrary) ? 'enterprise' : 'other';
    findings.installations.push({
      product,
      productName: PRODUCT_NAMES[product],
      installPath: posix.dirname(looseLibrary),
      pkcs11Library: looseLibrary,
      foundBy: ['library-file'],
    });
  }
  return findings;
}

async function readBundle(ctx: ProbeContext, bundle: string, looseLibrary: string | undefined, findings: PlatformFindings): Promise<NetidInstallation> {
  const fs = ctx.system.fs;
  const bundleName = posix.basename(bundle).replace(/\.app$/i, '');
  const plist = await readInfoPlist(ctx, posix.join(bundle, 'Contents', 'Info.plist'), findings);
  const displayName = (plist && plistString(plist, 'CFBundleName')) ?? bundleName;
  const version = plist && (plistString(plist, 'CFBundleShortVersionString') ?? plistString(plist, 'CFBundleVersion'));
  let library: string | undefined;
  for (const sub of BUNDLE_LIBRARY_DIRS) {
    const dir = posix.join(bundle, 'Contents', sub);
    findings.searched.push(dir);
    library = await findPkcs11Library(fs, dir, posix.join, LIBRARY_NAMES);
    if (library) break;
  }
  library ??= looseLibrary;
  const product = productFromName(`${bundleName} ${displayName}`);
  return {
    product,
    productName: product === 'other' ? bundleName : PRODUCT_NAMES[product],
    ...(version ? { version } : {}),
    installPath: bundle,
    ...(library ? { pkcs11Library: library } : {}),
    foundBy: library !== undefined && library === looseLibrary ? ['app-bundle', 'library-file'] : ['app-bundle'],
  };
}

/**
 * An XML Info.plist is read here; a binary one is converted by the system's
 * own plutil first. One that cannot be read gives a note and no version.
 */
async function readInfoPlist(ctx: ProbeContext, file: string, findings: PlatformFindings): Promise<PlistValue | undefined> {
  const fs = ctx.system.fs;
  const problem = (sv: string, en: string): undefined => {
    findings.notes.push(msg(`${file}: ${sv}; versionen kunde inte läsas.`, `${file}: ${en}; the version could not be read.`));
    return undefined;
  };
  let bytes: Buffer;
  try {
    const stat = await fs.stat(file);
    if (!stat?.isFile) return problem('filen saknas', 'the file is missing');
    if (stat.size > MAX_PLIST_BYTES) return problem(`filen är för stor (${stat.size} byte)`, `the file is too large (${stat.size} bytes)`);
    bytes = await fs.readFile(file);
  } catch (err) {
    return problem(`kunde inte läsas (${(err as Error).message})`, `could not be read (${(err as Error).message})`);
  }
  let xml: string | Buffer = bytes;
  if (isBinaryPlist(bytes)) {
    const converted = await plutilToXml(ctx, file);
    if (converted === undefined) return problem('binär plist som plutil inte kunde konvertera', 'a binary plist that plutil could not convert');
    xml = converted;
  }
  try {
    return parseXmlPlist(xml);
  } catch (err) {
    return problem(`går inte att tolka (${(err as Error).message})`, `does not parse (${(err as Error).message})`);
  }
}

async function plutilToXml(ctx: ProbeContext, file: string): Promise<string | undefined> {
  try {
    const result = await ctx.system.exec('/usr/bin/plutil', ['-convert', 'xml1', '-o', '-', file], {
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
      maxBuffer: MAX_PLIST_BYTES,
    });
    return result.code === 0 && !result.timedOut ? result.stdout : undefined;
  } catch {
    return undefined; // no plutil
  }
}
