import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/model.js';
import type { NetidDetails } from '../src/netid/types.js';
import { defaultOptions } from '../src/options.js';
import { netidProbe } from '../src/probes/netid.js';
import { runProbes } from '../src/runner.js';
import type { System } from '../src/system.js';
import { recordedExec, windowsScenario } from './helpers/recorded.js';
import { testSystem } from './helpers/system.js';

async function netidOn(system: Partial<System>, options = defaultOptions()): Promise<CheckResult<NetidDetails>> {
  const [result] = await runProbes({ probes: [netidProbe], options, system: testSystem(system) });
  return result as CheckResult<NetidDetails>;
}

describe('card software on Windows (recorded reg.exe outputs)', () => {
  it('finds Net iD Enterprise on an English Windows: product key, Uninstall entry, iidp11.dll; alone it warns', async () => {
    const { system, exec } = windowsScenario('enterprise-en');
    const result = await netidOn(system);
    // Inera stopped supporting Net iD Enterprise within SITHS on 2023-06-30: alone, it is a warning.
    expect(result.status).toBe('warn');
    expect(result.details).toMatchObject({
      product: 'enterprise',
      productName: 'Net iD Enterprise',
      version: '6.8.1.2',
      installPath: 'C:\\Program Files\\Net iD',
      pkcs11Library: 'C:\\Program Files\\Net iD\\iidp11.dll',
      pkcs11LibrarySource: 'search',
    });
    expect(result.details!.installations).toHaveLength(1);
    expect(result.details!.installations[0]!.foundBy).toEqual(['registry', 'uninstall-entry', 'install-folder']);
    expect(result.summary.en).toBe('Only Net iD Enterprise is there for the SITHS card.');
    expect(result.advice!.en).toContain('SITHS eID app for Windows (version 2.0.8481 or later)');
    expect(result.notes!.map((n) => n.en)).toContainEqual(expect.stringContaining('Net iD Enterprise 6.8.1.2 · C:\\Program Files\\Net iD · PKCS#11: C:\\Program Files\\Net iD\\iidp11.dll'));
    // reg.exe is the system's own, found through SystemRoot, and the product key is read recursively.
    expect(exec.calls).toContainEqual(['C:\\WINDOWS\\System32\\reg.exe', 'query', 'HKLM\\SOFTWARE\\SecMaker\\NetiD\\Enterprise', '/s']);
    // The sourced note about Inera's support for Enterprise.
    expect(result.notes!.some((n) => n.en.includes('2023-06-30') && n.en.includes('Source: https://inera.atlassian.net/'))).toBe(true);
  });

  it('finds Net iD Client on a Swedish Windows, expanding %ProgramFiles% in a REG_EXPAND_SZ: right for Efos cards', async () => {
    const { system } = windowsScenario('client-sv');
    const result = await netidOn(system);
    expect(result.status).toBe('pass');
    expect(result.summary.en).toBe('Efos cards: Net iD Client 1.4.1.2.');
    // No card read: judged for both, and what SITHS cards would need is a note.
    expect(result.details!.judgedFor).toEqual(['siths', 'efos']);
    expect(result.notes!.map((n) => n.en)).toContainEqual(expect.stringContaining('not the SITHS eID app'));
    expect(result.details).toMatchObject({
      product: 'client',
      productName: 'Net iD Client',
      version: '1.4.1.2',
      installPath: 'C:\\Program Files\\Net iD\\Client',
      pkcs11Library: 'C:\\Program Files\\Net iD\\Client\\netid-pkcs11.dll',
    });
    expect(result.details!.installations[0]!.foundBy).toEqual(['registry', 'uninstall-entry', 'install-folder']);
  });

  it('finds a 32-bit Enterprise only in the WOW6432Node twins and Program Files (x86)', async () => {
    const { system } = windowsScenario('wow6432-en');
    const result = await netidOn(system);
    expect(result.status).toBe('warn');
    expect(result.details).toMatchObject({
      product: 'enterprise',
      version: '6.7.3.5',
      installPath: 'C:\\Program Files (x86)\\Net iD',
      pkcs11Library: 'C:\\Program Files (x86)\\Net iD\\iidp11.dll',
    });
  });

  it('warns when only an Uninstall entry remains and the folder with the library is gone', async () => {
    const { system } = windowsScenario('uninstall-only-en');
    const result = await netidOn(system);
    expect(result.status).toBe('warn');
    expect(result.details).toMatchObject({ product: 'enterprise', version: '6.8.0.9', installations: [{ foundBy: ['uninstall-entry'] }] });
    expect(result.details!.pkcs11Library).toBeUndefined();
    expect(result.details!.searched).toContain('D:\\Apps\\Net iD');
    expect(result.summary.en).toBe('Card software is there, but no PKCS#11 library was found (Net iD Enterprise 6.8.0.9); Only Net iD Enterprise is there for the SITHS card.');
    expect(result.advice!.en).toMatch(/repair or reinstall it/);
    expect(result.advice!.en).not.toMatch(/--pkcs11-module/);
    expect(result.agentHint!.en).toMatch(/--pkcs11-module/);
  });

  it('ignores values of unexpected types with a note, and merges an entry named just "Net iD" into the folder it points to', async () => {
    const { system } = windowsScenario('odd-values-en');
    const result = await netidOn(system);
    expect(result.status).toBe('warn');
    expect(result.details!.installations).toHaveLength(1);
    expect(result.details).toMatchObject({ product: 'enterprise', installPath: 'C:\\Program Files\\Net iD', pkcs11Library: 'C:\\Program Files\\Net iD\\iidp11.dll' });
    // Version was a REG_DWORD and the entry has no DisplayVersion: no version, said plainly.
    expect(result.details!.version).toBeUndefined();
    expect(result.notes![0]!.en).toMatch(/^Net iD Enterprise · C:/);
    expect(result.details!.installations[0]!.foundBy).toEqual(['registry', 'install-folder', 'uninstall-entry']);
    const notes = result.notes!.map((n) => n.en);
    expect(notes).toContainEqual(expect.stringContaining('value Version has type REG_DWORD, expected text (REG_SZ); ignored'));
    expect(notes).toContainEqual(expect.stringContaining('value Directory has type REG_BINARY'));
  });

  it('fails with install advice on a Swedish Windows without card software', async () => {
    const { system } = windowsScenario('not-installed-sv');
    const result = await netidOn(system, defaultOptions({ lang: 'sv' }));
    expect(result.status).toBe('fail');
    expect(result.summary.sv).toBe(
      'Ingen kortprogramvara för SITHS-kort eller Efos-kort hittades. (Letade i registret (SecMaker, Pointsharp, Uninstall: Net iD, SITHS eID, SafeNet Authentication Client), Program Files och System32.)',
    );
    expect(result.advice!.sv).toMatch(/be IT installera SITHS eID-appen/);
    expect(result.advice!.en).toMatch(/For Efos cards: ask IT to install Net iD Client/);
    expect(result.details!.installations).toEqual([]);
    expect(result.details!.searched).toEqual(
      expect.arrayContaining(['HKLM\\SOFTWARE\\SecMaker\\NetiD\\Enterprise', 'HKLM\\SOFTWARE\\WOW6432Node\\Pointsharp\\NetiD\\Client', 'C:\\Program Files\\Net iD']),
    );
  });

  it('is an error, not "not installed", when reg.exe cannot run and nothing is on disk', async () => {
    const { system } = windowsScenario('not-installed-sv');
    const result = await netidOn({ ...system, exec: recordedExec([]) });
    expect(result.status).toBe('error');
    expect(result.notes!.map((n) => n.en).join()).toMatch(/reg\.exe not found/);
  });

  it('still finds the files when reg.exe hangs, and says the registry could not be read', async () => {
    const { system } = windowsScenario('enterprise-en');
    const hanging = recordedExec([], () => ({ code: null, stdout: '', stderr: '', timedOut: true }));
    const result = await netidOn({ ...system, exec: hanging });
    expect(result.status).toBe('warn');
    expect(result.details).toMatchObject({ product: 'enterprise', installations: [{ foundBy: ['install-folder'] }] });
    expect(result.notes!.map((n) => n.en).join()).toMatch(/did not answer in time/);
  });
});

describe('SITHS eID app and SAC on Windows (recorded reg.exe outputs)', () => {
  it('passes for the app 2.0.8481 with SAC, naming version and package, and picks SAC for the token check', async () => {
    const { system, exec } = windowsScenario('siths-eid-sac-en');
    const result = await netidOn(system);
    expect(result.status).toBe('pass');
    expect(result.summary.en).toBe('SITHS cards: SITHS eID f\uFFFDr Windows 2.0.8481.28506, package with SAC PKCS#11 with SafeNet Authentication Client (SAC) 10.8.1050.0.');
    expect(result.details).toMatchObject({ product: 'sac', pkcs11Library: 'C:\\WINDOWS\\System32\\eTPKCS11.dll', pkcs11LibrarySource: 'search' });
    expect(result.details!.installations.map((i) => [i.product, i.package])).toEqual([
      ['siths-eid', 'sac-pkcs11'],
      ['sac', undefined],
    ]);
    expect(exec.calls).toContainEqual(['C:\\WINDOWS\\System32\\reg.exe', 'query', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall', '/s', '/f', 'SafeNet Authentication Client', '/d']);
  });

  it("warns for an app older than 2.0, citing Inera's download page", async () => {
    const { system } = windowsScenario('siths-eid-old-en');
    const result = await netidOn(system);
    expect(result.status).toBe('warn');
    expect(result.summary.en).toContain('The SITHS eID app 1.3.7412.19870 is older than the version 2.0 Inera requires');
    expect(result.advice!.en).toBe('Ask IT to upgrade the SITHS eID app to 2.0.8481 or later.');
    const notes = result.notes!.map((n) => n.en);
    expect(notes).toContainEqual(expect.stringMatching(/^At least version 2\.0 .* Source: https:\/\/inera\.atlassian\.net\//));
    expect(notes).toContainEqual(expect.stringContaining('2.0.8481'));
  });

  it('warns for 2.0.8325 and says it is accepted on Windows Server and VDI', async () => {
    const { system } = windowsScenario('siths-eid-8325-en');
    const result = await netidOn(system);
    expect(result.status).toBe('warn');
    expect(result.summary.en).toContain('older than 2.0.8481, which SITHS eID Portal requires (2.0.8325 is accepted on Windows Server and VDI)');
  });

  it('passes the MD package without a PKCS#11 library, and cites that certificate propagation must be off', async () => {
    const { system } = windowsScenario('siths-eid-md-en');
    const result = await netidOn(system);
    expect(result.status).toBe('pass');
    expect(result.summary.en).toContain('MD package (SAC minidriver)');
    expect(result.details!.pkcs11Library).toBeUndefined();
    expect(result.notes!.map((n) => n.en)).toContainEqual(expect.stringContaining('CertPropSvc'));
  });
});
