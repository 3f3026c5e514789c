import { supportsColor } from 'chalk';
import { promises as fsp } from 'node:fs';
import { msg } from '../i18n/index.js';
import type { DoctorOptions } from '../options.js';
import { UsageError } from '../runner.js';

/** The streams and environment the CLI writes to; the real process's by default. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/**
 * Colour only for a person at a terminal: never into a file or a pipe, never
 * with NO_COLOR (any non-empty value, see no-color.org) or --no-color.
 */
export function colorLevel(io: CliIo, wantsColor: boolean, toFile: boolean): 0 | 1 | 2 | 3 {
  if (!wantsColor || toFile) return 0;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return 0;
  if (!io.stdout.isTTY) return 0;
  const level = supportsColor ? supportsColor.level : 0;
  return (level || 1) as 1 | 2 | 3;
}

/**
 * Wrap for a terminal only: its width, or COLUMNS when set (tmux, scripts
 * that want a width). Files and pipes get whole lines.
 */
export function terminalWidth(io: CliIo, toFile: boolean): number | undefined {
  if (toFile) return undefined;
  const fromEnv = Number(io.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv >= 20) return fromEnv;
  const columns = (io.stdout as { columns?: number }).columns;
  return io.stdout.isTTY && typeof columns === 'number' && columns >= 20 ? columns : undefined;
}

export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    stream.write(text, () => resolve());
  });
}

/** Files named on the command line must be readable before anything runs (exit code 2 otherwise). */
export async function checkInputFiles(files: readonly { option: string; path: string }[]): Promise<void> {
  for (const { option, path: file } of files) {
    try {
      const stat = await fsp.stat(file);
      if (stat.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
      await fsp.access(file, fsp.constants.R_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? msg('finns inte', 'does not exist')
          : code === 'EISDIR'
            ? msg('är en mapp', 'is a folder')
            : msg('går inte att läsa', 'cannot be read');
      throw new UsageError(msg(`Filen för ${option} ${why.sv}: ${file}`, `The file for ${option} ${why.en}: ${file}`));
    }
  }
}

/** The input files a run will read: certificates, extra roots, a local PAC file. */
export function inputFilesOf(options: DoctorOptions): { option: string; path: string }[] {
  const files = [
    ...options.certFiles.map((f) => ({ option: '--cert', path: f })),
    ...options.caFiles.map((f) => ({ option: '--ca-file', path: f })),
  ];
  if (options.pac && !/^https?:\/\//i.test(options.pac)) files.push({ option: '--pac', path: options.pac.replace(/^file:\/\//i, '') });
  return files;
}
