import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/model.js';
import type { NetidDetails } from '../src/netid/types.js';
import { defaultOptions } from '../src/options.js';
import { netidProbe } from '../src/probes/netid.js';
import { runProbes } from '../src/runner.js';
import type { PlatformInfo, System } from '../src/system.js';
import { NETID_FIXTURES, recordedExec, rootedFileSystem } from './helpers/recorded.js';
import { testSystem } from './helpers/system.js';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A machine whose whole disk is a temp folder. */
function machine(os_: NodeJS.Platform, homedir: string, extra: Partial<System> = {}): Partial<System> {
  root = mkdtempSync(path.join(os.tmpdir(), 'siths-netid-'));
  const platform: PlatformInfo = { os: os_, arch: 'x64', release: 'test', homedir, nodeVersion: '20.20.0' };
  return { fs: rootedFileSystem(root), platform, ...extra };
}
function put(file: string, content: string | Buffer = 'not really a library'): void {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
}
function putPlist(bundle: string, fixture: string): void {
  mkdirSync(path.join(root, bundle, 'Contents'), { recursive: true });
  copyFileSync(path.join(NETID_FIXTURES, 'macos', fixture, 'Info.plist'), path.join(root, bundle, 'Contents', 'Info.plist'));
}
async function netidOn(system: Partial<System>): Promise<CheckResult<NetidDetails>> {
  const [result] = await runProbes({ probes: [netidProbe], options: defaultOptions(), system: testSystem(system) });
  return result as CheckResult<NetidDetails>;
}

describe('netid on macOS (Info.plist files written for the tests)', () => {
  it('finds Net iD Enterprise.app, its version and the PKCS#11 library inside the bundle (alone: a warning)', async () => {
    const system = machine('darwin', '/Users/tolvan');
    putPlist('/Applications/Net iD Enterprise.app', 'net-id-enterprise');
    put('/Applications/Net iD Enterprise.app/Contents/Frameworks/libiidp11.dylib');
    put('/Applications/Safari.app/Contents/Info.plist', '<plist/>');
    const result = await netidOn(system);
    expect(result.status).toBe('warn');
    expect(result.summary.en).toBe('Only Net iD Enterprise is there for the SITHS card.');
    expect(result.details).toMatchObject({
      product: 'enterprise',
      version: '6.8.1.2',
      installPath: '/Applications/Net iD Enterprise.app',
      pkcs11Library: '/Applications/Net iD Enterprise.app/Contents/Frameworks/libiidp11.dylib',
      installations: [{ foundBy: ['app-bundle'] }],
    });
  });

  it('finds Net iD Client.app in ~/Applications with its version from CFBundleVersion; no library is a warning', async () => {
    const system = machine('darwin', '/Users/tolvan');
    putPlist('/Users/tolvan/Applications/Net iD Client.app', 'net-id-client');
    const result = await netidOn(system);
    expect(result.status).toBe('warn');
    expect(result.details).toMatchObject({ product: 'client', version: '1.4.1.2', installPath: '/Users/tolvan/Applications/Net iD Client.app' });
    expect(result.details!.searched).toContain('/Users/tolvan/Applications/Net iD Client.app/Contents/Frameworks');
  });

  it('takes the library from /usr/local/lib when the bundle has none', async () => {
    const system = machine('darwin', '/Users/tolvan');
    putPlist('/Applications/Net iD Enterprise.app', 'net-id-enterprise');
    put('/usr/local/lib/libiidp11.dylib');
    const result = await netidOn(system);
    expect(result.status).toBe('warn');
    expect(result.details).toMatchObject({ pkcs11Library: '/usr/local/lib/libiidp11.dylib', installations: [{ foundBy: ['app-bundle', 'library-file'] }] });
  });

  it('a broken Info.plist: installed, version unknown, a note saying why', async () => {
    const system = machine('darwin', '/Users/tolvan');
    putPlist('/Applications/Net iD Enterprise.app', 'broken');
    put('/Applications/Net iD Enterprise.app/Contents/MacOS/libiidp11.dylib');
    const result = await netidOn(system);
    expect(result.status).toBe('warn');
    expect(result.details!.version).toBeUndefined();
    expect(result.notes![0]!.en).toMatch(/^Net iD Enterprise · \/Applications/);
    expect(result.notes!.map((n) => n.en).join('\n')).toMatch(/Info\.plist: does not parse \(expected .* \(line \d+\)\); the version could not be read\./);
  });

  it('a binary Info.plist is converted by plutil; without plutil the version is unknown', async () => {
    const plutilXml = readFileSync(path.join(NETID_FIXTURES, 'macos', 'binary', 'plutil-xml1.txt'), 'utf8');
    const plist = '/Applications/Net iD Enterprise.app/Contents/Info.plist';
    const plutil = recordedExec([{ file: '/usr/bin/plutil', args: ['-convert', 'xml1', '-o', '-', plist], result: { code: 0, stdout: plutilXml, stderr: '', timedOut: false } }]);
    const system = machine('darwin', '/Users/tolvan', { exec: plutil });
    putPlist('/Applications/Net iD Enterprise.app', 'binary');
    expect((await netidOn(system)).details!.version).toBe('6.8.1.2');

    const withoutPlutil = { ...system, exec: recordedExec([]) };
    const result = await netidOn(withoutPlutil);
    expect(result.details!.version).toBeUndefined();
    expect(result.notes!.map((n) => n.en).join()).toContain('a binary plist that plutil could not convert');
  });

  it('refuses an entity bomb in Info.plist quickly', async () => {
    const system = machine('darwin', '/Users/tolvan');
    putPlist('/Applications/Net iD.app', 'doctype-subset');
    const t0 = performance.now();
    const result = await netidOn(system);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(result.details).toMatchObject({ product: 'other', productName: 'Net iD' });
    expect(result.notes!.map((n) => n.en).join()).toContain('internal subset');
  });

  it('fails when no bundle and no library is there', async () => {
    const system = machine('darwin', '/Users/tolvan');
    put('/Applications/Numbers.app/Contents/Info.plist', '<plist/>');
    const result = await netidOn(system);
    expect(result.status).toBe('fail');
    expect(result.summary.en).toBe('No card software for SITHS cards or Efos cards was found. (Looked in /Applications, ~/Applications and /usr/local/lib.)');
  });

  it('finds the SITHS eID app for smart cards and SAC: a pass for SITHS cards, SAC asked for the token', async () => {
    const system = machine('darwin', '/Users/tolvan');
    put('/Applications/SITHS eID.app/Contents/Info.plist', '<?xml version="1.0"?><plist version="1.0"><dict><key>CFBundleShortVersionString</key><string>1.0.8481</string></dict></plist>');
    put('/usr/local/lib/libeTPkcs11.dylib');
    const result = await netidOn(system);
    expect(result.status).toBe('pass');
    // The Mac app is numbered 1.x: the Windows minimums do not apply to it.
    expect(result.summary.en).toBe('SITHS cards: SITHS eID-appen 1.0.8481 with SafeNet Authentication Client (SAC).');
    expect(result.details).toMatchObject({ product: 'sac', pkcs11Library: '/usr/local/lib/libeTPkcs11.dylib' });
  });
});

describe('netid on Linux (search paths pointed at a temp folder)', () => {
  it('finds ~/.iid/lib/libiidp11.so first, and asks the newer Net iD over Enterprise', async () => {
    const system = machine('linux', '/home/tolvan');
    put('/home/tolvan/.iid/lib/libiidp11.so');
    put('/usr/lib/libnetid.so');
    const result = await netidOn(system);
    expect(result.status).toBe('pass');
    expect(result.details).toMatchObject({ product: 'other', pkcs11Library: '/usr/lib/libnetid.so' });
    expect(result.details!.installations.map((i) => i.pkcs11Library)).toEqual(['/home/tolvan/.iid/lib/libiidp11.so', '/usr/lib/libnetid.so']);
  });

  it('finds SAC and OpenSC; SAC is asked for SITHS cards, and OpenSC alone passes on Linux', async () => {
    const system = machine('linux', '/home/tolvan');
    put('/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so');
    let result = await netidOn(system);
    expect(result.status).toBe('pass');
    expect(result.summary.en).toBe('SITHS cards: OpenSC (/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so).');
    expect(result.details).toMatchObject({ product: 'opensc', pkcs11Library: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so' });
    put('/usr/lib/libeTPkcs11.so');
    result = await netidOn(system);
    expect(result.details).toMatchObject({ product: 'sac', pkcs11Library: '/usr/lib/libeTPkcs11.so' });
  });

  it('finds a library in the multiarch folder and in /opt, without walking anything else', async () => {
    const system = machine('linux', '/home/tolvan');
    put('/usr/lib/x86_64-linux-gnu/libnetid.so');
    put('/opt/pointsharp/netid/lib/libiidp11.so');
    put('/opt/unrelated/lib/libiidp11.so');
    put('/usr/lib/deep/inside/libiidp11.so');
    const result = await netidOn(system);
    const libraries = result.details!.installations.map((i) => i.pkcs11Library);
    expect(libraries).toEqual(['/usr/lib/x86_64-linux-gnu/libnetid.so', '/opt/pointsharp/netid/lib/libiidp11.so']);
    expect(result.details!.installations[1]).toMatchObject({ product: 'enterprise', installPath: '/opt/pointsharp' });
  });

  it('warns for ~/.iid without its library', async () => {
    const system = machine('linux', '/home/tolvan');
    put('/home/tolvan/.iid/iid.conf', '[Install]\n');
    const result = await netidOn(system);
    expect(result.status).toBe('warn');
    expect(result.details).toMatchObject({ installPath: '/home/tolvan/.iid', installations: [{ foundBy: ['install-folder'] }] });
  });

  it('fails with the places it looked', async () => {
    const system = machine('linux', '/home/tolvan');
    const result = await netidOn(system);
    expect(result.status).toBe('fail');
    expect(result.details!.searched).toEqual(expect.arrayContaining(['/home/tolvan/.iid/lib/libiidp11.so', '/usr/lib64/libnetid.so', '/usr/local/lib/libiidp11.so']));
    expect(result.details!.searched).toEqual(expect.arrayContaining(['/usr/lib/libeTPkcs11.so', '/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so']));
    expect(result.advice!.en).toContain('Linux: OpenSC');
  });
});

describe('netid with --pkcs11-module', () => {
  it('uses the file without searching', async () => {
    const system = machine('linux', '/home/tolvan');
    // What the check can see without loading it: a shared library (ELF here) that names C_GetFunctionList.
    put('/custom/libsomething.so', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from('\0...C_GetFunctionList\0')]));
    const [result] = await runProbes({ probes: [netidProbe], options: defaultOptions({ pkcs11Module: '/custom/libsomething.so' }), system: testSystem(system) });
    expect(result!.status).toBe('pass');
    expect(result!.details).toEqual({ installations: [], searched: ['/custom/libsomething.so'], pkcs11Library: '/custom/libsomething.so', pkcs11LibrarySource: 'option' });
  });

  it('fails naming a path that does not exist, or is a folder', async () => {
    const system = machine('linux', '/home/tolvan');
    put('/custom/dir/file');
    const run = async (p: string) => (await runProbes({ probes: [netidProbe], options: defaultOptions({ pkcs11Module: p }), system: testSystem(system) }))[0]!;
    const missing = await run('/custom/gone.so');
    expect(missing.status).toBe('fail');
    expect(missing.summary.en).toBe('The PKCS#11 library given with --pkcs11-module does not exist: /custom/gone.so');
    expect(missing.summary.sv).toBe('PKCS#11-biblioteket som angavs med --pkcs11-module finns inte: /custom/gone.so');
    const folder = await run('/custom/dir');
    expect(folder.summary.en).toBe('The PKCS#11 library given with --pkcs11-module is not a file: /custom/dir');
  });

  it('skips on a platform Net iD does not exist for', async () => {
    const system = machine('freebsd', '/home/tolvan');
    const result = await netidOn(system);
    expect(result.status).toBe('skip');
    expect(result.summary.en).toContain('--pkcs11-module');
  });
});

describe('--pkcs11-module that is not a PKCS#11 library', () => {
  it('does not pass: a PEM file, another shared library', async () => {
    const system = machine('linux', '/home/tolvan');
    put('/custom/card.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    put('/custom/libz.so', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from('\0deflate\0inflate\0')]));
    const run = async (p: string) => (await runProbes({ probes: [netidProbe], options: defaultOptions({ pkcs11Module: p }), system: testSystem(system) }))[0]!;
    const pem = await run('/custom/card.pem');
    expect(pem.status).toBe('warn');
    expect(pem.summary.en).toBe('The file given with --pkcs11-module is not a PKCS#11 library (not a shared library at all): /custom/card.pem');
    const other = await run('/custom/libz.so');
    expect(other.status).toBe('warn');
    expect(other.summary.en).toContain('(the library has no C_GetFunctionList)');
  });
});
