import path from 'node:path';
import type { ProbeContext } from '../model.js';
import { emptyFindings, isDirectory, isFile, listDirectory, unique, type PlatformFindings } from './files.js';
import { PRODUCT_NAMES, type NetidInstallation, type NetidProduct } from './types.js';

const posix = path.posix;

/** Net iD's PKCS#11 library names on Linux: libiidp11.so (the Enterprise "iid" family), also seen as libnetid.so. */
const LIBRARY_NAMES = ['libiidp11.so', 'libnetid.so'];
/** Folders under /opt that may be Net iD's, and how many of them to look into. */
const OPT_NAME = /net\s*id|^iid|secmaker|pointsharp/i;
const MAX_OPT_DIRS = 5;

/** SAC for Linux (facts: sac-library-linux) and OpenSC (Debian, Fedora, and the p11-kit module folders of each). */
const SAC_NAME = 'libeTPkcs11.so';
const OPENSC_NAME = 'opensc-pkcs11.so';

const MULTIARCH: Partial<Record<string, string>> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu', ia32: 'i386-linux-gnu' };

/**
 * Linux: the per-user install in ~/.iid/lib, then well-known names in the
 * usual library folders (no walk through /usr/lib: only those names), then
 * folders in /opt whose names speak of Net iD, one or two levels down.
 */
export async function findOnLinux(ctx: ProbeContext): Promise<PlatformFindings> {
  const findings = emptyFindings();
  const fs = ctx.system.fs;
  const { homedir, arch } = ctx.system.platform;
  const iidHome = posix.join(homedir, '.iid');
  const multiarch = MULTIARCH[arch];

  const places: { dir: string; installPath: string }[] = [
    { dir: posix.join(iidHome, 'lib'), installPath: iidHome },
    ...['/usr/lib', '/usr/lib64', '/usr/local/lib', ...(multiarch ? [`/usr/lib/${multiarch}`] : [])].map((dir) => ({ dir, installPath: dir })),
  ];
  const optDirs = (await listDirectory(fs, '/opt')).filter((name) => OPT_NAME.test(name)).slice(0, MAX_OPT_DIRS);
  for (const name of optDirs) {
    const root = posix.join('/opt', name);
    const subdirs = (await listDirectory(fs, root)).filter((sub) => !sub.startsWith('.')).slice(0, 10);
    for (const dir of unique([root, ...['lib', 'lib64', ...subdirs.flatMap((s) => [s, posix.join(s, 'lib')])].map((s) => posix.join(root, s))])) {
      places.push({ dir, installPath: root });
    }
  }

  for (const { dir, installPath } of places) {
    for (const name of LIBRARY_NAMES) {
      const file = posix.join(dir, name);
      findings.searched.push(file);
      if (!(await isFile(fs, file))) continue;
      if (findings.installations.some((i) => i.pkcs11Library === file)) continue;
      const product: NetidProduct = name === 'libiidp11.so' ? 'enterprise' : 'other';
      findings.installations.push({ product, productName: PRODUCT_NAMES[product], installPath, pkcs11Library: file, foundBy: ['library-file'] });
    }
  }

  findings.installations.push(...(await otherMiddleware(ctx, multiarch, findings)));

  // Installed, but without its library: ~/.iid or an /opt folder with no library in it.
  const withLibrary = new Set(findings.installations.map((i) => i.installPath));
  for (const root of [iidHome, ...optDirs.map((name) => posix.join('/opt', name))]) {
    if (withLibrary.has(root) || !(await isDirectory(fs, root))) continue;
    const product: NetidProduct = root === iidHome ? 'enterprise' : 'other';
    findings.installations.push({ product, productName: PRODUCT_NAMES[product], installPath: root, foundBy: ['install-folder'] });
  }
  return findings;
}

/** SAC's and OpenSC's PKCS#11 libraries in the usual library folders: the first of each found. */
async function otherMiddleware(ctx: ProbeContext, multiarch: string | undefined, findings: PlatformFindings): Promise<NetidInstallation[]> {
  const fs = ctx.system.fs;
  const libDirs = [...(multiarch ? [`/usr/lib/${multiarch}`] : []), '/usr/lib64', '/usr/lib', '/usr/local/lib'];
  const found: NetidInstallation[] = [];
  const wanted: { product: 'sac' | 'opensc'; dirs: string[]; name: string }[] = [
    { product: 'sac', dirs: libDirs, name: SAC_NAME },
    { product: 'opensc', dirs: libDirs.flatMap((d) => [d, posix.join(d, 'pkcs11')]), name: OPENSC_NAME },
  ];
  for (const { product, dirs, name } of wanted) {
    for (const dir of dirs) {
      const file = posix.join(dir, name);
      findings.searched.push(file);
      if (!(await isFile(fs, file))) continue;
      found.push({ product, productName: PRODUCT_NAMES[product], installPath: dir, pkcs11Library: file, foundBy: ['library-file'] });
      break;
    }
  }
  return found;
}
