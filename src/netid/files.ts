import type { Localized } from '../i18n/index.js';
import type { FileSystem } from '../system.js';
import type { NetidInstallation } from './types.js';

/** What one platform's search found. */
export interface PlatformFindings {
  readonly installations: NetidInstallation[];
  /** Places looked at (keys, folders, files), in order. */
  readonly searched: string[];
  /** Evidence worth a line: a registry value of an unexpected type, a plist that does not parse. */
  readonly notes: Localized[];
  /** A source could not be read at all (reg.exe missing or hanging): "nothing found" is then no answer. */
  incomplete: boolean;
}

export function emptyFindings(): PlatformFindings {
  return { installations: [], searched: [], notes: [], incomplete: false };
}

/** A file name that looks like a PKCS#11 module: iidp11.dll, libiidp11.so, libfoo-pkcs11.dylib. */
const PKCS11_FILE = /(p11|pkcs11)[^\\/]*\.(dll|so|dylib)$/i;

/** Never list more of a folder than this: the folders we list hold programs or a program's files, not a system's. */
const MAX_LISTED = 2000;

export async function isFile(fs: FileSystem, path: string): Promise<boolean> {
  try {
    return (await fs.stat(path))?.isFile === true;
  } catch {
    return false; // EACCES and friends: not usable either
  }
}

export async function isDirectory(fs: FileSystem, path: string): Promise<boolean> {
  try {
    return (await fs.stat(path))?.isDirectory === true;
  } catch {
    return false;
  }
}

/** The names in a folder, sorted, at most MAX_LISTED; empty when it cannot be listed. */
export async function listDirectory(fs: FileSystem, path: string): Promise<string[]> {
  try {
    return (await fs.readdir(path)).slice(0, MAX_LISTED).sort();
  } catch {
    return [];
  }
}

/**
 * The PKCS#11 library in a program folder: the first of the well-known names
 * that exists, else the first file whose name looks like a PKCS#11 module.
 */
export async function findPkcs11Library(
  fs: FileSystem,
  dir: string,
  join: (...parts: string[]) => string,
  wellKnown: readonly string[],
): Promise<string | undefined> {
  for (const name of wellKnown) {
    const candidate = join(dir, name);
    if (await isFile(fs, candidate)) return candidate;
  }
  for (const name of await listDirectory(fs, dir)) {
    if (!PKCS11_FILE.test(name)) continue;
    const candidate = join(dir, name);
    if (await isFile(fs, candidate)) return candidate;
  }
  return undefined;
}

/** Keep the first of each, comparing with `key`. */
export function unique<T>(items: readonly T[], key: (item: T) => string = String): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
