import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { getAsset, isSea } from 'node:sea';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

/**
 * The per-user cache folder of this version: %LOCALAPPDATA%\siths-doctor\<version>
 * on Windows, ~/Library/Caches/… on macOS, $XDG_CACHE_HOME or ~/.cache/… elsewhere.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  const base =
    platform === 'win32'
      ? (env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'))
      : platform === 'darwin'
        ? path.join(home, 'Library', 'Caches')
        : (env.XDG_CACHE_HOME || path.join(home, '.cache'));
  return path.join(base, TOOL_NAME, TOOL_VERSION);
}

/**
 * A native module that travels inside the standalone executable as an SEA
 * asset, as a file a process can load: written once to the user's cache
 * folder (or the temp folder when that cannot be written), named by its
 * content hash, checked against the asset before each use and replaced
 * atomically when it differs. Undefined when not running as an executable.
 */
export function seaNativeFile(asset: string): string | undefined {
  if (!isSea()) return undefined;
  const bytes = Buffer.from(getAsset(asset));
  const hash = createHash('sha256').update(bytes).digest('hex');
  const name = `${path.basename(asset, '.node')}-${hash.slice(0, 16)}.node`;
  let firstError: unknown;
  for (const dir of [userCacheDir(), path.join(os.tmpdir(), `${TOOL_NAME}-${os.userInfo().username}`, TOOL_VERSION)]) {
    const file = path.join(dir, name);
    try {
      if (existsSync(file) && createHash('sha256').update(readFileSync(file)).digest('hex') === hash) return file;
      mkdirSync(dir, { recursive: true });
      // Write beside, then rename: a second siths-doctor starting at the same moment never loads half a file.
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, bytes, { mode: 0o755 });
      try {
        renameSync(partial, file);
      } catch (err) {
        rmSync(partial, { force: true });
        // Windows refuses to replace a file another process has loaded: use it when it is already right.
        if (!(existsSync(file) && createHash('sha256').update(readFileSync(file)).digest('hex') === hash)) throw err;
      }
      return file;
    } catch (err) {
      firstError ??= err;
    }
  }
  throw firstError;
}

/** Loads a native module file the way require() does, without needing a require that reaches the file system. */
export function dlopenFile(file: string): unknown {
  const module = { exports: {} as unknown };
  process.dlopen(module, file);
  return module.exports;
}

/**
 * A data file that a bundled package reads beside its own code (which a
 * bundle moves away from it): the SEA asset `asset` in the executable, else
 * the file at `relative` to the package's main module in node_modules.
 */
export async function packageData(asset: string, pkg: string, relative: string): Promise<Uint8Array> {
  if (isSea()) return new Uint8Array(getAsset(asset));
  const main = createRequire(import.meta.url).resolve(pkg);
  return readFile(path.join(path.dirname(main), relative));
}
