import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, startBin } from './helpers/cli.js';
import { describeWith } from './helpers/prereq.js';
import { Terminal, TERMINAL_PREREQUISITES, until } from './helpers/terminal.js';

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

/**
 * Runs siths-doctor in a real terminal, presses Ctrl-C once it is waiting on
 * the silent server, and returns the exit code and the terminal's settings
 * right after it ended (from `stty -a` in the same pty).
 */
async function ctrlCInTmux(format: 'text' | 'json'): Promise<{ code: number; stty: string; screen: string }> {
  // A person's terminal: no CI variable (ora and the tool both hide the spinner under CI).
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
  delete env.CI;
  const terminal = Terminal.open(
    `ctrlc-${format}`,
    [
      // Like an interactive shell, survive the Ctrl-C meant for the run (a handler, not '', so the child gets the default back).
      "trap 'true' INT",
      `"${process.execPath}" "${BIN}" check test-page --no-proxy --test-url ${url} --timeout ${TIMEOUT_MS} --format ${format} --lang en`,
      'CODE=$?',
      'stty -a > "$DONE.stty"',
      'echo $CODE > "$DONE"',
    ],
    env,
  );
  return terminal.drive(async () => {
    const before = sockets.length;
    await until('the run to connect to the silent server', () => (sockets.length > before ? true : undefined), 30_000);
    if (format === 'text') {
      await until('the spinner', () => (terminal.screen().includes('Checking: ') ? true : undefined), 30_000);
      // Let the spinner settle in (ora puts the terminal in raw mode as it starts): the Ctrl-C must come while it spins.
      await sleep(1000);
    }
    terminal.keys('C-c');
    const code = await until('the run to end', () => terminal.finished(), 30_000);
    const stty = readFileSync(path.join(terminal.dir, 'code.stty'), 'utf8');
    return { code, stty, screen: terminal.screen() };
  });
}

describeWith('Ctrl-C in a real terminal', TERMINAL_PREREQUISITES, () => {
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
