import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Prerequisite } from './prereq.js';

export const TERMINAL_PREREQUISITES: readonly Prerequisite[] = [{ need: 'tmux', debianPackage: 'tmux' }];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `get` until it gives a value; throws naming `what` after `limitMs`. */
export async function until<T>(what: string, get: () => T | undefined, limitMs: number): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * A real terminal: a private tmux server running `lines` as a shell script in
 * a pty of the given size. The script's exit status of the command under test
 * is what `finished` reads: write it with `echo $? > "$DONE"`. The session
 * stays open afterwards so the screen can still be read.
 */
export class Terminal {
  private constructor(
    private readonly socket: string,
    readonly dir: string,
  ) {}

  static open(name: string, lines: readonly string[], env: NodeJS.ProcessEnv, size = { columns: 120, rows: 30 }): Terminal {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-tty-'));
    const script = path.join(dir, 'run.sh');
    writeFileSync(script, ['#!/bin/sh', `DONE="${dir}/code"`, ...lines, 'sleep 600'].join('\n'));
    chmodSync(script, 0o755);
    const terminal = new Terminal(`sd-${name}-${process.pid}`, dir);
    const started = terminal.tmux(['new-session', '-d', '-x', String(size.columns), '-y', String(size.rows), script], env);
    if (started.status !== 0) throw new Error(`tmux new-session failed: ${started.stderr}`);
    return terminal;
  }

  /** What the terminal shows now. */
  screen(): string {
    return this.tmux(['capture-pane', '-p']).stdout;
  }

  /** Type keys, as tmux names them ('Enter', 'C-c'). */
  keys(...keys: string[]): void {
    this.tmux(['send-keys', ...keys]);
  }

  /** The exit status the script wrote to $DONE, or undefined while the command runs. */
  finished(): number | undefined {
    const file = path.join(this.dir, 'code');
    const text = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    return text === '' ? undefined : Number(text);
  }

  /** Run `body` on this terminal and close it after; a failure says what the terminal showed. */
  async drive<T>(body: (terminal: Terminal) => Promise<T>): Promise<T> {
    try {
      return await body(this);
    } catch (err) {
      throw new Error(`${(err as Error).message}; the terminal shows:\n${this.screen()}`);
    } finally {
      this.close();
    }
  }

  close(): void {
    this.tmux(['kill-server']);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private tmux(args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    return spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { env, encoding: 'utf8' });
  }
}
