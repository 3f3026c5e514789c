import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { msg } from '../i18n/index.js';
import { UsageError } from '../runner.js';

/**
 * How a report reaches the path given to --output:
 * - `replace`: a regular file (new or existing, or the file a symlink points to)
 *   is replaced atomically, so a reader never sees half a report and a symlink
 *   stays a link whose target gets the new content;
 * - `direct`: a character device, a FIFO, /dev/stdout and friends, or a Windows
 *   device name (NUL) is written through as it is, never replaced by a file.
 */
export type OutputPlan = { readonly kind: 'replace'; readonly path: string } | { readonly kind: 'direct'; readonly path: string };

// Windows device names, in any folder and with any extension (NUL, nul.txt, \\.\NUL, COM1).
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[1-9]|lpt[1-9])(?:\..*)?:?$/i;

const usage = (sv: string, en: string): UsageError => new UsageError(msg(sv, en));

/** Decide how to write the report, refusing before the run what cannot work (exit code 2). */
export async function planOutput(file: string, platform: NodeJS.Platform = process.platform): Promise<OutputPlan> {
  if (file === '') throw usage('--output behöver ett filnamn (eller - för skärmen).', '--output needs a file name (or - for the screen).');
  if (platform === 'win32' && WINDOWS_DEVICE.test(path.win32.basename(file))) return { kind: 'direct', path: file };
  const target = await finalTarget(file);
  const stat = await fsp.stat(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw cannotUse(file, err);
  });
  if (stat?.isDirectory()) throw usage(`--output pekar på en mapp, inte en fil: ${file}`, `--output points to a folder, not a file: ${file}`);
  if (stat && (stat.isCharacterDevice() || stat.isFIFO())) return { kind: 'direct', path: file };
  // /dev/stdout, /dev/fd/N, /proc/self/fd/N name whatever this process already has open: write to it, never replace it.
  if (isProcessDescriptor(file) || isProcessDescriptor(target)) return { kind: 'direct', path: file };
  if (stat && !stat.isFile()) throw usage(`--output är varken en vanlig fil, en enhet eller en FIFO: ${file}`, `--output is neither a regular file, a device nor a FIFO: ${file}`);
  const dir = path.dirname(target);
  const dirStat = await fsp.stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw usage(`Mappen för --output finns inte: ${dir}`, `The folder for --output does not exist: ${dir}`);
  try {
    await fsp.access(dir, constants.W_OK);
  } catch {
    throw usage(`Får inte skriva i mappen för --output: ${dir}`, `Not allowed to write in the folder for --output: ${dir}`);
  }
  return { kind: 'replace', path: target };
}

/** Write the whole report, or nothing: a failure leaves the old file (if any) and no temporary file behind. */
export async function writeOutput(plan: OutputPlan, content: string): Promise<void> {
  if (plan.kind === 'direct') return writeThrough(plan.path, content);
  // Short, fixed-length temporary name: a target name near the file-system limit cannot overflow it.
  const tmp = path.join(path.dirname(plan.path), `.siths-doctor-${randomBytes(8).toString('hex')}.tmp`);
  const mode = await fsp.stat(plan.path).then((s) => s.mode & 0o7777, () => 0o666);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, plan.path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

async function writeThrough(file: string, content: string): Promise<void> {
  // Opening a FIFO for writing blocks until someone reads it: ask without blocking first, so a FIFO without a reader fails at once (ENXIO).
  const probe = await fsp.open(file, constants.O_WRONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const handle = await fsp.open(file, constants.O_WRONLY);
    try {
      await handle.writeFile(content, 'utf8');
    } finally {
      await handle.close();
    }
  } finally {
    await probe.close();
  }
}

/** The path a chain of symlinks ends at, whether that file exists yet or not. */
async function finalTarget(file: string): Promise<string> {
  let current = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    const link = await fsp.lstat(current).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw cannotUse(file, err);
    });
    if (!link?.isSymbolicLink()) return current;
    const next = await fsp.readlink(current);
    if (/^[a-z]+:\[\d+\]$/.test(next)) return current; // pipe:[123], socket:[456] under /proc/self/fd
    current = path.resolve(path.dirname(current), next);
  }
  throw usage(`--output: för många symboliska länkar i rad: ${file}`, `--output: too many symbolic links in a row: ${file}`);
}

function isProcessDescriptor(p: string): boolean {
  return /^\/dev\/(?:stdout|stderr|fd\/\d+)$/.test(p) || /^\/proc\/(?:self|\d+)\/fd\/\d+$/.test(p);
}

function cannotUse(file: string, err: NodeJS.ErrnoException): UsageError {
  const why = err.code === 'ENAMETOOLONG' ? msg('namnet är för långt', 'the name is too long') : msg(err.code ?? err.message, err.code ?? err.message);
  return usage(`Kan inte skriva rapporten till ${file}: ${why.sv}`, `Cannot write the report to ${file}: ${why.en}`);
}
