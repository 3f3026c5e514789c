import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { realFileSystem, type CommandRunner, type ExecResult, type FileStat, type FileSystem, type System } from '../../src/system.js';

export const NETID_FIXTURES = fileURLToPath(new URL('../../fixtures/netid/', import.meta.url));

/**
 * A Windows disk from a list of file paths: folders exist when a file is in
 * them, names compare case-insensitively and without trailing backslashes.
 */
export function recordedWindowsFileSystem(files: readonly string[]): FileSystem {
  const key = (p: string): string => path.win32.normalize(p).replace(/\\+$/, '').toLowerCase();
  const fileSet = new Set(files.map(key));
  const dirs = new Map<string, Set<string>>();
  for (const file of files) {
    let child = path.win32.normalize(file);
    for (let dir = path.win32.dirname(child); dir !== child; child = dir, dir = path.win32.dirname(dir)) {
      const names = dirs.get(key(dir)) ?? new Set<string>();
      names.add(path.win32.basename(child));
      dirs.set(key(dir), names);
    }
  }
  const stat = (isFile: boolean): FileStat => ({ isFile, isDirectory: !isFile, size: isFile ? 1024 : 0, mtime: new Date(0) });
  return {
    async stat(p) {
      if (fileSet.has(key(p))) return stat(true);
      if (dirs.has(key(p))) return stat(false);
      return undefined;
    },
    async readdir(p) {
      const names = dirs.get(key(p));
      if (!names) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return [...names];
    },
    async readFile(p) {
      throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    },
  };
}

/** Every absolute path under `root`: the real file system, moved into a temp folder. */
export function rootedFileSystem(root: string): FileSystem {
  const inside = (p: string): string => path.join(root, path.posix.normalize(p));
  return {
    stat: (p) => realFileSystem.stat(inside(p)),
    readdir: (p) => realFileSystem.readdir(inside(p)),
    readFile: (p) => realFileSystem.readFile(inside(p)),
  };
}

export interface RecordedCommand {
  readonly file?: string | RegExp;
  readonly args: readonly string[];
  readonly result: ExecResult;
}

/** Answers recorded commands; `fallback` answers the rest (or they fail as not installed). */
export function recordedExec(commands: readonly RecordedCommand[], fallback?: (file: string, args: readonly string[]) => ExecResult): CommandRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const run: CommandRunner = async (file, args) => {
    calls.push([file, ...args]);
    const found = commands.find(
      (c) =>
        (c.file === undefined || (typeof c.file === 'string' ? c.file === file : c.file.test(file))) &&
        c.args.length === args.length &&
        c.args.every((a, i) => a === args[i]),
    );
    if (found) return found.result;
    if (fallback) return fallback(file, args);
    throw Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' });
  };
  return Object.assign(run, { calls });
}

interface ScenarioFile {
  writtenForTests: string;
  describes: string;
  language: 'en' | 'sv';
  env: Record<string, string>;
  files: string[];
  commands: { args: string[]; stdout?: string; stderr?: string; code?: number }[];
}

/** Read a recorded output the way realExec reads a program's output: as UTF-8, whatever its code page. */
function output(file: string): string {
  return readFileSync(file).toString('utf8');
}

/** A recorded Windows machine from fixtures/netid/windows/<name>/: its environment, disk and reg.exe. */
export function windowsScenario(name: string): { system: Partial<System>; scenario: ScenarioFile; exec: ReturnType<typeof recordedExec> } {
  const dir = path.join(NETID_FIXTURES, 'windows', name);
  const common = path.join(NETID_FIXTURES, 'windows', 'common');
  const scenario = JSON.parse(readFileSync(path.join(dir, 'scenario.json'), 'utf8')) as ScenarioFile;
  const commands: RecordedCommand[] = scenario.commands.map((c) => ({
    file: /[\\/]reg\.exe$/i,
    args: c.args,
    result: {
      code: c.code ?? 0,
      stdout: c.stdout ? output(path.join(dir, c.stdout)) : '',
      stderr: c.stderr ? output(path.join(dir, c.stderr)) : '',
      timedOut: false,
    },
  }));
  const lang = scenario.language;
  const exec = recordedExec(commands, (file, args) => {
    if (!/[\\/]reg\.exe$/i.test(file)) throw Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' });
    if (args.includes('/f')) return { code: 1, stdout: output(path.join(common, `no-match.${lang}.stdout.txt`)), stderr: '', timedOut: false };
    return { code: 1, stdout: '', stderr: output(path.join(common, `missing-key.${lang}.stderr.txt`)), timedOut: false };
  });
  return {
    scenario,
    exec,
    system: {
      env: scenario.env,
      exec,
      fs: recordedWindowsFileSystem(scenario.files),
      platform: { os: 'win32', arch: 'x64', release: '10.0.22631', homedir: 'C:\\Users\\tolvan', nodeVersion: '20.20.0' },
    },
  };
}
