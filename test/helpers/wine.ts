import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './children.js';
import type { Prerequisite } from './prereq.js';

export const WINE_PREREQUISITES: readonly Prerequisite[] = [{ need: 'wine', debianPackage: 'wine' }];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The pinned Windows node.exe (scripts/node-runtime.mjs fetches it from npm once, checking npm's integrity). */
export async function windowsNode(): Promise<string> {
  const { code, stdout, stderr } = await runChild(process.execPath, [path.join(ROOT, 'scripts', 'node-runtime.mjs'), 'win-x64'], { env: process.env, timeoutMs: 300_000 });
  if (code !== 0) throw new Error(`scripts/node-runtime.mjs win-x64 failed (${code}): ${stderr}`);
  return stdout.trim();
}

/** A Linux path as Wine's Z: drive shows it. */
export function winePath(linuxPath: string): string {
  return 'Z:' + path.resolve(linuxPath).replace(/\//g, '\\');
}

export interface WineRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A throw-away Wine prefix set to Windows 10 (Node refuses to start on the
 * older Windows that Wine reports by default): one per test file (creating it
 * takes seconds to a minute), filled with the real `wine reg add` and files
 * under drive_c. No Mono or Gecko: nothing here needs .NET or a browser
 * engine, and asking for them would hang on a download. Wine's programs get
 * EBADF on pipes, so every run writes its output to files read afterwards.
 */
export class WinePrefix {
  private constructor(readonly dir: string) {}

  static async create(): Promise<WinePrefix> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'siths-wine-'));
    const prefix = new WinePrefix(dir);
    await prefix.wine(['wineboot', '-i'], 240_000);
    const version = await prefix.reg(['add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f']);
    if (version.code !== 0) throw new Error(`wine reg add (Windows 10) failed: ${version.stdout}${version.stderr}`);
    return prefix;
  }

  get env(): Record<string, string> {
    return { ...(process.env as Record<string, string>), WINEPREFIX: this.dir, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  }

  /** `wine reg <args>`: the registry is changed by Wine's own reg.exe, as an installer's would be by Windows'. */
  async reg(args: readonly string[]): Promise<WineRun> {
    return this.wine(['reg', ...args]);
  }

  /** Add a value, failing loudly when reg.exe refuses. */
  async addValue(key: string, name: string, data: string, type = 'REG_SZ'): Promise<void> {
    const r = await this.reg(['add', key, '/v', name, '/t', type, '/d', data, '/f']);
    if (r.code !== 0) throw new Error(`wine reg add ${key} /v ${name} failed (${r.code}): ${r.stdout}${r.stderr}`);
  }

  async deleteKey(key: string): Promise<void> {
    await this.reg(['delete', key, '/f']);
  }

  /** The Unix path of a Windows path on drive C: (`C:\\Program Files\\x` → `${dir}/drive_c/Program Files/x`). */
  unixPath(windowsPath: string): string {
    const m = /^C:\\(.*)$/i.exec(windowsPath);
    if (!m) throw new Error(`not a C: path: ${windowsPath}`);
    return path.join(this.dir, 'drive_c', ...m[1]!.split('\\'));
  }

  /** A file on drive C:, by its Windows path ("C:\\windows\\system32\\eTPKCS11.dll"). */
  putFile(windowsPath: string, content = 'not really a DLL'): void {
    const file = this.unixPath(windowsPath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }

  removeFile(windowsPath: string): void {
    rmSync(this.unixPath(windowsPath), { force: true });
  }

  /** Run a Windows program under this prefix, output through files; `env` adds to or unsets (undefined) the prefix's environment. */
  async wine(args: readonly string[], timeoutMs = 120_000, env: Record<string, string | undefined> = {}): Promise<WineRun> {
    const out = path.join(this.dir, `run-${process.hrtime.bigint()}`);
    const stdoutFd = openSync(`${out}.out`, 'w');
    const stderrFd = openSync(`${out}.err`, 'w');
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn('wine', [...args], { env: { ...this.env, ...env }, stdio: ['ignore', stdoutFd, stderrFd] });
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.on('error', reject);
        child.on('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      return { code, stdout: readFileSync(`${out}.out`, 'utf8'), stderr: readFileSync(`${out}.err`, 'utf8') };
    } finally {
      closeSync(stdoutFd);
      closeSync(stderrFd);
      rmSync(`${out}.out`, { force: true });
      rmSync(`${out}.err`, { force: true });
    }
  }

  /** Stop this prefix's wineserver and delete the prefix. */
  async remove(): Promise<void> {
    await runChild('wineserver', ['-k'], { env: this.env, timeoutMs: 30_000 }).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
