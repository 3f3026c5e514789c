import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { msg } from '../src/i18n/index.js';
import type { Probe } from '../src/model.js';
import { runBin, runMain } from './helpers/cli.js';

const reader: Probe = {
  id: 'reader',
  title: msg('Läsare', 'Reader'),
  description: msg('x', 'x'),
  run: async () => ({ status: 'pass', summary: msg('ok', 'ok') }),
};

const tempDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'sd-o-'));

/** A device node in a temp folder (never the real /dev/null): needs root, which CI has; elsewhere the test says so. */
function mknod(dir: string, name: string, minor: number): string {
  const file = path.join(dir, name);
  const made = spawnSync('mknod', [file, 'c', '1', String(minor)]);
  if (made.status !== 0) throw new Error(`mknod ${file} c 1 ${minor} failed (run as root): ${made.stderr}`);
  return file;
}

describe('--output onto what is already there', () => {
  it('writes through a character device and leaves it a device', async () => {
    const dir = tempDir();
    const dev = mknod(dir, 'null', 3);
    const run = await runMain(['--format', 'json', '-o', dev], [reader]);
    expect(run.code).toBe(0);
    expect(statSync(dev).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['null']);
  });

  it('ends with exit 2 and the reason when the device is full, leaving no file behind', async () => {
    const dir = tempDir();
    const dev = mknod(dir, 'full', 7);
    const run = await runMain(['--format', 'json', '-o', dev], [reader]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Could not save the report to ${dev} (no space left on the device (ENOSPC))`);
    expect(statSync(dev).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['full']);
  });

  it('writes into a FIFO that someone reads, and keeps it a FIFO', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const cat = spawn('cat', [fifo]);
    let got = '';
    cat.stdout.setEncoding('utf8').on('data', (d: string) => (got += d));
    const closed = new Promise((resolve) => cat.on('close', resolve));
    const run = await runBin(['--format', 'json', '--offline', '--timeout', '2000', 'check', 'clock', '-o', fifo]);
    await closed;
    expect([0, 1]).toContain(run.code);
    expect(JSON.parse(got).schemaVersion).toBe(1);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('fails at once with exit 2 on a FIFO nobody reads, instead of hanging', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const run = await runMain(['-o', fifo], [reader]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nobody reads from the FIFO');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('replaces the file a symlink points to and keeps the link a link', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'real'));
    const target = path.join(dir, 'real', 'report.json');
    writeFileSync(target, 'old');
    const link = path.join(dir, 'latest.json');
    symlinkSync(path.join('real', 'report.json'), link);
    const run = await runMain(['--format', 'json', '-o', link], [reader]);
    expect(run.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(path.join('real', 'report.json'));
    expect(JSON.parse(readFileSync(target, 'utf8')).schemaVersion).toBe(1);
    expect(readdirSync(path.join(dir, 'real'))).toEqual(['report.json']);
  });

  it('creates the file a dangling symlink names', async () => {
    const dir = tempDir();
    const link = path.join(dir, 'latest.json');
    symlinkSync('made.json', link);
    const run = await runMain(['--format', 'json', '-o', link], [reader]);
    expect(run.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'made.json'), 'utf8')).schemaVersion).toBe(1);
  });

  it('keeps the mode of the file it replaces', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'r.txt');
    writeFileSync(file, 'old', { mode: 0o640 });
    expect((await runMain(['-o', file], [reader])).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readFileSync(file, 'utf8')).toContain('Reader');
  });

  it('refuses a folder with exit 2 before running anything', async () => {
    let ran = false;
    const watched: Probe = { ...reader, run: async () => ((ran = true), { status: 'pass', summary: msg('x', 'x') }) };
    const run = await runMain(['-o', tempDir()], [watched]);
    expect(run.code).toBe(2);
    expect(ran).toBe(false);
    expect(run.stderr).toContain('--output points to a folder, not a file');
  });

  it('takes - for the screen and refuses an empty name', async () => {
    const dash = await runMain(['--format', 'json', '-o', '-'], [reader]);
    expect(dash.code).toBe(0);
    expect(JSON.parse(dash.stdout).schemaVersion).toBe(1);
    expect(dash.stderr).toBe('');
    const empty = await runMain(['-o', ''], [reader]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--output needs a file name');
    expect(empty.stdout).toBe('');
  });

  it('writes a 255-byte name, and refuses a 256-byte one before the run', async () => {
    const dir = tempDir();
    const longest = path.join(dir, 'r'.repeat(250) + '.json');
    const ok = await runMain(['--format', 'json', '-o', longest], [reader]);
    expect(ok.code).toBe(0);
    expect(readdirSync(dir)).toEqual([path.basename(longest)]);
    let ran = false;
    const watched: Probe = { ...reader, run: async () => ((ran = true), { status: 'pass', summary: msg('x', 'x') }) };
    const tooLong = await runMain(['-o', path.join(dir, 'r'.repeat(256))], [watched]);
    expect(tooLong.code).toBe(2);
    expect(ran).toBe(false);
    expect(tooLong.stderr).toContain('the name is too long');
  });

  it('leaves the folder holding exactly the report', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'r.json');
    writeFileSync(file, 'old');
    const run = await runBin(['--format', 'json', '--offline', '--timeout', '2000', 'check', 'clock', '-o', file]);
    expect([0, 1]).toContain(run.code);
    expect(readdirSync(dir)).toEqual(['r.json']);
    expect(JSON.parse(readFileSync(file, 'utf8')).schemaVersion).toBe(1);
  });
});

describe('--output names on Windows', () => {
  it('writes through NUL and \\\\.\\NUL instead of replacing them', async () => {
    const { planOutput } = await import('../src/cli/output-file.js');
    for (const name of ['NUL', 'nul', '\\\\.\\NUL', 'C:\\reports\\NUL', 'COM1']) {
      expect(await planOutput(name, 'win32')).toEqual({ kind: 'direct', path: name });
    }
    expect((await planOutput(path.join(tempDir(), 'NUL'), 'linux')).kind).toBe('replace');
  });
});
