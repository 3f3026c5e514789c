import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stopChild, waitFor } from './children.js';
import type { Prerequisite } from './prereq.js';

/** What the PC/SC end-to-end suites need installed (and root, for the private mount namespace). */
export const PCSC_PREREQUISITES: readonly Prerequisite[] = [
  { need: 'pcscd', debianPackage: 'pcscd' },
  { need: '/usr/lib/pcsc/drivers/serial/libifdvpcd.so', debianPackage: 'vsmartcard-vpcd' },
  { need: 'unshare', debianPackage: 'util-linux' },
];

/**
 * A pcscd of the test's own, with the vpcd virtual reader driver, that the
 * system's pcscd (if any) never sees.
 *
 * pcscd 1.9 always listens on /run/pcscd/pcscd.comm (it ignores
 * PCSCLITE_CSOCK_NAME), so it runs in a private mount namespace where a
 * temporary folder is bound over /run/pcscd (and, when not root, in a user
 * namespace that maps the user to root). Clients outside find it through
 * PCSCLITE_CSOCK_NAME=<folder>/pcscd.comm; pass `env` to every process that
 * should use it. vpcd listens on `port` (reader "Virtual PCD 00 00") and
 * `port + 1` ("Virtual PCD 00 01"); our card emulator connects there.
 */
export interface PrivatePcscd {
  readonly dir: string;
  readonly socket: string;
  readonly env: { readonly PCSCLITE_CSOCK_NAME: string };
  /** vpcd's first slot; the second is port + 1. */
  readonly port: number;
  readonly readers: readonly [string, string];
  /** The daemon's log (stderr), for failure messages. */
  log(): string;
  /** Stop the daemon and wait until it is gone. Also removes the folder unless `keepDir`. */
  stop(options?: { signal?: NodeJS.Signals; keepDir?: boolean }): Promise<void>;
  readonly running: boolean;
}

export const VPCD_READERS = ['Virtual PCD 00 00', 'Virtual PCD 00 01'] as const;

export async function startPcscd(options: { friendlyName?: string } = {}): Promise<PrivatePcscd> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'siths-doctor-pcscd-'));
  const runDir = path.join(dir, 'run');
  const confDir = path.join(dir, 'reader.conf.d');
  mkdirSync(runDir);
  mkdirSync(confDir);
  const port = await freePortPair();
  const channel = `0x${port.toString(16).toUpperCase()}`;
  const friendly = options.friendlyName ?? 'Virtual PCD';
  writeFileSync(
    path.join(confDir, 'vpcd'),
    `FRIENDLYNAME "${friendly}"\nDEVICENAME   /dev/null:${channel}\nLIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    ${channel}\n`,
  );
  // Bind our folder over /run/pcscd inside a private mount namespace; where /run/pcscd
  // does not exist (a fresh container), put a private tmpfs on /run first.
  const script =
    'if [ ! -d /run/pcscd ]; then mount -t tmpfs tmpfs /run && mkdir /run/pcscd; fi; mount --bind "$0" /run/pcscd && exec pcscd -f -c "$1"';
  // As root a mount namespace is enough; other users need a user namespace too (where the system allows them).
  const userNamespace = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
  const child = spawn('unshare', [...userNamespace, '--mount', '--propagation', 'private', 'sh', '-c', script, runDir, confDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` },
  });
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (log = (log + d).slice(-20_000)));
  const socket = path.join(runDir, 'pcscd.comm');

  const daemon: PrivatePcscd = {
    dir,
    socket,
    env: { PCSCLITE_CSOCK_NAME: socket },
    port,
    readers: friendly === 'Virtual PCD' ? VPCD_READERS : [`${friendly} 00 00`, `${friendly} 00 01`],
    log: () => log,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    async stop(stopOptions = {}) {
      await stopChild(child, stopOptions.signal ?? 'SIGTERM');
      if (!stopOptions.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(() => existsSync(socket) && isListening(port) && isListening(port + 1), 10_000, () => `pcscd did not start: ${log}`);
  } catch (err) {
    await daemon.stop();
    throw err;
  }
  return daemon;
}

/** Two consecutive free TCP ports (vpcd takes port and port + 1). */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await listenOn(0);
    const port = (first.address() as net.AddressInfo).port;
    const second = port < 65535 ? await listenOn(port + 1).catch(() => undefined) : undefined;
    await Promise.all([close(first), second && close(second)]);
    if (second) return port;
  }
  throw new Error('no two consecutive free TCP ports');
}

function listenOn(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Without connecting: vpcd would take any connection for an inserted card. */
function isListening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = existsSync(table) ? readFileSync(table, 'utf8') : '';
    // local_address is ADDR:PORT in hex, state 0A is LISTEN.
    if (text.split('\n').some((line) => new RegExp(`^\\s*\\d+: [0-9A-F]+:${hex} [0-9A-F]+:[0-9A-F]+ 0A `).test(line))) return true;
  }
  return false;
}
