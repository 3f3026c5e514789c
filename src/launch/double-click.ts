/**
 * Double-click mode on Windows: started with no arguments in a console window
 * of its own (Explorer gives a console program a new console, and this process
 * is the only one attached to it), the program runs every check, shows the
 * report and waits for Enter so the window does not vanish. From a prompt the
 * console is shared with cmd.exe or PowerShell, and under a script or a fleet
 * tool there is no console or no terminal on stdin: then it never waits.
 */
import { isatty } from 'node:tty';
import { msg, pick } from '../i18n/index.js';
import { preScanLang } from '../cli/common.js';
import { loadKoffi } from '../native/koffi.js';

/** How many processes share this process's console; 0 when there is none or it cannot be told. */
function consoleProcessCount(): number {
  try {
    const koffi = loadKoffi();
    const kernel32 = koffi.load('kernel32.dll');
    const getConsoleProcessList = kernel32.func('uint32 __stdcall GetConsoleProcessList(uint32 *list, uint32 count)');
    // koffi passes a typed array as the buffer itself.
    const list = new Uint32Array(4);
    return Number(getConsoleProcessList(list, list.length));
  } catch {
    return 0;
  }
}

/**
 * The decision, apart from the system calls: wait only for a bare start on
 * Windows, in a console of one's own, with a terminal on stdin. The checks are
 * functions, asked in this order, so a start with arguments asks nothing.
 */
export function shouldWait(args: readonly string[], platform: string, consoleCount: () => number, stdinIsTty: () => boolean): boolean {
  return args.length === 0 && platform === 'win32' && consoleCount() === 1 && stdinIsTty();
}

export function doubleClicked(argv: readonly string[]): boolean {
  return shouldWait(argv.slice(2), process.platform, consoleProcessCount, () => isatty(0));
}

/** Shows "Press Enter to close" and resolves at Enter (or when stdin ends). */
export function waitForEnter(): Promise<void> {
  const lang = preScanLang([], process.env);
  process.stdout.write(`\n${pick(msg('Tryck Enter för att stänga', 'Press Enter to close'), lang)}`);
  return new Promise((resolve) => {
    const done = (): void => {
      process.stdin.pause();
      resolve();
    };
    process.stdin.once('data', done);
    process.stdin.once('end', done);
    process.stdin.resume();
  });
}
