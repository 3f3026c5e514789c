import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, startBin } from './helpers/cli.js';
import { describeWith } from './helpers/prereq.js';

// A long --timeout: a run that ignores Ctrl-C would go on for minutes; one that obeys ends long before.
const TIMEOUT_MS = 120_000;

/** A TCP server that accepts and never says a word: the test page hangs on it until --timeout. */
let silent: net.Server;
let sockets: net.Socket[] = [];
let url = '';
beforeAll(async () => {
  silent = net.createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  sockets = [];
  await new Promise((resolve) => silent.close(resolve));
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, get: () => T | undefined, limitMs: number): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Runs siths-doctor in a real terminal (a private tmux server), presses Ctrl-C
 * once it is waiting on the silent server, and returns the exit code and the
 * terminal's settings right after it ended (from `stty -a` in the same pty).
 */
async function ctrlCInTmux(format: 'text' | 'json'): Promise<{ code: number; stty: string; screen: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-tty-'));
  const sock = `sd-ctrlc-${process.pid}-${format}`;
  const script = path.join(dir, 'run.sh');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      // Like an interactive shell, survive the Ctrl-C meant for the run (a handler, not '', so the child gets the default back).
      "trap 'true' INT",
      `"${process.execPath}" "${BIN}" check test-page --no-proxy --test-url ${url} --timeout ${TIMEOUT_MS} --format ${format} --lang en`,
      `echo $? > "${dir}/code"`,
      `stty -a > "${dir}/stty"`,
      'sleep 600',
    ].join('\n'),
    { mode: 0o755 },
  );
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', sock, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  // A person's terminal: no CI variable (ora and the tool both hide the spinner under CI).
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
  delete env.CI;
  const started = spawnSync('tmux', ['-L', sock, '-f', '/dev/null', 'new-session', '-d', '-x', '120', '-y', '30', script], { env, encoding: 'utf8' });
  expect(started.status, started.stderr).toBe(0);
  try {
    return await drive();
  } catch (err) {
    throw new Error(`${(err as Error).message}; the terminal shows:\n${tmux('capture-pane', '-p').stdout}`);
  } finally {
    tmux('kill-server');
  }
  async function drive(): Promise<{ code: number; stty: string; screen: string }> {
    const before = sockets.length;
    await until('the run to connect to the silent server', () => (sockets.length > before ? true : undefined), 30_000);
    if (format === 'text') {
      await until('the spinner', () => (tmux('capture-pane', '-p').stdout.includes('Checking: ') ? true : undefined), 30_000);
      // Let the spinner settle in (ora puts the terminal in raw mode as it starts): the Ctrl-C must come while it spins.
      await sleep(1000);
    }
    tmux('send-keys', 'C-c');
    const code = await until('the run to end', () => (existsSync(`${dir}/stty`) ? readFileSync(`${dir}/code`, 'utf8') : undefined), 30_000);
    const stty = await until('stty', () => readFileSync(`${dir}/stty`, 'utf8') || undefined, 5_000);
    return { code: Number(code.trim()), stty, screen: tmux('capture-pane', '-p').stdout };
  }
}

describeWith('Ctrl-C in a real terminal', [{ need: 'tmux', debianPackage: 'tmux' }], () => {
  for (const format of ['text', 'json'] as const) {
    it(`ends a hung ${format} run with 130 and leaves the terminal as it was`, async () => {
      const run = await ctrlCInTmux(format);
      expect(run.code, run.screen).toBe(130);
      // Cooked mode again: line editing, echo and Ctrl-C as a signal (raw mode shows -icanon -echo -isig).
      expect(run.stty).toMatch(/(^|\s)icanon(\s|$)/);
      expect(run.stty).toMatch(/(^|\s)isig(\s|$)/);
      expect(run.stty).toMatch(/(^|\s)echo(\s|$)/);
      expect(run.screen).toContain('Interrupted.');
    }, 90_000);
  }

  it('ends a hung run without a terminal on SIGINT with 130', async () => {
    const before = sockets.length;
    const live = startBin(['check', 'test-page', '--no-proxy', '--test-url', url, '--timeout', String(TIMEOUT_MS), '--format', 'json']);
    await until('the run to connect', () => (sockets.length > before ? true : undefined), 30_000);
    live.kill('SIGINT');
    expect(await live.exit).toBe(130);
    expect(live.lines.join('')).toBe('');
  }, 90_000);
});
