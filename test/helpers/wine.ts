import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What a Windows program run under Wine printed, read back from files. */
export interface WineRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface WinePrefix {
  /** The prefix folder; drive C: is `${dir}/drive_c`. */
  readonly dir: string;
  /** The environment every Wine command of this prefix runs with. */
  readonly env: NodeJS.ProcessEnv;
  /** Runs a Windows program. stdout and stderr go to files: a piped one fails with EBADF under Wine. stdin is /dev/null. */
  run(program: string, args: readonly string[], options?: { timeoutMs?: number; env?: Record<string, string> }): Promise<WineRun>;
  /** `reg add KEY /v NAME /t REG_SZ /d DATA /f` with Wine's own reg.exe. */
  regAdd(key: string, name: string, data: string): Promise<void>;
  /** The Unix path of a Windows path on drive C: (`C:\Program Files\x` → `${dir}/drive_c/Program Files/x`). */
  unixPath(windowsPath: string): string;
  remove(): void;
}

/**
 * A throw-away Wine prefix that reports Windows 10 (Node refuses to start on
 * the older Windows that Wine reports by default). No Mono or Gecko: nothing
 * here needs .NET or a browser engine, and asking for them would hang on a
 * download.
 */
export async function createWinePrefix(): Promise<WinePrefix> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'siths-doctor-wine-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    WINEPREFIX: dir,
    WINEDEBUG: '-all',
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    // No X display: Wine must not try to open windows.
    DISPLAY: '',
  };
  let counter = 0;
  const run = (program: string, args: readonly string[], options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<WineRun> => {
    const n = counter++;
    const outFile = path.join(dir, `run-${n}.out`);
    const errFile = path.join(dir, `run-${n}.err`);
    const out = openSync(outFile, 'w');
    const err = openSync(errFile, 'w');
    const nul = openSync('/dev/null', 'r');
    return new Promise<WineRun>((resolve) => {
      const child = spawn('wine', [program, ...args], { env: { ...env, ...options.env }, stdio: [nul, out, err] });
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        for (const fd of [out, err, nul]) closeSync(fd);
        resolve({ code, stdout: readFileSync(outFile, 'utf8'), stderr: readFileSync(errFile, 'utf8') });
      });
    });
  };
  const prefix: WinePrefix = {
    dir,
    env,
    run,
    async regAdd(key, name, data) {
      const r = await run('reg', ['add', key, '/v', name, '/t', 'REG_SZ', '/d', data, '/f']);
      if (r.code !== 0) throw new Error(`reg add ${key} /v ${name} failed (${r.code}): ${r.stdout}${r.stderr}`);
    },
    unixPath(windowsPath) {
      const m = /^[cC]:\\(.*)$/.exec(windowsPath);
      if (!m) throw new Error(`not a C: path: ${windowsPath}`);
      return path.join(dir, 'drive_c', ...m[1]!.split('\\'));
    },
    remove() {
      // Wine's server lingers a few seconds after the last program; stop it before removing its prefix.
      spawnSync('wineserver', ['-k'], { env, stdio: 'ignore', timeout: 30_000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const setup = await run('winecfg', ['/v', 'win10']);
  if (setup.code !== 0) throw new Error(`winecfg /v win10 failed (${setup.code}): ${setup.stderr}`);
  return prefix;
}
